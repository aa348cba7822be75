/**
 * Key management in-process: the control API under each base URL changes what the next request
 * through the MSW handlers gets. Handlers on the spec's real hosts; MVO keys minted on one host
 * work on the other (one mock per handler set).
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { createMswMock, specServerUrls } from '../../mock-server/src/msw/index.ts';

const mvo = createMswMock('mvo');
const tvm = createMswMock('tvm');
const server = setupServer(...mvo.handlers, ...tvm.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const [MVO_CREATE_HOST, MVO_APP_HOST] = specServerUrls('mvo');
const [TVM_HOST] = specServerUrls('tvm');

async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

it('answers on the hosts the spec names', () => {
  expect(mvo.baseUrls).toEqual(['https://api.my-virtual-office.com', 'https://app-api.my-virtual-office.com']);
  expect(tvm.baseUrls).toEqual(['https://api.thevirtualmall.co.uk']);
});

describe('MVO: mint, use, revoke, expire, delete', () => {
  beforeEach(async () => {
    expect((await call(`${MVO_CREATE_HOST}/__mock/reset`, { method: 'POST' })).status).toBe(204);
  });

  it('follows the key through its life', async () => {
    const minted = await call(`${MVO_CREATE_HOST}/__mock/keys`, json('POST', { name: 'CI key' }));
    expect(minted.status).toBe(201);
    expect(minted.body.key).toMatch(/^sk_live_[A-Za-z0-9]{48}$/);
    const { id, key } = minted.body as { id: string; key: string };
    const getCustomer = () =>
      call(`${MVO_APP_HOST}/api/customers/550e8400-e29b-41d4-a716-446655440000`, { headers: { 'X-API-Key': key } });

    expect((await getCustomer()).status).toBe(200);
    const listed = await call(`${MVO_APP_HOST}/__mock/keys`);
    expect(listed.body.keys.find((k: { id: string }) => k.id === id).last_used_at).toEqual(expect.any(String));

    expect((await call(`${MVO_APP_HOST}/__mock/keys/${id}`, json('PATCH', { status: 'revoked' }))).body.status).toBe(
      'revoked',
    );
    expect(await getCustomer()).toEqual({
      status: 401,
      body: { error: 'Unauthorized', message: 'API key has been revoked' },
    });

    await call(
      `${MVO_APP_HOST}/__mock/keys/${id}`,
      json('PATCH', { status: 'active', expires_at: new Date(Date.now() - 60_000).toISOString() }),
    );
    expect(await getCustomer()).toEqual({
      status: 401,
      body: { error: 'Unauthorized', message: 'API key has expired' },
    });

    await call(`${MVO_APP_HOST}/__mock/keys/${id}`, json('PATCH', { expires_at: null }));
    expect((await getCustomer()).status).toBe(200);

    expect((await call(`${MVO_CREATE_HOST}/__mock/keys/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await getCustomer()).toEqual({ status: 401, body: { error: 'Unauthorized', message: 'Invalid API key' } });
  });

  it('forgets minted keys on reset', async () => {
    const { body } = await call(`${MVO_CREATE_HOST}/__mock/keys`, json('POST', { name: 'Temporary' }));
    await call(`${MVO_CREATE_HOST}/__mock/reset`, { method: 'POST' });
    const answer = await call(`${MVO_APP_HOST}/api/customers/x`, { headers: { Authorization: `Bearer ${body.key}` } });
    expect(answer).toEqual({ status: 401, body: { error: 'Unauthorized', message: 'Invalid API key' } });
  });
});

describe('TVM: mint with scopes, use, disable, expire, delete', () => {
  beforeEach(async () => {
    expect((await call(`${TVM_HOST}/__mock/reset`, { method: 'POST' })).status).toBe(204);
  });

  it('follows the key through its life', async () => {
    const minted = await call(`${TVM_HOST}/__mock/keys`, json('POST', { name: 'Shop reader', scopes: ['shops:read'] }));
    expect(minted.status).toBe(201);
    expect(minted.body.key).toMatch(/^tvm_[a-z0-9]{32}$/);
    const { id, key } = minted.body as { id: string; key: string };
    const get = (path: string) => call(`${TVM_HOST}${path}`, { headers: { Authorization: `Bearer ${key}` } });

    expect((await get('/v1/shop')).status).toBe(200);
    expect(await get('/v1/offers')).toEqual({
      status: 403,
      body: { success: false, error: { code: 'FORBIDDEN', message: 'Missing required scope: offers:read' } },
    });

    await call(`${TVM_HOST}/__mock/keys/${id}`, json('PATCH', { status: 'disabled' }));
    expect(await get('/v1/shop')).toEqual({
      status: 403,
      body: { success: false, error: { code: 'FORBIDDEN', message: 'API key is disabled' } },
    });

    await call(
      `${TVM_HOST}/__mock/keys/${id}`,
      json('PATCH', { status: 'active', expires_at: '2020-01-01T00:00:00Z' }),
    );
    expect(await get('/v1/shop')).toEqual({
      status: 403,
      body: { success: false, error: { code: 'FORBIDDEN', message: 'API key has expired' } },
    });

    await call(
      `${TVM_HOST}/__mock/keys/${id}`,
      json('PATCH', { expires_at: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    expect((await get('/v1/shop')).status).toBe(200);

    expect((await call(`${TVM_HOST}/__mock/keys/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await get('/v1/shop')).toEqual({
      status: 401,
      body: { success: false, error: { code: 'UNAUTHORIZED', message: 'Invalid or missing API key' } },
    });
  });

  it('rejects a status of the other API', async () => {
    const answer = await call(`${TVM_HOST}/__mock/keys/key_tvm_admin`, json('PATCH', { status: 'revoked' }));
    expect(answer.status).toBe(400);
  });
});

describe('options', () => {
  it('adds `keys` to the fixtures and keeps them across reset', async () => {
    const extra = { id: 'key_tvm_ci', name: 'CI', key: `tvm_${'ci'.padEnd(32, '7')}`, scopes: ['content:read'] };
    const local = createMswMock('tvm', { baseUrl: 'http://localhost:9/tvm/', keys: [extra] });
    server.use(...local.handlers);
    const get = () => call('http://localhost:9/tvm/v1/content', { headers: { Authorization: `Bearer ${extra.key}` } });
    expect((await get()).status).toBe(200);
    await call('http://localhost:9/tvm/__mock/reset', { method: 'POST' });
    expect((await get()).status).toBe(200);
    expect(
      (await call('http://localhost:9/tvm/v1/shop', { headers: { Authorization: `Bearer ${extra.key}` } })).status,
    ).toBe(403);
    const mock = await local.ready();
    expect(mock.exportState().keys?.map((key) => key.id)).toEqual(
      expect.arrayContaining(['key_tvm_admin', 'key_tvm_ci']),
    );
    server.resetHandlers();
  });

  it('replaces the fixtures with `fixtures`', async () => {
    const only = { id: 'only', name: 'Only key', key: `sk_live_${'Only'.padEnd(48, 'K')}` };
    const local = createMswMock('mvo', { baseUrl: 'http://mvo.local', fixtures: [only], stateful: false });
    server.use(...local.handlers);
    expect((await call('http://mvo.local/__mock/keys')).body.keys.map((k: { id: string }) => k.id)).toEqual(['only']);
    expect((await call('http://mvo.local/api/customers/1', { headers: { 'X-API-Key': only.key } })).status).toBe(200);
    server.resetHandlers();
  });

  it('enforces rate limits by default and can only report them', async () => {
    const base = 'http://tvm.limits';
    const headers = { Authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_shop')}` }; // 30 a minute
    const at = new Date('2026-06-01T12:00:00Z');
    server.use(...createMswMock('tvm', { baseUrl: base, now: () => at }).handlers);
    const statuses = [];
    for (let i = 0; i < 31; i++) statuses.push((await fetch(`${base}/v1/shop`, { headers })).status);
    expect(statuses.slice(0, 30).every((status) => status === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
    server.resetHandlers();
    server.use(...createMswMock('tvm', { baseUrl: base, now: () => at, rateLimits: 'headers' }).handlers);
    for (let i = 0; i < 31; i++) await fetch(`${base}/v1/shop`, { headers });
    const last = await fetch(`${base}/v1/shop`, { headers });
    expect([last.status, last.headers.get('x-ratelimit-remaining')]).toEqual([200, '0']);
    server.resetHandlers();
  });

  it('refuses an empty baseUrl list', () => {
    expect(() => createMswMock('tvm', { baseUrl: [] })).toThrow(/baseUrl is empty/);
  });
});
