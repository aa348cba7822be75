/**
 * The docs server: the built docs (docs/dist/) as static files, plus two routes for the pages' scripts
 * (docs/src/local-api.ts). `startDocsServer()` is what `npm start` calls, with the mocks it started;
 * `tsx docs/serve.ts [--port 4000] [--host 127.0.0.1] [--root docs/dist] [--mvo URL] [--tvm URL]` runs it alone.
 *
 * - Static files: GET and HEAD only; `/` and directories serve their index.html; unknown files answer 404;
 *   paths are decoded and resolved, and anything that would leave the root (`..`, encoded or not) answers 404.
 *   Text is sent compressed when the client accepts it (br, else gzip; compressed once per file version and
 *   kept), every file with an ETag (304 on a match); a file named by its content hash (`redoc-<hash>.js`, the
 *   Redoc library all pages share) may be cached for good, everything else is revalidated.
 * - The mocks' addresses in the pages: the build writes the documented defaults (`npm start`'s 4010 and 4011,
 *   the control API's `servers` in mock.yaml); with mocks on other ports, the HTML, Markdown and text files
 *   are served with those replaced by the live ones (`livePorts`), so every sample, curl, SDK and control API,
 *   with or without JavaScript, and the llms pages name the mocks that answer. The OpenAPI files stay as built.
 * - `GET /__docs/local.json`: where the docs and the mocks run (the landing page shows it, the "Try it" panel
 *   needs it).
 * - `/__try/{mvo|tvm}/…`, any method: forwarded to that local mock, whose answer comes back unchanged. Only
 *   loopback mock URLs are accepted, so the "Try it" panel can reach nothing but the local mocks; the mocks
 *   need no CORS because the page and this route share an origin. The relay applies the mocks' own control-API
 *   guard (mock-server/src/node/control-guard.ts: loopback or `--host` Host, no cross-site page) to what it
 *   forwards, since it strips Origin; and it adds the mocks' control token when they need one.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { readFileSync, statSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { basename, extname, isAbsolute, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { CONTROL_TOKEN_HEADER, createControlGuard } from '../mock-server/src/node/control-guard.ts';
import { LOCAL_SERVERS_PATH, type LocalServers, MOCK_APIS, type MockApi, TRY_IT_PREFIX } from './src/local-api.ts';

// ── Public types ────────────────────────────────────────────────────────────────────────────────────

export type DocsServerOptions = {
  host?: string;
  port?: number;
  root?: string;
  /** The running mocks' origins (`http://127.0.0.1:4011`); loopback only. Without them "Try it" says so. */
  mocks?: Partial<Record<MockApi, string>>;
  /** The mocks' control token, when they need one (`--control-token`, or made for a non-loopback `--host`). */
  controlToken?: string;
};
export type DocsServer = {
  url: string;
  port: number;
  /** Points "Try it" and the landing page at mocks started after the docs server (`npm start` takes the docs port first). */
  useMocks(mocks: Partial<Record<MockApi, string>>, controlToken?: string): void;
  close(): Promise<void>;
};

// ── Public values ───────────────────────────────────────────────────────────────────────────────────

export const DEFAULT_DOCS_PORT = 4000;

// ── Private values ──────────────────────────────────────────────────────────────────────────────────

const REPO_ROOT = new URL('..', import.meta.url).pathname;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.yaml': 'application/yaml; charset=utf-8',
  '.yml': 'application/yaml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

// ── Public functions ────────────────────────────────────────────────────────────────────────────────

