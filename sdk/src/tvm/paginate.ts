/**
 * @module
 * Auto-pagination over TVM's paged lists (`data: { items, total, page, limit, totalPages }`): `paginate(path)`
 * yields every item across pages, `.pages()` every page. Each page is one `GET` through the client, with its
 * retries, timeouts, per-call options and signal; a page that still fails throws the typed error `unwrap` throws.
 */
import type { MaybeOptionalInit } from 'openapi-fetch';
import type { paths } from './generated/schema.js';
import { unwrap } from './errors.js';
import { walkPages } from '../shared/resources.js';
import type { CallOptions } from '../shared/transport.js';

type ListOf<Operation> = Operation extends {
  responses: { 200: { content: { 'application/json': { data: infer Data } } } };
}
  ? Data extends { items: unknown[]; page: number; totalPages: number }
    ? Data
    : never
  : never;

/** The paths whose `GET` answers a page: `/v1/offers`, `/v1/vouchers`, `/v1/content`. */
export type PagedPath = {
  [Path in keyof paths]: [ListOf<paths[Path]['get']>] extends [never] ? never : Path;
}[keyof paths];
/** One page of `Path`: `{ items, total, page, limit, totalPages }`. */
export type Page<Path extends PagedPath> = ListOf<paths[Path]['get']>;
/** One item of `Path`'s list, e.g. an `Offer` for `/v1/offers`. */
export type PageItem<Path extends PagedPath> = Page<Path>['items'][number];
/** The list's `GET` options (`params.query` filters and `limit`; `page` is where to start), plus `signal` and per-call options. */
export type PaginateInit<Path extends PagedPath> = NonNullable<MaybeOptionalInit<paths[Path], 'get'>> & CallOptions;

/** Every item, in order, across pages; `.pages()` gives whole pages instead (for UIs with page numbers). */
export interface Paginator<Path extends PagedPath> extends AsyncIterable<PageItem<Path>> {
  pages(): AsyncIterable<Page<Path>>;
}

/** What paginate needs of the client: a `GET` of a list. */
type ListGet = (
  path: PagedPath,
  init: { [key: string]: unknown },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** `paginate` bound to a client's `GET`. */
export function createPaginate(get: ListGet) {
  return function paginate<Path extends PagedPath>(
    path: Path,
    init: PaginateInit<Path> = {} as PaginateInit<Path>,
  ): Paginator<Path> {
    const query = (init.params?.query ?? {}) as { page?: number };
    const fetchPage = (page: number) =>
      unwrap(get(path, { ...init, params: { ...init.params, query: { ...query, page } } })) as Promise<Page<Path>>;
    return walkPages<Page<Path>, PageItem<Path>>(fetchPage, query.page ?? 1, init.signal);
  };
}
