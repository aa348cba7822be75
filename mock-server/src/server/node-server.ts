/**
 * The Node adapter: node:http in front of the shared pipeline. It reads the body up to the limit,
 * turns transport-level garbage into the API's own 4xx, and logs one line per request with the key masked.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createMock, MAX_BODY_BYTES, unexpectedFailure, type Mock, type MockOptions, type MockResponse } from '../http/pipeline.ts';
import { dialectFor } from '../http/dialect.ts';
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
    req.on('end', () => resolve(tooLarge ? { tooLarge: true } : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

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

  const server: Server = createServer({ maxHeaderSize: 16_384 }, async (req, res) => {
    const started = performance.now();
    const { path, query } = splitUrl(req.url ?? '/');
    let answer: MockResponse;
    try {
      const body = req.method === 'GET' || req.method === 'HEAD' ? '' : await readBody(req);
      const headers = (name: string) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value.join(', ') : value;
      };
      answer = await mock.handle({
        method: req.method ?? 'GET',
        path,
        query,
        headers,
        body: typeof body === 'string' ? body : 'x'.repeat(MAX_BODY_BYTES + 1),
      });
    } catch (cause) {
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
    const body = JSON.stringify(dialect.error(status, message));
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    log?.(`clientError ${status} ${err.code ?? ''}`);
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  void mock.warmUp();
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
