import { defineConfig } from 'vitest/config';

/**
 * Six slices of one suite (`npm test` runs them all):
 * - `fast` and `fast-isolated` (`npm run test:fast` runs both): everything that needs no browser, no packed
 *   tarball, no other runtime and no long-lived child process. `fast` runs its files one after another in shared
 *   workers, each file's modules imported once per worker, not once per file (a new process per file cost more
 *   than the tests themselves); `fast-isolated` holds the files that replace a module (`vi.mock`) or assert what a
 *   fresh process has loaded, and so need a process of their own;
 * - `types`: the type-level tests (`*.test-d.ts`) under tsc;
 * - `e2e`: whole programs as child processes: `npm start`, the CLI killed and restarted on a state file, two
 *   replicas on redis-server, the READMEs' examples under a nested vitest, Prism and Spectral over the specs;
 * - `browser`: Chromium (the docs, MSW in a page, CORS from a page);
 * - `packages`: the packed tarballs in fresh projects (Node 20/22/24, Bun, Deno, workerd, TypeScript) and the
 *   third-party generators.
 * `npx vitest run --project <name>` runs one. Time limits are hang guards, never budgets: a test waits on what
 * the page or process does, and a limit is reached only when something hangs.
 */
const FAST = ['test/**/*.test.ts', 'mock-server/src/**/*.test.ts', 'sdk/src/**/*.test.ts'];
const BROWSER = [
  'test/browser/**/*.test.ts',
  'test/docs/browser.test.ts',
  'test/docs/reader.test.ts',
  'test/docs/no-javascript-browser.test.ts',
];
const PACKAGES = ['test/consumers/**/*.test.ts', 'test/interop/generators.test.ts', 'test/sdk/pack.test.ts'];
/** Files that need a process of their own: a module replaced with `vi.mock`, or what a fresh process has loaded. */
const ISOLATED = ['test/mock/security-alternatives.test.ts', 'mock-server/src/pipeline/ajv.test.ts'];
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
          include: FAST,
          exclude: [...BROWSER, ...PACKAGES, ...E2E, ...ISOLATED],
          // Files share workers: each file restores what it changes (env, globals, spies, MSW's listening), and
          // the ones that cannot share a process are in ISOLATED. Two workers: most tests wait on sockets and
          // child processes, so two keep both cores busy (vitest's default here would be one).
          isolate: false,
          maxWorkers: 2,
        },
      },
      { extends: true, test: { name: 'fast-isolated', include: ISOLATED, maxWorkers: 2 } },
      {
        extends: true,
        test: {
          name: 'types',
          include: [],
          maxWorkers: 2,
          typecheck: { enabled: true, only: true, include: ['test/**/*.test-d.ts'] },
        },
      },
      // Whole programs under a loaded machine take what they take (compacting a sandbox's log of 13,000 offers:
      // 20 s alone, 40 s beside other suites): the limit is a hang guard, as for the browser.
      // These three run after the others (group 1), one file at a time: vitest's default of one worker on two cores.
      {
        extends: true,
        test: { name: 'e2e', include: E2E, testTimeout: 300_000, hookTimeout: 300_000, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 1 },
        },
      },
      { extends: true, test: { name: 'packages', include: PACKAGES, sequence: { groupOrder: 1 } } },
    ],
  },
});
