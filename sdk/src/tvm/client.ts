/**
 * @module
 * `createTvmClient()`: an openapi-fetch client for The Virtual Mall API, typed from the spec.
 *
 * @example
 * ```ts
 * const tvm = createTvmClient(); // key from TVM_API_KEY
 * const { data, error } = await tvm.GET('/v1/shop');
 * ```
 */
import type { paths } from './generated/schema.js';
import { createPaginate } from './paginate.js';
import { TVM } from '../shared/apis.js';
import { createApiClient, type SdkClient } from '../shared/client.js';
import type { CommonClientOptions } from '../shared/options.js';

/** TVM accepts only `Authorization: Bearer <key>`, so there is no `authHeader` option. */
export interface TvmClientOptions extends CommonClientOptions {}

/**
 * The Virtual Mall client: openapi-fetch's `GET`/`POST`/`PUT`/`DELETE` (each also taking `timeoutMs` and
 * `maxRetries`), `paginate()` over the paged lists, and a redacted `toJSON`.
 */
export type TvmClient = SdkClient<paths> & { paginate: ReturnType<typeof createPaginate> };

/**
 * Create a Virtual Mall client. Throws a `ConfigurationError` for a missing, malformed or MVO key, bad numeric
 * options, or when run in a browser without `dangerouslyAllowBrowser: true`.
 */
export function createTvmClient(options: TvmClientOptions = {}): TvmClient {
  const client = createApiClient<paths>(TVM, options);
  return Object.assign(client, { paginate: createPaginate((path, init) => client.GET(path, init)) });
}
