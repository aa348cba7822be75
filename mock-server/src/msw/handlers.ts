/**
 * MSW handlers for MVO and TVM: one catch-all `http.all` per base URL, each a thin adapter over the
 * shared pipeline (`createMock`). The mock is created on the first request (createMock is async) and
 * shared by every base URL of one handler set, so keys minted through `${base}/__mock/keys` on one
 * host work on the others.
 *
 * @example
 * ```ts
 * const server = setupServer(...createTvmHandlers())
 * server.listen()
 * await fetch('https://api.thevirtualmall.co.uk/v1/shop', { headers: { Authorization: `Bearer ${key}` } })
 * ```
 */
import { http, type RequestHandler } from 'msw';
import { FIXTURE_KEYS } from '../fixtures/keys.ts';
import type { JournalEntry, JournalFilter } from '../pipeline/journal.ts';
import type { OptionsOf } from '../options/types.ts';
import { createMock } from '../pipeline/pipeline.ts';
import type { Mock } from '../pipeline/public-mock.ts';
import type { ApiName } from '../model/index.ts';
import { escapeRegExp } from '../shared/escape-reg-exp.ts';
import { toMockRequest, toResponse } from './adapter.ts';
import { basePathOf, resolveBaseUrls } from './base-urls.ts';
import { withFault } from './faults.ts';

/** The handlers' options: the options table's `msw` column (options/table.ts), typed in options/types.ts. */
export interface MswHandlerOptions extends OptionsOf<'msw'> {}

export interface MswMock {
  api: ApiName;
  /** Spread into `setupServer(...)` or `setupWorker(...)`. */
  handlers: RequestHandler[];
  /** The base URLs the handlers answer on. */
  baseUrls: string[];
  /** The shared mock (created on first call or first request): the package root's `Mock` (`handle()`, `reset()`, state, journal). */
  ready(): Promise<Mock>;
  /** The request journal, newest first: the list `GET ${base}/__mock/requests` answers. */
  requests(filter?: JournalFilter): Promise<JournalEntry[]>;
}

/** Handlers plus access to the mock behind them, for tests that want to look at keys or reset state. */
export function createMswMock(api: ApiName, options: MswHandlerOptions = {}): MswMock {
  const baseUrls = resolveBaseUrls(api, options.baseUrl);
  const fixtures = [...(options.fixtures ?? FIXTURE_KEYS[api]), ...(options.keys ?? [])];
  let pending: Promise<Mock> | undefined;
  // Every other handler option is the mock's own, passed on as it is.
  const { baseUrl: _baseUrl, keys: _keys, ...mockOptions } = options;
  const ready = () => (pending ??= createMock(api, { ...mockOptions, fixtures }));

  const handlers = baseUrls.map((baseUrl) => {
    const basePath = basePathOf(baseUrl);
    // A RegExp without groups, not `${baseUrl}/*`: MSW decodes the captured groups of a string path with
    // decodeURIComponent, so a path like `/api/%zz` threw before reaching the mock (an MSW 500).
    return http.all(new RegExp(`^${escapeRegExp(baseUrl)}/`), async ({ request }) => {
      const mock = await ready();
      const answer = await mock.handle(await toMockRequest(request, basePath));
      return answer.fault ? withFault({ ...answer, fault: answer.fault }, request) : toResponse(answer, request.method);
    });
  });
  return { api, handlers, baseUrls, ready, requests: async (filter) => (await ready()).requests(filter) };
}

/** MSW handlers answering exactly like the MVO mock server (both MVO hosts by default). */
export function createMvoHandlers(options?: MswHandlerOptions): RequestHandler[] {
  return createMswMock('mvo', options).handlers;
}

/** MSW handlers answering exactly like the TVM mock server (https://api.thevirtualmall.co.uk by default). */
export function createTvmHandlers(options?: MswHandlerOptions): RequestHandler[] {
  return createMswMock('tvm', options).handlers;
}
