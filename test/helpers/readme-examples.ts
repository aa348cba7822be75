/**
 * README examples that tests run: a ```ts block marked `<!-- example: name -->`, and a nested vitest that
 * runs one written out, with its own config (the repository's include does not reach .tmp/).
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The ```ts block right after `<!-- example: name -->` in a README. */
export async function readmeExample(readme: string, name: string): Promise<string> {
  const text = await readFile(readme, 'utf8');
  const match = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (!match) throw new Error(`${readme} has no \`\`\`ts block after <!-- example: ${name} -->`);
  return match[1];
}

export interface NestedRun {
  passed: number;
  total: number;
  failures: string[];
  stderr: string;
}

export async function runNestedVitest(work: string, fileName: string, code: string): Promise<NestedRun> {
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  await writeFile(`${work}${fileName}`, code);
  await writeFile(
    `${work}vitest.config.mjs`,
    `export default { test: { include: ['${fileName}'], testTimeout: 30000 } };\n`,
  );
  const args = [
    'run',
    '--root',
    work,
    '--config',
    `${work}vitest.config.mjs`,
    '--reporter',
    'json',
    '--outputFile',
    `${work}result.json`,
  ];
  const run = await promisify(execFile)(process.execPath, [`${ROOT}node_modules/vitest/vitest.mjs`, ...args], {
    cwd: work,
    env: { ...process.env, CI: '1' },
  }).catch((error: { stdout?: string; stderr?: string }) => error);
  const result = JSON.parse(await readFile(`${work}result.json`, 'utf8').catch(() => '{}'));
  const failures = (result.testResults ?? [])
    .flatMap((file: any) => [file.message, ...file.assertionResults.flatMap((test: any) => test.failureMessages)])
    .filter(Boolean);
  return {
    passed: result.numPassedTests,
    total: result.numTotalTests,
    failures,
    stderr: 'stderr' in run ? (run.stderr ?? '') : '',
  };
}
