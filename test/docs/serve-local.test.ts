/**
 * docs/serve.ts beyond static files: `__docs/local.json` says where the docs and the mocks run, and `__try/{api}/…`
 * forwards to that local mock only (what the "Try it" panel sends through), answering the mock's status, headers
 * and body unchanged; without a mock, or with a mock that is not local, it refuses clearly.
 */
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DocsServer, startDocsServer } from '../../docs/serve.ts';
import { LOCAL_SERVERS_PATH, TRY_IT_PREFIX } from '../../docs/src/local-api.ts';
import { fixtureKey, type MockServer, startMockServer } from '../../mock-server/src/index.ts';

let mvo: MockServer;
let tvm: MockServer;
let docs: DocsServer;
let bare: DocsServer;

beforeAll(async () => {
  [mvo, tvm] = await Promise.all([startMockServer({ api: 'mvo', port: 0 }), startMockServer({ api: 'tvm', port: 0 })]);
  docs = await startDocsServer({ port: 0, mocks: { mvo: mvo.url, tvm: tvm.url } });
  bare = await startDocsServer({ port: 0 });
});

afterAll(async () => {
  await Promise.all([docs?.close(), bare?.close(), mvo?.close(), tvm?.close()]);
});

const tryUrl = (server: DocsServer, api: string, path: string) => `${server.url}/${TRY_IT_PREFIX}${api}${path}`;

describe('GET /__docs/local.json', () => {
  it('names the docs origin and each running mock', async () => {
    const response = await fetch(`${docs.url}/${LOCAL_SERVERS_PATH}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ docs: docs.url, mocks: { mvo: mvo.url, tvm: tvm.url } });
  });

  it('names no mock when the server was started without them', async () => {
    expect(await (await fetch(`${bare.url}/${LOCAL_SERVERS_PATH}`)).json()).toEqual({ docs: bare.url, mocks: {} });
  });
});

describe('/__try/{api}/… forwards to the local mock', () => {
  it('answers what the mock answers: 200 with the fixture admin key, headers included', async () => {
    const response = await fetch(tryUrl(docs, 'tvm', '/v1/shop'), {
      headers: { Authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` },
    });
    expect(response.status).toBe(200);
    expect(response.statusText).toBe('OK');
    expect(response.headers.get('x-ratelimit-limit')).toBe('60');
    expect((await response.json()).data.slug).toBe('example-store');
  });

  it('forwards method, query and body (a key minted through the control API, then used)', async () => {
    const minted = await fetch(tryUrl(docs, 'tvm', '/__mock/keys'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'serve test', scopes: ['offers:read'] }),
    });
    expect(minted.status).toBe(201);
    const { key } = await minted.json();
    const list = await fetch(tryUrl(docs, 'tvm', '/v1/offers?page=1&limit=1'), {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(list.status).toBe(200);
    expect((await list.json()).data).toMatchObject({ page: 1, limit: 1 });
    const forbidden = await fetch(tryUrl(docs, 'tvm', '/v1/shop'), { headers: { Authorization: `Bearer ${key}` } });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.message).toBe('Missing required scope: shops:read');
  });

  it('refuses what a web page sends it as the mocks do: a cross-site Origin, and (raw) a foreign Host', async () => {
    const mint = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      body: JSON.stringify({ name: 'from a page' }),
    };
    const crossSite = await fetch(tryUrl(docs, 'tvm', '/__mock/keys'), mint);
    expect(crossSite.status).toBe(403);
    expect((await crossSite.json()).error).toMatch(/^docs server: Cross-site control requests are refused/);
    const port = new URL(docs.url).port;
    const rebound = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('close', () => resolve(text));
      socket.end(
        `POST /${TRY_IT_PREFIX}tvm/__mock/reset HTTP/1.1\r\nHost: rebind.evil.example:${port}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
    });
    expect(rebound).toMatch(/^HTTP\/1\.1 403 /);
  });

  it('passes the mocks\' control token on, so "Try it" works with a mock that needs one', async () => {
    const guarded = await startMockServer({ api: 'tvm', port: 0, controlToken: 'docs-relay-token-1' });
    const relay = await startDocsServer({ port: 0, mocks: { tvm: guarded.url }, controlToken: 'docs-relay-token-1' });
    try {
      expect((await fetch(`${guarded.url}/__mock/keys`)).status).toBe(401);
      expect((await fetch(tryUrl(relay, 'tvm', '/__mock/keys'))).status).toBe(200);
    } finally {
      await Promise.all([relay.close(), guarded.close()]);
    }
  });

  it('reaches each mock by its name: MVO answers in its own dialect', async () => {
    const response = await fetch(tryUrl(docs, 'mvo', '/api/customers/550e8400-e29b-41d4-a716-446655440000'));
    expect(response.status).toBe(401);
    expect((await response.json()).error).toBe('Unauthorized');
  });

  it('answers 404 for an unknown mock name and 503 when that mock is not running', async () => {
    const unknown = await fetch(tryUrl(docs, 'prod', '/v1/shop'));
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatch(/no mock named "prod"/);
    const absent = await fetch(tryUrl(bare, 'tvm', '/v1/shop'), { method: 'POST', body: '{}' });
    expect(absent.status).toBe(503);
    expect((await absent.json()).error).toMatch(/no local TVM mock/);
  });

  it('answers 502 when the mock has gone away, and keeps serving', async () => {
    const gone = createServer();
    await new Promise<void>((done) => gone.listen(0, '127.0.0.1', done));
    const { port } = gone.address() as AddressInfo;
    await new Promise<void>((done) => gone.close(() => done()));
    const orphan = await startDocsServer({ port: 0, mocks: { tvm: `http://127.0.0.1:${port}` } });
    try {
      const response = await fetch(tryUrl(orphan, 'tvm', '/v1/shop'));
      expect(response.status).toBe(502);
      expect((await response.json()).error).toMatch(/did not answer \(ECONNREFUSED\)/);
      expect((await fetch(`${orphan.url}/${LOCAL_SERVERS_PATH}`)).status).toBe(200);
    } finally {
      await orphan.close();
    }
  });
});

describe('startDocsServer refuses mocks that are not on this machine', () => {
  it.each([
    'https://api.thevirtualmall.co.uk',
    'http://192.0.2.1:4011',
    'http://example.com:4011',
    'http://127.0.0.1:4011/v1',
    'file:///etc/passwd',
  ])('%s', async (url) => {
    await expect(startDocsServer({ port: 0, mocks: { tvm: url } })).rejects.toThrow(
      /must be an http origin on this machine/,
    );
  });

  it('accepts loopback origins, IPv4 and IPv6', async () => {
    const server = await startDocsServer({
      port: 0,
      mocks: { mvo: 'http://[::1]:4010', tvm: 'http://localhost:4011' },
    });
    await server.close();
  });
});
