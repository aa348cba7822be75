/**
 * Retries and timeouts, with an observed fetch and a sleep that records the waits instead of waiting.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ApiConnectionError, TimeoutError, createMvoClient } from '../../sdk/src/mvo/index.ts';
import { createTvmClient } from '../../sdk/src/tvm/index.ts';
import { MVO_KEY, TVM_KEY, json, observedFetch, recordingSleep } from './helpers.ts';

const ID = '550e8400-e29b-41d4-a716-446655440000';
const RATE_LIMITED = (retryAfter?: number) => ({
  success: false,
  error: {
    code: 'RATE_LIMITED',
    message: 'Rate limit exceeded. Try again in 45 seconds.',
    ...(retryAfter === undefined ? {} : { retryAfter }),
  },
});
const OK = {
  success: true,
  data: { id: 'shop_abc123' },
  meta: { requestId: 'req_1', timestamp: '2026-02-06T12:00:00Z' },
};

/** Answers the listed responses in order, then 200. */
function sequence(...responses: (() => Response | Promise<Response>)[]) {
  return observedFetch((_request, n) => (responses[n - 1] ?? (() => json(200, OK)))());
}

function tvmClient(
  fetch: ReturnType<typeof observedFetch>['fetch'],
  extra: Parameters<typeof createTvmClient>[0] = {},
) {
  const sleep = recordingSleep();
  return { client: createTvmClient({ apiKey: TVM_KEY, fetch, sleep: sleep.sleep, ...extra }), waits: sleep.waits };
}

describe('what is retried', () => {
  it('429 then 200: two calls, the caller sees the 200', async () => {
    const observed = sequence(() => json(429, RATE_LIMITED(1)));
    const { client } = tvmClient(observed.fetch);
    const { data, error, response } = await client.GET('/v1/shop');
    expect(observed.seen).toHaveLength(2);
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data?.data.id).toBe('shop_abc123');
  });

  it('503 twice then 200: three calls with the default maxRetries (2)', async () => {
    const observed = sequence(
      () => json(503, { error: 'Service Unavailable', message: 'down' }),
      () => new Response('busy', { status: 503 }),
    );
    const { client, waits } = tvmClient(observed.fetch);
    const { response } = await client.GET('/v1/shop');
    expect(observed.seen).toHaveLength(3);
    expect(response.status).toBe(200);
    expect(waits).toHaveLength(2);
    // exponential backoff with jitter: 250–500 ms, then 500–1000 ms
    expect(waits[0]).toBeGreaterThanOrEqual(250);
    expect(waits[0]).toBeLessThanOrEqual(500);
    expect(waits[1]).toBeGreaterThanOrEqual(500);
    expect(waits[1]).toBeLessThanOrEqual(1000);
  });

  it('gives up after maxRetries and returns the last typed 429', async () => {
    const observed = observedFetch(() => json(429, RATE_LIMITED(0)));
    const { client } = tvmClient(observed.fetch, { maxRetries: 1 });
    const { error, response } = await client.GET('/v1/shop');
    expect(observed.seen).toHaveLength(2);
    expect(response.status).toBe(429);
    expect(error?.error.code).toBe('RATE_LIMITED');
  });

  it('maxRetries 0: one call only', async () => {
    const observed = observedFetch(() => json(503, {}));
    const { client } = tvmClient(observed.fetch, { maxRetries: 0 });
    await client.GET('/v1/shop');
    expect(observed.seen).toHaveLength(1);
  });

  it('a network error then 200: retried, the caller sees the 200', async () => {
    const observed = sequence(() => Promise.reject(new TypeError('fetch failed')));
    const { client, waits } = tvmClient(observed.fetch);
    const { response } = await client.GET('/v1/shop');
    expect(observed.seen).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(response.status).toBe(200);
  });

  it('network errors every time: an ApiConnectionError after 1 + maxRetries attempts, with the cause', async () => {
    const cause = new TypeError('fetch failed');
    const observed = observedFetch(() => Promise.reject(cause));
    const { client } = tvmClient(observed.fetch);
    const error = await client.GET('/v1/shop').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiConnectionError);
    expect((error as ApiConnectionError).message).toContain('GET https://api.thevirtualmall.co.uk/v1/shop');
    expect((error as ApiConnectionError).message).toContain('3 attempts');
    expect((error as ApiConnectionError).cause).toBe(cause);
    expect(observed.seen).toHaveLength(3);
  });

  it('400, 401, 404, 500 are not retried', async () => {
    for (const status of [400, 401, 404, 500]) {
      const observed = observedFetch(() => json(status, {}));
      await tvmClient(observed.fetch).client.GET('/v1/shop');
      expect(observed.seen, `status ${status}`).toHaveLength(1);
    }
  });

  it('POST is never retried: not on 429, 503 or a network error', async () => {
    for (const answer of [
      () => json(429, RATE_LIMITED(0)),
      () => json(503, {}),
      () => Promise.reject(new TypeError('fetch failed')),
    ]) {
      const observed = observedFetch(answer);
      const client = createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch, maxRetries: 2, sleep: async () => {} });
      await client
        .POST('/api/customers', { body: { first_name: 'John', last_name: 'Doe', email: 'john@example.com' } })
        .catch(() => {});
      expect(observed.seen).toHaveLength(1);
    }
  });

  it.each(['GET', 'PATCH', 'DELETE'] as const)('MVO %s is retried on 503, the body resent intact', async (method) => {
    const observed = sequence(() => json(503, { error: 'Service Unavailable', message: 'down' }));
    const client = createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch, sleep: async () => {} });
    const params = { path: { id: ID } };
    if (method === 'GET') await client.GET('/api/customers/{id}', { params });
    if (method === 'DELETE') await client.DELETE('/api/customers/{id}', { params });
    if (method === 'PATCH') await client.PATCH('/api/customers/{id}', { params, body: { last_name: 'Smith' } });
    expect(observed.seen.map((r) => r.method)).toEqual([method, method]);
    expect(observed.seen[1].body).toBe(observed.seen[0].body);
    expect(observed.seen[1].headers.get('x-api-key')).toBe(MVO_KEY);
    if (method === 'PATCH') expect(JSON.parse(observed.seen[1].body!)).toEqual({ last_name: 'Smith' });
  });

  it('TVM PUT is retried with its body', async () => {
    const observed = sequence(() => json(429, RATE_LIMITED(0)));
    const { client } = tvmClient(observed.fetch);
    await client.PUT('/v1/shop', { body: { teaser: 'New teaser' } });
    expect(observed.seen).toHaveLength(2);
    expect(JSON.parse(observed.seen[1].body!)).toEqual({ teaser: 'New teaser' });
  });
});

