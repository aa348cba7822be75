/**
 * `unwrap()` and the error classes, from real answers of the mock servers: each status gets its class, with the
 * status, the parsed body, the API's own message and the request in its message, and nothing of the key.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import * as mvo from '../../sdk/src/mvo/index.ts';
import * as tvm from '../../sdk/src/tvm/index.ts';
import { control, json, mintKey, observedFetch, MVO_KEY, TVM_KEY } from './helpers.ts';

let mvoServer: MockServer;
let tvmServer: MockServer;
let mvoKey: string;
let tvmKey: string;

beforeAll(async () => {
  [mvoServer, tvmServer] = await Promise.all([
    startMockServer({ api: 'mvo', port: 0 }),
    startMockServer({ api: 'tvm', port: 0 }),
  ]);
  [mvoKey, tvmKey] = await Promise.all([
    mintKey(mvoServer.url),
    mintKey(tvmServer.url, { scopes: ['shops:read', 'offers:read', 'offers:write'] }),
  ]);
});
afterAll(async () => {
  await Promise.all([mvoServer?.close(), tvmServer?.close()]);
});

async function thrown(call: Promise<unknown>): Promise<tvm.ApiError | mvo.ApiError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(tvm.ApiError);
  return error as tvm.ApiError | mvo.ApiError;
}

/** Nothing of `key` past its prefix and 4 characters, anywhere a thrown error can be read. */
function expectNoKey(error: Error, key: string) {
  const everything = [
    error.message,
    String(error.stack),
    JSON.stringify(error),
    JSON.stringify(error, Object.getOwnPropertyNames(error)),
    inspect(error, { depth: 5 }),
  ].join('\n');
  expect(everything).not.toContain(key);
  expect(everything).not.toContain(key.slice(-12));
}

describe('unwrap: success', () => {
  it('returns data, and undefined for a 204', async () => {
    const client = mvo.createMvoClient({ apiKey: mvoKey, baseUrl: mvoServer.url });
    const created = await mvo.unwrap(
      client.POST('/api/customers', { body: { first_name: 'Ann', last_name: 'Lee', email: 'ann.unwrap@example.com' } }),
    );
    expect(created.email).toBe('ann.unwrap@example.com');
    const read = await mvo.unwrap(await client.GET('/api/customers/{id}', { params: { path: { id: created.id } } })); // a result works too
    expect(read.id).toBe(created.id);
    expect(
      await mvo.unwrap(client.DELETE('/api/customers/{id}', { params: { path: { id: created.id } } })),
    ).toBeUndefined();
  });
});

