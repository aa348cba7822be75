/**
 * The SDK's retries against real 429 and 503 answers of the mock servers (no stubbed fetch): a forced
 * 503 on GET is retried (counted by the scenario's `served`), a real 429 is waited out for
 * `error.retryAfter` seconds (recorded through the `sleep` option, never slept), a creating POST never retried.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { createMvoClient } from '../../sdk/src/mvo/index.ts';
import { createTvmClient } from '../../sdk/src/tvm/index.ts';

let mvo: MockServer;
let tvm: MockServer;
beforeAll(async () => {
  [mvo, tvm] = await Promise.all([startMockServer({ api: 'mvo', port: 0 }), startMockServer({ api: 'tvm', port: 0 })]);
});
afterAll(async () => {
  await Promise.all([mvo?.close(), tvm?.close()]);
});
beforeEach(async () => {
  await Promise.all([
    fetch(`${mvo.url}/__mock/reset`, { method: 'POST' }),
    fetch(`${tvm.url}/__mock/reset`, { method: 'POST' }),
  ]);
});

async function control(server: MockServer, path: string, body?: unknown): Promise<any> {
  const response = await fetch(
    server.url + path,
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  return response.json();
}

/** A `sleep` that records the waits and returns at once. */
function recorder() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('SDK retries against the mocks', () => {
  it('TVM: a forced 503 on GET is retried until it clears', async () => {
    await control(tvm, '/__mock/scenarios', { status: 503, count: 2, path: '/v1/shop' });
    const { waits, sleep } = recorder();
    const client = createTvmClient({
      apiKey: fixtureKey('tvm', 'key_tvm_admin'),
      baseUrl: tvm.url,
      maxRetries: 3,
      sleep,
    });
    const shop = await client.GET('/v1/shop');
    expect(shop.response.status).toBe(200);
    expect(shop.data?.data.id).toBe('shop_abc123');
    expect(waits).toHaveLength(2);
    expect((await control(tvm, '/__mock/scenarios')).scenarios[0]).toMatchObject({ served: 2, remaining: 0 });
  });

  it('MVO: a forced 503 on GET is retried maxRetries times, then returned', async () => {
    await control(mvo, '/__mock/scenarios', { status: 503, path: '/api/customers/*' });
    const { waits, sleep } = recorder();
    const client = createMvoClient({
      apiKey: fixtureKey('mvo', 'key_mvo_active'),
      baseUrl: mvo.url,
      maxRetries: 2,
      sleep,
    });
    const read = await client.GET('/api/customers/{id}', {
      params: { path: { id: '550e8400-e29b-41d4-a716-446655440000' } },
    });
    expect(read.response.status).toBe(503);
    expect(read.error).toEqual({ error: 'Service Unavailable', message: 'API temporarily unavailable' });
    expect(waits).toHaveLength(2);
    expect((await control(mvo, '/__mock/scenarios')).scenarios[0].served).toBe(3);
  });

  it('TVM: waits error.retryAfter after a real 429 from the per-key limit', async () => {
    const minted = await control(tvm, '/__mock/keys', {
      name: 'limited',
      rate_limit: { per_minute: 1, per_day: 1000 },
    });
    const { waits, sleep } = recorder();
    const asked: number[] = [];
    const watching = async (request: Request, init?: RequestInit) => {
      const response = await fetch(request, init);
      if (response.status === 429) asked.push((await response.clone().json()).error.retryAfter);
      return response;
    };
    const client = createTvmClient({
      apiKey: minted.key,
      baseUrl: tvm.url,
      maxRetries: 1,
      maxRetryDelayMs: 120_000,
      sleep,
      fetch: watching,
    });
    expect((await client.GET('/v1/shop')).response.status).toBe(200);
    const limited = await client.GET('/v1/shop');
    expect(limited.response.status).toBe(429); // the window has not moved on (sleep returned at once): the retry is limited too
    expect(limited.error?.error.code).toBe('RATE_LIMITED');
    expect(asked).toHaveLength(2);
    expect(asked[0]).toBeGreaterThanOrEqual(1);
    expect(waits).toEqual([asked[0] * 1000]);
  });

  it('never retries a creating POST, whatever the status', async () => {
    await control(tvm, '/__mock/scenarios', { status: 503, path: '/v1/offers' });
    const { waits, sleep } = recorder();
    const client = createTvmClient({
      apiKey: fixtureKey('tvm', 'key_tvm_admin'),
      baseUrl: tvm.url,
      maxRetries: 3,
      sleep,
    });
    const created = await client.POST('/v1/offers', { body: { title: 'Once' } });
    expect(created.response.status).toBe(503);
    expect(waits).toEqual([]);
    expect((await control(tvm, '/__mock/scenarios')).scenarios[0].served).toBe(1);

    await control(mvo, '/__mock/scenarios', { status: 429, count: 1 });
    const mvoClient = createMvoClient({
      apiKey: fixtureKey('mvo', 'key_mvo_active'),
      baseUrl: mvo.url,
      maxRetries: 3,
      sleep,
    });
    const customer = await mvoClient.POST('/api/customers', {
      body: { first_name: 'A', last_name: 'B', email: 'once@example.com' },
    });
    expect(customer.response.status).toBe(429);
    expect(waits).toEqual([]);
    // nothing was created: the same email goes through afterwards
    expect(
      (await mvoClient.POST('/api/customers', { body: { first_name: 'A', last_name: 'B', email: 'once@example.com' } }))
        .response.status,
    ).toBe(201);
  });
});