describe('how long to wait', () => {
  it("honours TVM's error.retryAfter (seconds)", async () => {
    const observed = sequence(() => json(429, RATE_LIMITED(7)));
    const { client, waits } = tvmClient(observed.fetch);
    await client.GET('/v1/shop');
    expect(waits).toEqual([7000]);
  });

  it('honours a Retry-After header in seconds', async () => {
    const observed = sequence(() => new Response('slow down', { status: 429, headers: { 'Retry-After': '3' } }));
    const { client, waits } = tvmClient(observed.fetch);
    await client.GET('/v1/shop');
    expect(waits).toEqual([3000]);
  });

  it('honours a Retry-After header as an HTTP date', async () => {
    const at = new Date(Date.now() + 5000).toUTCString();
    const observed = sequence(() => new Response(null, { status: 503, headers: { 'Retry-After': at } }));
    const { client, waits } = tvmClient(observed.fetch);
    await client.GET('/v1/shop');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(3000);
    expect(waits[0]).toBeLessThanOrEqual(5000);
  });

  it('honours X-RateLimit-Reset (unix seconds) on a 429', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 10;
    const observed = sequence(
      () =>
        new Response('{}', {
          status: 429,
          headers: { 'X-RateLimit-Reset': String(reset), 'X-RateLimit-Remaining': '0' },
        }),
    );
    const { client, waits } = tvmClient(observed.fetch);
    await client.GET('/v1/shop');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(8000);
    expect(waits[0]).toBeLessThanOrEqual(11_000);
  });

  it('a wait longer than maxRetryDelayMs is not waited: the 429 comes back after one call', async () => {
    const observed = sequence(() => json(429, RATE_LIMITED(45)));
    const { client, waits } = tvmClient(observed.fetch, { maxRetryDelayMs: 10_000 });
    const { error } = await client.GET('/v1/shop');
    expect(observed.seen).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(error?.error.retryAfter).toBe(45); // the body is still readable by the caller
  });

  it('the default sleep really waits (tiny server-given delay)', async () => {
    const observed = sequence(() => json(429, RATE_LIMITED(0.05)));
    const client = createTvmClient({ apiKey: TVM_KEY, fetch: observed.fetch });
    const started = performance.now();
    await client.GET('/v1/shop');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(observed.seen).toHaveLength(2);
  });

  it('an abort before the call is not retried', async () => {
    const observed = observedFetch(() => json(200, OK));
    const { client } = tvmClient(observed.fetch);
    await expect(client.GET('/v1/shop', { signal: AbortSignal.abort(new Error('too late')) })).rejects.toThrow(
      'too late',
    );
    expect(observed.seen.length).toBeLessThanOrEqual(1);
  });
});

