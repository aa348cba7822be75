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
import createClient, { type Client } from 'openapi-fetch';
import { facts } from './generated/facts.js';
import { facts as tvmFacts } from '../tvm/generated/facts.js';
import type { paths } from './generated/schema.js';
import { ConfigurationError } from '../shared/errors.js';
import { assertServerSide, redactor, resolveApiKey } from '../shared/key.js';
import { maskKey } from '../shared/mask.js';
import { checkBaseUrl, transportOptions, withDescription, type ClientDescription, type CommonClientOptions } from '../shared/options.js';
import { createTransport } from '../shared/transport.js';

const FACTORY = 'createMvoClient()';
const OTHER_API = { keyPrefix: tvmFacts.keyPrefix, apiTitle: tvmFacts.apiTitle, factory: 'createTvmClient()', entryPoint: 'virtual-commerce-sdk/tvm' };

export interface MvoClientOptions extends CommonClientOptions {
  /** Where the key goes: `X-API-Key: <key>` (default, the docs' recommendation) or `Authorization: Bearer <key>`. */
  authHeader?: 'x-api-key' | 'bearer';
}

/** The My Virtual Office client: openapi-fetch's `GET`/`POST`/`PATCH`/`DELETE`, plus a redacted `toJSON`. */
export type MvoClient = Client<paths> & { toJSON(): ClientDescription };

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;
type AnyCall = (path: string, init?: { baseUrl?: string }) => Promise<unknown>;

/**
 * The documented hosts differ per operation (create on `api.`, the rest on `app-api.`): with the default base
 * URL each call gets its operation's host as openapi-fetch's per-request `baseUrl`, so no request is rebuilt.
 * A per-call `baseUrl` still wins. (With a custom client `baseUrl`, e.g. a mock, this is not installed.)
 */
function routeToOperationHosts(client: Client<paths>): void {
  const hosts = facts.operationServers as Record<string, string>;
  const target = client as unknown as Record<string, AnyCall> & { request: (method: string, path: string, init?: { baseUrl?: string }) => Promise<unknown> };
  const withHost = (method: string, path: string, init?: { baseUrl?: string }) => {
    const baseUrl = hosts[`${method.toUpperCase()} ${path}`];
    return baseUrl && !init?.baseUrl ? { ...init, baseUrl } : init;
  };
  for (const method of METHODS) {
    const call = target[method];
    target[method] = (path, init) => call(path, withHost(method, path, init));
  }
  const request = target.request;
  target.request = (method, path, init) => request(method, path, withHost(method, path, init));
}

/**
 * Create a My Virtual Office client. Throws a `ConfigurationError` for a missing, malformed or TVM key, bad
 * numeric options, or when run in a browser without `dangerouslyAllowBrowser: true`.
 */
export function createMvoClient(options: MvoClientOptions = {}): MvoClient {
  assertServerSide(options.dangerouslyAllowBrowser, FACTORY);
  const key = resolveApiKey(options.apiKey, facts, FACTORY, OTHER_API);
  const transport = transportOptions(options, FACTORY);
  const authHeader = options.authHeader ?? 'x-api-key';
  if (authHeader !== 'x-api-key' && authHeader !== 'bearer') {
    throw new ConfigurationError(`${FACTORY}: \`authHeader\` must be 'x-api-key' or 'bearer', got ${JSON.stringify(authHeader)}.`);
  }
  const custom = options.baseUrl !== undefined;
  const baseUrl = custom ? checkBaseUrl(options.baseUrl!, FACTORY) : facts.defaultBaseUrl;
  const client = createClient<paths>({
    baseUrl,
    fetch: createTransport({ ...transport, redact: redactor(key, facts.keyPrefix) }),
    headers: authHeader === 'bearer' ? { Authorization: `Bearer ${key}` } : { 'X-API-Key': key },
  });
  if (!custom) routeToOperationHosts(client);
  return withDescription(client, 'MvoClient', {
    api: facts.apiTitle,
    baseUrl: custom ? baseUrl : 'per operation (documented hosts)',
    authHeader: authHeader === 'bearer' ? 'Authorization: Bearer' : 'X-API-Key',
    apiKey: maskKey(key, facts.keyPrefix),
    timeoutMs: transport.timeoutMs,
    maxRetries: transport.maxRetries,
  });
}
