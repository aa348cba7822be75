/**
 * The SDK on the other runtimes integrators use: Bun and Deno run fixtures/sdk-consumer.ts as TypeScript (Deno
 * type-checks it first, so its `@ts-expect-error` lines must hold), and Cloudflare's workerd runs it bundled as a
 * Worker (`workerd test`, outbound network limited to loopback). Each calls the mock, started from the installed
 * tarball with `npx virtual-commerce-mock`, and must get typed data and a typed 401. Each runtime comes from npm
 * (scripts/runtimes.ts caches it).
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIMES } from '../../scripts/runtimes.ts';
import { consumerInputs, EXPECTED_RESULT } from './expected.ts';
import {
  createProject,
  FIXTURES,
  recordRows,
  startInstalledMock,
  type MatrixRow,
  type Project,
  type RunningMock,
} from './harness.ts';
import { onBun, onDeno, onWorkerd } from './runners.ts';

let project: Project;
let mock: RunningMock;
let inputs: string;
const rows: MatrixRow[] = [];

beforeAll(async () => {
  project = createProject('runtimes', { tarballs: ['sdk', 'mock'] });
  for (const file of ['sdk-consumer.ts', 'run-consumer.ts', 'worker.ts'])
    copyFileSync(join(FIXTURES, file), join(project.dir, file));
  mock = await startInstalledMock(project.dir);
  inputs = JSON.stringify(await consumerInputs(project.dir, mock));
}, 180_000);

afterAll(async () => {
  await mock?.stop();
  recordRows('runtimes', rows);
  project?.remove();
});

function check(output: string, runtime: RegExp): void {
  const result = JSON.parse(output.trim().split('\n').at(-1)!);
  expect(result.runtime).toMatch(runtime);
  expect(result).toMatchObject(EXPECTED_RESULT);
  rows.push({
    row: 'SDK against the mock on loopback',
    runtime: result.runtime,
    installMs: project.installMs,
    result: 'pass',
  });
}

describe('the SDK on other runtimes', () => {
  it(`Bun ${RUNTIMES.bun.version} runs the TypeScript consumer`, () => {
    check(onBun(project, 'run-consumer.ts', { CONSUMER_INPUTS: inputs }), /^bun 1\./);
  }, 120_000);

  it(`Deno ${RUNTIMES.deno.version} type-checks and runs the TypeScript consumer with loopback-only permissions`, () => {
    const args = [
      'run',
      '--check',
      '--allow-net=127.0.0.1',
      '--allow-env=CONSUMER_INPUTS',
      '--allow-read=.',
      'run-consumer.ts',
    ];
    check(onDeno(project, args, { CONSUMER_INPUTS: inputs }), /^deno 2\./);
  }, 120_000);

  it(`workerd ${RUNTIMES.workerd.version} runs the consumer bundled as a Worker`, async () => {
    check(
      await onWorkerd(project, 'worker.ts', { loopback: true, bindings: { CONSUMER_INPUTS: inputs } }),
      /^workerd$/,
    );
  }, 120_000);
});
