/**
 * The proxy as a piece of HTTP plumbing: requests and answers pass through unchanged (compressed bodies,
 * header casing, repeated headers, reason phrases), only hop-by-hop headers are dropped; an upstream that is
 * down or silent, or answers what a proxy cannot pass on (101, status 099), gets 502/504 in the API's own envelope,
 * as do requests the proxy's parser refuses; a body over the limit gets the API's answer; HTTPS
 * upstreams work with an extra CA.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { apiModel } from '../../mock-server/src/model/index.ts';
import { startProxy, type ValidationProxy } from '../../mock-server/src/proxy/index.ts';
import { upstreamBase, upstreamTarget } from '../../mock-server/src/proxy/upstream.ts';
import { startStandIn, type StandIn } from './stand-in.ts';
import { selfSignedCertificate, type Certificate } from './tls.ts';

const admin = fixtureKey('tvm', 'key_tvm_admin');

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A raw request, so the test controls every header line (Node adds none, not even Host) and sees every byte of the answer. */
function rawRequest(
  url: string,
  method: string,
  rawHeaders: string[],
  body?: Buffer,
): Promise<{ response: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: rawHeaders as unknown as Record<string, string> }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ response, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const proxies: ValidationProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});
const proxyTo = async (options: Parameters<typeof startProxy>[0]) => {
  const proxy = await startProxy(options);
  proxies.push(proxy);
  return proxy;
};

describe('where requests go', () => {
  const op = (operationId: string) =>
    apiModel('mvo').operations.find((candidate) => candidate.operationId === operationId);
  it('to the host the spec names for the operation (MVO has two), or to --target for everything', () => {
    expect(upstreamBase('mvo', op('createCustomer'))).toBe('https://api.my-virtual-office.com');
    expect(upstreamBase('mvo', op('getCustomer'))).toBe('https://app-api.my-virtual-office.com');
    expect(upstreamBase('mvo', undefined)).toBe('https://api.my-virtual-office.com');
    expect(upstreamBase('tvm', undefined)).toBe('https://api.thevirtualmall.co.uk');
    expect(upstreamBase('mvo', op('getCustomer'), 'http://127.0.0.1:9')).toBe('http://127.0.0.1:9');
  });
  it('keeps the path and query as sent, under the target’s base path', () => {
    expect(upstreamTarget('https://staging.example.com/base/', '/v1/offers?status=active&limit=5').href).toBe(
      'https://staging.example.com/base/v1/offers?status=active&limit=5',
    );
    expect(upstreamTarget('https://api.thevirtualmall.co.uk', '/v1/content/a%20b|{c}?q=%7B').path).toBe(
      '/v1/content/a%20b|{c}?q=%7B',
    );
  });
});