/** Serves `root` (relative paths are taken from the repository root) until `close()` is called. */
export async function startDocsServer({
  host = '127.0.0.1',
  port = DEFAULT_DOCS_PORT,
  root = 'docs/dist',
  mocks = {},
  controlToken,
}: DocsServerOptions = {}): Promise<DocsServer> {
  const base = resolve(isAbsolute(root) ? root : join(REPO_ROOT, root));
  let targets = mockTargets(mocks);
  const built = builtMockHosts(base);
  let rewrite = livePorts(built, targets);
  let token = controlToken;
  const guard = createControlGuard({ host });
  let url = '';
  const server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === `/${LOCAL_SERVERS_PATH}`)
      return sendJson(res, 200, {
        docs: url,
        mocks: Object.fromEntries(Object.entries(targets).map(([api, target]) => [api, target.origin])),
      } satisfies LocalServers);
    if (pathname.startsWith(`/${TRY_IT_PREFIX}`)) {
      const refusal = guard((name) => [req.headers[name]].flat().join(', ') || undefined);
      if (refusal) {
        req.resume();
        return sendJson(res, refusal.status, { error: `docs server: ${refusal.message}` });
      }
      return forward(targets, token, req, res);
    }
    handle(base, req, res, rewrite);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${urlHost}:${address.port}`;
  return {
    url,
    port: address.port,
    useMocks: (next, nextToken) => {
      targets = mockTargets(next);
      rewrite = livePorts(built, targets);
      token = nextToken;
    },
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        server.closeAllConnections();
      }),
  };
}

/** The file a request path names inside `base`, or undefined if it names nothing servable. */
export function resolveRequestPath(base: string, rawUrl: string): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://docs.invalid').pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  const target = resolve(base, `.${pathname}`);
  if (target !== base && !target.startsWith(base + sep)) return undefined;
  const stats = statOrUndefined(target);
  if (stats?.isDirectory()) {
    const index = join(target, 'index.html');
    return statOrUndefined(index)?.isFile() ? index : undefined;
  }
  // `/mvo.html/` names a folder that does not exist (and would break the page's relative links).
  return stats?.isFile() && !pathname.endsWith('/') ? target : undefined;
}

// ── Private functions ───────────────────────────────────────────────────────────────────────────────

/** Hop-by-hop headers (RFC 9110 §7.6.1) and what would tell the mock about the docs page: never forwarded. */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
  'host',
  'origin',
  'referer',
  'cookie',
]);

const LOOPBACK_NAMES = new Set(['localhost', '0.0.0.0', '[::]', '[::1]']);

/** The mock URLs as URLs, refusing anything that is not a plain http URL of this machine. */
function mockTargets(mocks: Partial<Record<MockApi, string>>): Partial<Record<MockApi, URL>> {
  const targets: Partial<Record<MockApi, URL>> = {};
  for (const [api, raw] of Object.entries(mocks) as [MockApi, string | undefined][]) {
    if (!MOCK_APIS.includes(api))
      throw new Error(`docs server: unknown mock "${api}" (known: ${MOCK_APIS.join(', ')})`);
    if (raw === undefined) continue;
    const target = new URL(raw);
    const loopback =
      LOOPBACK_NAMES.has(target.hostname) || (isIP(target.hostname) === 4 && target.hostname.startsWith('127.'));
    if (target.protocol !== 'http:' || !loopback || target.pathname !== '/' || target.search) {
      throw new Error(
        `docs server: the ${api} mock must be an http origin on this machine (http://127.0.0.1:PORT), not ${raw}; "Try it" sends only to local mocks`,
      );
    }
    targets[api] = target;
  }
  return targets;
}

/** What the served text says differently from the built file: the mocks' live `host:port` for the built one. */
type Rewrite = { key: string; apply: (text: string) => string };

/** The files whose text a reader sees the mocks' addresses in (the reference pages, llms.txt and its pages). */
const LIVE_PORT_FILES = /\.(html|md|txt)$/;

/**
 * `host:port` of each mock as the build wrote it into the pages: the control API's `servers` (`x-mock-api`), read
 * from the served mock.yaml (so the defaults live in the spec only). None when the folder has no mock.yaml.
 */
function builtMockHosts(base: string): Partial<Record<MockApi, string>> {
  let servers: { url?: string; 'x-mock-api'?: string }[] | undefined;
  try {
    servers = parseYaml(readFileSync(join(base, 'mock.yaml'), 'utf8'))?.servers;
  } catch {
    return {};
  }
  const hosts: Partial<Record<MockApi, string>> = {};
  for (const server of servers ?? []) {
    const api = server['x-mock-api'] as MockApi | undefined;
    if (api && MOCK_APIS.includes(api) && server.url) hosts[api] = new URL(server.url).host;
  }
  return hosts;
}

/**
 * The one place the pages' mock addresses become the live ones: every built `127.0.0.1:4010` (not followed by
 * another digit) becomes the live MVO mock's `host:port`, and so for TVM, in one pass (so two swapped ports stay
 * right). `undefined` when the mocks run where the build says (or are unknown): the files go out as built.
 */
function livePorts(
  built: Partial<Record<MockApi, string>>,
  targets: Partial<Record<MockApi, URL>>,
): Rewrite | undefined {
  const live = new Map<string, string>();
  for (const api of MOCK_APIS) {
    const from = built[api];
    const to = targets[api]?.host;
    if (from && to && from !== to) live.set(from, to);
  }
  if (live.size === 0) return undefined;
  const pattern = new RegExp(
    `(${[...live.keys()].map((host) => host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?!\\d)`,
    'g',
  );
  return { key: [...live].join(' '), apply: (text) => text.replace(pattern, (host) => live.get(host)!) };
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  const body = JSON.stringify(value);
  res
    .writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    })
    .end(body);
}

function forwardedHeaders(
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !NOT_FORWARDED.has(name.toLowerCase())) kept[name] = value;
  return kept;
}

