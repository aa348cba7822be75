/**
 * Network faults forced by scenarios (`fault`: reset, hang, malformed, slow), matched on path, method and key
 * id: what an SDK's connection-error paths need. Over real sockets (Node) and under MSW.
 */
import { connect } from 'node:net';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureKey, startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { createMswMock } from '../../mock-server/src/msw/index.ts';
import { json, useMock } from '../helpers/mock.ts';

const admin = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
const readonly = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_readonly')}` };
const realFetch = globalThis.fetch;

/** Sends a raw request and resolves with everything read up to the end of the headers. */
function headersOnly(
  url: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ head: string; rest: string; close(): void }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n${Object.entries(headers)
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('')}\r\n`,
      );
    });
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const end = received.indexOf('\r\n\r\n');
      if (end !== -1)
        resolve({ head: received.slice(0, end), rest: received.slice(end + 4), close: () => socket.destroy() });
    });
    socket.on('error', reject);
  });
}

describe('faults over HTTP (Node)', () => {
  const mock = useMock('tvm');
  const force = (body: object) => mock.send('/__mock/scenarios', { method: 'POST', ...json(body) });
  const shop = (headers = admin) => realFetch(`${mock.server.url}/v1/shop`, { headers });

  it('reset: the connection is destroyed, so fetch rejects; the next request is served', async () => {
    expect((await force({ fault: 'reset', count: 1 })).json).toMatchObject({
      fault: 'reset',
      status: null,
      delay: null,
      count: 1,
    });
    await expect(shop()).rejects.toThrow(TypeError);
    expect((await shop()).status).toBe(200);
    const [entry] = (await mock.send('/__mock/requests?limit=2')).json.requests.slice(1);
    expect(entry).toMatchObject({ path: '/v1/shop', status: null, fault: 'reset', key_id: 'key_tvm_admin' });
  });

  it('hang: no answer until the client gives up, while other requests are served', async () => {
    await force({ fault: 'hang', count: 1, path: '/v1/shop' });
    const controller = new AbortController();
    const hanging = realFetch(`${mock.server.url}/v1/shop`, { headers: admin, signal: controller.signal });
    // The mock has taken the hanging request (the journal shows it) and still answers others.
    await expect
      .poll(async () => (await mock.send('/__mock/requests?limit=1&path=/v1/shop')).json.requests[0]?.fault)
      .toBe('hang');
    expect((await realFetch(`${mock.server.url}/v1/offers`, { headers: admin })).status).toBe(200);
    controller.abort();
    await expect(hanging).rejects.toThrow(/abort/i);
  });

  it('malformed: 200 with the documented body cut in half, a complete message that is not JSON', async () => {
    await force({ fault: 'malformed', count: 1 });
    const response = await shop();
    const text = await response.text();
    expect([
      response.status,
      response.headers.get('content-type'),
      Number(response.headers.get('content-length')),
    ]).toEqual([200, 'application/json; charset=utf-8', Buffer.byteLength(text)]);
    expect(text.startsWith('{"success":true,"data":{')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('slow: the headers come at once, the body only after the delay', async () => {
    await force({ fault: 'slow', delay: 600_000, count: 1 });
    const early = await headersOnly(mock.server.url, '/v1/shop', admin);
    try {
      expect(early.head).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(early.head).toMatch(/content-length: \d+/i);
      expect(early.rest).toBe('');
    } finally {
      early.close();
    }
    await force({ fault: 'slow', delay: 20, count: 1 });
    const response = await shop();
    expect([response.status, (await response.json()).data.slug]).toEqual([200, 'example-store']);
  });

  it('matches on method and key id besides path', async () => {
    await force({ fault: 'reset', method: 'post', key_id: 'key_tvm_admin', path: '/v1/offers' });
    expect((await realFetch(`${mock.server.url}/v1/offers`, { headers: admin })).status).toBe(200);
    const other = await realFetch(`${mock.server.url}/v1/offers`, {
      method: 'POST',
      headers: { ...readonly, 'content-type': 'application/json' },
      body: '{"title":"x"}',
    });
    expect(other.status).toBe(403);
    await expect(
      realFetch(`${mock.server.url}/v1/offers`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: '{"title":"x"}',
      }),
    ).rejects.toThrow(TypeError);
    const listed = (await mock.send('/__mock/scenarios')).json.scenarios.at(-1);
    expect(listed).toMatchObject({ method: 'POST', key_id: 'key_tvm_admin', served: 1, remaining: null });
    await mock.send('/__mock/scenarios', { method: 'DELETE' });
  });

  it.each([
    [{ fault: 'explode' }, 'body/fault must be one of: reset, hang, malformed, slow'],
    [{ fault: 'reset', status: 503 }, 'body must have either status or fault, not both'],
    [{ count: 1 }, 'body must have one of status, fault, body, headers, latency'],
    [{ status: 503, delay: 100 }, 'body/delay applies to fault slow only'],
    [{ fault: 'slow', delay: 0 }, 'body/delay must be >= 1'],
    [
      { fault: 'reset', method: 'FETCH' },
      'body/method must be one of: GET, HEAD, POST, PUT, PATCH, DELETE, get, head, post, put, patch, delete',
    ],
    [{ fault: 'reset', key_id: '' }, 'body/key_id must NOT have fewer than 1 characters'],
  ])('refuses %j with 400, adding nothing', async (body, message) => {
    const before = (await mock.send('/__mock/scenarios')).json;
    const answer = await force(body);
    expect([answer.status, answer.json.error.message]).toEqual([400, message]);
    expect((await mock.send('/__mock/scenarios')).json).toEqual(before);
  });
});

describe('faults under MSW', () => {
  const BASE = 'http://tvm.faults.test';
  const interceptor = setupServer(...createMswMock('tvm', { baseUrl: BASE }).handlers);
  beforeAll(() => interceptor.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => interceptor.close());
  const force = (body: object) =>
    fetch(`${BASE}/__mock/scenarios`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1, ...body }),
    });
  const shop = (init: RequestInit = {}) => fetch(`${BASE}/v1/shop`, { headers: admin, ...init });

  it('reset: fetch rejects with a network error (HttpResponse.error())', async () => {
    expect((await force({ fault: 'reset' })).status).toBe(201);
    await expect(shop()).rejects.toThrow(TypeError);
    expect((await shop()).status).toBe(200);
  });

  it('hang: nothing until the request is aborted', async () => {
    await force({ fault: 'hang', path: '/v1/shop' }); // only the shop: the offers request below could otherwise reach the handler first
    const controller = new AbortController();
    const hanging = shop({ signal: controller.signal });
    expect((await fetch(`${BASE}/v1/offers`, { headers: admin })).status).toBe(200);
    controller.abort();
    await expect(hanging).rejects.toThrow(/abort/i);
  });

  it('malformed: 200 with invalid JSON, as on the Node server', async () => {
    await force({ fault: 'malformed' });
    const response = await shop();
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('slow: the response resolves, its body follows the delay', async () => {
    await force({ fault: 'slow', delay: 20 });
    const response = await shop();
    expect(response.status).toBe(200);
    expect((await response.json()).data.slug).toBe('example-store');
  });
});

describe('a malformed answer is the same body on both sides', () => {
  const BASE = 'http://tvm.malformed.test';
  const interceptor = setupServer(
    ...createMswMock('tvm', { baseUrl: BASE, now: () => new Date('2026-03-01T00:00:00Z') }).handlers,
  );
  let node: MockServer;
  beforeAll(async () => {
    node = await startMockServer({ api: 'tvm', port: 0, now: () => new Date('2026-03-01T00:00:00Z') });
    interceptor.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(async () => {
    interceptor.close();
    await node?.close();
  });

  it('cuts the same documented body at the same place (up to the fresh meta)', async () => {
    const scenario = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault: 'malformed', path: '/v1/offers/*' }),
    };
    await realFetch(`${node.url}/__mock/scenarios`, scenario);
    await fetch(`${BASE}/__mock/scenarios`, scenario);
    const viaNode = await (await realFetch(`${node.url}/v1/offers/offer_abc123`, { headers: admin })).text();
    const viaMsw = await (await fetch(`${BASE}/v1/offers/offer_abc123`, { headers: admin })).text();
    expect(viaMsw.length).toBe(viaNode.length);
    expect(viaMsw.slice(0, 200)).toBe(viaNode.slice(0, 200));
  });
});
