import { defineConfig } from 'vitest/config';

/**
 * Four slices of one suite (`npm test` runs them all):
 * - `fast`: everything that needs no browser, no packed tarball, no other runtime and no long-lived child
 *   process (`npm run test:fast`);
 * - `e2e`: whole programs as child processes: `npm start`, the CLI killed and restarted on a state file, two
 *   replicas on redis-server, the READMEs' examples under a nested vitest, Prism and Spectral over the specs;
 * - `browser`: Chromium (the docs, MSW in a page, CORS from a page);
 * - `packages`: the packed tarballs in fresh projects (Node 20/22/24, Bun, Deno, workerd, TypeScript) and the
 *   third-party generators.
 * `npx vitest run --project <name>` runs one. Time limits are hang guards, never budgets: a test waits on what
 * the page or process does, and a limit is reached only when something hangs.
 */
const BROWSER = [
  'test/browser/**/*.test.ts',
  'test/docs/browser.test.ts',
  'test/docs/reader.test.ts',
  'test/docs/no-javascript-browser.test.ts',
];
const PACKAGES = ['test/consumers/**/*.test.ts', 'test/interop/generators.test.ts', 'test/sdk/pack.test.ts'];
const E2E = [
  'test/start/npm-start.test.ts',
  'test/frontend/durable-state.test.ts',
  'test/frontend/persistence.test.ts',
  'test/frontend/readme-frontend.test.ts',
  'test/sandbox/**/*.test.ts',
  'test/contract/msw-readme.test.ts',
  'test/interop/spectral.test.ts',
  'test/mock/prism-oracle.test.ts',
];

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
          exclude: [...BROWSER, ...PACKAGES, ...E2E],
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
        },
      },
      // Whole programs under a loaded machine take what they take (compacting a sandbox's log of 13,000 offers:
      // 20 s alone, 40 s beside other suites): the limit is a hang guard, as for the browser.
      { extends: true, test: { name: 'e2e', include: E2E, testTimeout: 300_000, hookTimeout: 300_000 } },
      { extends: true, test: { name: 'browser', include: BROWSER, testTimeout: 300_000, hookTimeout: 300_000 } },
      { extends: true, test: { name: 'packages', include: PACKAGES } },
    ],
  },
});