describe('passing traffic through', () => {
  let upstream: Server;
  let upstreamUrl: string;
  const seen: { method: string; url: string; rawHeaders: string[]; body: Buffer }[] = [];
  // An offer created, gzip-compressed, without `meta`: the proxy must pass these bytes on untouched and still read them.
  const answerBytes = gzipSync(
    JSON.stringify({
      success: true,
      data: {
        id: 'offer_x1',
        slug: 'shop-x1',
        title: 'X',
        status: 'needs_review',
        shop: { id: 'shop_1', name: 'Shop', slug: 'shop' },
        createdAt: '2026-02-01T10:00:00.000Z',
      },
    }),
  );

  beforeAll(async () => {
    upstream = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      seen.push({ method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) });
      res.writeHead(201, 'Made It', [
        'Content-Type',
        'application/json; charset=utf-8',
        'Content-Encoding',
        'gzip',
        'Content-Length',
        String(answerBytes.length),
        'x-RateLimit-Limit',
        '60',
        'X-RateLimit-Remaining',
        '59',
        'X-RateLimit-Reset',
        '1770000000',
        'Set-Cookie',
        'a=1',
        'Set-Cookie',
        'b=2',
        'X-Odd-Case',
        'Kept',
      ]);
      res.end(answerBytes);
    });
    upstreamUrl = await listen(upstream);
  });
  afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

  it('forwards the request unchanged but for hop-by-hop headers and Host, and returns the answer byte for byte', async () => {
    const proxy = await proxyTo({ api: 'tvm', target: upstreamUrl });
    const body = Buffer.from('{"title":"Ünïcode offer – 20%","discountValue":20}');
    const { response, body: received } = await rawRequest(
      `${proxy.url}/v1/offers?b=2&a=1`,
      'POST',
      [
        'Host',
        new URL(proxy.url).host,
        'Authorization',
        `Bearer ${admin}`,
        'Content-Type',
        'application/json',
        'X-Custom-Header',
        'Value With Spaces',
        'X-Repeated',
        'one',
        'X-Repeated',
        'two',
        'Connection',
        'keep-alive, X-Drop-Me',
        'X-Drop-Me',
        'per-connection',
        'Keep-Alive',
        'timeout=5',
        'Content-Length',
        String(body.length),
      ],
      body,
    );

    const [forwarded] = seen;
    expect(forwarded.method).toBe('POST');
    expect(forwarded.url).toBe('/v1/offers?b=2&a=1');
    expect(forwarded.body.equals(body)).toBe(true);
    const pairs = (raw: string[]) => raw.flatMap((value, index) => (index % 2 ? [] : [`${value}: ${raw[index + 1]}`]));
    expect(pairs(forwarded.rawHeaders)).toEqual([
      `Authorization: Bearer ${admin}`,
      'Content-Type: application/json',
      'X-Custom-Header: Value With Spaces',
      'X-Repeated: one',
      'X-Repeated: two',
      `Content-Length: ${body.length}`,
      `Host: ${new URL(upstreamUrl).host}`,
      'Connection: keep-alive',
    ]);

    expect(response.statusCode).toBe(201);
    expect(response.statusMessage).toBe('Made It');
    expect(received.equals(answerBytes)).toBe(true);
    expect(pairs(response.rawHeaders).filter((line) => !/^(Date|Connection|Keep-Alive):/.test(line))).toEqual([
      'Content-Type: application/json; charset=utf-8',
      'Content-Encoding: gzip',
      `Content-Length: ${answerBytes.length}`,
      'x-RateLimit-Limit: 60',
      'X-RateLimit-Remaining: 59',
      'X-RateLimit-Reset: 1770000000',
      'Set-Cookie: a=1',
      'Set-Cookie: b=2',
      'X-Odd-Case: Kept',
    ]);
    // The compressed body was read for the check: the missing `meta` is reported.
    expect(proxy.report().violations).toMatchObject([
      { operation: 'createOffer', check: 'field', assumptions: ['TVM-A3'] },
    ]);
  });
});

