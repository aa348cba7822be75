/**
 * The browser entry bundles for `platform: 'browser'` with no Node built-in anywhere in its graph, and adds at most
 * 60 kB gzip to a web app's first load, measured on the packed tarball as an app would install it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browserFirstLoad, FIRST_LOAD_BUDGET_GZIP } from '../../scripts/browser-size.ts';
import { packedTarballs, ROOT } from '../consumers/harness.ts';
import { bundleForBrowser } from './bundle.ts';

const ENTRY = fileURLToPath(new URL('../../mock-server/src/msw/browser.ts', import.meta.url));

describe('mock-server/src/msw/browser.ts', () => {
  it('bundles for the browser without any node: import or Node built-in', async () => {
    const bundle = await bundleForBrowser({ file: ENTRY });
    expect(bundle.nodeImports).toEqual([]);
    expect(bundle.code).not.toMatch(
      /\bfrom\s*["']node:|\brequire\(\s*["'](node:)?(fs|path|http|crypto|stream|buffer|util)["']\)/,
    );
    // The graph really contains the pipeline and msw's browser build (not an empty stub).
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/mock-server\/src\/pipeline\/pipeline\.ts$/),
        expect.stringMatching(/msw\/lib\/browser\//),
      ]),
    );
  });

  it('would notice a Node built-in sneaking in', async () => {
    const bundle = await bundleForBrowser({
      contents:
        "import { createTvmHandlers } from '../../mock-server/src/msw/browser.ts'; import { readFileSync } from 'node:fs'; import 'crypto'; console.log(createTvmHandlers, readFileSync);",
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
    });
    expect(bundle.nodeImports).toEqual(['<stdin> → node:fs', '<stdin> → crypto']);
  });
});

describe('virtual-commerce-mock/msw/browser from the packed tarball, in a minimal esbuild app', () => {
  it(`adds at most ${FIRST_LOAD_BUDGET_GZIP / 1000} kB gzip to the first load (msw excluded); Ajv and faker's locale load later`, async () => {
    const tarball = packedTarballs().mock;
    // Inside the checkout, so the package's own dependencies (rou3, ajv, faker) resolve from its node_modules, as npm would install them.
    mkdirSync(`${ROOT}.tmp`, { recursive: true });
    const app = mkdtempSync(`${ROOT}.tmp/browser-size-`);
    try {
      const installed = `${app}/node_modules/virtual-commerce-mock`;
      mkdirSync(installed, { recursive: true });
      execFileSync('tar', ['-xzf', tarball.file, '-C', installed, '--strip-components=1']);
      const size = await browserFirstLoad(app);
      console.log(
        `virtual-commerce-mock/msw/browser: ${size.firstLoadGzip} B gzip on the first load, ${size.lazyGzip} B later (${size.chunks.length} chunks)`,
      );
      // The bundle is the tarball's (its dist), not this checkout's sources.
      expect(size.chunks.length).toBeGreaterThan(2);
      expect(size.firstLoadGzip).toBeGreaterThan(10_000); // the pipeline and the specs are really in it
      expect(size.firstLoadGzip).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_GZIP);
      // faker's English locale alone is over 100 kB gzip: it must be in a lazy chunk.
      expect(size.chunks.filter((chunk) => !chunk.firstLoad).some((chunk) => chunk.gzip > 100_000)).toBe(true);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});
