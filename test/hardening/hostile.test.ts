/**
 * Hostile input (test/cases/hostile.ts) against the Node mock servers and the MSW handlers: every case gets
 * the status the table documents, a 4xx, in the API's own envelope (checked by test/helpers/conformance.ts),
 * without a hang; and the mock answers a valid request right after it. Raw-socket cases are Node only.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { createMswMock } from '../../mock-server/src/msw/index.ts';
import { startFromCli } from '../../mock-server/src/cli.ts';
import type { ApiName } from '../../mock-server/src/model/index.ts';
import {
  expectedStatus,
  HOSTILE_CASES,
  KEYS,
  VALID_REQUEST,
  type FetchCase,
  type RawCase,
  type Target,
} from '../cases/hostile.ts';
import { conformanceProblem } from '../helpers/conformance.ts';
import { sendChecked, type Answer } from '../helpers/mock.ts';

/** Taken before MSW patches the global: Node-side requests go over a real socket. */
const realFetch = globalThis.fetch;
const MSW_BASE: Record<ApiName, string> = { mvo: 'http://mvo.hostile.test', tvm: 'http://tvm.hostile.test' };
/** Far longer than any case needs on a loaded machine; reaching it means the mock hung. */
const HANG_MS = 20_000;

const servers = {} as Record<ApiName, MockServer>;
const logs: string[] = [];
const interceptor = setupServer(
  ...createMswMock('mvo', { baseUrl: MSW_BASE.mvo, rateLimits: 'headers' }).handlers,
  ...createMswMock('tvm', { baseUrl: MSW_BASE.tvm, rateLimits: 'headers' }).handlers,
);

beforeAll(async () => {
  for (const api of ['mvo', 'tvm'] as const) {
    servers[api] = await startMockServer({
      api,
      port: 0,
      rateLimits: 'headers',
      log: (line) => logs.push(`${api} ${line}`),
    });
  }
  interceptor.listen({ onUnhandledRequest: 'error' });
});
afterAll(async () => {
  interceptor.close();
  await Promise.all(Object.values(servers).map((server) => server.close()));
});

function baseUrl(api: ApiName, target: Target): string {
  return target === 'node' ? servers[api].url : MSW_BASE[api];
}

function fetcherFor(target: Target): typeof fetch {
  return target === 'node' ? realFetch : (input, init) => globalThis.fetch(input, init);
}

/** The API's own error envelope (its control API's too: openapi/mock/ says each mock answers in its API's). */
function expectEnvelope(api: ApiName, body: any) {
  if (api === 'tvm') {
    expect(body).toMatchObject({ success: false, error: { code: expect.any(String), message: expect.any(String) } });
  } else {
    expect(Object.keys(body ?? {}).sort()).toEqual(['error', 'message']);
    expect(body).toEqual({ error: expect.any(String), message: expect.any(String) });
  }
}

async function expectStillServing(api: ApiName, target: Target) {
  const { path, headers } = VALID_REQUEST[api];
  const answer = await sendChecked(
    api,
    baseUrl(api, target),
    path,
    { headers, signal: AbortSignal.timeout(HANG_MS) },
    fetcherFor(target),
  );
  expect(answer.status, 'a valid request right after the case').toBe(200);
}

async function sendFetchCase(c: FetchCase, target: Target): Promise<Answer> {
  const headers = new Headers();
  for (const [name, value] of c.headers ?? []) headers.append(name, value);
  return sendChecked(
    c.api,
    baseUrl(c.api, target),
    c.path,
    { method: c.method, headers, body: c.body as BodyInit | undefined, signal: AbortSignal.timeout(HANG_MS) },
    fetcherFor(target),
  );
}

interface RawAnswer {
  status: number;
  head: string;
  text: string;
}

