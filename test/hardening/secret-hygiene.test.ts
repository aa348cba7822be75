/**
 * Secret hygiene over one realistic session: both mock servers with their request log captured, the SDK with
 * good and bad keys (malformed, the other API's, revoked, disabled, missing scope, minted then revoked and
 * deleted, timeouts against a server that never answers, a refused connection), failing requests, and the
 * control API (mint, list, patch, delete). Everything the session shows is collected: log lines, console
 * output, thrown errors (message, stack, JSON.stringify, util.inspect, every own property), results, clients
 * through util.inspect and JSON, listing bodies, the key stores, the built docs, and every committed file
 * outside mock-server/src/fixtures. No whole key (fixture or minted) may appear in any of it.
 *
 * That the stores keep SHA-256 digests rather than keys is unit-tested in test/mock/auth-unit.test.ts
 * ("keeps digests, not keys, and finds a key by its digest"); here the live stores are inspected whole.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { inspect, promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FIXTURE_KEYS, fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import type { Mock } from '../../mock-server/src/pipeline/pipeline.ts';
import { createMvoClient } from '../../sdk/src/mvo/index.ts';
import { createTvmClient } from '../../sdk/src/tvm/index.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const CUSTOMER_ID = '550e8400-e29b-41d4-a716-446655440000';

/** Everything the session showed, each with where it came from. */
const seen: { where: string; text: string }[] = [];
const show = (where: string, value: unknown) =>
  seen.push({ where, text: typeof value === 'string' ? value : inspect(value, { depth: 10, showHidden: true }) });
/** Every whole key of the session: the fixtures, then each minted key. */
const secrets = new Map<string, string>();
for (const api of ['mvo', 'tvm'] as const)
  for (const seed of FIXTURE_KEYS[api]) secrets.set(seed.key!, `fixture ${seed.id}`);

function leaksIn(texts: readonly { where: string; text: string }[]): string[] {
  return texts.flatMap(({ where, text }) =>
    [...secrets].filter(([key]) => text.includes(key)).map(([, label]) => `${label} in ${where}`),
  );
}

/** Every string reachable from a thrown value: message, stack, own properties, the cause chain. */
function showError(where: string, error: unknown, depth = 0) {
  show(`${where} (inspect)`, error);
  if (!(error instanceof Error) || depth > 3) return;
  show(`${where} (message)`, error.message);
  show(`${where} (stack)`, String(error.stack));
  show(`${where} (JSON own names)`, JSON.stringify(error, Object.getOwnPropertyNames(error)));
  show(`${where} (JSON)`, JSON.stringify(error) ?? '');
  for (const name of Object.getOwnPropertyNames(error)) {
    const value = (error as unknown as Record<string, unknown>)[name];
    if (name === 'cause') showError(`${where} cause`, value, depth + 1);
    else show(`${where} .${name}`, typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
  }
}

async function thrown(where: string, action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    showError(where, error);
    return error;
  }
  throw new Error(`${where}: expected a throw`);
}

/** An openapi-fetch result: its data or error body, status, and the whole result through inspect. */
async function result(
  where: string,
  call: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<number> {
  const outcome = await call;
  show(`${where} (JSON)`, JSON.stringify({ data: outcome.data, error: outcome.error }));
  show(`${where} (inspect)`, outcome);
  show(`${where} (response headers)`, JSON.stringify([...outcome.response.headers]));
  return outcome.response.status;
}

let mvo: MockServer;
let tvm: MockServer;
let silent: Server;
let silentUrl = '';
const silentSockets = new Set<Socket>();

async function control(
  server: MockServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${server.url}/__mock${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  // The mint answer is the one documented place a whole key is shown (once, like the dashboards): left out.
  const shown =
    method === 'POST' && path === '/keys' && typeof json?.key === 'string'
      ? text.replace(json.key, '<the minted key>')
      : text;
  show(`control ${server.api} ${method} ${path} → ${response.status}`, shown);
  return { status: response.status, json };
}

async function mint(server: MockServer, body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const { status, json } = await control(server, 'POST', '/keys', body);
  expect(status).toBe(201);
  secrets.set(json.key, `minted ${server.api} ${json.id}`);
  return json;
}

beforeAll(async () => {
  for (const method of CONSOLE_METHODS) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) =>
      show(
        `console.${method}`,
        args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 10 }))).join(' '),
      ),
    );
  }
  mvo = await startMockServer({ api: 'mvo', port: 0, rateLimits: 'headers', log: (line) => show('mvo log', line) });
  tvm = await startMockServer({ api: 'tvm', port: 0, rateLimits: 'headers', log: (line) => show('tvm log', line) });
  // Accepts connections and never answers: the SDK must time out without showing its key.
  silent = createServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
  if (!existsSync(`${ROOT}docs/dist/index.html`))
    await run(process.execPath, [`${ROOT}node_modules/tsx/dist/cli.mjs`, 'scripts/build-docs.ts'], {
      cwd: ROOT,
      timeout: 300_000,
    });
}, 320_000);

