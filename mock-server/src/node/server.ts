/**
 * The Node adapter: node:http in front of the shared pipeline. It reads the body up to the limit,
 * turns transport-level garbage into the API's own 4xx, and logs one line per request with the key masked.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createMock, MAX_BODY_BYTES, unexpectedFailure, type Mock, type MockOptions, type MockResponse } from '../pipeline/pipeline.ts';
import { dialectFor, reasonPhrase } from '../pipeline/dialect.ts';
import type { ApiName } from '../model/types.ts';

export interface MockServerOptions extends MockOptions {
  api: ApiName;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Receives one line per request; silent when omitted. */
  log?: (line: string) => void;
}

export interface MockServer {
  api: ApiName;
  url: string;
  port: number;
  mock: Mock;
  close(): Promise<void>;
}

const utf8 = new TextDecoder();

function readBody(req: IncomingMessage): Promise<string | { tooLarge: true }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true; // keep draining so the answer can be sent
      else chunks.push(chunk);
    });
    // Decoded as Fetch's `Request.text()` decodes it (so the MSW handlers): a leading byte-order mark is dropped.
    req.on('end', () => resolve(tooLarge ? { tooLarge: true } : utf8.decode(Buffer.concat(chunks))));
    req.on('error', () => reject(new ClientGone()));
    req.on('aborted', () => reject(new ClientGone()));
  });
}

/**
 * Reads a header the way Fetch's `Headers.get` does (and so the MSW handlers): every field line with that
 * name, joined with `, `. Node's `req.headers` keeps only the first `Authorization` or `Content-Type` line and
 * drops the rest, which would let a second, conflicting credential go unseen.
 */
function headerReader(rawHeaders: readonly string[]): (name: string) => string | undefined {
  return (name) => {
    let value: string | undefined;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      if (rawHeaders[i].length === name.length && rawHeaders[i].toLowerCase() === name) value = value === undefined ? rawHeaders[i + 1] : `${value}, ${rawHeaders[i + 1]}`;
    }
    return value;
  };
}

/** The request ended before its body did (the client went away): there is no one to answer. */
class ClientGone extends Error {}

function splitUrl(rawUrl: string): { path: string; query: string } {
  // Absolute-form targets (`GET http://host/path`) are allowed by HTTP/1.1: keep only path and query.
  const target = /^[a-z][a-z0-9+.-]*:\/\//i.test(rawUrl) ? rawUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/' : rawUrl;
  const at = target.indexOf('?');
  return at === -1 ? { path: target, query: '' } : { path: target.slice(0, at), query: target.slice(at + 1) };
}

export async function startMockServer(options: MockServerOptions): Promise<MockServer> {
  const mock = await createMock(options.api, { digest: (text) => createHash('sha256').update(text).digest(), ...options });
  const dialect = dialectFor(mock.model);
  const log = options.log;

  const send = (res: ServerResponse, answer: MockResponse) => {
    res.writeHead(answer.status, answer.body === undefined ? answer.headers : { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  };

  const transportError = (status: number, message: string): MockResponse => ({
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(dialect.error(status, message)),
  });

  // Node's own check for a missing Host header answers a bare 400; ours answers in the API's envelope.
  const server: Server = createServer({ maxHeaderSize: 16_384, requireHostHeader: false }, async (req, res) => {
    const started = performance.now();
    const { path, query } = splitUrl(req.url ?? '/');
    let answer: MockResponse;
    try {
      const headers = headerReader(req.rawHeaders);
      if (req.httpVersionMajor === 1 && req.httpVersionMinor === 1 && headers('host') === undefined) {
        answer = transportError(400, 'HTTP/1.1 requests must carry a Host header');
        res.setHeader('connection', 'close');
      } else {
        const body = req.method === 'GET' || req.method === 'HEAD' ? '' : await readBody(req);
        answer = await mock.handle({
          method: req.method ?? 'GET',
          path,
          query,
          headers,
          body: typeof body === 'string' ? body : 'x'.repeat(MAX_BODY_BYTES + 1),
        });
      }
    } catch (cause) {
      if (cause instanceof ClientGone) {
        // Node's parser has already answered the truncated request (clientError) or the socket is gone.
        log?.(`${req.method} ${path} aborted by the client`);
        return;
      }
      // A bug of ours, never the caller's: say so in the API's envelope and keep serving.
      log?.(`error ${req.method} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
      answer = unexpectedFailure(mock.model);
    }
    send(res, answer);
    log?.(`${req.method} ${path} ${answer.status} ${(performance.now() - started).toFixed(1)}ms key=${answer.keyHint ?? '-'}`);
  });

  // Requests Node's parser rejects (bad bytes, huge headers) still get the API's envelope.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const message = status === 431 ? 'Request headers are too large' : 'The request could not be parsed as HTTP';
    const body = transportError(status, message).body!;
    socket.end(`HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    log?.(`clientError ${status} ${err.code ?? ''}`);
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  // Compile the remaining validators once start-up is over, so the first answers do not wait for them.
  setTimeout(() => void mock.warmUp(), 250).unref();
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    api: options.api,
    url: `http://${host}:${port}`,
    port,
    mock,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
