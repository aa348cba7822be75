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
import createClient, { type Client } from 'openapi-fetch';
import { facts } from './generated/facts.js';
import { facts as mvoFacts } from '../mvo/generated/facts.js';
import type { paths } from './generated/schema.js';
import { assertServerSide, redactor, resolveApiKey } from '../shared/key.js';
import { maskKey } from '../shared/mask.js';
import { checkBaseUrl, transportOptions, withDescription, type ClientDescription, type CommonClientOptions } from '../shared/options.js';
import { createTransport } from '../shared/transport.js';

const FACTORY = 'createTvmClient()';
const OTHER_API = { keyPrefix: mvoFacts.keyPrefix, apiTitle: mvoFacts.apiTitle, factory: 'createMvoClient()', entryPoint: 'virtual-commerce-sdk/mvo' };

/** TVM accepts only `Authorization: Bearer <key>`, so there is no `authHeader` option. */
export interface TvmClientOptions extends CommonClientOptions {}

/** The Virtual Mall client: openapi-fetch's `GET`/`POST`/`PUT`/`DELETE`, plus a redacted `toJSON`. */
export type TvmClient = Client<paths> & { toJSON(): ClientDescription };

/**
 * Create a Virtual Mall client. Throws a `ConfigurationError` for a missing, malformed or MVO key, bad numeric
 * options, or when run in a browser without `dangerouslyAllowBrowser: true`.
 */
export function createTvmClient(options: TvmClientOptions = {}): TvmClient {
  assertServerSide(options.dangerouslyAllowBrowser, FACTORY);
  const key = resolveApiKey(options.apiKey, facts, FACTORY, OTHER_API);
  const transport = transportOptions(options, FACTORY);
  const baseUrl = options.baseUrl === undefined ? facts.defaultBaseUrl : checkBaseUrl(options.baseUrl, FACTORY);
  const client = createClient<paths>({
    baseUrl,
    fetch: createTransport({ ...transport, redact: redactor(key, facts.keyPrefix) }),
    headers: { Authorization: `Bearer ${key}` },
  });
  return withDescription(client, 'TvmClient', {
    api: facts.apiTitle,
    baseUrl,
    authHeader: 'Authorization: Bearer',
    apiKey: maskKey(key, facts.keyPrefix),
    timeoutMs: transport.timeoutMs,
    maxRetries: transport.maxRetries,
  });
}
