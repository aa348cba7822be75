/**
 * Who may drive a mock's control API over the network. The control API mints admin keys, installs faults and
 * replaces data, so a web page the developer happens to visit must not reach it: a browser sends a cross-site
 * `text/plain` or form POST without asking first (no CORS preflight), and a DNS-rebinding page reaches
 * 127.0.0.1 under its own name. So, as the Vite and webpack dev servers now do:
 *
 * - the `Host` must be a loopback name (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`), the `--host` the
 *   mock listens on, or, when it listens beyond this machine (`0.0.0.0`, a LAN address), an IP address;
 * - a cross-site request (`Sec-Fetch-Site: cross-site | same-site`, or an `Origin` other than the mock's own)
 *   is refused unless `--cors` lists its origin by name (`--cors *` opens the API, not the control API);
 * - when the mock listens beyond this machine, every control request carries the token (`X-Mock-Token`).
 *
 * Node only: under MSW the page itself is the client and there is no socket to guard. The docs server's
 * "Try it" relay applies the same rules to what it forwards (docs/serve.ts).
 */
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import { timingSafeEqual } from '../auth/constant-time.ts';

/** The request header that carries the control token. */
export const CONTROL_TOKEN_HEADER = 'X-Mock-Token';

export interface ControlGuardOptions {
  /** The interface the server listens on (`--host`). */
  host: string;
  /** Origins (`scheme://host[:port]`) whose pages may drive the control API: `--cors`'s list. */
  allowedOrigins?: readonly string[];
  /** Required in `X-Mock-Token` on every control request when set. */
  token?: string;
}

export interface Refusal {
  status: 401 | 403;
  message: string;
}

type HeaderReader = (lowercaseName: string) => string | null | undefined;

/** The host name of a `Host` header or URL host: lower case, without port or trailing dot; IPv6 keeps its brackets. */
export function hostnameOf(host: string): string {
  const value = host.trim().toLowerCase();
  const name = value.startsWith('[') ? value.slice(0, value.indexOf(']') + 1) : value.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

const unbracketed = (name: string) => name.replace(/^\[|\]$/g, '');

/** Whether a host name always means this machine. */
export function isLoopbackName(hostname: string): boolean {
  const name = hostnameOf(hostname);
  if (name === 'localhost' || name.endsWith('.localhost') || unbracketed(name) === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/** Whether a server listening on `host` can be reached from other machines (`0.0.0.0`, `::`, a LAN address or name). */
export function listensBeyondLoopback(host: string): boolean {
  return !isLoopbackName(host);
}

/** A fresh control token: 24 random bytes, URL-safe. */
export function newControlToken(): string {
  return randomBytes(24).toString('base64url');
}

const encoder = new TextEncoder();

export function createControlGuard(options: ControlGuardOptions): (headers: HeaderReader) => Refusal | undefined {
  const bindName = hostnameOf(options.host);
  const open = listensBeyondLoopback(options.host);
  const allowed = new Set(options.allowedOrigins ?? []);
  const token = options.token === undefined ? undefined : encoder.encode(options.token);

  const hostAllowed = (host: string) => {
    const name = hostnameOf(host);
    return isLoopbackName(name) || name === bindName || (open && isIP(unbracketed(name)) !== 0);
  };

  return (headers) => {
    const host = headers('host');
    if (host !== undefined && host !== null && !hostAllowed(host)) {
      return {
        status: 403,
        message: `Host ${JSON.stringify(host.slice(0, 100))} is not this mock's: the control API answers to localhost, 127.0.0.1, [::1] or the --host it listens on`,
      };
    }
    const origin = headers('origin');
    const site = headers('sec-fetch-site');
    const ownOrigin = host ? `http://${host.trim().toLowerCase()}` : undefined;
    const crossSite =
      site === 'cross-site' ||
      site === 'same-site' ||
      (origin !== undefined && origin !== null && origin.toLowerCase() !== ownOrigin);
    if (crossSite && !(origin && allowed.has(origin))) {
      return {
        status: 403,
        message: `Cross-site control requests are refused (Origin ${origin ?? 'none'}); list the page's origin with --cors <origin> to allow it`,
      };
    }
    if (token) {
      const sent = headers(CONTROL_TOKEN_HEADER.toLowerCase());
      if (!sent || !timingSafeEqual(encoder.encode(sent), token)) {
        return {
          status: 401,
          message: `Control requests to this mock need its token in the ${CONTROL_TOKEN_HEADER} header (printed at start; --control-token / MOCK_CONTROL_TOKEN)`,
        };
      }
    }
    return undefined;
  };
}
