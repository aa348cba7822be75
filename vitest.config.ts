import { defineConfig } from 'vitest/config';

/**
 * Three slices of one suite (`npm test` runs them all):
 * - `fast`: everything that needs no browser, no packed tarball and no other runtime (`npm run test:fast`);
 * - `browser`: Chromium (the docs, MSW in a page, CORS from a page);
 * - `packages`: the packed tarballs in fresh projects (Node 20/22/24, Bun, Deno, workerd, TypeScript) and the
 *   third-party generators.
 * `npx vitest run --project <name>` runs one. Time limits are hang guards, never budgets: a test waits on what
 * the page or process does, and a limit is reached only when something hangs.
 */
const BROWSER = ['test/browser/**/*.test.ts', 'test/docs/browser.test.ts', 'test/docs/reader.test.ts', 'test/docs/no-javascript-browser.test.ts'];
const PACKAGES = ['test/consumers/**/*.test.ts', 'test/interop/generators.test.ts', 'test/sdk/pack.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts', 'mock-server/src/**/*.test.ts', 'sdk/src/**/*.test.ts'],
          exclude: [...BROWSER, ...PACKAGES],
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
        },
      },
      { extends: true, test: { name: 'browser', include: BROWSER, testTimeout: 300_000, hookTimeout: 300_000 } },
      { extends: true, test: { name: 'packages', include: PACKAGES } },
    ],
  },
});