describe('timeouts', () => {
  const hanging = () => observedFetch(() => new Promise<Response>(() => {}));

  it('throws a TimeoutError naming the request and the limit, after 1 + maxRetries attempts', async () => {
    const observed = hanging();
    const { client } = tvmClient(observed.fetch, { timeoutMs: 30, maxRetries: 1 });
    const started = performance.now();
    const error = await client.GET('/v1/shop').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ApiConnectionError);
    expect((error as TimeoutError).message).toMatch(
      /timed out after 30 ms: GET https:\/\/api\.thevirtualmall\.co\.uk\/v1\/shop/,
    );
    expect((error as TimeoutError).timeoutMs).toBe(30);
    expect(observed.seen).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('aborts the signal given to fetch, so a real fetch stops', async () => {
    const observed = hanging();
    const { client } = tvmClient(observed.fetch, { timeoutMs: 20, maxRetries: 0 });
    await expect(client.GET('/v1/shop')).rejects.toBeInstanceOf(TimeoutError);
    expect(observed.seen[0].signal?.aborted).toBe(true);
    expect(observed.seen[0].signal?.reason).toBeInstanceOf(TimeoutError);
  });

  it('POST times out without a retry', async () => {
    const observed = hanging();
    const client = createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch, timeoutMs: 20, sleep: async () => {} });
    await expect(
      client.POST('/api/customers', { body: { first_name: 'John', last_name: 'Doe', email: 'john@example.com' } }),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(observed.seen).toHaveLength(1);
  });

  it('a response within the limit is not affected; timeoutMs 0 turns the timeout off', async () => {
    const slow = observedFetch(() => new Promise<Response>((resolve) => setTimeout(() => resolve(json(200, OK)), 60)));
    const { client } = tvmClient(slow.fetch, { timeoutMs: 0 });
    expect((await client.GET('/v1/shop')).response.status).toBe(200);
    const { client: patient } = tvmClient(slow.fetch, { timeoutMs: 1000 });
    expect((await patient.GET('/v1/shop')).response.status).toBe(200);
  });

  it("the caller's own AbortSignal still cancels, and is not turned into a retry or a TimeoutError", async () => {
    const observed = hanging();
    const { client } = tvmClient(observed.fetch, { timeoutMs: 5000 });
    const controller = new AbortController();
    const pending = client.GET('/v1/shop', { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(new Error('user cancelled'));
    const error = await pending.catch((e: unknown) => e);
    expect(error).toEqual(new Error('user cancelled'));
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(observed.seen[0].signal?.aborted).toBe(true); // reaches the signal fetch was given
    expect(observed.seen).toHaveLength(1);
  });

  it('with the real fetch and a server that never answers: TimeoutError, and the connection is closed', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const server = createServer((req) => req.socket.on('close', () => closed())); // never responds
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = createTvmClient({
        apiKey: TVM_KEY,
        baseUrl: `http://127.0.0.1:${port}`,
        timeoutMs: 50,
        maxRetries: 0,
      });
      await expect(client.GET('/v1/shop')).rejects.toBeInstanceOf(TimeoutError);
      await connectionClosed; // the abort reached undici: the socket was torn down, not left hanging
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
