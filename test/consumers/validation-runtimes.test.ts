/**
 * The mock's request validators are Ajv standalone code compiled at build time (scripts/validators.ts), which
 * imports ajv's CommonJS runtime helpers and ajv-formats' format table. Each runtime hands CommonJS over to ESM
 * its own way; this runs the installed tarball's MSW entry on Node and Bun, and its pipeline (what the handlers
 * call) on Deno and workerd (bundled as a Worker), and expects every validation answer byte for byte as the sources give them in this process.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sources from '../../mock-server/src/msw/index.ts';
import { RUNTIMES } from '../../scripts/runtimes.ts';
import { validationAnswers } from './fixtures/validation-consumer.ts';
import { createProject, FIXTURES, sh, type Project } from './harness.ts';
import { onBun, onDeno, onWorkerd } from './runners.ts';

let project: Project;
let expected: string[];

beforeAll(async () => {
  project = createProject('validation-runtimes', { tarballs: ['mock'], extra: ['msw@2.15.0'] });
  for (const file of [
    'validation-consumer.ts',
    'run-validation.ts',
    'run-validation-pipeline.ts',
    'run-validation-deno.ts',
    'validation-worker.ts',
  ])
    copyFileSync(join(FIXTURES, file), join(project.dir, file));
  expected = await validationAnswers(sources);
}, 180_000);

afterAll(() => project?.remove());

const answers = (output: string) => JSON.parse(output.trim().split('\n').at(-1)!) as string[];

describe('precompiled request validators from the packed tarball', () => {
  it("answer invalid requests in both APIs' words (the sources, in this process)", () => {
    expect(expected).toHaveLength(4);
    expect(expected[0]).toContain('"field":"startsAt","message":"Must be an ISO 8601 date or date-time"');
    expect(expected[0]).toContain('"field":"imageUrl","message":"Must be a valid URL"');
    expect(expected[2]).toContain('body/email must match format \\"email\\"');
  });

  it('Node, bundled with the package external (resolved from node_modules at run time)', async () => {
    await build({
      entryPoints: [join(project.dir, 'run-validation.ts')],
      absWorkingDir: project.dir,
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      outfile: join(project.dir, 'run-validation.mjs'),
      logLevel: 'silent',
    });
    expect(answers(sh(process.execPath, ['run-validation.mjs'], project.dir))).toEqual(expected);
  }, 120_000);

  it(`Bun ${RUNTIMES.bun.version}`, () => {
    expect(answers(onBun(project, 'run-validation.ts'))).toEqual(expected);
  }, 120_000);

  it(`Deno ${RUNTIMES.deno.version}, the pipeline as shipped`, () => {
    const args = ['run', '--allow-read=.', '--allow-env', 'run-validation-deno.ts'];
    expect(answers(onDeno(project, args))).toEqual(expected);
  }, 120_000);

  it(`workerd ${RUNTIMES.workerd.version}, the pipeline as shipped bundled as a Worker (msw needs localStorage there)`, async () => {
    expect(answers(await onWorkerd(project, 'validation-worker.ts'))).toEqual(expected);
  }, 120_000);
});