/** Writes the bytes, half-closes, and reads until the server closes (or fails after HANG_MS). */
export function sendRaw(port: number, bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no answer within ${HANG_MS} ms; got ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 200))}`,
        ),
      );
    }, HANG_MS);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => {
      // A reset after the answer was read is fine (the server closed first); before it is a failure.
      if (!chunks.length) {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks).toString('latin1');
      const split = all.indexOf('\r\n\r\n');
      const head = split === -1 ? all : all.slice(0, split);
      const status = Number(/^HTTP\/1\.[01] (\d{3}) /.exec(head)?.[1] ?? NaN);
      resolve({ status, head, text: split === -1 ? '' : Buffer.from(all.slice(split + 4), 'latin1').toString('utf8') });
    });
    socket.write(Buffer.from(bytes, 'latin1'));
    socket.end();
  });
}

const fetchCases = HOSTILE_CASES.filter((c): c is FetchCase => c.kind === 'fetch');
const rawCases = HOSTILE_CASES.filter((c): c is RawCase => c.kind === 'raw');

it('has at least 60 cases, each documenting a 4xx on every target', () => {
  expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(60);
  for (const c of HOSTILE_CASES) {
    for (const target of c.kind === 'raw' ? (['node'] as const) : (['node', 'msw'] as const)) {
      const status = expectedStatus(c, target);
      expect(status >= 400 && status < 500, `${c.name} (${target}) → ${status}`).toBe(true);
    }
  }
});

describe.each(['node', 'msw'] as const)('%s: hostile requests through fetch', (target) => {
  it.each(fetchCases.map((c) => [`${c.api}: ${c.name}`, c] as const))('%s', async (_name, c) => {
    const answer = await sendFetchCase(c, target);
    expect(answer.status).toBe(expectedStatus(c, target));
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expectEnvelope(c.api, answer.json);
    await expectStillServing(c.api, target);
  });
});

describe('node: hostile bytes on a raw socket', () => {
  it.each(rawCases.map((c) => [`${c.api}: ${c.name}`, c] as const))('%s', async (_name, c) => {
    const answer = await sendRaw(servers[c.api].port, c.bytes);
    expect(answer.status, answer.head).toBe(expectedStatus(c, 'node'));
    expect(answer.head).toMatch(/\r\ncontent-type: application\/json/i);
    // Not tied to any operation: the checker then demands a 4xx in the API's error envelope.
    expect(
      conformanceProblem(c.api, 'RAW', '/(raw bytes)', answer.status, answer.text),
      'response conformance',
    ).toBeUndefined();
    expectEnvelope(c.api, JSON.parse(answer.text));
    await expectStillServing(c.api, 'node');
  });
});

/** The mock's control API (not an API operation: no conformance check), as each target reaches it. */
async function controlCall(
  api: ApiName,
  target: Target,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const init: RequestInit = { method, signal: AbortSignal.timeout(HANG_MS) };
  if (body !== undefined)
    Object.assign(init, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const response = await fetcherFor(target)(`${baseUrl(api, target)}/__mock${path}`, init);
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe.each(['node', 'msw'] as const)('%s: no request freezes a mock', (target) => {
  // As a regular expression, this pattern tried every placement of its stars over the path: minutes per entry.
  const hostilePattern = '/*a*a*a*a*a*a*b';

  it('a journal filter with many stars, over a 3,000-character path', async () => {
    await sendChecked(
      'mvo',
      baseUrl('mvo', target),
      `/${'a'.repeat(3000)}`,
      { signal: AbortSignal.timeout(HANG_MS) },
      fetcherFor(target),
    );
    const listed = await controlCall('mvo', target, 'GET', `/requests?path=${encodeURIComponent(hostilePattern)}`);
    expect(listed.status).toBe(200);
    expect(listed.json.requests).toEqual([]);
    await expectStillServing('mvo', target);
    await expectStillServing('tvm', target);
  });

  it('a scenario path with many stars, over a 3,000-character path', async () => {
    expect((await controlCall('tvm', target, 'POST', '/scenarios', { status: 404, path: hostilePattern })).status).toBe(
      201,
    );
    try {
      const { headers } = VALID_REQUEST.tvm;
      const answer = await sendChecked(
        'tvm',
        baseUrl('tvm', target),
        `/v1/offers/${'a'.repeat(3000)}`,
        { headers, signal: AbortSignal.timeout(HANG_MS) },
        fetcherFor(target),
      );
      expect(answer.status).toBe(404);
      await expectStillServing('tvm', target);
    } finally {
      await controlCall('tvm', target, 'DELETE', '/scenarios');
    }
  });
});

describe.each(['node', 'msw'] as const)('%s: no key kept or echoed whole by a side door', (target) => {
  it.each(['mvo', 'tvm'] as const)(
    '%s: a key in the query or the path is masked in the 404 and the journal',
    async (api) => {
      const key = api === 'mvo' ? KEYS.mvo : KEYS.tvm;
      const { path, headers } = VALID_REQUEST[api];
      const base = baseUrl(api, target);
      const notFound = await sendChecked(
        api,
        base,
        `/${key}/x`,
        { headers, signal: AbortSignal.timeout(HANG_MS) },
        fetcherFor(target),
      );
      expect(notFound.status).toBe(404);
      expect(notFound.text).not.toContain(key);
      expect(
        (
          await sendChecked(
            api,
            base,
            `${path}?api_key=${key}`,
            { headers, signal: AbortSignal.timeout(HANG_MS) },
            fetcherFor(target),
          )
        ).status,
      ).toBe(200);
      const journal = await controlCall(api, target, 'GET', '/requests?limit=2');
      // The prefix and four characters, as the key that authenticated is shown (keys are alphanumeric after the prefix).
      const masked = `${key.slice(0, key.lastIndexOf('_') + 5)}…`;
      const kept = journal.json.requests.map((entry: { path: string; query: string }) => [entry.path, entry.query]);
      expect(kept).toEqual([
        [path, `api_key=${masked}`],
        [`/${masked}/x`, ''],
      ]);
      if (target === 'node') expect(logs.filter((line) => line.includes(key))).toEqual([]);
    },
  );
});

describe('after every case', () => {
  it('nothing polluted Object.prototype', () => {
    expect(Object.prototype).not.toHaveProperty('admin');
    expect(Object.prototype).not.toHaveProperty('isAdmin');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  // A case stored despite its error (or a value no answer can serialise) would break the export, and with it --state-file.
  it.each(['node', 'msw'] as const)('%s: both mocks still export their state (GET /__mock/state)', async (target) => {
    for (const api of ['mvo', 'tvm'] as const) {
      const answer = await sendChecked(
        api,
        baseUrl(api, target),
        '/__mock/state',
        { signal: AbortSignal.timeout(HANG_MS) },
        fetcherFor(target),
      );
      expect(answer.status, `${api} GET /__mock/state`).toBe(200);
      expect(answer.json.api).toBe(api);
    }
  });

  it('the Node servers logged no failure of their own', () => {
    expect(logs.length).toBeGreaterThan(HOSTILE_CASES.length);
    expect(logs.filter((line) => / error /.test(line) || / 5\d\d /.test(line))).toEqual([]);
  });
});

describe('node: what happens below the request handler', () => {
  const CUSTOMER_PATH = VALID_REQUEST.mvo.path;
  const mvoPost = (body: string, ...extra: string[]) =>
    [
      'POST /api/customers HTTP/1.1',
      'Host: 127.0.0.1',
      `X-API-Key: ${KEYS.mvo}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...extra,
      '',
      body,
    ].join('\r\n');

  it('a valid request followed by bytes that are not HTTP: its answer arrives first, then a 400 in the envelope', async () => {
    const email = `pipelined-${Date.now()}@example.com`;
    const answer = await sendRaw(
      servers.mvo.port,
      `${mvoPost(JSON.stringify({ first_name: 'Pip', last_name: 'Lined', email }))}\x00\x01 NOT HTTP\r\n\r\n`,
    );
    const all = `${answer.head}\r\n\r\n${answer.text}`;
    const statuses = [...all.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));
    expect(statuses).toEqual([201, 400]);
    expect(all).toContain(email);
    const refusal = all.slice(all.lastIndexOf('\r\n\r\n') + 4);
    expectEnvelope('mvo', JSON.parse(refusal));
  });

  it('takes a request head of exactly 16 KiB and answers 431 in the envelope to one byte more', async () => {
    const head = (filler: number) =>
      [
        `GET ${CUSTOMER_PATH} HTTP/1.1`,
        'Host: mock',
        'Connection: close',
        `X-API-Key: ${KEYS.mvo}`,
        `X-Filler: ${'f'.repeat(filler)}`,
        '',
        '',
      ].join('\r\n');
    const base = head(0).length;
    const exact = await sendRaw(servers.mvo.port, head(16_384 - base));
    expect(head(16_384 - base).length).toBe(16_384);
    expect(exact.status, exact.head).toBe(200);
    const over = await sendRaw(servers.mvo.port, head(16_385 - base));
    expect(over.status, over.head).toBe(431);
    expectEnvelope('mvo', JSON.parse(over.text));
  });
});

