/** docs/serve.ts: content types, 404s, HEAD, no way out of the served folder, compression and caching. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DocsServer, resolveRequestPath, startDocsServer } from '../../docs/serve.ts';

let outside: string;
let root: string;
let server: DocsServer;

/** A raw GET (fetch would normalise `..` away before sending). */
function rawGet(path: string, method = 'GET'): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (chunk) => (body += chunk))
        .on('end', () => done({ status: res.statusCode!, type: res.headers['content-type'], body }));
    });
    req.on('error', fail).end();
  });
}

beforeAll(async () => {
  outside = mkdtempSync(join(tmpdir(), 'serve-test-'));
  root = join(outside, 'dist');
  mkdirSync(join(root, 'nested'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>home</title>');
  writeFileSync(join(root, 'mvo.html'), '<!doctype html><title>mvo</title>');
  writeFileSync(join(root, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(root, 'nested', 'index.html'), 'nested');
  writeFileSync(join(root, 'redoc-0123456789abcdef.js'), `window.x = ${JSON.stringify('redoc '.repeat(5000))};`);
  writeFileSync(join(root, 'big.html'), `<!doctype html><p>${'reference '.repeat(5000)}</p>`);
  writeFileSync(join(outside, 'secret.txt'), 'outside the root');
  writeFileSync(join(outside, 'dist-secret.txt'), 'sibling with the root as prefix');
  server = await startDocsServer({ port: 0, root });
});

afterAll(async () => {
  await server?.close();
  rmSync(outside, { recursive: true, force: true });
});

describe('startDocsServer', () => {
  it('listens on 127.0.0.1 with the port it was given (0: a free one)', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it.each([
    ['/', 'text/html; charset=utf-8', 'home'],
    ['/index.html', 'text/html; charset=utf-8', 'home'],
    ['/mvo.html?x=1#frag', 'text/html; charset=utf-8', 'mvo'],
    ['/logo.svg', 'image/svg+xml', '<svg'],
    ['/nested/', 'text/html; charset=utf-8', 'nested'],
  ])('GET %s → 200 %s', async (path, type, text) => {
    const answer = await rawGet(path);
    expect(answer.status).toBe(200);
    expect(answer.type).toBe(type);
    expect(answer.body).toContain(text);
  });

  it('answers HEAD without a body and other methods with 405', async () => {
    expect(await rawGet('/mvo.html', 'HEAD')).toMatchObject({ status: 200, body: '' });
    expect((await rawGet('/mvo.html', 'POST')).status).toBe(405);
  });

  it.each(['/missing.html', '/nested/missing', '/mvo.html/', '/%00'])('GET %s → 404', async (path) => {
    expect((await rawGet(path)).status).toBe(404);
  });

  it.each([
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/nested/../../secret.txt',
    '/..%5csecret.txt',
    '/../dist-secret.txt',
    '//etc/passwd',
  ])('GET %s never leaves the root (404)', async (path) => {
    const answer = await rawGet(path);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('outside');
    expect(answer.body).not.toContain('sibling');
  });

  it('resolveRequestPath keeps every answer inside the root', () => {
    expect(resolveRequestPath(root, '/../secret.txt')).toBeUndefined();
    expect(resolveRequestPath(root, '/%E0%A4%A')).toBeUndefined();
    expect(resolveRequestPath(root, '/')).toBe(join(root, 'index.html'));
  });
});

/** A GET with request headers, the body as bytes. */
function getBytes(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, any>; body: Buffer }> {
  return new Promise((done, fail) => {
    request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res
        .on('data', (chunk) => chunks.push(chunk))
        .on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', fail)
      .end();
  });
}

describe('compression and caching', () => {
  it.each([
    ['br', brotliDecompressSync],
    ['gzip', gunzipSync],
  ] as const)('sends text %s-compressed when accepted, the same bytes once decoded', async (encoding, decode) => {
    const plain = await getBytes('/big.html', {});
    const packed = await getBytes('/big.html', { 'accept-encoding': encoding === 'br' ? 'gzip, deflate, br' : 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(packed.headers).toMatchObject({ 'content-encoding': encoding, vary: 'Accept-Encoding' });
    expect(packed.body.length).toBeLessThan(plain.body.length / 10);
    expect(decode(packed.body).equals(plain.body)).toBe(true);
  });

  it('honours a refusal (q=0) and leaves images uncompressed', async () => {
    expect((await getBytes('/big.html', { 'accept-encoding': 'br;q=0, gzip' })).headers['content-encoding']).toBe(
      'gzip',
    );
    expect(
      (await getBytes('/big.html', { 'accept-encoding': 'br;q=0, gzip;q=0' })).headers['content-encoding'],
    ).toBeUndefined();
  });

  it('lets a hash-named file be cached for good, and revalidates the rest', async () => {
    expect((await getBytes('/redoc-0123456789abcdef.js', { 'accept-encoding': 'br' })).headers['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await getBytes('/mvo.html', {})).headers['cache-control']).toBe('no-cache');
  });

  it('answers 304 without a body when the ETag still matches, per encoding', async () => {
    const first = await getBytes('/big.html', { 'accept-encoding': 'br' });
    const again = await getBytes('/big.html', { 'accept-encoding': 'br', 'if-none-match': first.headers.etag });
    expect([again.status, again.body.length]).toEqual([304, 0]);
    // The gzip body is another representation: the br tag does not match it.
    expect(
      (await getBytes('/big.html', { 'accept-encoding': 'gzip', 'if-none-match': first.headers.etag })).status,
    ).toBe(200);
  });
});