/** `/__try/{api}/rest?query` → the `api` mock's `/rest?query`, request and answer streamed through unchanged. */
function forward(
  targets: Partial<Record<MockApi, URL>>,
  token: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const rawUrl = req.url ?? '/';
  const rest = rawUrl.slice(`/${TRY_IT_PREFIX}`.length);
  const api = rest.split(/[/?]/)[0] as MockApi;
  if (!MOCK_APIS.includes(api))
    return sendJson(res, 404, { error: `docs server: no mock named "${api}" (known: ${MOCK_APIS.join(', ')})` });
  const target = targets[api];
  if (!target) {
    req.resume();
    return sendJson(res, 503, {
      error: `docs server: no local ${api.toUpperCase()} mock to send to; \`npm start\` runs the docs with both mocks`,
    });
  }
  const path = rest.slice(api.length) || '/';
  const upstream = httpRequest(
    {
      protocol: 'http:',
      hostname: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port,
      method: req.method,
      path: path.startsWith('/') ? path : `/${path}`,
      headers: { ...forwardedHeaders(req.headers), host: target.host, ...(token && { [CONTROL_TOKEN_HEADER]: token }) },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardedHeaders(answer.headers));
      answer.pipe(res);
    },
  );
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    if (res.headersSent) return res.destroy();
    sendJson(res, 502, {
      error: `docs server: the local ${api.toUpperCase()} mock at ${target.origin} did not answer (${error.code ?? error.message}); is it still running?`,
    });
  });
  req.pipe(upstream);
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Worth compressing: every text type the docs serve. */
const COMPRESSIBLE = /^(text\/|application\/(json|yaml)|image\/svg)/;
/** `redoc-<16 hex>.js`: its name changes whenever its content does, so a browser may keep it for good. */
const HASHED_NAME = /-[0-9a-f]{16}\.[a-z]+$/;

type Encoding = 'br' | 'gzip' | 'identity';
type CachedFile = { version: string; etag: string; bodies: Partial<Record<Encoding, Promise<Buffer>>> };
const fileCache = new Map<string, CachedFile>();

const compressors: Record<Exclude<Encoding, 'identity'>, (raw: Buffer) => Promise<Buffer>> = {
  // Quality 9: within 10 % of the best for a fraction of its time (the first request of a file waits for it).
  br: (raw) =>
    promisify(brotliCompress)(raw, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    }),
  gzip: (raw) => promisify(gzip)(raw, { level: 9 }),
};

/** The encoding to send: br, else gzip, when the client accepts it (a `q=0` refuses). */
function chooseEncoding(acceptEncoding: string | undefined, compressible: boolean): Encoding {
  if (!compressible || !acceptEncoding) return 'identity';
  const accepted = new Map(
    acceptEncoding.split(',').map((part) => {
      const [name, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((param) => /^\s*q=([\d.]+)/.exec(param)?.[1]).find(Boolean);
      return [name, q === undefined ? 1 : Number(q)] as const;
    }),
  );
  for (const encoding of ['br', 'gzip'] as const)
    if ((accepted.get(encoding) ?? accepted.get('*') ?? 0) > 0) return encoding;
  return 'identity';
}

/**
 * The file's body in one encoding, read (and rewritten, when `rewrite` applies to it) and compressed once per
 * version (size and mtime) of the file and per rewrite.
 */
async function fileBody(
  file: string,
  encoding: Encoding,
  rewrite: Rewrite | undefined,
): Promise<{ etag: string; body: Buffer }> {
  const stats = statSync(file);
  const version = `${stats.size}-${stats.mtimeMs} ${rewrite?.key ?? ''}`;
  let cached = fileCache.get(file);
  if (cached?.version !== version) {
    const read = await readFile(file);
    const raw = rewrite ? Buffer.from(rewrite.apply(read.toString('utf8'))) : read;
    cached = {
      version,
      etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`,
      bodies: { identity: Promise.resolve(raw) },
    };
    fileCache.set(file, cached);
  }
  const entry = cached;
  entry.bodies[encoding] ??= entry.bodies.identity!.then((raw) =>
    encoding === 'identity' ? raw : compressors[encoding](raw),
  );
  return { etag: entry.etag, body: await entry.bodies[encoding]! };
}

function handle(base: string, req: IncomingMessage, res: ServerResponse, rewrite: Rewrite | undefined) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
    return;
  }
  const file = resolveRequestPath(base, req.url ?? '/');
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const compressible = COMPRESSIBLE.test(type);
  const encoding = chooseEncoding([req.headers['accept-encoding']].flat().join(','), compressible);
  fileBody(file, encoding, LIVE_PORT_FILES.test(file) ? rewrite : undefined).then(
    ({ etag, body }) => {
      const tag = encoding === 'identity' ? etag : `${etag.slice(0, -1)}-${encoding}"`;
      const headers: Record<string, string | number> = {
        'Content-Type': type,
        'Cache-Control': HASHED_NAME.test(basename(file)) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ETag: tag,
        'X-Content-Type-Options': 'nosniff',
        ...(compressible && { Vary: 'Accept-Encoding' }),
      };
      const matches = [req.headers['if-none-match']]
        .flat()
        .join(',')
        .split(',')
        .map((value) => value.trim().replace(/^W\//, ''));
      if (matches.includes(tag)) {
        res.writeHead(304, headers).end();
        return;
      }
      res.writeHead(200, {
        ...headers,
        'Content-Length': body.length,
        ...(encoding !== 'identity' && { 'Content-Encoding': encoding }),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    () => res.destroy(),
  );
}

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startDocsServer({
    host: flag('host'),
    port: flag('port') === undefined ? undefined : Number(flag('port')),
    root: flag('root'),
    mocks: { mvo: flag('mvo'), tvm: flag('tvm') },
  });
  console.log(`docs: ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
