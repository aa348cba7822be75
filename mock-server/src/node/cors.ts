/**
 * CORS, on request (`--cors`, `--cors <origins>`, `MOCK_CORS`). Off by default on purpose: both APIs' keys are
 * server-side only, and the real APIs send no CORS headers, so a browser app that calls them directly works
 * against a CORS-enabled mock and then fails in production. When on, a preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) is answered here without a key, as API gateways do, and every answer carries
 * `Access-Control-Allow-Origin` and exposes the X-RateLimit-* headers to the page. A preflight allows the headers
 * it asks for (`Access-Control-Request-Headers`, reflected as Prism and WireMock do): a page's own headers
 * (Sentry's `sentry-trace` and `baggage`, a request id) are the page's business, not the mock's. With
 * credentials (`--cors-credentials`), answers say `Access-Control-Allow-Credentials: true` and name the origin
 * instead of `*`, which browsers refuse for a request with cookies.
 */
import { spec as controlSpec } from '../generated/mock.spec.ts';
import type { ApiModel } from '../model/types.ts';
import { CONTROL_TOKEN_HEADER } from './control-guard.ts';
import type { Dialect } from '../pipeline/dialect.ts';
import { RATE_LIMIT_HEADERS } from '../pipeline/rate-limit.ts';
import type { MockResponse } from '../pipeline/types.ts';

import type { CorsSetting } from './settings.ts';

export type { CorsSetting };

/** Headers a page may send beyond the safelisted ones, besides the API's credential headers. */
const MOCK_REQUEST_HEADERS = ['Content-Type', 'Prefer', 'X-Mock-Latency', CONTROL_TOKEN_HEADER];
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = '600';

export interface Cors {
  /** The answer to a preflight, or undefined when the request is not one. */
  preflight(method: string, headers: (name: string) => string | null | undefined): MockResponse | undefined;
  /** Adds the CORS headers an answer to this origin carries. */
  decorate(answer: MockResponse, origin: string | null | undefined): void;
}

export interface CorsOptions {
  /** `Access-Control-Allow-Credentials: true`, with the origin reflected instead of `*` (`--cors-credentials`). */
  credentials?: boolean;
}

/** The header names a preflight asks for, as a list value (lowercase, trimmed, empty entries dropped). */
function requestedHeaders(value: string | null | undefined): string | undefined {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => /^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name));
  return names.length ? names.join(', ') : undefined;
}

export function createCors(
  setting: CorsSetting,
  model: ApiModel,
  dialect: Pick<Dialect, 'error'>,
  options: CorsOptions = {},
): Cors {
  const credentials = options.credentials === true;
  // With credentials a browser refuses `*`: every origin is then named, as a listed one is.
  const anyOrigin = setting === true;
  const wildcard = anyOrigin && !credentials;
  const allowed = new Set(anyOrigin ? [] : setting);
  const methods = new Set(model.operations.map((op) => op.method));
  for (const item of Object.values<Record<string, unknown>>((controlSpec as any).paths))
    for (const method of Object.keys(item)) if (method !== 'parameters') methods.add(method.toUpperCase());
  const credentialHeaders = model.schemes.map((scheme) => (scheme.kind === 'header' ? scheme.header : 'authorization'));
  const allowHeaders = [
    ...new Set([...credentialHeaders, ...MOCK_REQUEST_HEADERS.map((name) => name.toLowerCase())]),
  ].join(', ');
  const allowMethods = [...methods].join(', ');
  const expose = RATE_LIMIT_HEADERS.join(', ');

  /** The Access-Control-Allow-Origin value for this origin, or undefined when it is not allowed. */
  const allowOrigin = (origin: string | null | undefined): string | undefined =>
    wildcard ? '*' : origin && (anyOrigin || allowed.has(origin)) ? origin : undefined;
  // What an answer gets, made once per origin: one Object.assign per request (adding the headers one by one
  // to the pipeline's object measured several microseconds on Node 20).
  const originVary = wildcard ? {} : { vary: 'Origin' };
  const credentialHeader: Record<string, string> = credentials ? { 'access-control-allow-credentials': 'true' } : {};
  const headersOf = (origin: string) => ({
    ...originVary,
    'access-control-allow-origin': origin,
    'access-control-expose-headers': expose,
    ...credentialHeader,
  });
  const headersFor = new Map([...(wildcard ? ['*'] : allowed)].map((origin) => [origin, headersOf(origin)]));
  const everyOrigin = headersFor.get('*');

  return {
    preflight(method, headers) {
      if (method !== 'OPTIONS' || !headers('access-control-request-method')) return undefined;
      const origin = headers('origin');
      const value = allowOrigin(origin);
      if (!value) {
        const message = `Origin ${origin ?? '(none)'} is not allowed: this mock allows ${[...allowed].join(', ')} (--cors / MOCK_CORS)`;
        return {
          status: 403,
          headers: { 'content-type': 'application/json; charset=utf-8', vary: 'Origin' },
          body: dialect.error(403, message),
        };
      }
      const answer: MockResponse = {
        status: 204,
        headers: {
          'access-control-allow-origin': value,
          'access-control-allow-methods': allowMethods,
          'access-control-allow-headers': requestedHeaders(headers('access-control-request-headers')) ?? allowHeaders,
          'access-control-max-age': PREFLIGHT_MAX_AGE,
          ...credentialHeader,
          // The answer depends on the headers asked for (and the origin, unless every origin gets `*`).
          vary: wildcard ? 'Access-Control-Request-Headers' : 'Origin, Access-Control-Request-Headers',
        },
      };
      return answer;
    },
    decorate(answer, origin) {
      // A preflight's own Vary (it names Access-Control-Request-Headers too) stays.
      const vary = answer.headers.vary;
      if (everyOrigin) Object.assign(answer.headers, everyOrigin);
      else if (anyOrigin) Object.assign(answer.headers, origin ? headersOf(origin) : originVary);
      else Object.assign(answer.headers, (origin && headersFor.get(origin)) ?? originVary);
      if (vary !== undefined) answer.headers.vary = vary;
    },
  };
}
