/**
 * The SDK pointed at MSW behaves like the SDK pointed at the Node mock server: same data, same typed
 * error, same status. The MSW side uses the clients' default base URLs (the real hosts, MVO's two
 * per-operation hosts included), so no test-only URL is involved.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { createMvoHandlers, createTvmHandlers, fixtureKey } from '../../mock-server/src/msw/index.ts';
import { createMvoClient, type MvoClientOptions } from '../../sdk/src/mvo/index.ts';
import { createTvmClient, type TvmClientOptions } from '../../sdk/src/tvm/index.ts';
import { PARITY_OPTIONS } from '../cases/requests.ts';

const realFetch = globalThis.fetch;
const viaMsw = { fetch: (request: Request) => globalThis.fetch(request), maxRetries: 0 };
const servers = {} as Record<'mvo' | 'tvm', MockServer>;
const interceptor = setupServer(...createMvoHandlers(PARITY_OPTIONS), ...createTvmHandlers(PARITY_OPTIONS));

beforeAll(async () => {
  servers.mvo = await startMockServer({ api: 'mvo', port: 0, ...PARITY_OPTIONS });
  servers.tvm = await startMockServer({ api: 'tvm', port: 0, ...PARITY_OPTIONS });
  interceptor.listen({ onUnhandledRequest: 'error' });
});
afterAll(async () => {
  interceptor.close();
  await Promise.all(Object.values(servers).map((server) => server.close()));
});

/** What a call produced, without TVM's fresh `meta` fields. */
async function outcome(call: Promise<{ data?: unknown; error?: unknown; response: Response }>) {
  const { data, error, response } = await call;
  const fresh = data && typeof data === 'object' && 'meta' in data ? { ...data, meta: 'fresh' } : data;
  return { status: response.status, data: fresh, error, rateLimit: response.headers.get('x-ratelimit-remaining') };
}

const mvoPair = (options: MvoClientOptions) => ({
  server: createMvoClient({ ...options, baseUrl: servers.mvo.url, fetch: realFetch, maxRetries: 0 }),
  msw: createMvoClient({ ...options, ...viaMsw }),
});
const tvmPair = (options: TvmClientOptions) => ({
  server: createTvmClient({ ...options, baseUrl: servers.tvm.url, fetch: realFetch, maxRetries: 0 }),
  msw: createTvmClient({ ...options, ...viaMsw }),
});

