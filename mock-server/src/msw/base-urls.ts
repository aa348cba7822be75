/**
 * Where the handlers listen: the hosts the spec's `servers` name (root, path and operation level),
 * or the base URLs a test passes. Nothing is retyped here; the spec is the only source of hosts.
 */
import { embeddedSpec, type ApiName } from '../model/index.ts';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every distinct server URL of the API's spec, in spec order (root first, then paths, then operations). */
export function specServerUrls(api: ApiName): string[] {
  const spec = embeddedSpec(api);
  const urls: string[] = [];
  const collect = (servers: unknown) => {
    for (const server of (servers ?? []) as { url?: unknown }[]) {
      if (typeof server?.url === 'string') urls.push(trimBaseUrl(server.url));
    }
  };
  collect(spec.servers);
  for (const item of Object.values((spec.paths ?? {}) as Record<string, Record<string, any>>)) {
    collect(item.servers);
    for (const method of HTTP_METHODS) collect(item[method]?.servers);
  }
  return [...new Set(urls)];
}

/** `https://host/base/` → `https://host/base`: handlers add `/*` themselves. */
export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The path part of a base URL (`http://localhost/tvm` → `/tvm`; relative `/tvm` stays), without a trailing slash. */
export function basePathOf(baseUrl: string): string {
  return new URL(baseUrl, 'http://relative.invalid').pathname.replace(/\/+$/, '');
}

export function resolveBaseUrls(api: ApiName, baseUrl: string | readonly string[] | undefined): string[] {
  const given = baseUrl === undefined ? specServerUrls(api) : typeof baseUrl === 'string' ? [baseUrl] : [...baseUrl];
  if (given.length === 0) throw new Error(`${api} MSW handlers: baseUrl is empty`);
  return [...new Set(given.map(trimBaseUrl))];
}
