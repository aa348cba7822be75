/**
 * @module
 * Resource methods (`tvm.offers.list(query)`, `mvo.customers.get(id)`), bound from a table generated from the
 * spec (`generated/resources.ts`: group = first tag, name = operationId's verb). Each is one openapi-fetch path
 * call underneath, so the client's retries, timeouts, hosts and logging apply unchanged; the answer is
 * unwrapped (`data` of TVM's envelope, MVO's body) and an error answer throws the typed `ApiError` subclass.
 * `.withResponse()` gives `{ data, response, meta }`; a paged list is also async-iterable over every item.
 */
import type { ApiErrorFactory, Payload } from './api-errors.js';
import type { CallOptions } from './transport.js';

/**
 * One row of the generated table: `METHOD /path`, then `query`, `body` and `paged` as the operation has them, e.g.
 * `GET /v1/offers query paged` or `PATCH /api/customers/{id} body`. The path's `{names}` are the method's leading
 * arguments. Read here at run time ({@link bindOperation}) and in the types ({@link Entry}).
 */
export type ResourceTable = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Per-call options of a resource method: closed, so a misspelt option does not compile. */
export interface RequestOptions extends CallOptions {
  /** Aborts the call (and a paged list's walk); rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

// ---- types, derived from the table and the generated `paths` ----

/** A row of the table, read: `GET /v1/offers/{id}` → `{ method: 'GET', path: '/v1/offers/{id}', pathParams: ['id'], … }`. */
type Entry<Row> = Row extends `${infer M} ${infer Rest}`
  ? Rest extends `${infer P} ${infer Takes}`
    ? Read<M, P, ` ${Takes} `>
    : Read<M, Rest, ''>
  : never;
type Read<M extends string, P extends string, Takes extends string> = {
  method: M;
  path: P;
  pathParams: ParamsOf<P>;
  query: Takes extends `${string} query ${string}` ? true : false;
  body: Takes extends `${string} body ${string}` ? true : false;
  paged: Takes extends `${string} paged ${string}` ? true : false;
};
type ParamsOf<P extends string> = P extends `${string}{${infer N}}${infer R}` ? [N, ...ParamsOf<R>] : [];
type OperationEntry = {
  method: string;
  path: string;
  pathParams: string[];
  query: boolean;
  body: boolean;
  paged: boolean;
};

type OperationOf<Paths, E extends OperationEntry> = E['path'] extends keyof Paths
  ? Lowercase<E['method']> extends keyof Paths[E['path']]
    ? Paths[E['path']][Lowercase<E['method']>]
    : never
  : never;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;
/** The success body of an operation (200, 201 or 204). */
type SuccessBody<Op> = Op extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 | 202 | 204 ? JsonOf<R[S]> : never }[keyof R]
  : never;
/** What `.withResponse()` adds: TVM's `meta` (`requestId`, `timestamp`); MVO has none. */
export type MetaOf<Body> = Body extends { success: true; meta: infer M } ? M : undefined;
type BodyOf<Op> = Op extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;
type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type PathArgs<Names extends readonly string[]> = { [K in keyof Names]: string };

type Args<Paths, E extends OperationEntry> = [
  ...PathArgs<E['pathParams']>,
  ...(E['body'] extends true
    ? [body: BodyOf<OperationOf<Paths, E>>]
    : E['query'] extends true
      ? [query?: QueryOf<OperationOf<Paths, E>>]
      : []),
  options?: RequestOptions,
];

/** An item of a page: `Offer` for the offers list (the spec's page is `Page` (items of any type) and `{ items: Offer[] }`). */
type PageItemOf<P> = P extends { items: readonly unknown[] } ? P['items'][number] : never;
/** A page with its `items` typed as the list's items. */
type PageOf<P> = { [K in keyof P]: K extends 'items' ? PageItemOf<P>[] : P[K] };
type Method<Paths, E extends OperationEntry, Body = SuccessBody<OperationOf<Paths, E>>> = (
  ...args: Args<Paths, E>
) => E['paged'] extends true
  ? PagedCall<PageOf<Payload<Body>>, PageItemOf<Payload<Body>>, MetaOf<Body>>
  : ApiCall<Payload<Body>, MetaOf<Body>>;

/** The resource groups of a client, e.g. `{ offers: { list, create, get, update, delete }, shop: { get, update } }`. */
export type Resources<Paths, Table extends ResourceTable> = {
  readonly [G in keyof Table]: {
    readonly [N in keyof Table[G]]: Entry<Table[G][N]> extends infer E extends OperationEntry
      ? Method<Paths, E>
      : never;
  };
};

// ---- run time ----

/** `{ data, response, meta }` of a call, from `.withResponse()`. */
export interface WithResponse<Data, Meta> {
  data: Data;
  response: Response;
  /** TVM: `{ requestId, timestamp }` of the answer. MVO: `undefined` (read `response.headers` instead). */
  meta: Meta;
}

/** What a call needs of its API: how to throw an error answer and whether success bodies are `{ data, meta }` envelopes. */
export interface CallContext {
  throwError: ApiErrorFactory;
  enveloped: boolean;
}

/**
 * What a resource method returns: a `Promise` of its data (or a thrown `ApiError`), with `.withResponse()` for the
 * data, the `Response` and `meta`. The request is sent when the method is called, as by any async function, so a
 * call nobody awaits (`void tvm.offers.delete(id)`) still happens; awaiting and `.withResponse()` share its answer.
 */
export interface ApiCall<Data, Meta> extends Promise<Data> {
  /** The data with the raw `Response` and (TVM) `meta.requestId`. */
  withResponse(): Promise<WithResponse<Data, Meta>>;
}

