/**
 * @module
 * `createMvoClient()`: an openapi-fetch client for the My Virtual Office API, typed from the spec.
 *
 * @example
 * ```ts
 * const mvo = createMvoClient(); // key from VIRTUAL_HUB_API_KEY
 * const customer = await mvo.customers.create({ first_name: 'John', last_name: 'Doe', email: 'john@example.com' });
 * ```
 */
import { throwApiError } from './errors.js';
import { resources } from './generated/resources.js';
import type { paths } from './generated/schema.js';
import { bindResources, type Resources } from '../shared/resources.js';
import { MVO } from '../shared/apis.js';
import { createApiClient, type SdkClient } from '../shared/client.js';
import { ConfigurationError } from '../shared/errors.js';
import type { CommonClientOptions } from '../shared/options.js';

export interface MvoClientOptions extends CommonClientOptions {
  /** Where the key goes: `X-API-Key: <key>` (default, the docs' recommendation) or `Authorization: Bearer <key>`. */
  authHeader?: 'x-api-key' | 'bearer';
}

/**
 * The My Virtual Office client: resource methods generated from the spec (`customers.create/get/update/delete`:
 * data back, typed errors thrown), openapi-fetch's `GET`/`POST`/`PATCH`/`DELETE` path methods (each also taking
 * `timeoutMs` and `maxRetries`), plus a redacted `toJSON`.
 */
export type MvoClient = SdkClient<paths> & Resources<paths, typeof resources>;

/**
 * Create a My Virtual Office client. Throws a `ConfigurationError` for a missing, malformed or TVM key, bad
 * numeric options, or when run in a browser without `dangerouslyAllowBrowser: true`. With the default base URL,
 * each operation goes to its documented host (create on `api.`, the rest on `app-api.`).
 */
export function createMvoClient(options: MvoClientOptions = {}): MvoClient {
  const authHeader = options.authHeader ?? 'x-api-key';
  if (authHeader !== 'x-api-key' && authHeader !== 'bearer') {
    throw new ConfigurationError(
      `${MVO.factory}: \`authHeader\` must be 'x-api-key' or 'bearer', got ${JSON.stringify(authHeader)}.`,
    );
  }
  const client = createApiClient<paths>(
    MVO,
    options,
    authHeader === 'bearer' ? { header: 'Authorization', scheme: 'Bearer ' } : { header: 'X-API-Key', scheme: '' },
  );
  return Object.assign(
    client,
    bindResources<paths, typeof resources>(client, resources, {
      throwError: throwApiError,
      enveloped: MVO.facts.enveloped,
    }),
  );
}
