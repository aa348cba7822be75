/**
 * Calls through the clients with an observed fetch: success, which host each operation goes to, where the
 * key goes, and typed 4xx bodies with the isAuthError / isRateLimited helpers.
 */
import { describe, expect, it } from 'vitest';
import * as mvo from '../../sdk/src/mvo/index.ts';
import * as tvm from '../../sdk/src/tvm/index.ts';
import { CUSTOMER, CUSTOMER_ID as ID, MVO_KEY, TVM_KEY, json, observedFetch } from './helpers.ts';

const MVO_401 = { error: 'Unauthorized', message: 'Invalid API key' };
const TVM_401 = { success: false, error: { code: 'UNAUTHORIZED', message: 'Invalid or missing API key' } };
const TVM_403 = { success: false, error: { code: 'FORBIDDEN', message: 'Missing required scope: offers:write' } };

describe('success', () => {
  it('MVO create customer: POSTs the JSON body and returns the parsed customer', async () => {
    const observed = observedFetch(() => json(201, CUSTOMER));
    const client = mvo.createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch });
    const { data, error, response } = await client.POST('/api/customers', {
      body: { first_name: 'John', last_name: 'Doe', email: 'john@example.com' },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(201);
    expect(data?.id).toBe(ID);
    expect(observed.seen[0].method).toBe('POST');
    expect(JSON.parse(observed.seen[0].body!)).toEqual({
      first_name: 'John',
      last_name: 'Doe',
      email: 'john@example.com',
    });
    expect(observed.seen[0].headers.get('content-type')).toBe('application/json');
  });

  it('TVM get shop: GETs /v1/shop on the documented host and returns the envelope', async () => {
    const shop = { id: 'shop_abc123', slug: 'example-store', name: 'Example Store' };
    const observed = observedFetch(() =>
      json(200, { success: true, data: shop, meta: { requestId: 'req_1', timestamp: '2026-02-06T12:00:00Z' } }),
    );
    const { data, error } = await tvm.createTvmClient({ apiKey: TVM_KEY, fetch: observed.fetch }).GET('/v1/shop');
    expect(error).toBeUndefined();
    expect(data?.data.name).toBe('Example Store');
    expect(observed.seen[0].url).toBe('https://api.thevirtualmall.co.uk/v1/shop');
  });

  it('MVO delete: a 204 gives no data and no error', async () => {
    const observed = observedFetch(() => new Response(null, { status: 204 }));
    const result = await mvo
      .createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch })
      .DELETE('/api/customers/{id}', { params: { path: { id: ID } } });
    expect(result.response.status).toBe(204);
    expect(result.error).toBeUndefined();
    expect(result.data).toBeUndefined();
  });
});

describe('which host each MVO operation goes to', () => {
  const calls = async (client: mvo.MvoClient) => {
    await client.POST('/api/customers', { body: { first_name: 'John', last_name: 'Doe', email: 'john@example.com' } });
    await client.GET('/api/customers/{id}', { params: { path: { id: ID } } });
    await client.PATCH('/api/customers/{id}', { params: { path: { id: ID } }, body: { first_name: 'Jane' } });
    await client.DELETE('/api/customers/{id}', { params: { path: { id: ID } } });
  };

  it('default base URL: create on api., get/update/delete on app-api. (as documented)', async () => {
    const observed = observedFetch();
    await calls(mvo.createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch }));
    expect(observed.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST https://api.my-virtual-office.com/api/customers',
      `GET https://app-api.my-virtual-office.com/api/customers/${ID}`,
      `PATCH https://app-api.my-virtual-office.com/api/customers/${ID}`,
      `DELETE https://app-api.my-virtual-office.com/api/customers/${ID}`,
    ]);
    // the rewritten request keeps its body, headers and key
    expect(JSON.parse(observed.seen[2].body!)).toEqual({ first_name: 'Jane' });
    expect(observed.seen.every((r) => r.headers.get('x-api-key') === MVO_KEY)).toBe(true);
    expect(observed.seen[2].headers.get('content-type')).toBe('application/json');
  });

  it("the hosts are the spec's (facts.defaultBaseUrl, and facts.operationServers for the operations elsewhere)", () => {
    expect(mvo.facts.defaultBaseUrl).toBe('https://api.my-virtual-office.com');
    expect(mvo.facts.operationServers).toEqual({
      'GET /api/customers/{id}': 'https://app-api.my-virtual-office.com',
      'PATCH /api/customers/{id}': 'https://app-api.my-virtual-office.com',
      'DELETE /api/customers/{id}': 'https://app-api.my-virtual-office.com',
    });
    expect(tvm.facts.operationServers).toEqual({});
  });

  it('custom baseUrl (a mock): every operation goes there, query strings kept, trailing slash ignored', async () => {
    const observed = observedFetch();
    const client = mvo.createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch, baseUrl: 'http://127.0.0.1:4010/' });
    await calls(client);
    expect(observed.seen.map((r) => new URL(r.url).origin)).toEqual(Array(4).fill('http://127.0.0.1:4010'));
    expect(observed.seen[1].url).toBe(`http://127.0.0.1:4010/api/customers/${ID}`);
  });

  it('TVM with a custom baseUrl sends there', async () => {
    const observed = observedFetch();
    await tvm
      .createTvmClient({ apiKey: TVM_KEY, fetch: observed.fetch, baseUrl: 'http://127.0.0.1:4011' })
      .GET('/v1/offers', { params: { query: { page: 2 } } });
    expect(observed.seen[0].url).toBe('http://127.0.0.1:4011/v1/offers?page=2');
  });
});