/**
 * A paged list: awaited, the page asked for (`{ items, total, page, limit, totalPages }`); iterated with
 * `for await`, every item from that page to the last (one request a page, with the same filters and `limit`);
 * `.pages()`, every page.
 */
export interface PagedCall<Page, Item, Meta> extends ApiCall<Page, Meta>, AsyncIterable<Item> {
  /** Every page from the one asked for to the last. */
  pages(): AsyncGenerator<Page>;
  [Symbol.asyncIterator](): AsyncGenerator<Item>;
}

type Answer = { data?: unknown; error?: unknown; response: Response };

/**
 * The call's data promise, settled in one `.then` on openapi-fetch's answer: a native promise with one method
 * added, so awaiting it costs what awaiting the path method costs (a thenable class or a second `.then` costs a
 * microtask and objects more a call, bench/sdk.ts). `.withResponse()` builds its object only when asked.
 */
function apiCall<Data, Meta>(sent: Promise<Answer>, context: CallContext): ApiCall<Data, Meta> {
  let answer: Answer;
  const call = sent.then((result) => {
    if (result.error !== undefined || !result.response.ok) return context.throwError(result);
    answer = result;
    return context.enveloped ? (result.data as { data?: unknown } | undefined)?.data : result.data;
  }) as ApiCall<Data, Meta>;
  call.withResponse = () =>
    call.then((data) => ({
      data,
      response: answer.response,
      meta: (context.enveloped ? (answer.data as { meta?: unknown } | undefined)?.meta : undefined) as Meta,
    }));
  return call;
}

/**
 * Every page from `first` to the last (one `fetchPage` each, stopping after the last page or at an empty one) and
 * every item of those pages: the walk behind a paged resource method and TVM's `paginate()`.
 */
export function walkPages<Page, Item>(
  fetchPage: (page: number) => PromiseLike<Page>,
  first: number,
  signal: AbortSignal | null | undefined,
) {
  async function* pages(): AsyncGenerator<Page> {
    for (let page = first; ; page++) {
      signal?.throwIfAborted();
      const data = await fetchPage(page);
      yield data;
      const { page: at, totalPages, items } = data as { page: number; totalPages: number; items: unknown[] };
      // past the last page, or a server that sends empty pages: stop rather than ask forever
      if (at >= totalPages || items.length === 0) return;
    }
  }
  return {
    pages,
    async *[Symbol.asyncIterator](): AsyncGenerator<Item> {
      for await (const page of pages()) yield* (page as { items: Item[] }).items;
    },
  };
}

/** The first page's call, made iterable over the pages from `first` on (the first one not asked for twice). */
function pagedCall<Page, Item, Meta>(
  fetchPage: (page: number) => ApiCall<Page, Meta>,
  first: number,
  signal: AbortSignal | undefined,
): PagedCall<Page, Item, Meta> {
  const call = fetchPage(first);
  const pages = walkPages<Page, Item>((page) => (page === first ? call : fetchPage(page)), first, signal);
  return Object.assign(call, pages);
}

/** What the binder needs of a client: its path methods. */
type PathCaller = Record<string, (path: string, init?: Record<string, unknown>) => Promise<Answer>>;

function bindOperation(client: PathCaller, row: string, context: CallContext) {
  const [method, path, ...takes] = row.split(' ') as [string, string, ...string[]];
  const call = client[method]!;
  const pathParams = path.match(/[^{}]+(?=\})/g) ?? [];
  const count = pathParams.length;
  const input = takes.includes('body') ? 'body' : takes.includes('query') ? 'query' : undefined;
  const paged = takes.includes('paged');
  return (...args: unknown[]) => {
    let params: { path?: Record<string, unknown>; query?: unknown } | undefined;
    if (count) {
      const values: Record<string, unknown> = {};
      for (let i = 0; i < count; i++) values[pathParams[i]!] = args[i];
      params = { path: values };
    }
    const given = input ? args[count] : undefined;
    const options = args[input ? count + 1 : count] as RequestOptions | undefined;
    if (!paged) {
      const init = initOf(options, params, input === 'query' ? given : undefined, input === 'body' ? given : undefined);
      return apiCall(call(path, init), context);
    }
    const query = given as { page?: number } | undefined;
    const first = query?.page ?? 1;
    // the page asked for goes as asked (no `page` added); the later ones name theirs
    const fetchPage = (page: number) =>
      apiCall(call(path, initOf(options, params, page === first ? query : { ...query, page }, undefined)), context);
    return pagedCall(fetchPage, first, options?.signal);
  };
}

/**
 * openapi-fetch's init for one call, or `undefined` when there is nothing to put in it: an init object costs
 * openapi-fetch a rest-copy a call (bench/sdk.ts). A module function, not a closure made per call.
 */
function initOf(
  options: RequestOptions | undefined,
  params: object | undefined,
  query: unknown,
  body: unknown,
): Record<string, unknown> | undefined {
  if (!options && !params && query === undefined && body === undefined) return undefined;
  const init: Record<string, unknown> = options ? { ...options } : {};
  init.params = query === undefined ? params : { ...params, query };
  if (body !== undefined) init.body = body;
  return init;
}

/** The resource groups for `client`, from the API's generated table. */
export function bindResources<Paths, Table extends ResourceTable>(
  client: object,
  table: Table,
  context: CallContext,
): Resources<Paths, Table> {
  const groups: Record<string, Record<string, unknown>> = {};
  for (const [group, operations] of Object.entries(table)) {
    groups[group] = {};
    for (const [name, row] of Object.entries(operations)) {
      groups[group][name] = bindOperation(client as PathCaller, row, context);
    }
  }
  return groups as Resources<Paths, Table>;
}
