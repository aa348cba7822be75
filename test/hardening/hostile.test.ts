/**
 * Hostile input (test/cases/hostile.ts) against the Node mock servers and the MSW handlers: every case gets
 * the status the table documents, a 4xx, in the API's own envelope (checked by test/helpers/conformance.ts),
 * without a hang; and the mock answers a valid request right after it. Raw-socket cases are Node only.
 */
import { connect } from 'node:net';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { createMswMock } from '../../mock-server/src/msw/index.ts';
import type { ApiName } from '../../mock-server/src/model/index.ts';
import { expectedStatus, HOSTILE_CASES, KEYS, VALID_REQUEST, type FetchCase, type RawCase, type Target } from '../cases/hostile.ts';
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
    servers[api] = await startMockServer({ api, port: 0, rateLimits: 'headers', log: (line) => logs.push(`${api} ${line}`) });
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
  const answer = await sendChecked(api, baseUrl(api, target), path, { headers, signal: AbortSignal.timeout(HANG_MS) }, fetcherFor(target));
  expect(answer.status, 'a valid request right after the case').toBe(200);
}

async function sendFetchCase(c: FetchCase, target: Target): Promise<Answer> {
  const headers = new Headers();
  for (const [name, value] of c.headers ?? []) headers.append(name, value);
  return sendChecked(c.api, baseUrl(c.api, target), c.path, { method: c.method, headers, body: c.body as BodyInit | undefined, signal: AbortSignal.timeout(HANG_MS) }, fetcherFor(target));
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
      reject(new Error(`no answer within ${HANG_MS} ms; got ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 200))}`));
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
    expect(conformanceProblem(c.api, 'RAW', '/(raw bytes)', answer.status, answer.text), 'response conformance').toBeUndefined();
    expectEnvelope(c.api, JSON.parse(answer.text));
    await expectStillServing(c.api, 'node');
  });
});

/** The mock's control API (not an API operation: no conformance check), as each target reaches it. */
async function controlCall(api: ApiName, target: Target, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const init: RequestInit = { method, signal: AbortSignal.timeout(HANG_MS) };
  if (body !== undefined) Object.assign(init, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const response = await fetcherFor(target)(`${baseUrl(api, target)}/__mock${path}`, init);
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe.each(['node', 'msw'] as const)('%s: no request freezes a mock', (target) => {
  // As a regular expression, this pattern tried every placement of its stars over the path: minutes per entry.
  const hostilePattern = '/*a*a*a*a*a*a*b';

  it('a journal filter with many stars, over a 3,000-character path', async () => {
    await sendChecked('mvo', baseUrl('mvo', target), `/${'a'.repeat(3000)}`, { signal: AbortSignal.timeout(HANG_MS) }, fetcherFor(target));
    const listed = await controlCall('mvo', target, 'GET', `/requests?path=${encodeURIComponent(hostilePattern)}`);
    expect(listed.status).toBe(200);
    expect(listed.json.requests).toEqual([]);
    await expectStillServing('mvo', target);
    await expectStillServing('tvm', target);
  });

  it('a scenario path with many stars, over a 3,000-character path', async () => {
    expect((await controlCall('tvm', target, 'POST', '/scenarios', { status: 404, path: hostilePattern })).status).toBe(201);
    try {
      const { headers } = VALID_REQUEST.tvm;
      const answer = await sendChecked('tvm', baseUrl('tvm', target), `/v1/offers/${'a'.repeat(3000)}`, { headers, signal: AbortSignal.timeout(HANG_MS) }, fetcherFor(target));
      expect(answer.status).toBe(404);
      await expectStillServing('tvm', target);
    } finally {
      await controlCall('tvm', target, 'DELETE', '/scenarios');
    }
  });
});

describe.each(['node', 'msw'] as const)('%s: no key kept or echoed whole by a side door', (target) => {
  it.each(['mvo', 'tvm'] as const)('%s: a key in the query or the path is masked in the 404 and the journal', async (api) => {
    const key = api === 'mvo' ? KEYS.mvo : KEYS.tvm;
    const { path, headers } = VALID_REQUEST[api];
    const base = baseUrl(api, target);
    const notFound = await sendChecked(api, base, `/${key}/x`, { headers, signal: AbortSignal.timeout(HANG_MS) }, fetcherFor(target));
    expect(notFound.status).toBe(404);
    expect(notFound.text).not.toContain(key);
    expect((await sendChecked(api, base, `${path}?api_key=${key}`, { headers, signal: AbortSignal.timeout(HANG_MS) }, fetcherFor(target))).status).toBe(200);
    const journal = await controlCall(api, target, 'GET', '/requests?limit=2');
    // The prefix and four characters, as the key that authenticated is shown (keys are alphanumeric after the prefix).
    const masked = `${key.slice(0, key.lastIndexOf('_') + 5)}…`;
    const kept = journal.json.requests.map((entry: { path: string; query: string }) => [entry.path, entry.query]);
    expect(kept).toEqual([[path, `api_key=${masked}`], [`/${masked}/x`, '']]);
    if (target === 'node') expect(logs.filter((line) => line.includes(key))).toEqual([]);
  });
});

describe('after every case', () => {
  it('nothing polluted Object.prototype', () => {
    expect(Object.prototype).not.toHaveProperty('admin');
    expect(Object.prototype).not.toHaveProperty('isAdmin');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('the Node servers logged no failure of their own', () => {
    expect(logs.length).toBeGreaterThan(HOSTILE_CASES.length);
    expect(logs.filter((line) => / error /.test(line) || / 5\d\d /.test(line))).toEqual([]);
  });
});
