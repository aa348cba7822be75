/**
 * What a node:http server of this package does below the request handler, shared by the mock server and the
 * validating proxy: the limits on headers, slow clients and connections, and an answer in the API's error
 * envelope for everything Node would otherwise answer with a bare status or a closed socket (bytes that are
 * not HTTP, headers over the limit, a client too slow to send its headers, `Expect`, `CONNECT`).
 */
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { reasonPhrase } from '../pipeline/dialect.ts';
import type { TransportLimits } from './settings.ts';

/** The request head (request line and header lines) a server takes, in bytes: 16 KiB. */
export const MAX_HEAD_BYTES = 16_384;
export const HEAD_TOO_LARGE = `Request headers are too large (limit ${MAX_HEAD_BYTES} bytes)`;

export type { TransportLimits };

/** The defaults, as the READMEs state them: a dev mock answers one machine's clients, not the internet. */
export const DEFAULT_LIMITS: TransportLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 1_024,
};

const LAST_ANSWER = Symbol('last answer started on this connection');
type Tracked = Duplex & { [LAST_ANSWER]?: ServerResponse };

/** Writes an error body in the API's envelope. */
export type ErrorBody = (status: number, message: string) => string;

/** Options for `createServer`: the head limit, and the timeouts checked often enough to matter (Node checks every 30 s by default). */
export function serverOptions(limits: TransportLimits): ServerOptions {
  return {
    maxHeaderSize: MAX_HEAD_BYTES,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, Math.max(10, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

/**
 * The request head's size as sent in the usual form (`name: value` CRLF per line): Node's `maxHeaderSize`
 * counts only names and values, so 1,000 short lines of 20 KB in all would pass it.
 */
export function headBytes(req: IncomingMessage): number {
  let size = req.method!.length + req.url!.length + 12; // `METHOD URL HTTP/1.1` CRLF
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) size += raw[i].length + raw[i + 1].length + 4;
  return size + 2; // the blank line
}

/** A whole HTTP/1.1 answer as bytes, for sockets no ServerResponse owns; the connection closes after it. */
function rawAnswer(status: number, body: string): string {
  return `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

function refusalOf(code: string | undefined): { status: number; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, message: HEAD_TOO_LARGE };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, message: 'The request was not received in time' };
  return { status: 400, message: 'The request could not be parsed as HTTP' };
}

/**
 * Installs the limits and the enveloped answers on `server`. `log` gets one line per refusal.
 */
export function guardTransport(
  server: Server,
  limits: TransportLimits,
  errorBody: ErrorBody,
  log?: (line: string) => void,
): void {
  server.maxConnections = limits.maxConnections;
  // The last answer started on each connection, kept on its socket: a parse error after a valid request waits
  // for its answer, which would otherwise be cut off by the error's (Node answers pipelined requests in order).
  // A request whose body the error cut short is not waited for: the error is its answer. (A property, not a
  // WeakMap entry and a `close` listener per request: this runs on every request.)
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    (req.socket as Tracked)[LAST_ANSWER] = res;
  });

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const { status, message } = refusalOf(err.code);
    log?.(`clientError ${status} ${err.code ?? ''}`);
    const answer = () =>
      socket.writable ? socket.end(rawAnswer(status, errorBody(status, message))) : socket.destroy();
    const inFlight = (socket as Tracked)[LAST_ANSWER];
    if (inFlight?.req.complete && !inFlight.writableFinished && !inFlight.destroyed) inFlight.once('close', answer);
    else answer();
  });

  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const body = errorBody(
      417,
      `Expect: ${String(req.headers.expect).slice(0, 100)} is not supported; only 100-continue is`,
    );
    res.writeHead(417, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    res.end(body);
    log?.(`${req.method} → 417 (Expect)`);
  });

  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.end(rawAnswer(405, errorBody(405, 'CONNECT is not supported: this server is not a forward proxy')));
    log?.('CONNECT → 405');
  });
}
