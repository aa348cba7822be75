/** Refusals and forced answers tell the truth about the key's rate window, and a client that gave up takes nothing. */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../fixtures/keys.ts';
import { createMock, type MockRequest, type MockResponse } from './pipeline.ts';

// 30 s into a minute: the window resets in 30 s.
const NOW = new Date('2026-01-15T10:00:30.000Z');
const bearer = (id: string): Record<string, string> => ({
  authorization: `Bearer ${fixtureKey('tvm', id)}`,
  'content-type': 'application/json',
});
const request = (
  method: string,
  path: string,
  headers: Record<string, string>,
  extra: Partial<MockRequest> = {},
): MockRequest => ({
  method,
  path,
  query: '',
  headers: (name) => headers[name],
  body: method === 'GET' ? '' : '{"title":"Ten off"}',
  ...extra,
});
const control = (method: string, path: string, body: unknown): MockRequest => ({
  method,
  path,
  query: '',
  headers: (name) => (name === 'content-type' ? 'application/json' : undefined),
  body: JSON.stringify(body),
});

describe('X-RateLimit-* on a 403', () => {
  it('a key lacking the scope: each refusal counts against its window, which the headers describe', async () => {
    const mock = await createMock('tvm', { now: () => NOW });
    let answer: MockResponse | undefined;
    for (let i = 0; i < 3; i++) answer = await mock.handle(request('POST', '/v1/offers', bearer('key_tvm_readonly')));
    expect(answer!.status).toBe(403);
    expect(answer!.headers).toMatchObject({ 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '27' });
    expect(
      (await mock.handle(request('GET', '/v1/shop', bearer('key_tvm_readonly')))).headers['x-ratelimit-remaining'],
    ).toBe('26');
  });

  it('a disabled admin key: its own window (the admin limit), not counted', async () => {
    const mock = await createMock('tvm', { now: () => NOW });
    await mock.handle(request('GET', '/v1/shop', bearer('key_tvm_disabled')));
    const answer = await mock.handle(request('GET', '/v1/shop', bearer('key_tvm_disabled')));
    expect(answer.status).toBe(403);
    expect(answer.headers).toMatchObject({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '60' });
  });
});

describe('a forced 429', () => {
  it('reports nothing remaining and waits what the window says by default', async () => {
    const mock = await createMock('tvm', { now: () => NOW });
    expect((await mock.handle(control('POST', '/__mock/scenarios', { status: 429, count: 1 }))).status).toBe(201);
    const answer = await mock.handle(request('GET', '/v1/shop', bearer('key_tvm_admin')));
    expect(answer.status).toBe(429);
    expect(answer.headers['x-ratelimit-remaining']).toBe('0');
    expect(JSON.parse(answer.body!).error.retryAfter).toBe(30);
    expect(answer.headers['x-ratelimit-reset']).toBe(String(Date.parse('2026-01-15T10:01:00.000Z') / 1000));
  });

  it('waits what the scenario says, with the reset that far away', async () => {
    const mock = await createMock('tvm', { now: () => NOW });
    expect((await mock.handle(control('POST', '/__mock/scenarios', { status: 429, retry_after: 1 }))).status).toBe(201);
    const answer = await mock.handle(request('GET', '/v1/shop', bearer('key_tvm_admin')));
    expect(JSON.parse(answer.body!).error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 1 });
    expect(answer.headers).toMatchObject({
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(NOW.getTime() / 1000 + 1),
    });
  });

  it('refuses retry_after on another status', async () => {
    const mock = await createMock('mvo');
    const answer = await mock.handle(control('POST', '/__mock/scenarios', { status: 500, retry_after: 1 }));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body!).message).toBe('body/retry_after applies to status 429 only');
  });
});

describe('a request the client abandoned', () => {
  it("does not consume a forced scenario's count", async () => {
    const mock = await createMock('tvm');
    await mock.handle(control('POST', '/__mock/scenarios', { status: 503, count: 1 }));
    const gone = new AbortController();
    // Synchronously up to its latency: the client gives up while it runs.
    const abandoned = mock.handle(
      request('GET', '/v1/shop', { ...bearer('key_tvm_admin'), 'x-mock-latency': '200' }, { signal: gone.signal }),
    );
    gone.abort();
    expect((await abandoned).status).toBe(0);
    expect((await mock.scenarios.list())[0]).toMatchObject({ remaining: 1, served: 0 });
    expect((await mock.handle(request('GET', '/v1/shop', bearer('key_tvm_admin')))).status).toBe(503);
  });
});