afterAll(async () => {
  vi.restoreAllMocks();
  for (const socket of silentSockets) socket.destroy();
  await Promise.all([mvo?.close(), tvm?.close(), new Promise((resolve) => silent?.close(resolve))]);
});

describe('one session', () => {
  it('runs: SDK calls with good and bad keys, timeouts, the control API', async () => {
    const fast = { maxRetries: 1, sleep: async () => {} };
    const mvoKey = fixtureKey('mvo', 'key_mvo_active');
    const tvmKey = fixtureKey('tvm', 'key_tvm_admin');

    // Good keys, both MVO headers; a failing body; an unknown route.
    for (const authHeader of ['x-api-key', 'bearer'] as const) {
      const client = createMvoClient({ apiKey: mvoKey, baseUrl: mvo.url, authHeader, ...fast });
      show(`MVO client ${authHeader} (inspect)`, client);
      show(`MVO client ${authHeader} (JSON)`, JSON.stringify(client));
      console.log('client ready', client);
      const created = await client.POST('/api/customers', {
        body: { first_name: 'John', last_name: 'Doe', email: `john.${authHeader}@example.com` },
      });
      show('MVO create', JSON.stringify(created.data));
      expect(created.response.status).toBe(201);
      expect(
        await result('MVO get', client.GET('/api/customers/{id}', { params: { path: { id: created.data!.id } } })),
      ).toBe(200);
      expect(
        await result(
          'MVO invalid body',
          client.POST('/api/customers', { body: { first_name: 'John', last_name: 'Doe', email: 'not an email' } }),
        ),
      ).toBe(400);
      expect(await result('MVO unknown route', (client as any).GET('/api/nowhere'))).toBe(404);
    }
    const tvmClient = createTvmClient({ apiKey: tvmKey, baseUrl: tvm.url, ...fast });
    show('TVM client (inspect)', tvmClient);
    show('TVM client (JSON)', JSON.stringify(tvmClient));
    console.info(tvmClient);
    expect(await result('TVM shop', tvmClient.GET('/v1/shop'))).toBe(200);
    expect(await result('TVM invalid offer', tvmClient.POST('/v1/offers', { body: { title: '' } }))).toBe(400);

    // Bad keys the SDK refuses at construction: malformed (a valid key with one character more), the other API's, none.
    await thrown('MVO malformed key', () => createMvoClient({ apiKey: `${mvoKey}x`, baseUrl: mvo.url }));
    await thrown('MVO key cut short', () => createMvoClient({ apiKey: mvoKey.slice(0, -1), baseUrl: mvo.url }));
    await thrown('TVM malformed key', () => createTvmClient({ apiKey: tvmKey.toUpperCase(), baseUrl: tvm.url }));
    await thrown('TVM client with an MVO key', () => createTvmClient({ apiKey: mvoKey, baseUrl: tvm.url }));
    await thrown('MVO client with a TVM key', () => createMvoClient({ apiKey: tvmKey, baseUrl: mvo.url }));

    // Bad keys the API refuses: revoked, expired, disabled, missing scope.
    const revoked = createMvoClient({ apiKey: fixtureKey('mvo', 'key_mvo_revoked'), baseUrl: mvo.url, ...fast });
    expect(
      await result('MVO revoked', revoked.GET('/api/customers/{id}', { params: { path: { id: CUSTOMER_ID } } })),
    ).toBe(401);
    const expired = createMvoClient({ apiKey: fixtureKey('mvo', 'key_mvo_expired'), baseUrl: mvo.url, ...fast });
    expect(
      await result('MVO expired', expired.GET('/api/customers/{id}', { params: { path: { id: CUSTOMER_ID } } })),
    ).toBe(401);
    const disabled = createTvmClient({ apiKey: fixtureKey('tvm', 'key_tvm_disabled'), baseUrl: tvm.url, ...fast });
    expect(await result('TVM disabled', disabled.GET('/v1/shop'))).toBe(403);
    const readonly = createTvmClient({ apiKey: fixtureKey('tvm', 'key_tvm_readonly'), baseUrl: tvm.url, ...fast });
    expect(await result('TVM missing scope', readonly.POST('/v1/offers', { body: { title: 'Ten off' } }))).toBe(403);
    show('TVM readonly client', readonly);

    // No answer at all: timeouts against a silent server, a refused connection.
    const timeoutMs = 300;
    for (const [name, client] of [
      ['MVO timeout', createMvoClient({ apiKey: mvoKey, baseUrl: silentUrl, timeoutMs, ...fast })],
      ['TVM timeout', createTvmClient({ apiKey: tvmKey, baseUrl: silentUrl, timeoutMs, ...fast })],
    ] as const) {
      const error = await thrown(name, () =>
        (client as any).GET(name.startsWith('MVO') ? '/api/customers/x' : '/v1/shop'),
      );
      expect((error as Error).name).toBe('TimeoutError');
    }
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    await thrown('TVM refused', () =>
      createTvmClient({ apiKey: tvmKey, baseUrl: `http://127.0.0.1:${closedPort}`, ...fast }).GET('/v1/shop'),
    );

    // The control API: mint, use, list, patch, use again, delete, use again.
    const mvoMinted = await mint(mvo, { name: 'Hygiene session' });
    const tvmMinted = await mint(tvm, { name: 'Hygiene offers', scopes: ['offers:read'] });
    const mintedMvo = createMvoClient({ apiKey: mvoMinted.key, baseUrl: mvo.url, ...fast });
    const mintedTvm = createTvmClient({ apiKey: tvmMinted.key, baseUrl: tvm.url, ...fast });
    show('minted MVO client', mintedMvo);
    show('minted TVM client', JSON.stringify(mintedTvm));
    expect(
      await result(
        'minted MVO create',
        mintedMvo.POST('/api/customers', {
          body: { first_name: 'Jane', last_name: 'Doe', email: 'jane.minted@example.com' },
        }),
      ),
    ).toBe(201);
    expect(await result('minted TVM missing scope', mintedTvm.GET('/v1/shop'))).toBe(403);
    expect((await control(mvo, 'GET', '/keys')).status).toBe(200);
    expect((await control(tvm, 'GET', '/keys')).status).toBe(200);
    expect((await control(mvo, 'PATCH', `/keys/${mvoMinted.id}`, { status: 'revoked' })).status).toBe(200);
    expect((await control(tvm, 'PATCH', `/keys/${tvmMinted.id}`, { status: 'disabled' })).status).toBe(200);
    expect(
      await result(
        'minted MVO revoked',
        mintedMvo.GET('/api/customers/{id}', { params: { path: { id: CUSTOMER_ID } } }),
      ),
    ).toBe(401);
    expect(await result('minted TVM disabled', mintedTvm.GET('/v1/shop'))).toBe(403);
    expect((await control(mvo, 'PATCH', `/keys/${mvoMinted.id}`, { status: 'disabled' })).status).toBe(400);
    expect((await control(mvo, 'DELETE', `/keys/${mvoMinted.id}`)).status).toBe(204);
    expect((await control(tvm, 'DELETE', `/keys/${tvmMinted.id}`)).status).toBe(204);
    expect(
      await result(
        'minted MVO deleted',
        mintedMvo.GET('/api/customers/{id}', { params: { path: { id: CUSTOMER_ID } } }),
      ),
    ).toBe(401);
    expect(await result('minted TVM deleted', mintedTvm.GET('/v1/shop'))).toBe(401);
    expect((await control(mvo, 'GET', '/keys')).status).toBe(200);
    expect((await control(tvm, 'GET', '/keys')).status).toBe(200);

    // Raw requests whose key is wrong by one character: the log masks what was sent.
    for (const [server, headers] of [
      [mvo, { 'x-api-key': `${mvoKey.slice(0, -1)}!` }],
      [tvm, { authorization: `Bearer ${tvmKey}${tvmKey}` }],
    ] as const) {
      const response = await fetch(
        `${server.url}${server.api === 'mvo' ? `/api/customers/${CUSTOMER_ID}` : '/v1/shop'}`,
        { headers },
      );
      show(`raw ${server.api} near-valid key`, await response.text());
    }

    // Keys by side doors: in the query, in the path, in echoed headers; then the journal that keeps requests.
    for (const [server, key, path] of [
      [mvo, mvoKey, `/api/customers/${CUSTOMER_ID}`],
      [tvm, tvmKey, '/v1/shop'],
    ] as const) {
      const auth: Record<string, string> =
        server.api === 'mvo' ? { 'x-api-key': key } : { authorization: `Bearer ${key}` };
      for (const [label, target, init] of [
        ['key in the query', `${path}?api_key=${key}`, { headers: auth }],
        ['key in the path', `/${server.api === 'mvo' ? 'api' : 'v1'}/${key}`, { headers: auth }],
        ['key run on in the path', `${path}/${key}${key}`, { headers: auth }],
        [
          'key as the Content-Type',
          server.api === 'mvo' ? '/api/customers' : '/v1/offers',
          { method: 'POST', headers: { ...auth, 'content-type': key }, body: '{}' },
        ],
        ['key in Prefer', path, { headers: { ...auth, prefer: `example=${key}` } }],
      ] as [string, string, RequestInit][]) {
        const response = await fetch(`${server.url}${target}`, init);
        show(`raw ${server.api} ${label} → ${response.status}`, await response.text());
      }
      expect((await control(server, 'GET', '/requests')).status).toBe(200);
      expect((await control(server, 'GET', `/requests?${key}=1`)).status).toBe(400);
      expect((await control(server, 'POST', '/scenarios', { status: 500, [key]: 1 })).status).toBe(400);
    }

    // What the stores hold, whole (the key store is not public, but it runs behind every server).
    const storeOf = (server: MockServer) => (server.mock as Mock).store;
    show('MVO store', storeOf(mvo));
    show('TVM store', storeOf(tvm));
    show('MVO store records (JSON)', JSON.stringify(storeOf(mvo).list()));
    show('TVM store records (JSON)', JSON.stringify(storeOf(tvm).list()));
  });

  it('collected every source: logs, console, errors, clients, listings, stores', () => {
    const sources = new Set(seen.map(({ where }) => where.split(' (')[0]));
    for (const expected of [
      'mvo log',
      'tvm log',
      'console.log',
      'console.info',
      'MVO timeout',
      'TVM refused',
      'MVO malformed key',
      'control mvo GET /keys → 200',
      'TVM store',
    ]) {
      expect(
        [...sources].some((source) => source.startsWith(expected)),
        expected,
      ).toBe(true);
    }
    expect(secrets.size).toBe(FIXTURE_KEYS.mvo.length + FIXTURE_KEYS.tvm.length + 2);
    expect(seen.filter(({ where }) => where.endsWith(' log')).length).toBeGreaterThan(20);
  });

  it('no whole key appears in anything the session showed', () => {
    // The detector itself can fail: a key planted in a copy of the session is found.
    const planted = [...secrets.keys()].at(-1)!;
    expect(leaksIn([...seen, { where: 'planted', text: `log line key=${planted}.` }])).toEqual([
      `${secrets.get(planted)} in planted`,
    ]);
    expect(leaksIn(seen)).toEqual([]);
  });
});