describe('node: slow and surplus connections', () => {
  it('closes a connection that does not finish its headers within headersTimeout, with 408 in the envelope', async () => {
    const server = await startMockServer({ api: 'tvm', port: 0, limits: { headersTimeoutMs: 200 } });
    try {
      const socket = connect(server.port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('error', () => {});
      socket.write('GET /v1/shop HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '); // and never the rest
      await once(socket, 'close');
      const text = Buffer.concat(chunks).toString('utf8');
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
      expectEnvelope('tvm', JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)));
    } finally {
      await server.close();
    }
  });

  it('closes connections beyond maxConnections at once and keeps serving the ones it has', async () => {
    const server = await startMockServer({ api: 'tvm', port: 0, limits: { maxConnections: 1 } });
    try {
      const first = connect(server.port, '127.0.0.1');
      await once(first, 'connect');
      const second = connect(server.port, '127.0.0.1');
      const received: Buffer[] = [];
      second.on('data', (chunk) => received.push(chunk));
      second.on('error', () => {});
      second.write(`GET /v1/shop HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.tvm}\r\n\r\n`);
      await once(second, 'close');
      expect(Buffer.concat(received).length, 'no answer on the surplus connection').toBe(0);
      const chunks: Buffer[] = [];
      first.on('data', (chunk) => chunks.push(chunk));
      first.write(
        `GET /v1/shop HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.tvm}\r\nConnection: close\r\n\r\n`,
      );
      await once(first, 'close');
      expect(Buffer.concat(chunks).toString('latin1')).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      await server.close();
    }
  });
});