describe('MVO client', () => {
  const id = '550e8400-e29b-41d4-a716-446655440000';
  const calls = {
    'create a customer': (c: ReturnType<typeof createMvoClient>) =>
      c.POST('/api/customers', { body: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' } }),
    'create with an invalid body': (c: ReturnType<typeof createMvoClient>) =>
      c.POST('/api/customers', { body: { first_name: 'Ada' } as never }),
    'get a customer': (c: ReturnType<typeof createMvoClient>) =>
      c.GET('/api/customers/{id}', { params: { path: { id } } }),
    'update a customer': (c: ReturnType<typeof createMvoClient>) =>
      c.PATCH('/api/customers/{id}', { params: { path: { id } }, body: { company_name: 'Acme' } }),
    'delete a customer': (c: ReturnType<typeof createMvoClient>) =>
      c.DELETE('/api/customers/{id}', { params: { path: { id } } }),
  };
  it.each([
    ['active key in X-API-Key', { apiKey: fixtureKey('mvo', 'key_mvo_active') }, 'ok'],
    ['staging key as Bearer', { apiKey: fixtureKey('mvo', 'key_mvo_staging'), authHeader: 'bearer' as const }, 'ok'],
    ['revoked key', { apiKey: fixtureKey('mvo', 'key_mvo_revoked') }, 401],
    ['expired key', { apiKey: fixtureKey('mvo', 'key_mvo_expired') }, 401],
  ] as const)('%s: every operation answers alike', async (_label, options, want) => {
    const clients = mvoPair(options);
    for (const [name, call] of Object.entries(calls)) {
      const server = await outcome(call(clients.server));
      const msw = await outcome(call(clients.msw));
      expect(msw, name).toEqual(server);
      if (want !== 'ok') expect(server.status, name).toBe(want);
      else if (!name.includes('invalid')) expect(server.status, name).toBeLessThan(300);
    }
  });
});

describe('TVM client', () => {
  type Tvm = ReturnType<typeof createTvmClient>;
  const calls = {
    'get the shop': (c: Tvm) => c.GET('/v1/shop'),
    'list offers, page 2': (c: Tvm) => c.GET('/v1/offers', { params: { query: { page: 2, limit: 5 } } }),
    'list offers, limit too high': (c: Tvm) => c.GET('/v1/offers', { params: { query: { limit: 1000 } } }),
    'create an offer': (c: Tvm) =>
      c.POST('/v1/offers', {
        body: {
          title: '20% off',
          description: 'Everything',
          landingUrl: 'https://shop.example/sale',
          discountType: 'percentage',
          discountValue: 20,
          expiresAt: '2026-12-31T23:59:59Z',
        } as never,
      }),
    'create an offer without a title': (c: Tvm) => c.POST('/v1/offers', { body: { landingUrl: 'not a url' } as never }),
    'delete a voucher': (c: Tvm) => c.DELETE('/v1/vouchers/{id}', { params: { path: { id: 'voucher_abc123' } } }),
  };
  it.each([
    ['admin key', 'key_tvm_admin', 'ok'],
    ['read-only key', 'key_tvm_readonly', 'mixed'],
    ['offers-only key', 'key_tvm_offers', 'mixed'],
    ['disabled key', 'key_tvm_disabled', 403],
    ['expired key', 'key_tvm_expired', 403],
  ] as const)('%s: every call answers alike', async (_label, id, want) => {
    const clients = tvmPair({ apiKey: fixtureKey('tvm', id) });
    for (const [name, call] of Object.entries(calls)) {
      const server = await outcome(call(clients.server));
      const msw = await outcome(call(clients.msw));
      expect(msw, name).toEqual(server);
      if (typeof want === 'number') expect(server.status, name).toBe(want);
      else if (want === 'ok' && !/without|too high/.test(name)) expect(server.status, name).toBeLessThan(300);
    }
  });

  it('gets the documented 403 for a key without shops:read, from both', async () => {
    const clients = tvmPair({ apiKey: fixtureKey('tvm', 'key_tvm_offers') });
    const server = await outcome(clients.server.GET('/v1/shop'));
    expect(server).toMatchObject({
      status: 403,
      error: { success: false, error: { code: 'FORBIDDEN', message: 'Missing required scope: shops:read' } },
    });
    expect(await outcome(clients.msw.GET('/v1/shop'))).toEqual(server);
  });
});

describe('resource methods', () => {
  /** The data, or the thrown error's class, status and body. */
  const settled = (call: PromiseLike<unknown>) =>
    Promise.resolve(call).then(
      (data) => ({ data: data && typeof data === 'object' && 'items' in data ? { ...data } : data }),
      (error: { name: string; status: number; body: unknown }) => ({
        thrown: error.name,
        status: error.status,
        body: error.body,
      }),
    );

  it('TVM: the same data and the same typed errors from MSW and the Node mock', async () => {
    for (const key of ['key_tvm_admin', 'key_tvm_offers', 'key_tvm_disabled'] as const) {
      const clients = tvmPair({ apiKey: fixtureKey('tvm', key) });
      const calls = (c: Tvm) => [
        c.shop.get(),
        c.offers.list({ limit: 5 }),
        c.offers.get('offer_abc123'),
        c.offers.update('offer_abc123', { title: 'New' }),
        c.vouchers.list(),
      ];
      const server = await Promise.all(calls(clients.server).map(settled));
      const msw = await Promise.all(calls(clients.msw).map(settled));
      expect(msw, key).toEqual(server);
      expect(
        server.map((outcome) => ('thrown' in outcome ? outcome.thrown : 'data')),
        key,
      ).toEqual(
        {
          key_tvm_admin: ['data', 'data', 'data', 'data', 'data'],
          key_tvm_offers: ['PermissionDeniedError', 'data', 'data', 'data', 'PermissionDeniedError'],
          key_tvm_disabled: Array(5).fill('PermissionDeniedError'),
        }[key],
      );
    }
  });

  it('MVO: a customer read through the documented host (MSW) and the mock alike; a revoked key → AuthenticationError from both', async () => {
    const id = '550e8400-e29b-41d4-a716-446655440000';
    for (const key of ['key_mvo_active', 'key_mvo_revoked'] as const) {
      const clients = mvoPair({ apiKey: fixtureKey('mvo', key) });
      const server = await settled(clients.server.customers.get(id));
      expect(await settled(clients.msw.customers.get(id)), key).toEqual(server);
      expect('thrown' in server ? server.thrown : 'data', key).toBe(
        key === 'key_mvo_active' ? 'data' : 'AuthenticationError',
      );
    }
  });
});

type Tvm = ReturnType<typeof createTvmClient>;