describe('where the key goes', () => {
  it('MVO default: X-API-Key, no Authorization header', async () => {
    const observed = observedFetch();
    await mvo
      .createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch })
      .GET('/api/customers/{id}', { params: { path: { id: ID } } });
    expect(observed.seen[0].headers.get('x-api-key')).toBe(MVO_KEY);
    expect(observed.seen[0].headers.has('authorization')).toBe(false);
  });

  it("MVO authHeader 'bearer': Authorization: Bearer, no X-API-Key", async () => {
    const observed = observedFetch();
    await mvo.createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch, authHeader: 'bearer' }).POST('/api/customers', {
      body: { first_name: 'John', last_name: 'Doe', email: 'john@example.com' },
    });
    expect(observed.seen[0].headers.get('authorization')).toBe(`Bearer ${MVO_KEY}`);
    expect(observed.seen[0].headers.has('x-api-key')).toBe(false);
  });

  it('TVM: Authorization: Bearer', async () => {
    const observed = observedFetch();
    await tvm
      .createTvmClient({ apiKey: TVM_KEY, fetch: observed.fetch })
      .DELETE('/v1/offers/{id}', { params: { path: { id: 'offer_1' } } });
    expect(observed.seen[0].headers.get('authorization')).toBe(`Bearer ${TVM_KEY}`);
    expect(observed.seen[0].headers.has('x-api-key')).toBe(false);
  });
});

describe('typed errors', () => {
  it('MVO 401: error is the { error, message } body; isAuthError on the body and on the response', async () => {
    const observed = observedFetch(() => json(401, MVO_401));
    const { data, error, response } = await mvo
      .createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch, maxRetries: 0 })
      .GET('/api/customers/{id}', { params: { path: { id: ID } } });
    expect(data).toBeUndefined();
    expect(error).toEqual(MVO_401);
    expect(mvo.isAuthError(error)).toBe(true);
    expect(mvo.isAuthError(response)).toBe(true);
    expect(mvo.isRateLimited(error)).toBe(false);
    expect(observed.seen).toHaveLength(1); // a 401 is never retried
  });

  it('MVO 404 is not an auth error', async () => {
    const observed = observedFetch(() => json(404, { error: 'Not Found', message: 'Customer not found' }));
    const { error, response } = await mvo
      .createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch })
      .GET('/api/customers/{id}', { params: { path: { id: ID } } });
    expect(error?.message).toBe('Customer not found');
    expect(mvo.isAuthError(error)).toBe(false);
    expect(mvo.isAuthError(response)).toBe(false);
    expect(mvo.isAuthError(undefined)).toBe(false);
  });

  it.each([
    [401, TVM_401],
    [403, TVM_403],
  ])('TVM %i: the envelope is typed and isAuthError says yes', async (status, body) => {
    const observed = observedFetch(() => json(status, body));
    const { error, response } = await tvm
      .createTvmClient({ apiKey: TVM_KEY, fetch: observed.fetch })
      .POST('/v1/offers', { body: { title: '20% off' } });
    expect(error?.success).toBe(false);
    expect(error?.error.code).toBe(body.error.code);
    expect(tvm.isAuthError(error)).toBe(true);
    expect(tvm.isAuthError(response)).toBe(true);
  });

  it('TVM isAuthError/isRateLimited tell codes apart', () => {
    const limited = {
      success: false,
      error: { code: 'RATE_LIMITED', message: 'Rate limit exceeded. Try again in 45 seconds.', retryAfter: 45 },
    } as const;
    const invalid = {
      success: false,
      error: { code: 'VALIDATION_ERROR', message: 'Request validation failed' },
    } as const;
    expect(tvm.isAuthError(limited)).toBe(false);
    expect(tvm.isRateLimited(limited)).toBe(true);
    expect(tvm.isAuthError(invalid)).toBe(false);
    expect(tvm.isRateLimited(new Response(null, { status: 429 }))).toBe(true);
    expect(tvm.isRateLimited(new Response(null, { status: 503 }))).toBe(false);
    expect(mvo.isRateLimited({ error: 'Too Many Requests', message: 'Rate limit exceeded' })).toBe(true);
  });
});

describe('MVO host routing details', () => {
  it('client.request() is routed too, and a per-call baseUrl wins', async () => {
    const observed = observedFetch();
    const client = mvo.createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch });
    await client.request('get', '/api/customers/{id}', { params: { path: { id: ID } } });
    await client.GET('/api/customers/{id}', { params: { path: { id: ID } }, baseUrl: 'http://localhost:9999' });
    expect(observed.seen.map((r) => new URL(r.url).origin)).toEqual([
      'https://app-api.my-virtual-office.com',
      'http://localhost:9999',
    ]);
  });
});
