/** docs/serve.ts: content types, 404s, HEAD, and no way out of the served folder. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
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
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk)).on('end', () => done({ status: res.statusCode!, type: res.headers['content-type'], body }));
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

  it.each(['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/nested/../../secret.txt', '/..%5csecret.txt', '/../dist-secret.txt', '//etc/passwd'])(
    'GET %s never leaves the root (404)',
    async (path) => {
      const answer = await rawGet(path);
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain('outside');
      expect(answer.body).not.toContain('sibling');
    },
  );

  it('resolveRequestPath keeps every answer inside the root', () => {
    expect(resolveRequestPath(root, '/../secret.txt')).toBeUndefined();
    expect(resolveRequestPath(root, '/%E0%A4%A')).toBeUndefined();
    expect(resolveRequestPath(root, '/')).toBe(join(root, 'index.html'));
  });
});
