/**
 * @module
 * `createMvoClient()`: an openapi-fetch client for the My Virtual Office API, typed from the spec.
 *
 * @example
 * ```ts
 * const mvo = createMvoClient(); // key from VIRTUAL_HUB_API_KEY
 * const { data, error } = await mvo.POST('/api/customers', {
 *   body: { first_name: 'John', last_name: 'Doe', email: 'john@example.com' },
 * });
 * ```
 */
import type { paths } from './generated/schema.js';
import { MVO } from '../shared/apis.js';
import { createApiClient, type SdkClient } from '../shared/client.js';
import { ConfigurationError } from '../shared/errors.js';
import type { CommonClientOptions } from '../shared/options.js';

export interface MvoClientOptions extends CommonClientOptions {
  /** Where the key goes: `X-API-Key: <key>` (default, the docs' recommendation) or `Authorization: Bearer <key>`. */
  authHeader?: 'x-api-key' | 'bearer';
}

/** The My Virtual Office client: openapi-fetch's `GET`/`POST`/`PATCH`/`DELETE` (each also taking `timeoutMs` and `maxRetries`), plus a redacted `toJSON`. */
export type MvoClient = SdkClient<paths>;

/**
 * Create a My Virtual Office client. Throws a `ConfigurationError` for a missing, malformed or TVM key, bad
 * numeric options, or when run in a browser without `dangerouslyAllowBrowser: true`. With the default base URL,
 * each operation goes to its documented host (create on `api.`, the rest on `app-api.`).
 */
export function createMvoClient(options: MvoClientOptions = {}): MvoClient {
  const authHeader = options.authHeader ?? 'x-api-key';
  if (authHeader !== 'x-api-key' && authHeader !== 'bearer') {
    throw new ConfigurationError(`${MVO.factory}: \`authHeader\` must be 'x-api-key' or 'bearer', got ${JSON.stringify(authHeader)}.`);
  }
  return createApiClient<paths>(MVO, options, authHeader === 'bearer' ? { header: 'Authorization', scheme: 'Bearer ' } : { header: 'X-API-Key', scheme: '' });
}
