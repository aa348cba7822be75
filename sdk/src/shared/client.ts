/**
 * @module
 * The one factory behind `createMvoClient()` and `createTvmClient()`: browser check, key, transport, base URL,
 * per-operation hosts and the redacted description. Each client adds only what its API differs in (MVO's choice
 * of auth header).
 */
import createClient, { type Client } from 'openapi-fetch';
import { otherApi, type ApiProfile } from './apis.js';
import { operationHosts } from './hosts.js';
import { assertServerSide, redactor, resolveApiKey } from './key.js';
import { maskKey } from './mask.js';
import { checkBaseUrl, transportOptions, withDescription, type ClientDescription, type CommonClientOptions } from './options.js';
import { createTransport } from './transport.js';

/** How the key is sent: the header to set and how `toJSON()` names it. */
export interface KeyPlacement {
  header: 'Authorization' | 'X-API-Key';
  /** `Bearer ` for Authorization, empty for a header that holds the bare key. */
  scheme: 'Bearer ' | '';
}

/** An openapi-fetch client for `api`, with the SDK's key checks, transport and redacted description. */
export function createApiClient<Paths extends {}>(
  api: ApiProfile,
  options: CommonClientOptions,
  placement: KeyPlacement = { header: 'Authorization', scheme: 'Bearer ' },
): Client<Paths> & { toJSON(): ClientDescription } {
  const { facts, factory } = api;
  assertServerSide(options.dangerouslyAllowBrowser, factory);
  const key = resolveApiKey(options.apiKey, api, otherApi(api));
  const transport = transportOptions(options, factory, redactor(key, facts.keyPrefix));
  const custom = options.baseUrl !== undefined;
  const baseUrl = custom ? checkBaseUrl(options.baseUrl!, factory) : facts.defaultBaseUrl;
  const client = createClient<Paths>({
    baseUrl,
    fetch: createTransport(transport),
    headers: { [placement.header]: placement.scheme + key },
  });
  const hosts = custom ? undefined : operationHosts(baseUrl, facts.operationServers);
  if (hosts) client.use(hosts);
  return withDescription(client, api.clientName, {
    api: facts.apiTitle,
    baseUrl: hosts ? 'per operation (documented hosts)' : baseUrl,
    authHeader: `${placement.header}${placement.scheme ? `: ${placement.scheme.trim()}` : ''}`,
    apiKey: maskKey(key, facts.keyPrefix),
    timeoutMs: transport.timeoutMs,
    maxRetries: transport.maxRetries,
  });
}