describe('at rest', () => {
  it('no whole key in the built docs', async () => {
    const files = (await readdir(`${ROOT}docs/dist`)).filter((name) => name.endsWith('.html'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const leaks: string[] = [];
    for (const name of files) {
      const html = await readFile(`${ROOT}docs/dist/${name}`, 'utf8');
      for (const [key, label] of secrets) if (html.includes(key)) leaks.push(`${label} in docs/dist/${name}`);
    }
    expect(leaks).toEqual([]);
  });

  it('no whole key in any committed file outside mock-server/src/fixtures', async () => {
    const { stdout } = await run('git', ['ls-files', '-z'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const files = stdout.split('\0').filter((path) => path && !path.startsWith('mock-server/src/fixtures/'));
    expect(files.length).toBeGreaterThan(50);
    const leaks: string[] = [];
    for (const path of files) {
      // Deleted in the working tree, or a symlink (committed as a link, not as content).
      if (!existsSync(`${ROOT}${path}`) || !(await lstat(`${ROOT}${path}`)).isFile()) continue;
      const text = (await readFile(`${ROOT}${path}`)).toString('latin1');
      for (const [key, label] of secrets) if (text.includes(key)) leaks.push(`${label} in ${path}`);
    }
    expect(leaks).toEqual([]);
  });
});
