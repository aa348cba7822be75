/**
 * @module
 * The one factory behind `createMvoClient()` and `createTvmClient()`: browser check, key, transport, base URL,
 * per-operation hosts and the redacted description. Each client adds only what its API differs in (MVO's choice
 * of auth header).
 */
import createClient, {
  type Client,
  type ClientPathsWithMethod,
  type FetchResponse,
  type MaybeOptionalInit,
} from 'openapi-fetch';
import { otherApi, type ApiProfile } from './apis.js';
import { operationHosts } from './hosts.js';
import { assertServerSide, redactor, resolveApiKey } from './key.js';
import { maskKey } from './mask.js';
import {
  checkBaseUrl,
  chooseBaseUrl,
  transportOptions,
  withDescription,
  type ClientDescription,
  type CommonClientOptions,
} from './options.js';
import { createTransport, type CallOptions } from './transport.js';

type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
type MediaType = `${string}/${string}`;
// biome-ignore lint/complexity/noBannedTypes: `{} extends Pick<T, K>` is true exactly when K is optional in T (any object type would do, and `{}` says it plainest).
type RequiredKeysOf<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
/** openapi-fetch's init for one operation plus the SDK's per-call options: closed, so a misspelt key does not compile. */
type InitOf<Paths, Path extends keyof Paths, Method extends HttpMethod> = MaybeOptionalInit<
  Paths[Path],
  Method & keyof Paths[Path]
> &
  CallOptions;
/** The init parameter: optional unless something in it is required. */
type InitParam<Init> = RequiredKeysOf<Init> extends never ? [init?: Init] : [init: Init];
type CallMethod<Paths extends {}, Method extends HttpMethod> = <
  Path extends ClientPathsWithMethod<Client<Paths>, Method>,
>(
  url: Path,
  ...init: InitParam<InitOf<Paths, Path, Method>>
) => Promise<FetchResponse<Paths[Path][Method & keyof Paths[Path]] & {}, InitOf<Paths, Path, Method>, MediaType>>;

/**
 * An openapi-fetch client whose calls also take {@link CallOptions} (`timeoutMs`, `maxRetries`), typed, and which
 * describes itself without its key.
 */
export type SdkClient<Paths extends {}> = Omit<Client<Paths>, Uppercase<HttpMethod> | 'request'> & {
  [Method in HttpMethod as Uppercase<Method>]: CallMethod<Paths, Method>;
} & {
  request<Method extends HttpMethod, Path extends ClientPathsWithMethod<Client<Paths>, Method>>(
    method: Method,
    url: Path,
    ...init: InitParam<InitOf<Paths, Path, Method>>
  ): Promise<FetchResponse<Paths[Path][Method & keyof Paths[Path]] & {}, InitOf<Paths, Path, Method>, MediaType>>;
  toJSON(): ClientDescription;
};

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
): SdkClient<Paths> {
  const { facts, factory } = api;
  assertServerSide(options.dangerouslyAllowBrowser, factory);
  const key = resolveApiKey(options.apiKey, api, otherApi(api));
  const transport = transportOptions(options, factory, redactor(key, facts.keyPrefix));
  const { baseUrl: chosen, source } = chooseBaseUrl(options.baseUrl, facts.baseUrlEnvVar);
  const custom = chosen !== undefined;
  const baseUrl = custom ? checkBaseUrl(chosen, source, factory, facts.pathPrefix) : facts.defaultBaseUrl;
  const client = createClient<Paths>({
    baseUrl,
    fetch: createTransport(transport),
    headers: { [placement.header]: placement.scheme + key },
  });
  const hosts = custom ? undefined : operationHosts(baseUrl, facts.operationServers);
  if (hosts) client.use(hosts);
  // The same object, typed with the per-call options: openapi-fetch copies unknown init keys onto the Request,
  // where the transport reads them.
  return withDescription(client as unknown as SdkClient<Paths>, api.clientName, {
    api: facts.apiTitle,
    baseUrl: hosts ? 'per operation (documented hosts)' : baseUrl,
    authHeader: `${placement.header}${placement.scheme ? `: ${placement.scheme.trim()}` : ''}`,
    apiKey: maskKey(key, facts.keyPrefix),
    timeoutMs: transport.timeoutMs,
    maxRetries: transport.maxRetries,
  });
}