describe('node: the control API and the web pages around it', () => {
  const mint = (url: string, headers: Record<string, string> = {}) =>
    realFetch(`${url}/__mock/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ name: 'guard test' }),
      signal: AbortSignal.timeout(HANG_MS),
    });

  it('takes control requests from curl, Node and same-origin pages; the API itself answers any origin', async () => {
    const url = servers.tvm.url;
    expect((await mint(url)).status).toBe(201);
    expect((await mint(url, { origin: url, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    const api = await realFetch(`${url}${VALID_REQUEST.tvm.path}`, {
      headers: { ...VALID_REQUEST.tvm.headers, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(api.status).toBe(200);
  });

  it('opens the control API to the origins --cors lists by name, not to --cors *', async () => {
    const listed = await startMockServer({ api: 'mvo', port: 0, cors: ['http://localhost:5173'] });
    const every = await startMockServer({ api: 'mvo', port: 0, cors: true });
    try {
      const fromPage = { origin: 'http://localhost:5173', 'sec-fetch-site': 'same-site' };
      expect((await mint(listed.url, fromPage)).status).toBe(201);
      expect((await mint(listed.url, { origin: 'http://localhost:5174', 'sec-fetch-site': 'same-site' })).status).toBe(
        403,
      );
      const refused = await mint(every.url, fromPage);
      expect(refused.status).toBe(403);
      expectEnvelope('mvo', await refused.json());
    } finally {
      await Promise.all([listed.close(), every.close()]);
    }
  });

  it('listening beyond loopback, needs the control token and takes IP-address Hosts but no other name', async () => {
    const server = await startMockServer({ api: 'tvm', port: 0, host: '0.0.0.0', controlToken: 'tok-123' });
    const url = `http://127.0.0.1:${server.port}`;
    try {
      const missing = await mint(url);
      expect(missing.status).toBe(401);
      expectEnvelope('tvm', await missing.json());
      expect((await mint(url, { 'x-mock-token': 'tok-124' })).status).toBe(401);
      expect((await mint(url, { 'x-mock-token': 'tok-123' })).status).toBe(201);
      const byIp = await sendRaw(
        server.port,
        request('POST', '/__mock/keys', ['Host: 10.20.30.40:4011', 'X-Mock-Token: tok-123']),
      );
      expect(byIp.status, byIp.head).toBe(201);
      const byName = await sendRaw(
        server.port,
        request('POST', '/__mock/keys', ['Host: mocks.evil.example', 'X-Mock-Token: tok-123']),
      );
      expect(byName.status, byName.head).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('the CLI makes a token for a non-loopback --host, prints it once, and requires it', async () => {
    const printed: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void printed.push(args.join(' '));
    let started: MockServer[] = [];
    try {
      started = await startFromCli(['--api', 'mvo', '--host', '0.0.0.0', '--mvo-port', '0', '--quiet'], {});
    } finally {
      console.log = log;
    }
    try {
      const token = started[0].controlToken!;
      expect(token).toMatch(/^[\w-]{32}$/);
      expect(printed.filter((line) => line.includes(token))).toHaveLength(1);
      const url = `http://127.0.0.1:${started[0].port}`;
      expect((await mint(url)).status).toBe(401);
      expect((await mint(url, { 'x-mock-token': token })).status).toBe(201);
    } finally {
      await Promise.all(started.map((server) => server.close()));
    }
  });
});

function request(method: string, path: string, headers: string[], body = '{"name":"raw"}'): string {
  return [
    `${method} ${path} HTTP/1.1`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${body.length}`,
    ...headers,
    '',
    body,
  ].join('\r\n');
}
