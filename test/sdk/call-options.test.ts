/** Per-call `timeoutMs` and `maxRetries`, overriding the client's: counted by the mock's scenarios or an observed fetch. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { ConfigurationError, TimeoutError, createMvoClient } from '../../sdk/src/mvo/index.ts';
import { createTvmClient } from '../../sdk/src/tvm/index.ts';
import { MVO_KEY, TVM_KEY, control, json, mintKey, observedFetch, servedByScenarios } from './helpers.ts';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ api: 'tvm', port: 0 });
});
afterAll(async () => {
  await server?.close();
});

describe('maxRetries per call', () => {
  it('maxRetries: 0 sends exactly one request; the client default (2) sends three', async () => {
    const tvm = createTvmClient({
      apiKey: await mintKey(server.url, { scopes: ['*'] }),
      baseUrl: server.url,
      sleep: async () => {},
    });
    await control(server.url, '/scenarios', { status: 503, path: '/v1/shop' });
    const once = await tvm.GET('/v1/shop', { maxRetries: 0 });
    expect(once.response.status).toBe(503);
    expect(await servedByScenarios(server.url)).toBe(1);
    await tvm.GET('/v1/shop');
    expect(await servedByScenarios(server.url)).toBe(4);
    await control(server.url, '/scenarios', undefined, 'DELETE');
  });

  it('raises the client setting for one call, and never makes POST retried', async () => {
    const observed = observedFetch(() => json(503, {}));
    const mvo = createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch, maxRetries: 0, sleep: async () => {} });
    await mvo.GET('/api/customers/{id}', { params: { path: { id: 'c1' } }, maxRetries: 3 });
    expect(observed.seen).toHaveLength(4);
    await mvo.POST('/api/customers', {
      body: { first_name: 'J', last_name: 'D', email: 'j@example.com' },
      maxRetries: 3,
    });
    expect(observed.seen).toHaveLength(5);
  });
});

describe('timeoutMs per call', () => {
  it('overrides the client timeout for that call only', async () => {
    const hanging = observedFetch(() => new Promise<Response>(() => {}));
    const tvm = createTvmClient({ apiKey: TVM_KEY, fetch: hanging.fetch, timeoutMs: 60_000, maxRetries: 0 });
    const error = await tvm.GET('/v1/shop', { timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(20);
  });

  it('timeoutMs: 0 turns the client timeout off for that call', async () => {
    const slow = observedFetch(() => new Promise<Response>((resolve) => setTimeout(() => resolve(json(200, {})), 60)));
    const tvm = createTvmClient({ apiKey: TVM_KEY, fetch: slow.fetch, timeoutMs: 10, maxRetries: 0 });
    expect((await tvm.GET('/v1/shop', { timeoutMs: 0 })).response.status).toBe(200);
    await expect(tvm.GET('/v1/shop')).rejects.toBeInstanceOf(TimeoutError);
  });

  it('a bad value is refused with a message naming the call', async () => {
    const tvm = createTvmClient({ apiKey: TVM_KEY, fetch: observedFetch().fetch });
    const error = await tvm.GET('/v1/shop', { timeoutMs: -1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      'GET https://api.thevirtualmall.co.uk/v1/shop: `timeoutMs` must be a non-negative number, got -1.',
    );
    await expect(tvm.GET('/v1/shop', { maxRetries: 1.5 })).rejects.toThrow(
      '`maxRetries` must be a non-negative integer',
    );
  });
});
