/**
 * The Node adapter: node:http in front of the shared pipeline. It reads the body up to the limit and turns
 * transport-level garbage (no Host, unparsable HTTP, huge headers) into the API's own 4xx; the pipeline does
 * the rest, including the request log.
 */
import { hash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StateStore } from '../store/store.ts';
import type { OptionsOf } from '../options/types.ts';
import {
  createMock,
  logLine,
  MAX_BODY_BYTES,
  type Mock,
  type MockRequest,
  type MockResponse,
  type PublicMock,
} from '../pipeline/pipeline.ts';
import type { ApiName } from '../model/types.ts';
import { maskKeysIn } from '../auth/index.ts';
import { isControlPath } from '../control/control-api.ts';
import { createControlGuard, type Refusal } from './control-guard.ts';
import { createCors } from './cors.ts';
import { Countdown } from './countdown.ts';
import { enactFault } from './faults.ts';
import { nodeHttp } from './http-module.ts';
import {
  DEFAULT_LIMITS,
  guardTransport,
  HEAD_TOO_LARGE,
  headBytes,
  MAX_HEAD_BYTES,
  serverOptions,
} from './transport.ts';

/** startMockServer's options: the options table's `startMockServer` column (options/table.ts), typed in options/types.ts. */
export interface MockServerOptions extends Omit<OptionsOf<'startMockServer'>, 'store'> {
  /**
   * Where the state is kept: a store (MockOptions), or a Redis URL (`redis://[user:pass@]host:port[/db]`): a
   * shared sandbox, every server started on it behaving as one API (store/redis/). A Redis unreachable at start
   * stops the start; later, requests are answered 503 until it is back.
   */
  store?: StateStore | string;
}

export interface MockServer {
  api: ApiName;
  url: string;
  port: number;
  /** The mock behind the server (the package root calls this type `Mock`). */
  mock: PublicMock;
  /** The control token this server requires, if any (the docs' "Try it" relay passes it on). */
  controlToken?: string;
  /**
   * Stops listening and ends every connection (a request held by its latency or a `slow`/`hang` fault ends with
   * it), then resolves once every request under way has finished its handling: nothing of this server runs
   * after it (no validator import, no store write), so a test may end right after it.
   */
  close(): Promise<void>;
}

const utf8 = new TextDecoder();

/** The body as text, or `undefined` when it is over the limit (drained, not kept). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES)
        tooLarge = true; // keep draining so the answer can be sent
      else chunks.push(chunk);
    });
    // Decoded as Fetch's `Request.text()` decodes it (so the MSW handlers): a leading byte-order mark is dropped.
    req.on('end', () =>
      resolve(tooLarge ? undefined : utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))),
    );
    // The request ended before its body did (the client went away): there is no one to answer.
    req.on('error', reject);
    req.on('aborted', reject);
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
      if (rawHeaders[i].length === name.length && rawHeaders[i].toLowerCase() === name)
        value = value === undefined ? rawHeaders[i + 1] : `${value}, ${rawHeaders[i + 1]}`;
    }
    return value;
  };
}

/** Up to this many header lines, a name is looked up in the list itself. */
const FEW_HEADERS = 16;

function indexOfName(list: readonly [string, string][], name: string): number | undefined {
  for (let i = 0; i < list.length; i++) if (list[i][0] === name) return i;
  return undefined;
}

/**
 * Every header for the journal: lowercase names, repeated ones joined with `, ` (as Fetch's `Headers`), in the
 * order sent (the journal sorts them when it lists them, not on every request).
 */
function headerList(rawHeaders: readonly string[]): [string, string][] {
  const list: [string, string][] = [];
  // Where each name is in the list: a search of the list per header would let a request of 2,000 header lines
  // (Node's bound) cost millions of comparisons. A usual request has a handful, searched faster than a Map is made.
  const at = rawHeaders.length > 2 * FEW_HEADERS ? new Map<string, number>() : undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const index = at ? at.get(name) : indexOfName(list, name);
    if (index === undefined) {
      at?.set(name, list.length);
      list.push([name, rawHeaders[i + 1]]);
    } else list[index][1] = `${list[index][1]}, ${rawHeaders[i + 1]}`;
  }
  return list;
}

function splitUrl(rawUrl: string): { path: string; query: string } {
  // Absolute-form targets (`GET http://host/path`) are allowed by HTTP/1.1: keep only path and query.
  const target =
    rawUrl[0] !== '/' && /^[a-z][a-z0-9+.-]*:\/\//i.test(rawUrl)
      ? rawUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/'
      : rawUrl;
  const at = target.indexOf('?');
  return at === -1 ? { path: target, query: '' } : { path: target.slice(0, at), query: target.slice(at + 1) };
}

/**
 * A request as the pipeline sees it. Its `signal` (the client gone before its answer: the connection closed
 * first; aborting once answered changes nothing) is made on first read, which only a request with latency does:
 * the others pay for no controller and no listener.
 */
