/** Starts mocks for a suite and sends requests whose answers are checked for conformance. */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  createMock,
  startMockServer,
  type Mock,
  type MockOptions,
  type MockServer,
  type MockServerOptions,
} from '../../mock-server/src/index.ts';
import type { ApiName } from '../../mock-server/src/model/index.ts';
import { toMockRequest, toResponse } from '../../mock-server/src/msw/adapter.ts';
import { createMswMock } from '../../mock-server/src/msw/index.ts';
import { conformanceProblem } from './conformance.ts';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface MockHandle {
  server: MockServer;
  logs: string[];
  /** `fetch` against the mock; the answer must conform to the spec (see conformance.ts). */
  send(path: string, init?: RequestInit): Promise<Answer>;
}

/** `fetcher` defaults to the global fetch (patched by MSW while it listens); pass the unpatched one to reach a server past MSW. */
export async function sendChecked(
  api: ApiName,
  baseUrl: string,
  path: string,
  init: RequestInit = {},
  fetcher: typeof fetch = fetch,
): Promise<Answer> {
  const response = await fetcher(baseUrl + path, init);
  const text = await response.text();
  const contentType =
    new Headers(init.headers).get('content-type') ??
    (typeof init.body === 'string' ? 'text/plain;charset=UTF-8' : null);
  const problem = conformanceProblem(
    api,
    init.method ?? 'GET',
    new URL(baseUrl + path).pathname,
    response.status,
    text,
    { body: init.body ?? undefined, contentType },
  );
  expect(problem, 'response conformance').toBeUndefined();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A mock server for the whole suite (started in beforeAll, stopped in afterAll). */
export function useMock(api: ApiName, options: Partial<MockServerOptions> = {}): MockHandle {
  const handle = { logs: [] as string[] } as MockHandle;
  beforeAll(async () => {
    handle.server = await startMockServer({
      api,
      port: 0,
      rateLimits: 'headers',
      log: (line) => handle.logs.push(line),
      ...options,
    });
  });
  afterAll(async () => {
    await handle.server?.close();
  });
  handle.send = (path, init) => sendChecked(api, handle.server.url, path, init);
  return handle;
}

/** The origin `useHandledMock` requests are addressed to (no server listens there: `handle()` answers). */
const HANDLED_BASE = 'http://handled.test';

export interface HandledMock {
  mock: Mock;
  /** As `MockHandle.send`, answered by `mock.handle()`: no server, no socket. */
  send(path: string, init?: RequestInit): Promise<Answer>;
}

/**
 * A mock for the whole suite without a server: requests go to `mock.handle()` (through the conversions MSW uses),
 * with the same conformance check as `useMock`. For suites whose subject is what the pipeline answers (routes,
 * auth, validation, state, the control API); a suite about the HTTP layer (limits, timeouts, CORS, Host and
 * Origin, connections, logging) keeps `useMock`.
 */
export function useHandledMock(api: ApiName, options: MockOptions = {}): HandledMock {
  const handled = {} as HandledMock;
  beforeAll(async () => {
    handled.mock = await createMock(api, { rateLimits: 'headers', ...options });
  });
  const fetcher = (async (url: string, init: RequestInit = {}) => {
    const request = new Request(url, init);
    return toResponse(await handled.mock.handle(await toMockRequest(request)), request.method);
  }) as typeof fetch;
  handled.send = (path, init) => sendChecked(api, HANDLED_BASE, path, init, fetcher);
  return handled;
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** One side of a Node-and-MSW suite, for `describe.each`: where to send, with which fetch, and the mock behind it. */
export interface MockTarget {
  name: 'node' | 'msw';
  base(): string;
  fetch(): typeof fetch;
  mock(): Promise<Mock>;
}

/**
 * For parity suites: a Node mock server and an MSW mock of the same API on `baseUrl` (on the clock `now`, if
 * given), MSW intercepting the global fetch for the whole suite (reach the server with the fetch saved before:
 * `realFetch`, or the node target's `fetch`).
 */
export function useNodeAndMsw(
  api: ApiName,
  baseUrl: string,
  now?: () => Date,
): { msw: ReturnType<typeof createMswMock>; node: MockServer; realFetch: typeof fetch; targets: MockTarget[] } {
  const realFetch = globalThis.fetch;
  const msw = createMswMock(api, { baseUrl, now });
  const interceptor = setupServer(...msw.handlers);
  const pair = { msw, realFetch } as ReturnType<typeof useNodeAndMsw>;
  pair.targets = [
    { name: 'node', base: () => pair.node.url, fetch: () => realFetch, mock: async () => pair.node.mock },
    { name: 'msw', base: () => baseUrl, fetch: () => globalThis.fetch, mock: () => msw.ready() },
  ];
  beforeAll(async () => {
    pair.node = await startMockServer({ api, port: 0, now });
    interceptor.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(async () => {
    interceptor.close();
    await pair.node?.close();
  });
  return pair;
}
