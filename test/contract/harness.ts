/**
 * Runs one request against two implementations and reduces each answer to what must be identical:
 * status, the headers the pipeline sets, and the body with only fresh fields removed.
 */
import { setupServer, type SetupServer } from 'msw/node';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { createMswMock, type MswMock } from '../../mock-server/src/msw/index.ts';
import type { ApiName } from '../../mock-server/src/model/index.ts';
import { EXTRA_KEYS, PARITY_OPTIONS, parityFixtures, searchOf, type RequestCase } from '../cases/requests.ts';

/** Headers the transport adds (Node's http server), not the mock: left out of the comparison. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
/** Fields that are fresh per response or per side. */
const FRESH_META = ['requestId', 'timestamp'];
const FRESH_CONTROL = ['id', 'key', 'prefix', 'created_at', 'last_used_at'];

export const MSW_BASE: Record<ApiName, string> = { mvo: 'http://mvo.mock.test', tvm: 'http://tvm.mock.test' };

/** The unpatched fetch, taken before MSW patches the global: the Node side never goes through MSW. */
const realFetch = globalThis.fetch;

export interface Snapshot {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface Sides {
  servers: Record<ApiName, MockServer>;
  msw: Record<ApiName, MswMock>;
  interceptor: SetupServer;
  close(): Promise<void>;
}

/** A Node mock server and an MSW mock per API, built with the same options and keys. */
export async function startSides(): Promise<Sides> {
  const servers = {
    mvo: await startMockServer({ api: 'mvo', port: 0, fixtures: parityFixtures('mvo'), ...PARITY_OPTIONS }),
    tvm: await startMockServer({ api: 'tvm', port: 0, fixtures: parityFixtures('tvm'), ...PARITY_OPTIONS }),
  };
  const msw = {
    mvo: createMswMock('mvo', { baseUrl: MSW_BASE.mvo, keys: EXTRA_KEYS.mvo, ...PARITY_OPTIONS }),
    tvm: createMswMock('tvm', { baseUrl: MSW_BASE.tvm, keys: EXTRA_KEYS.tvm, ...PARITY_OPTIONS }),
  };
  const interceptor = setupServer(...msw.mvo.handlers, ...msw.tvm.handlers);
  interceptor.listen({ onUnhandledRequest: 'error' });
  return {
    servers,
    msw,
    interceptor,
    async close() {
      interceptor.close();
      await Promise.all([servers.mvo.close(), servers.tvm.close()]);
    },
  };
}

function strip(value: unknown, fields: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => strip(item, fields));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([name]) => !fields.includes(name))
      .map(([name, item]) => [name, strip(item, fields)]),
  );
}

export async function snapshot(response: Response, path: string): Promise<Snapshot> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!TRANSPORT_HEADERS.has(name)) headers[name] = value;
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? '' : JSON.parse(text);
  } catch {
    // not JSON: compared as text
  }
  if (body && typeof body === 'object' && 'meta' in body) {
    const meta = (body as { meta: Record<string, unknown> }).meta;
    for (const field of FRESH_META) expectString(meta[field], `meta.${field}`);
    body = { ...body, meta: strip(meta, FRESH_META) };
  }
  if (path.startsWith('/__mock')) body = strip(body, FRESH_CONTROL);
  return { status: response.status, headers, body };
}

function expectString(value: unknown, what: string) {
  if (typeof value !== 'string' || !value)
    throw new Error(`${what} should be a non-empty string, got ${JSON.stringify(value)}`);
}

export function requestInit(c: RequestCase): RequestInit {
  return {
    method: c.method,
    headers: c.headers ?? {},
    body: c.body === undefined || c.method === 'GET' || c.method === 'HEAD' ? undefined : c.body,
  };
}

/** The same case through the Node server (real fetch, real socket) and through MSW (patched fetch). */
export async function sendBoth(sides: Sides, c: RequestCase): Promise<{ server: Snapshot; msw: Snapshot }> {
  const serverResponse = await realFetch(`${sides.servers[c.api].url}${c.path}${searchOf(c)}`, requestInit(c));
  const server = await snapshot(serverResponse, c.path);
  const mswResponse = await globalThis.fetch(`${MSW_BASE[c.api]}${c.path}${searchOf(c)}`, requestInit(c));
  const msw = await snapshot(mswResponse, c.path);
  return { server, msw };
}
