/**
 * The vitest examples of mock-server/README.md (the MSW section's and the frontend section's), as written, in a fresh project that installed both packages from
 * their tarballs plus msw and vitest from npm: what a frontend team copies on day one must pass.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProject, PINNED, recordRows, ROOT, type MatrixRow, type Project } from './harness.ts';

/** The ```ts block right after `<!-- example: <name> -->` in mock-server/README.md. */
function readmeExample(name: string): string {
  const text = readFileSync(join(ROOT, 'mock-server/README.md'), 'utf8');
  const match = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (!match) throw new Error(`mock-server/README.md has no \`\`\`ts block after <!-- example: ${name} -->`);
  return match[1];
}

let project: Project;
const rows: MatrixRow[] = [];

beforeAll(() => {
  project = createProject('vitest-readme', {
    tarballs: ['sdk', 'mock'],
    extra: [`msw@${PINNED.msw}`, `vitest@${PINNED.vitest}`],
    files: { 'readme.test.ts': readmeExample('vitest'), 'frontend.test.ts': readmeExample('frontend-vitest') },
  });
}, 180_000);

afterAll(() => {
  recordRows('vitest-readme', rows);
  project?.remove();
});

it("passes as written, run by the project's own vitest", () => {
  // The outer vitest's variables would make the inner one think it is a worker of this run.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_OPTIONS'),
  );
  const run = spawnSync('npx', ['vitest', 'run', '--reporter=json', '--outputFile=result.json'], {
    cwd: project.dir,
    encoding: 'utf8',
    env: { ...env, CI: '1' },
  });
  const result = JSON.parse(readFileSync(join(project.dir, 'result.json'), 'utf8'));
  const failures = result.testResults
    .flatMap((file: { message?: string; assertionResults: { failureMessages: string[] }[] }) => [
      file.message,
      ...file.assertionResults.flatMap((test) => test.failureMessages),
    ])
    .filter(Boolean);
  expect(failures).toEqual([]);
  expect(result.numPassedTests).toBe(3 + 3);
  expect(run.status).toBe(0);
  rows.push({
    row: "mock-server README's vitest examples",
    runtime: `vitest ${PINNED.vitest}, node ${process.versions.node}`,
    installMs: project.installMs,
    result: 'pass',
  });
}, 120_000);
