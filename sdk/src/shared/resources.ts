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

/** One row of the generated table. */
export interface OperationEntry {
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly query: boolean;
  readonly body: boolean;
  readonly paged: boolean;
}
export type ResourceTable = Readonly<Record<string, Readonly<Record<string, OperationEntry>>>>;

/** Per-call options of a resource method: closed, so a misspelt option does not compile. */
export interface RequestOptions extends CallOptions {
  /** Aborts the call (and a paged list's walk); rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

// ---- types, derived from the table and the generated `paths` ----

type Lower<M extends string> = Lowercase<M>;
type OperationOf<Paths, E extends OperationEntry> = E['path'] extends keyof Paths
  ? Lower<E['method']> extends keyof Paths[E['path']]
    ? Paths[E['path']][Lower<E['method']>]
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
  ...(E['body'] extends true ? [body: BodyOf<OperationOf<Paths, E>>] : E['query'] extends true ? [query?: QueryOf<OperationOf<Paths, E>>] : []),
  options?: RequestOptions,
];

/** An item of a page: `Offer` for the offers list (the spec's page is `Page` (items of any type) and `{ items: Offer[] }`). */
type PageItemOf<P> = P extends { items: readonly unknown[] } ? P['items'][number] : never;
/** A page with its `items` typed as the list's items. */
type PageOf<P> = { [K in keyof P]: K extends 'items' ? PageItemOf<P>[] : P[K] };
type Method<Paths, E extends OperationEntry, Body = SuccessBody<OperationOf<Paths, E>>> = (
  ...args: Args<Paths, E>
) => E['paged'] extends true ? PagedCall<PageOf<Payload<Body>>, PageItemOf<Payload<Body>>, MetaOf<Body>> : ApiCall<Payload<Body>, MetaOf<Body>>;

/** The resource groups of a client, e.g. `{ offers: { list, create, get, update, delete }, shop: { get, update } }`. */
export type Resources<Paths, Table extends ResourceTable> = {
  readonly [G in keyof Table]: { readonly [N in keyof Table[G]]: Table[G][N] extends OperationEntry ? Method<Paths, Table[G][N]> : never };
};

// ---- run time ----

/** `{ data, response, meta }` of a call, from `.withResponse()`. */
export interface WithResponse<Data, Meta> {
  data: Data;
  response: Response;
  /** TVM: `{ requestId, timestamp }` of the answer. MVO: `undefined` (read `response.headers` instead). */
  meta: Meta;
}

type Send = () => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** What a call needs of its API: how to throw an error answer and whether success bodies are `{ data, meta }` envelopes. */
export interface CallContext {
  throwError: ApiErrorFactory;
  enveloped: boolean;
}

/** Sends once and splits the answer into data, response and meta, or throws the typed error. */
function settle<Data, Meta>(send: Send, context: CallContext): Promise<WithResponse<Data, Meta>> {
  // `.then`, not `async`/`await`: one microtask less a call (bench/sdk.ts)
  return send().then((result) => {
    if (result.error !== undefined || !result.response.ok) return context.throwError(result);
    const body = result.data as { data?: unknown; meta?: unknown } | undefined;
    return context.enveloped
      ? { data: body?.data as Data, response: result.response, meta: body?.meta as Meta }
      : { data: body as Data, response: result.response, meta: undefined as Meta };
  });
}

/**
 * The promise a resource method returns: awaited, its data (or a thrown `ApiError`); `.withResponse()`, the data
 * with the `Response` and `meta`. The request is sent when the method is called, as by any async function, so a
 * call nobody awaits (`void tvm.offers.delete(id)`) still happens; awaiting and `.withResponse()` share its answer.
 */
export class ApiCall<Data, Meta> implements Promise<Data> {
  /** A `Promise` to TypeScript and to `Object.prototype.toString`, so it fits wherever a `Promise<Data>` is expected. */
  get [Symbol.toStringTag](): string {
    return 'ApiCall';
  }
  #settled: Promise<WithResponse<Data, Meta>>;
  constructor(start: () => Promise<WithResponse<Data, Meta>>) {
    this.#settled = start();
  }
  /** The data with the raw `Response` and (TVM) `meta.requestId`. */
  withResponse(): Promise<WithResponse<Data, Meta>> {
    return this.#settled;
  }
  then<A = Data, B = never>(onData?: ((data: Data) => A | PromiseLike<A>) | null, onError?: ((error: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    // one promise hop, not two: `then(s => s.data).then(onData)` costs a microtask more a call
    return this.withResponse().then(onData ? (settled) => onData(settled.data) : (settled) => settled.data as unknown as A, onError);
  }
  catch<B = never>(onError?: ((error: unknown) => B | PromiseLike<B>) | null): Promise<Data | B> {
    return this.then(undefined, onError);
  }
  finally(onFinally?: (() => void) | null): Promise<Data> {
    return this.then().finally(onFinally);
  }
}

/**
 * A paged list: awaited, the page asked for (`{ items, total, page, limit, totalPages }`); iterated with
 * `for await`, every item from that page to the last (one request a page, with the same filters and `limit`);
 * `.pages()`, every page.
 */
export class PagedCall<Page, Item, Meta> extends ApiCall<Page, Meta> implements AsyncIterable<Item> {
  #fetchPage: (page: number) => ApiCall<Page, Meta>;
  #first: number;
  #signal: AbortSignal | undefined;
  constructor(fetchPage: (page: number) => ApiCall<Page, Meta>, first: number, signal: AbortSignal | undefined) {
    super(() => fetchPage(first).withResponse());
    this.#fetchPage = fetchPage;
    this.#first = first;
    this.#signal = signal;
  }
  /** Every page from the one asked for to the last. */
  async *pages(): AsyncGenerator<Page> {
    for (let page = this.#first; ; page++) {
      this.#signal?.throwIfAborted();
      const data: Page = page === this.#first ? await this : await this.#fetchPage(page);
      yield data;
      const { page: at, totalPages, items } = data as { page: number; totalPages: number; items: unknown[] };
      // past the last page, or a server that sends empty pages: stop rather than ask forever
      if (at >= totalPages || items.length === 0) return;
    }
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Item> {
    for await (const page of this.pages()) yield* (page as { items: Item[] }).items;
  }
}

/** What the binder needs of a client: its path methods. */
type PathCaller = Record<string, (path: string, init: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>>;

function bindOperation(client: PathCaller, entry: OperationEntry, context: CallContext) {
  const call = client[entry.method]!;
  const { pathParams, path } = entry;
  const takes = entry.body ? 'body' : entry.query ? 'query' : undefined;
  return (...args: unknown[]) => {
    const params: Record<string, unknown> = {};
    if (pathParams.length) {
      const values: Record<string, unknown> = {};
      for (let i = 0; i < pathParams.length; i++) values[pathParams[i]!] = args[i];
      params.path = values;
    }
    const input = takes ? args[pathParams.length] : undefined;
    const options = args[pathParams.length + (takes ? 1 : 0)] as RequestOptions | undefined;
    const send = (query?: unknown) => () => {
      const init: Record<string, unknown> = options ? { ...options } : {};
      init.params = query === undefined ? params : { ...params, query };
      if (takes === 'body') init.body = input;
      return call(path, init);
    };
    if (!entry.paged) return new ApiCall(() => settle(send(takes === 'query' ? input : undefined), context));
    const query = input as { page?: number } | undefined;
    const first = query?.page ?? 1;
    // the page asked for goes as asked (no `page` added); the later ones name theirs
    const fetchPage = (page: number) => new ApiCall(() => settle(send(page === first ? query : { ...query, page }), context));
    return new PagedCall(fetchPage, first, options?.signal);
  };
}

/** The resource groups for `client`, from the API's generated table. */
export function bindResources<Paths, Table extends ResourceTable>(client: object, table: Table, context: CallContext): Resources<Paths, Table> {
  const groups: Record<string, Record<string, unknown>> = {};
  for (const [group, operations] of Object.entries(table)) {
    groups[group] = {};
    for (const [name, entry] of Object.entries(operations)) groups[group][name] = bindOperation(client as PathCaller, entry, context);
  }
  return groups as Resources<Paths, Table>;
}
