/** The browser entry bundles for `platform: 'browser'` with no Node built-in anywhere in its graph. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from './bundle.ts';

const ENTRY = fileURLToPath(new URL('../../mock-server/src/msw/browser.ts', import.meta.url));

describe('mock-server/src/msw/browser.ts', () => {
  it('bundles for the browser without any node: import or Node built-in', async () => {
    const bundle = await bundleForBrowser({ file: ENTRY });
    expect(bundle.nodeImports).toEqual([]);
    expect(bundle.code).not.toMatch(/\bfrom\s*["']node:|\brequire\(\s*["'](node:)?(fs|path|http|crypto|stream|buffer|util)["']\)/);
    // The graph really contains the pipeline and msw's browser build (not an empty stub).
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs).toEqual(expect.arrayContaining([expect.stringMatching(/mock-server\/src\/pipeline\/pipeline\.ts$/), expect.stringMatching(/msw\/lib\/browser\//)]));
  });

  it('would notice a Node built-in sneaking in', async () => {
    const bundle = await bundleForBrowser({
      contents: "import { createTvmHandlers } from '../../mock-server/src/msw/browser.ts'; import { readFileSync } from 'node:fs'; import 'crypto'; console.log(createTvmHandlers, readFileSync);",
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
    });
    expect(bundle.nodeImports).toEqual(['<stdin> → node:fs', '<stdin> → crypto']);
  });
});