describe('unwrap: each error class from a real answer', () => {
  it('401 AuthenticationError (a well-formed key the API does not know)', async () => {
    const client = tvm.createTvmClient({ apiKey: TVM_KEY, baseUrl: tvmServer.url });
    const error = await thrown(tvm.unwrap(client.GET('/v1/shop')));
    expect(error).toBeInstanceOf(tvm.AuthenticationError);
    expect(error).toMatchObject({ name: 'AuthenticationError', status: 401, request: `GET ${tvmServer.url}/v1/shop` });
    expect(((error as tvm.AuthenticationError).body as tvm.TvmError).error.code).toBe('UNAUTHORIZED');
    expect(error.message).toBe(
      `GET ${tvmServer.url}/v1/shop failed with HTTP 401: UNAUTHORIZED: ${(error.body as tvm.TvmError).error.message}`,
    );
    expectNoKey(error, TVM_KEY);
  });

  it('403 PermissionDeniedError naming the missing scope', async () => {
    const client = tvm.createTvmClient({ apiKey: tvmKey, baseUrl: tvmServer.url });
    const error = await thrown(tvm.unwrap(client.GET('/v1/vouchers')));
    expect(error).toBeInstanceOf(tvm.PermissionDeniedError);
    expect(error.status).toBe(403);
    expect(error.message).toContain('FORBIDDEN: Missing required scope: vouchers:read');
    expectNoKey(error, tvmKey);
  });

  it('404 NotFoundError', async () => {
    const client = tvm.createTvmClient({ apiKey: tvmKey, baseUrl: tvmServer.url });
    const error = await thrown(tvm.unwrap(client.GET('/v1/offers/{id}', { params: { path: { id: 'offer_nope' } } })));
    expect(error).toBeInstanceOf(tvm.NotFoundError);
    expect(error.message).toContain(`GET ${tvmServer.url}/v1/offers/offer_nope failed with HTTP 404: NOT_FOUND`);
    expectNoKey(error, tvmKey);
  });

  it('409 ConflictError (MVO, the same email twice), its body typed as MVO errors', async () => {
    const client = mvo.createMvoClient({ apiKey: mvoKey, baseUrl: mvoServer.url });
    const body = { first_name: 'Bo', last_name: 'Ek', email: 'bo.conflict@example.com' };
    await mvo.unwrap(client.POST('/api/customers', { body }));
    const error = await thrown(mvo.unwrap(client.POST('/api/customers', { body })));
    expect(error).toBeInstanceOf(mvo.ConflictError);
    expect((error as mvo.ConflictError).body).toEqual({ error: 'Conflict', message: expect.any(String) });
    expect(error.message).toMatch(/^POST .+\/api\/customers failed with HTTP 409: Conflict: /);
    expectNoKey(error, mvoKey);
  });

  it('400 BadRequestError (a body the API refuses)', async () => {
    const client = tvm.createTvmClient({ apiKey: tvmKey, baseUrl: tvmServer.url });
    const error = await thrown(tvm.unwrap(client.POST('/v1/offers', { body: {} as { title: string } })));
    expect(error).toBeInstanceOf(tvm.BadRequestError);
    expect((error.body as tvm.TvmError).error.code).toBe('VALIDATION_ERROR');
    expectNoKey(error, tvmKey);
  });

  it('429 RateLimitError with retryAfter (no retry asked for)', async () => {
    await control(tvmServer.url, '/scenarios', { status: 429, count: 1, retry_after: 45 });
    const client = tvm.createTvmClient({ apiKey: tvmKey, baseUrl: tvmServer.url });
    const error = await thrown(tvm.unwrap(client.GET('/v1/shop', { maxRetries: 0 })));
    expect(error).toBeInstanceOf(tvm.RateLimitError);
    expect((error as tvm.RateLimitError).retryAfter).toBe(45);
    expectNoKey(error, tvmKey);
  });

  it('503 InternalServerError after the retries', async () => {
    await control(mvoServer.url, '/scenarios', { status: 503, count: 3 });
    const client = mvo.createMvoClient({ apiKey: mvoKey, baseUrl: mvoServer.url, sleep: async () => {} });
    const error = await thrown(
      mvo.unwrap(
        client.GET('/api/customers/{id}', { params: { path: { id: '550e8400-e29b-41d4-a716-446655440000' } } }),
      ),
    );
    expect(error).toBeInstanceOf(mvo.InternalServerError);
    expect(error.message).toContain('HTTP 503: Service Unavailable: API temporarily unavailable');
    expectNoKey(error, mvoKey);
  });

  it("the classes are shared: an error from one entry point is instanceof the other's classes", () => {
    expect(mvo.NotFoundError).toBe(tvm.NotFoundError);
    expect(
      new mvo.RateLimitError('x', {
        status: 429,
        body: { error: 'Too Many Requests', message: 'x' },
        request: 'GET /',
      }),
    ).toBeInstanceOf(tvm.ApiError);
  });
});

describe('unwrap: other answers', () => {
  it('a status without its own class is an ApiError; the request id is kept when the API sends one', async () => {
    const observed = observedFetch(() =>
      json(418, { error: "I'm a teapot", message: 'short and stout' }, { 'x-request-id': 'req_42' }),
    );
    const client = mvo.createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch });
    const error = await thrown(mvo.unwrap(client.GET('/api/customers/{id}', { params: { path: { id: 'c1' } } })));
    expect(error.constructor).toBe(mvo.ApiError);
    expect(error).toMatchObject({ status: 418, requestId: 'req_42' });
    expect(error.message).toBe(
      "GET https://app-api.my-virtual-office.com/api/customers/c1 failed with HTTP 418: I'm a teapot: short and stout",
    );
  });

  it('a non-JSON error body is quoted, cut at 200 characters', async () => {
    const observed = observedFetch(() => new Response(`<html>${'x'.repeat(500)}</html>`, { status: 502 }));
    const client = tvm.createTvmClient({ apiKey: TVM_KEY, fetch: observed.fetch });
    const error = await thrown(tvm.unwrap(client.GET('/v1/shop')));
    expect(error).toBeInstanceOf(tvm.InternalServerError);
    expect(error.message.length).toBeLessThan(300);
  });

  it('a call that got no answer rejects as before (no ApiError)', async () => {
    const client = tvm.createTvmClient({
      apiKey: TVM_KEY,
      fetch: async () => Promise.reject(new TypeError('fetch failed')),
      maxRetries: 0,
    });
    const error = await tvm.unwrap(client.GET('/v1/shop')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(tvm.ApiConnectionError);
    expect(error).not.toBeInstanceOf(tvm.ApiError);
  });
});
