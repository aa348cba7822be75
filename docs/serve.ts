/**
 * A static file server for the built docs (docs/dist/). `startDocsServer()` is what `npm start` calls;
 * `tsx docs/serve.ts [--port 4000] [--host 127.0.0.1] [--root docs/dist]` runs it on its own.
 *
 * GET and HEAD only; `/` and directories serve their index.html; unknown files answer 404; paths are
 * decoded and resolved, and anything that would leave the root (`..`, encoded or not) answers 404 too.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, join, resolve, sep } from 'node:path';

// ── Public types ────────────────────────────────────────────────────────────────────────────────────

export type DocsServerOptions = { host?: string; port?: number; root?: string };
export type DocsServer = { url: string; port: number; close(): Promise<void> };

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
export async function startDocsServer({ host = '127.0.0.1', port = 4000, root = 'docs/dist' }: DocsServerOptions = {}): Promise<DocsServer> {
  const base = resolve(isAbsolute(root) ? root : join(REPO_ROOT, root));
  const server = createServer((req, res) => handle(base, req, res));
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
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

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function handle(base: string, req: IncomingMessage, res: ServerResponse) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
    return;
  }
  const file = resolveRequestPath(base, req.url ?? '/');
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  const size = statSync(file).size;
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': size,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
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
  });
  console.log(`docs: ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
