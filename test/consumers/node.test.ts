/**
 * A Node ESM project outside this repository, on Node 20, 22 and 24: both packages installed from their tarballs,
 * the mock started with `npx virtual-commerce-mock` on that Node (PATH puts it first for the bin's
 * `#!/usr/bin/env node`), and the SDK consumer (fixtures/sdk-consumer.ts, compiled to plain .mjs) calling it.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runtimeBinary } from '../../scripts/runtimes.ts';
import { consumerInputs, EXPECTED_RESULT } from './expected.ts';
import {
  createProject,
  FIXTURES,
  recordRows,
  sh,
  startInstalledMock,
  type MatrixRow,
  type Project,
} from './harness.ts';

const NODES: [string, () => string][] = [
  ['20', () => process.execPath],
  ['22', () => runtimeBinary('node22')],
  ['24', () => runtimeBinary('node24')],
];
let project: Project;
const rows: MatrixRow[] = [];

beforeAll(async () => {
  project = createProject('node-esm', { tarballs: ['sdk', 'mock'] });
  // Types stripped, imports left as they are: the installed packages resolve at run time, as in any project.
  await build({
    entryPoints: [join(FIXTURES, 'run-consumer.ts')],
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: join(project.dir, 'consumer.mjs'),
    logLevel: 'silent',
  });
}, 180_000);

afterAll(() => {
  recordRows('node', rows);
  project?.remove();
});

it.each(NODES)(
  'Node %s: the SDK gets typed data and a typed 401 from `npx virtual-commerce-mock`',
  async (major, binary) => {
    const node = binary();
    expect(sh(node, ['--version'], project.dir)).toMatch(new RegExp(`^v${major}\\.`));
    const mock = await startInstalledMock(project.dir, node);
    try {
      const output = sh(node, ['consumer.mjs'], project.dir, {
        ...process.env,
        CONSUMER_INPUTS: JSON.stringify(await consumerInputs(project.dir, mock)),
      });
      const result = JSON.parse(output);
      expect(result.runtime).toMatch(new RegExp(`^node ${major}\\.`));
      expect(result).toMatchObject(EXPECTED_RESULT);
      rows.push({
        row: 'Node ESM: SDK against npx virtual-commerce-mock',
        runtime: result.runtime,
        installMs: project.installMs,
        result: 'pass',
      });
    } finally {
      await mock.stop();
    }
  },
  120_000,
);
