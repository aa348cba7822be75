/**
 * Where a request goes and how it gets there: the real API's host for the operation (MVO has two, one per
 * operation, assumption MVO-A1; read from the spec's `servers`), or one `--target` origin for everything;
 * over HTTP or HTTPS (system CAs, NODE_EXTRA_CA_CERTS, and an optional extra CA file), with a timeout.
 */
import { readFileSync } from 'node:fs';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { nodeHttp } from '../node/http-module.ts';
import { embeddedSpec, type ApiName, type OperationModel } from '../model/index.ts';
import { specOperation } from './links.ts';

export interface UpstreamOptions {
  /** One origin (optionally with a base path) for every request, instead of the spec's hosts. */
  target?: string;
  /** PEM text of extra CA certificates to trust (on top of the system's and NODE_EXTRA_CA_CERTS). */
  ca?: string;
  /** How long the upstream may stay silent (connecting, before answering, between chunks). */
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Why no usable answer came: the proxy turns these into 502 and 504 in the API's own envelope. */
export class UpstreamError extends Error {
  constructor(
    /** `invalid`: an answer came that HTTP does not let a proxy pass on (a status outside 200–599, a protocol switch). */
    readonly kind: 'unreachable' | 'timeout' | 'invalid',
    message: string,
  ) {
    super(message);
  }

  get status(): 502 | 504 {
    return this.kind === 'timeout' ? 504 : 502;
  }
}

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1): a proxy must not forward them.
 * `host` is set for the upstream instead; everything else goes through unchanged.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/** Raw header lines (name, value, name, value…) without the hop-by-hop ones, casing and order kept. */
export function endToEndHeaders(rawHeaders: readonly string[]): string[] {
  const named = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === 'connection')
      for (const name of rawHeaders[i + 1].split(',')) named.add(name.trim().toLowerCase());
  }
  const kept: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (!HOP_BY_HOP.has(name) && !named.has(name)) kept.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return kept;
}

/** The base URL an operation is served from: `--target`, else the spec's (operation, path, then root) server. */
export function upstreamBase(api: ApiName, op: OperationModel | undefined, target?: string): string {
  if (target) return target;
  const spec = embeddedSpec(api);
  const servers = (op && (specOperation(spec, op).servers ?? spec.paths[op.path].servers)) ?? spec.servers;
  return servers[0].url;
}

/** Where one request goes: the base URL's origin, and its base path followed by the request target exactly as sent. */
export interface UpstreamTarget {
  origin: URL;
  /** Path and query, byte for byte as the client sent them (a URL object would re-encode some characters). */
  path: string;
  href: string;
}

export function upstreamTarget(base: string, requestTarget: string): UpstreamTarget {
  const origin = new URL(base);
  const path = `${origin.pathname.replace(/\/+$/, '')}${requestTarget}`;
  return { origin, path, href: `${origin.origin}${path}` };
}

/** The system CAs, NODE_EXTRA_CA_CERTS and the given PEM: passing `ca` replaces Node's defaults, so all three go in. */
function trustedCas(extra: string): string[] {
  const fromEnv = process.env.NODE_EXTRA_CA_CERTS;
  return [...rootCertificates, ...(fromEnv ? [readFileSync(fromEnv, 'utf8')] : []), extra];
}

export interface Upstream {
  /** Opens a request; write the body to it and end it. Rejects with UpstreamError when no answer comes. */
  open(
    target: UpstreamTarget,
    method: string,
    rawHeaders: readonly string[],
  ): { request: ClientRequest; response: Promise<IncomingMessage> };
  /** Sends a whole request and reads the whole answer (the probe's way). */
  send(
    target: UpstreamTarget,
    method: string,
    rawHeaders: readonly string[],
    body?: string,
  ): Promise<{ status: number; rawHeaders: string[]; body: Buffer }>;
  close(): void;
}

export function createUpstream(options: UpstreamOptions): Upstream {
  const httpAgent = new nodeHttp.Agent({ keepAlive: true });
  const httpsAgent = new HttpsAgent({ keepAlive: true, ...(options.ca && { ca: trustedCas(options.ca) }) });

  const open: Upstream['open'] = (target, method, rawHeaders) => {
    const url = target.origin;
    const secure = url.protocol === 'https:';
    const request = (secure ? httpsRequest : nodeHttp.request)(url, {
      method,
      path: target.path,
      headers: [...rawHeaders, 'Host', url.host],
      agent: secure ? httpsAgent : httpAgent,
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      request.setTimeout(options.timeoutMs, () =>
        request.destroy(
          new UpstreamError('timeout', `got no answer from ${url.origin} within ${options.timeoutMs} ms`),
        ),
      );
      request.once('response', (answer: IncomingMessage) => {
        // 1xx answers other than 100 and 101 are interim (Node skips them); a final status must be 200–599.
        const status = answer.statusCode ?? 0;
        if (status >= 200 && status <= 599) return resolve(answer);
        request.destroy(
          new UpstreamError(
            'invalid',
            `got status ${String(status).padStart(3, '0')} from ${url.origin}, which is not a final HTTP status`,
          ),
        );
      });
      // A 101 to a request that asked for no upgrade: there is nothing to pass on, and the timeout no longer runs.
      request.once('upgrade', (_answer: IncomingMessage, socket) => {
        socket.destroy();
        reject(
          new UpstreamError('invalid', `got 101 Switching Protocols from ${url.origin}, which it does not forward`),
        );
      });
      // Whatever else ends the exchange without an answer (a settled promise ignores it).
      request.once('close', () =>
        reject(new UpstreamError('unreachable', `got no answer from ${url.origin}: it closed the connection`)),
      );
      // `on`, not `once`: a destroyed request may emit more than one error, and an unheard one would crash the process.
      request.on('error', (error: NodeJS.ErrnoException) => {
        reject(
          error instanceof UpstreamError
            ? error
            : new UpstreamError(
                'unreachable',
                `could not reach ${url.origin}: ${error.message}${error.code && !error.message.includes(error.code) ? ` (${error.code})` : ''}`,
              ),
        );
      });
    });
    return { request, response };
  };

  return {
    open,
    async send(target, method, rawHeaders, body) {
      const { request, response } = open(target, method, rawHeaders);
      request.end(body);
      const answer = await response;
      const chunks: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.once('end', resolve);
        answer.once('error', reject);
        answer.once('aborted', () =>
          reject(
            new UpstreamError(
              'unreachable',
              `got a cut-off answer from ${target.origin.origin}: it closed the connection mid-answer`,
            ),
          ),
        );
      });
      return { status: answer.statusCode!, rawHeaders: answer.rawHeaders, body: Buffer.concat(chunks) };
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
