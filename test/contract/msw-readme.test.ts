/**
 * mock-server/README.md's MSW examples cannot rot: the vitest example is written out and run by a
 * nested vitest (SDK import pointed at the SDK source), and the browser example must bundle for the
 * browser with no Node built-in.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../browser/bundle.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = `${ROOT}mock-server/README.md`;
const WORK = `${ROOT}.tmp/msw-readme/`;

/** The ```ts block right after `<!-- example: name -->`. */
async function example(name: string): Promise<string> {
  const text = await readFile(README, 'utf8');
  const match = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (!match) throw new Error(`mock-server/README.md has no \`\`\`ts block after <!-- example: ${name} -->`);
  return match[1];
}

describe('mock-server/README.md, section MSW', () => {
  it('runs the vitest example as written', async () => {
    const code = (await example('vitest')).replace("'virtual-commerce-sdk/tvm'", `'${ROOT}sdk/src/tvm/index.ts'`);
    expect(code).toContain("from 'virtual-commerce-mock/msw'");
    await rm(WORK, { recursive: true, force: true });
    await mkdir(WORK, { recursive: true });
    await writeFile(`${WORK}readme-msw.test.ts`, code);
    // Its own config, or vitest would find the repository's (whose include does not reach .tmp/).
    await writeFile(`${WORK}vitest.config.mjs`, "export default { test: { include: ['readme-msw.test.ts'], testTimeout: 30000 } };\n");
    const args = ['run', '--root', WORK, '--config', `${WORK}vitest.config.mjs`, '--reporter', 'json', '--outputFile', `${WORK}result.json`];
    const run = await promisify(execFile)(process.execPath, [`${ROOT}node_modules/vitest/vitest.mjs`, ...args], {
      cwd: WORK,
      env: { ...process.env, CI: '1' },
    }).catch((error: { stdout?: string; stderr?: string }) => error);
    const result = JSON.parse(await readFile(`${WORK}result.json`, 'utf8').catch(() => '{}'));
    const failures = (result.testResults ?? []).flatMap((file: any) => [file.message, ...file.assertionResults.flatMap((test: any) => test.failureMessages)]).filter(Boolean);
    expect(failures, `${'stderr' in run ? run.stderr : ''}`).toEqual([]);
    expect([result.numPassedTests, result.numTotalTests]).toEqual([3, 3]);
  });

  it('bundles the browser example for the browser', async () => {
    const bundle = await bundleForBrowser({ contents: await example('browser'), resolveDir: ROOT });
    expect(bundle.nodeImports).toEqual([]);
    expect(Object.keys(bundle.metafile.inputs)).toEqual(expect.arrayContaining([expect.stringMatching(/mock-server\/dist\/msw\/browser\.js$/)]));
  });
});
