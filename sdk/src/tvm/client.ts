/**
 * @module
 * `createTvmClient()`: an openapi-fetch client for The Virtual Mall API, typed from the spec.
 *
 * @example
 * ```ts
 * const tvm = createTvmClient(); // key from TVM_API_KEY
 * const shop = await tvm.shop.get();
 * for await (const offer of tvm.offers.list({ status: 'active' })) console.log(offer.title);
 * ```
 */
import { throwApiError } from './errors.js';
import { resources } from './generated/resources.js';
import type { paths } from './generated/schema.js';
import { createPaginate } from './paginate.js';
import { TVM } from '../shared/apis.js';
import { createApiClient, type SdkClient } from '../shared/client.js';
import type { CommonClientOptions } from '../shared/options.js';
import { bindResources, type Resources } from '../shared/resources.js';

/** TVM accepts only `Authorization: Bearer <key>`, so there is no `authHeader` option. */
export interface TvmClientOptions extends CommonClientOptions {}

/**
 * The Virtual Mall client: resource methods generated from the spec (`shop`, `offers`, `vouchers`, `content`:
 * data back, typed errors thrown), openapi-fetch's `GET`/`POST`/`PUT`/`DELETE` path methods (each also taking
 * `timeoutMs` and `maxRetries`), `paginate()` over the paged lists, and a redacted `toJSON`.
 */
export type TvmClient = SdkClient<paths> &
  Resources<paths, typeof resources> & { paginate: ReturnType<typeof createPaginate> };

/**
 * Create a Virtual Mall client. Throws a `ConfigurationError` for a missing, malformed or MVO key, bad numeric
 * options, or when run in a browser without `dangerouslyAllowBrowser: true`.
 */
export function createTvmClient(options: TvmClientOptions = {}): TvmClient {
  const client = createApiClient<paths>(TVM, options);
  const groups = bindResources<paths, typeof resources>(client, resources, {
    throwError: throwApiError,
    enveloped: TVM.facts.enveloped,
  });
  return Object.assign(client, groups, { paginate: createPaginate((path, init) => client.GET(path, init as never)) });
}
