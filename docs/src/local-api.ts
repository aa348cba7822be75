/**
 * What the docs server (docs/serve.ts) adds to the static files, shared with the scripts of the pages
 * (landing.ts, try-it.ts). Paths are relative, so the pages work wherever the docs folder is mounted.
 *
 * - `__docs/local.json`: where the docs and the local mocks actually run (`LocalServers`).
 * - `__try/{mvo|tvm}/…`: forwarded as is to that local mock, and nowhere else. The "Try it" panel sends through
 *   it: same origin, so the mocks need no CORS and the browser never talks to another host.
 */

export const MOCK_APIS = ['mvo', 'tvm'] as const;
export type MockApi = (typeof MOCK_APIS)[number];

export const LOCAL_SERVERS_PATH = '__docs/local.json';
export const TRY_IT_PREFIX = '__try/';

export type LocalServers = {
  /** This docs server's own origin. */
  docs: string;
  /** The origin of each mock the docs server forwards to; a mock that is not running is absent. */
  mocks: Partial<Record<MockApi, string>>;
};