describe('when the upstream gives no answer', () => {
  it('answers 502 in the API’s own envelope when the upstream is down, records it, and keeps serving', async () => {
    const closed = createServer();
    const downUrl = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const tvm = await proxyTo({ api: 'tvm', target: downUrl });
    const mvo = await proxyTo({ api: 'mvo', target: downUrl });

    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(`${tvm.url}/v1/shop`, { headers: { authorization: `Bearer ${admin}` } });
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({
        success: false,
        error: {
          code: 'INTERNAL_ERROR',
          message: `The validation proxy could not reach ${downUrl}: connect ECONNREFUSED ${new URL(downUrl).host}`,
        },
      });
    }
    const mvoAnswer = await fetch(`${mvo.url}/api/customers`, { method: 'POST' });
    expect(mvoAnswer.status).toBe(502);
    expect(await mvoAnswer.json()).toMatchObject({
      error: 'Bad Gateway',
      message: expect.stringMatching(/^The validation proxy could not reach /),
    });

    const report = tvm.report();
    expect(report).toMatchObject({ requests: 0, violationCount: 0 });
    expect(report.upstreamErrors).toHaveLength(2);
    expect(report.upstreamErrors[0]).toMatchObject({ method: 'GET', path: '/v1/shop', status: 502 });
    expect(tvm.markdown()).toContain('## Upstream errors');
  });

  it('answers 504 in the API’s own envelope when the upstream stays silent past the timeout', async () => {
    const silent = createServer(() => {}); // accepts, never answers
    const silentUrl = await listen(silent);
    try {
      const proxy = await proxyTo({ api: 'tvm', target: silentUrl, timeoutMs: 100 });
      const response = await fetch(`${proxy.url}/v1/offers`, { headers: { authorization: `Bearer ${admin}` } });
      expect(response.status).toBe(504);
      expect(await response.json()).toEqual({
        success: false,
        error: {
          code: 'INTERNAL_ERROR',
          message: `The validation proxy got no answer from ${silentUrl} within 100 ms`,
        },
      });
      expect(proxy.report().upstreamErrors).toMatchObject([{ path: '/v1/offers', status: 504 }]);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('when the upstream answers what a proxy cannot pass on', () => {
  /** An upstream that answers every request with these bytes and keeps the connection open. */
  async function answering(bytes: string) {
    const upstream = createNetServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.write(bytes));
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    return {
      url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      close: () => new Promise<void>((resolve) => upstream.close(() => resolve())),
    };
  }

  it.each([
    [
      '101 Switching Protocols nobody asked for',
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
      /got 101 Switching Protocols from http:\/\/127\.0\.0\.1:\d+/,
    ],
    ['status 099', 'HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n', /got status 099 from http:\/\/127\.0\.0\.1:\d+/],
  ])('%s: 502 in the API’s own envelope, recorded', async (_name, bytes, message) => {
    const upstream = await answering(bytes);
    try {
      // Within the proxy's timeout: an answer that never comes fails the test at the signal instead.
      const proxy = await proxyTo({ api: 'tvm', target: upstream.url, timeoutMs: 5_000 });
      const response = await fetch(`${proxy.url}/v1/shop`, {
        headers: { authorization: `Bearer ${admin}` },
        signal: AbortSignal.timeout(15_000),
      });
      expect(response.status).toBe(502);
      const body = await response.json();
      expect(body).toEqual({
        success: false,
        error: { code: 'INTERNAL_ERROR', message: expect.stringMatching(message) },
      });
      expect(proxy.report().upstreamErrors).toMatchObject([{ path: '/v1/shop', status: 502 }]);
    } finally {
      await upstream.close();
    }
  });
});

describe('requests the proxy’s own HTTP parser refuses', () => {
  it.each([
    ['bytes that are not HTTP', '\x00\x01 NOT HTTP\r\n\r\n', 400],
    ['headers over 16 KiB', `GET /v1/shop HTTP/1.1\r\nHost: proxy\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`, 431],
  ])('%s: %s in the API’s own envelope', async (_name, bytes, status) => {
    const proxy = await proxyTo({ api: 'mvo', target: 'http://127.0.0.1:9' });
    const socket = connect(proxy.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.end(Buffer.from(bytes, 'latin1'));
    await once(socket, 'close');
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({
      error: expect.any(String),
      message: expect.any(String),
    });
  });
});

describe('bodies over the limit', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn('mvo');
  });
  afterAll(() => standIn.close());

  it('forwards them and returns the API’s answer unchanged, without validating them or keeping them', async () => {
    const proxy = await proxyTo({ api: 'mvo', target: standIn.url });
    const key = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active'), 'content-type': 'application/json' };
    const huge = JSON.stringify({
      first_name: 'J',
      last_name: 'D',
      email: 'j@example.com',
      notes: 'x'.repeat(2 * 1024 * 1024),
    });
    const response = await fetch(`${proxy.url}/api/customers`, { method: 'POST', headers: key, body: huge });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe(standIn.sent.at(-1)!.body.toString());
    expect(standIn.received.at(-1)!.body.length).toBe(Buffer.byteLength(huge));
    // Still serving, and the oversized exchange counted without a finding about its body.
    const next = await fetch(`${proxy.url}/api/customers`, {
      method: 'POST',
      headers: key,
      body: JSON.stringify({ first_name: 'J', last_name: 'D', email: 'j2@example.com' }),
    });
    expect(next.status).toBe(201);
    expect(proxy.report()).toMatchObject({ requests: 2, violationCount: 0 });
  });
});

describe('HTTPS upstreams', () => {
  let certificate: Certificate;
  let standIn: StandIn;
  beforeAll(async () => {
    certificate = selfSignedCertificate();
    standIn = await startStandIn('tvm', { tls: certificate });
  });
  afterAll(async () => {
    await standIn.close();
    rmSync(certificate.dir, { recursive: true, force: true });
  });

  it('trusts an extra CA given as --ca', async () => {
    const proxy = await proxyTo({ api: 'tvm', target: standIn.url, ca: certificate.cert });
    const response = await fetch(`${proxy.url}/v1/shop`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    expect((await response.json()).data.slug).toBe('example-store');
    expect(proxy.report()).toMatchObject({ requests: 1, violationCount: 0 });
  });

  it('refuses an upstream whose certificate it cannot verify, with a 502 that says why', async () => {
    const proxy = await proxyTo({ api: 'tvm', target: standIn.url });
    const response = await fetch(`${proxy.url}/v1/shop`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(502);
    expect((await response.json()).error.message).toMatch(
      /^The validation proxy could not reach https:\/\/127\.0\.0\.1:\d+: self[- ]signed certificate/,
    );
  });
});
