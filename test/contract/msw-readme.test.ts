/**
 * mock-server/README.md's MSW examples cannot rot: the vitest example is written out and run by a
 * nested vitest (SDK import pointed at the SDK source), and the browser example must bundle for the
 * browser with no Node built-in.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../browser/bundle.ts';
import { readmeExample, runNestedVitest } from '../helpers/readme-examples.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = `${ROOT}mock-server/README.md`;
const WORK = `${ROOT}.tmp/msw-readme/`;

const example = (name: string) => readmeExample(README, name);

describe('mock-server/README.md, section MSW', () => {
  it('runs the vitest example as written', async () => {
    const code = (await example('vitest')).replace("'virtual-commerce-sdk/tvm'", `'${ROOT}sdk/src/tvm/index.ts'`);
    expect(code).toContain("from 'virtual-commerce-mock/msw'");
    const run = await runNestedVitest(WORK, 'readme-msw.test.ts', code);
    expect(run.failures, run.stderr).toEqual([]);
    expect([run.passed, run.total]).toEqual([3, 3]);
  });

  it('bundles the browser example for the browser', async () => {
    const bundle = await bundleForBrowser({ contents: await example('browser'), resolveDir: ROOT });
    expect(bundle.nodeImports).toEqual([]);
    expect(Object.keys(bundle.metafile.inputs)).toEqual(
      expect.arrayContaining([expect.stringMatching(/mock-server\/dist\/msw\/browser\.js$/)]),
    );
  });
});