class NodeMockRequest implements MockRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: MockRequest['headers'];
  readonly body: string;
  readonly bodyTooLarge: boolean;
  readonly #res: ServerResponse;
  readonly #rawHeaders: readonly string[];
  #signal: AbortSignal | undefined;

  constructor(
    method: string,
    path: string,
    query: string,
    headers: MockRequest['headers'],
    rawHeaders: readonly string[],
    body: string,
    bodyTooLarge: boolean,
    res: ServerResponse,
  ) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.bodyTooLarge = bodyTooLarge;
    this.#res = res;
    this.#rawHeaders = rawHeaders;
  }

  headerList(): [string, string][] {
    return headerList(this.#rawHeaders);
  }

  get signal(): AbortSignal {
    if (!this.#signal) {
      const gone = new AbortController();
      if (this.#res.socket?.destroyed ?? true) gone.abort();
      else this.#res.once('close', () => gone.abort());
      this.#signal = gone.signal;
    }
    return this.#signal;
  }
}

/**
 * Sends an answer in one write: status line and headers (a flat list, the content length computed here, never
 * chunked) go out together with the body.
 */
function send(res: ServerResponse, answer: MockResponse): void {
  const head: (string | number)[] = [];
  for (const name in answer.headers) head.push(name, answer.headers[name]);
  if (answer.body === undefined) {
    res.writeHead(answer.status, head);
    res.end();
  } else {
    head.push('content-length', Buffer.byteLength(answer.body));
    res.writeHead(answer.status, head);
    res.end(answer.body);
  }
}

export async function startMockServer(options: MockServerOptions): Promise<MockServer> {
  // node:crypto's one-shot hash: synchronous, so a key lookup costs no thread-pool hop and no Hash object.
  // The Redis client loads only for a Redis store.
  const redis =
    typeof options.store === 'string'
      ? await (await import('../store/redis/open.ts')).openRedisStore(options.store, options.api, options.storePrefix)
      : undefined;
  let mock: Mock;
  try {
    mock = await createMock(options.api, {
      digest: (text) => hash('sha256', text, 'buffer'),
      ...options,
      store: redis?.store ?? (options.store as StateStore | undefined),
    });
  } catch (cause) {
    await redis?.close();
    throw cause;
  }
  const log = options.log;

  const transportError = (status: number, message: string): MockResponse => ({
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: mock.dialect.error(status, message),
  });

  if (options.corsCredentials && !options.cors)
    throw new Error('corsCredentials needs cors (--cors-credentials needs --cors)');
  const cors = options.cors
    ? createCors(options.cors, mock.model, mock.dialect, { credentials: options.corsCredentials })
    : undefined;

  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const guardControl = createControlGuard({
    host: options.host ?? '127.0.0.1',
    allowedOrigins: options.cors === true ? [] : options.cors,
    token: options.controlToken,
  });
  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { path, query } = splitUrl(req.url ?? '/');
    const headers = headerReader(req.rawHeaders);
    let answer: MockResponse;
    /** Refused before the pipeline: the body is not read, so the connection closes after the answer. */
    const refuse = (status: number, message: string): MockResponse => {
      res.setHeader('connection', 'close');
      log?.(logLine(req.method ?? '-', path, status, 0, undefined));
      return transportError(status, message);
    };
    let preflight: MockResponse | undefined;
    let refusal: Refusal | undefined;
    if (headBytes(req) > MAX_HEAD_BYTES) answer = refuse(431, HEAD_TOO_LARGE);
    else if ((preflight = cors?.preflight(req.method ?? 'GET', headers))) answer = preflight;
    else if (req.httpVersionMajor === 1 && req.httpVersionMinor === 1 && headers('host') === undefined)
      answer = refuse(400, 'HTTP/1.1 requests must carry a Host header');
    else if ((refusal = isControlPath(path) ? guardControl(headers) : undefined))
      answer = refuse(refusal.status, refusal.message);
    else {
      let body: string | undefined = '';
      try {
        if (req.method !== 'GET' && req.method !== 'HEAD') body = await readBody(req);
      } catch {
        // Node's parser has already answered the truncated request (clientError) or the socket is gone.
        log?.(`${req.method} ${maskKeysIn(path)} aborted by the client`);
        return;
      }
      answer = await mock.handle(
        new NodeMockRequest(
          req.method ?? 'GET',
          path,
          query,
          headers,
          req.rawHeaders,
          body ?? '',
          body === undefined,
          res,
        ),
      );
    }
    cors?.decorate(answer, headers('origin'));
    if (answer.fault) return enactFault({ ...answer, fault: answer.fault }, req, res);
    send(res, answer);
  };
  /** Requests under way: a client that went away does not end their handling, which close() waits for. */
  const underWay = new Countdown();
  // Node's own check for a missing Host header answers a bare 400; ours answers in the API's envelope.
  const server: Server = nodeHttp.createServer({ ...serverOptions(limits), requireHostHeader: false }, (req, res) => {
    underWay.start();
    handleRequest(req, res).then(underWay.end, underWay.fail);
  });

  // Requests Node's parser rejects (bad bytes, huge headers, too slow), `Expect` and `CONNECT` still get the API's envelope.
  guardTransport(server, limits, (status, message) => mock.dialect.error(status, message), log);
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  // Compile the remaining validators once start-up is over, so the first answers do not wait for them.
  let warming: Promise<void> | undefined;
  const warmUpTimer = setTimeout(() => {
    warming = mock.warmUp();
  }, 250).unref();
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    api: options.api,
    url: `http://${host}:${port}`,
    port,
    mock,
    controlToken: options.controlToken,
    close: async () => {
      clearTimeout(warmUpTimer);
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Ending the connections is what bounds the wait below: a request's signal aborts with its connection,
        // which ends its latency; a `slow` fault's timer is cleared, a `hang` holds nothing but the socket.
        server.closeAllConnections();
      });
      // Handling under way goes on without its client (to the store, importing the validators): wait for its end.
      await Promise.allSettled([underWay.idle(), warming]);
      await redis?.close();
    },
  };
}
