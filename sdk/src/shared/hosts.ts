/**
 * @module
 * Per-operation hosts as openapi-fetch middleware. Where a spec gives operations their own `servers` (MVO creates
 * on `api.`, reads, updates and deletes on `app-api.`), a request built for the client's default base URL is
 * rebuilt for its operation's host. A client with a custom `baseUrl` (a mock), a per-call `baseUrl`, and every
 * operation already on the default host pass through untouched.
 */
import type { Middleware } from 'openapi-fetch';

/** The middleware, or `undefined` when every operation lives on `defaultBaseUrl` (nothing to do, no cost). */
export function operationHosts(
  defaultBaseUrl: string,
  hosts: Readonly<Record<string, string>>,
): Middleware | undefined {
  if (Object.values(hosts).every((host) => host === defaultBaseUrl)) return undefined;
  return {
    onRequest({ request, schemaPath, options }) {
      if (options.baseUrl !== defaultBaseUrl) return undefined; // a per-call baseUrl wins
      const host = hosts[`${request.method} ${schemaPath}`];
      if (host === undefined || host === defaultBaseUrl) return undefined;
      // carry the call's extra options (`timeoutMs`, `maxRetries`), which openapi-fetch put on the Request as
      // string-keyed own properties (the runtime's own state may sit in symbol-keyed ones: leave those)
      const callOptions = Object.fromEntries(Object.entries(request));
      return Object.assign(new Request(host + request.url.slice(defaultBaseUrl.length), request), callOptions);
    },
  };
}
