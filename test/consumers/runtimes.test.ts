/**
 * The SDK on the other runtimes integrators use: Bun and Deno run fixtures/sdk-consumer.ts as TypeScript (Deno
 * type-checks it first, so its `@ts-expect-error` lines must hold), and Cloudflare's workerd runs it bundled as a
 * Worker (`workerd test`, outbound network limited to loopback). Each calls the mock, started from the installed
 * tarball with `npx virtual-commerce-mock`, and must get typed data and a typed 401. Each runtime comes from npm
 * (scripts/runtimes.ts caches it).
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIMES, runtimeBinary } from '../../scripts/runtimes.ts';
import { consumerInputs, EXPECTED_RESULT } from './expected.ts';
import {
  createProject,
  FIXTURES,
  recordRows,
  sh,
  startInstalledMock,
  type MatrixRow,
  type Project,
  type RunningMock,
} from './harness.ts';

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
    const bun = runtimeBinary('bun');
    check(
      sh(bun, ['run-consumer.ts'], project.dir, {
        ...process.env,
        CONSUMER_INPUTS: inputs,
        BUN_INSTALL_CACHE_DIR: join(project.dir, '.bun-cache'),
      }),
      /^bun 1\./,
    );
  }, 120_000);

  it(`Deno ${RUNTIMES.deno.version} type-checks and runs the TypeScript consumer with loopback-only permissions`, () => {
    const deno = runtimeBinary('deno');
    const args = [
      'run',
      '--check',
      '--allow-net=127.0.0.1',
      '--allow-env=CONSUMER_INPUTS',
      '--allow-read=.',
      'run-consumer.ts',
    ];
    check(
      sh(deno, args, project.dir, {
        ...process.env,
        CONSUMER_INPUTS: inputs,
        DENO_DIR: join(project.dir, '.deno'),
        DENO_NO_UPDATE_CHECK: '1',
        NO_COLOR: '1',
      }),
      /^deno 2\./,
    );
  }, 120_000);

  it(`workerd ${RUNTIMES.workerd.version} runs the consumer bundled as a Worker`, async () => {
    await build({
      entryPoints: [join(project.dir, 'worker.ts')],
      absWorkingDir: project.dir,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['workerd', 'worker', 'browser'],
      target: 'es2022',
      outfile: join(project.dir, 'worker.mjs'),
      logLevel: 'silent',
    });
    writeFileSync(
      join(project.dir, 'config.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs")],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
  bindings = [(name = "CONSUMER_INPUTS", text = ${JSON.stringify(inputs)})],
);
`,
    );
    check(sh(runtimeBinary('workerd'), ['test', 'config.capnp'], project.dir), /^workerd$/);
  }, 120_000);
});
