/** Forced statuses, latency and per-key rate limits, through the control API and real HTTP (parsing: pipeline/latency.test.ts). */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { json, useHandledMock } from '../helpers/mock.ts';

/** A fixed clock: a minute boundary cannot split the rate windows these tests count in. */
const NOW = new Date('2026-03-01T12:00:10.000Z');
const now = () => NOW;
const mvo = useHandledMock('mvo', { rateLimits: 'enforce', now });
const tvm = useHandledMock('tvm', { rateLimits: 'enforce', now });
const mvoKey = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') };
const tvmKey = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
const SEED = '/api/customers/550e8400-e29b-41d4-a716-446655440000';

describe('forced statuses (POST /__mock/scenarios)', () => {
  it('answers the next N requests with the status and its documented example, then goes back to normal', async () => {
    const created = await mvo.send('/__mock/scenarios', { method: 'POST', ...json({ status: 503, count: 2 }) });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 503, count: 2, remaining: 2, path: null, served: 0 });
    for (let i = 0; i < 2; i++) {
      const forced = await mvo.send(SEED, { headers: mvoKey });
      expect(forced.status).toBe(503);
      expect(forced.json).toEqual({ error: 'Service Unavailable', message: 'API temporarily unavailable' });
    }
    expect((await mvo.send(SEED, { headers: mvoKey })).status).toBe(200);
    expect((await mvo.send('/__mock/scenarios')).json.scenarios).toEqual([
      expect.objectContaining({ served: 2, remaining: 0 }),
    ]);
    expect((await mvo.send('/__mock/scenarios', { method: 'DELETE' })).status).toBe(204);
    expect((await mvo.send('/__mock/scenarios')).json.scenarios).toEqual([]);
  });

  it('applies to matching paths only, until cleared when no count is given', async () => {
    await tvm.send('/__mock/scenarios', { method: 'POST', ...json({ status: 429, path: '/v1/offers*' }) });
    for (let i = 0; i < 3; i++) {
      const forced = await tvm.send('/v1/offers/offer_abc123', { headers: tvmKey });
      expect(forced.status).toBe(429);
      // What a real limit would say at 12:00:10: nothing left, and the window resets at 12:01:00 (TVM-A21).
      expect(forced.json.error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 50 });
      expect(forced.headers.get('x-ratelimit-remaining')).toBe('0');
    }
    expect((await tvm.send('/v1/shop', { headers: tvmKey })).status).toBe(200);
    await tvm.send('/__mock/scenarios', { method: 'DELETE' });
    expect((await tvm.send('/v1/offers/offer_abc123', { headers: tvmKey })).status).toBe(200);
  });

  it('still authenticates first, and POST /__mock/reset clears scenarios', async () => {
    await mvo.send('/__mock/scenarios', { method: 'POST', ...json({ status: 500 }) });
    expect((await mvo.send(SEED)).status).toBe(401);
    expect((await mvo.send(SEED, { headers: mvoKey })).json).toEqual({
      error: 'Internal Server Error',
      message: 'An unexpected error occurred',
    });
    await mvo.send('/__mock/reset', { method: 'POST' });
    expect((await mvo.send(SEED, { headers: mvoKey })).status).toBe(200);
  });

  it('a forced 403 is the refusal that operation would give: it names the operation’s own scope', async () => {
    await tvm.send('/__mock/scenarios', { method: 'POST', ...json({ status: 403, count: 3 }) });
    const forced = [
      await tvm.send('/v1/shop', { headers: tvmKey }),
      await tvm.send('/v1/offers', { headers: tvmKey }),
      await tvm.send('/v1/content', { method: 'POST', ...json({ title: 'x' }, tvmKey) }),
    ];
    expect(forced.map((answer) => [answer.status, answer.json.error.message])).toEqual([
      [403, 'Missing required scope: shops:read'],
      [403, 'Missing required scope: offers:read'],
      [403, 'Missing required scope: content:write'],
    ]);
  });

  it('applies only to operations that document its status; the others answer as usual and are not counted', async () => {
    await tvm.send('/__mock/scenarios', { method: 'DELETE' });
    await tvm.send('/__mock/scenarios', { method: 'POST', ...json({ status: 404, count: 1, path: '/v1/*' }) });
    expect((await tvm.send('/v1/shop', { headers: tvmKey })).status).toBe(200); // GET /v1/shop documents no 404
    expect((await tvm.send('/__mock/scenarios')).json.scenarios[0]).toMatchObject({ served: 0, remaining: 1 });
    const forced = await tvm.send('/v1/offers/offer_abc123', { headers: tvmKey });
    expect([forced.status, forced.json.error.code]).toEqual([404, 'NOT_FOUND']);
    await tvm.send('/__mock/scenarios', { method: 'DELETE' });

    await mvo.send('/__mock/scenarios', { method: 'POST', ...json({ status: 409, count: 1 }) });
    expect((await mvo.send(SEED, { headers: mvoKey })).status).toBe(200); // reads never conflict
    const conflict = await mvo.send('/api/customers', {
      method: 'POST',
      ...json({ first_name: 'A', last_name: 'B', email: 'forced@example.com' }, mvoKey),
    });
    expect([conflict.status, conflict.json.message]).toEqual([409, 'A customer with this email already exists']);
  });

  it('refuses at creation a status the API documents for no operation, naming those it documents', async () => {
    const teapot = await tvm.send('/__mock/scenarios', { method: 'POST', ...json({ status: 418 }) });
    expect([teapot.status, teapot.json.error.message]).toEqual([
      400,
      'body/status must be one of: 400, 401, 403, 404, 413, 429, 500, 503',
    ]);
    expect((await mvo.send('/__mock/scenarios', { method: 'POST', ...json({ status: 418 }) })).json.message).toBe(
      'body/status must be one of: 400, 401, 403, 404, 409, 413, 429, 500, 503',
    );
  });

  it('refuses bad scenarios', async () => {
    for (const body of [
      {},
      { status: 200 },
      { status: 503, count: 0 },
      { status: 503, path: 'no-slash' },
      { status: 503, extra: 1 },
    ]) {
      expect(
        (await mvo.send('/__mock/scenarios', { method: 'POST', ...json(body) })).status,
        JSON.stringify(body),
      ).toBe(400);
    }
  });
});

describe('latency', () => {
  it('delays an answer by the X-Mock-Latency header', async () => {
    const started = performance.now();
    const answer = await mvo.send(SEED, { headers: { ...mvoKey, 'x-mock-latency': '60' } });
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55); // a lower bound only: the machine may be slow
  });
});

describe('latency option', () => {
  const slow = useHandledMock('tvm', { latency: '150-160' });
  it('delays every API answer', async () => {
    await slow.send('/v1/shop', { headers: tvmKey }); // warm: validators and key digests are ready
    const started = performance.now();
    expect((await slow.send('/v1/shop', { headers: tvmKey })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145); // a lower bound only: the machine may be slow
  });
});

describe('per-key rate limits (rate_limit on POST/PATCH /__mock/keys)', () => {
  it('TVM: counts per key, answers 429 RATE_LIMITED with retryAfter and headers, and resets', async () => {
    const minted = await tvm.send('/__mock/keys', {
      method: 'POST',
      ...json({ name: 'limited', rate_limit: { per_minute: 2, per_day: 100 } }),
    });
    expect(minted.json.rate_limit).toEqual({ per_minute: 2, per_day: 100 });
    const key = { authorization: `Bearer ${minted.json.key}` };
    const first = await tvm.send('/v1/shop', { headers: key });
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    await tvm.send('/v1/shop', { headers: key });
    const limited = await tvm.send('/v1/shop', { headers: key });
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('RATE_LIMITED');
    expect(limited.json.error.retryAfter).toBe(50); // the minute window ends at 12:01:00
    expect(limited.json.error.message).toBe(
      `Rate limit exceeded. Try again in ${limited.json.error.retryAfter} seconds.`,
    );
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    // another key keeps its own (documented) window
    expect((await tvm.send('/v1/shop', { headers: tvmKey })).headers.get('x-ratelimit-limit')).toBe('60');

    const raised = await tvm.send(`/__mock/keys/${minted.json.id}`, {
      method: 'PATCH',
      ...json({ rate_limit: { per_minute: 10, per_day: 100 } }),
    });
    expect(raised.json.rate_limit).toEqual({ per_minute: 10, per_day: 100 });
    expect((await tvm.send('/v1/shop', { headers: key })).status).toBe(200);
    await tvm.send(`/__mock/keys/${minted.json.id}`, { method: 'PATCH', ...json({ rate_limit: null }) });
    expect((await tvm.send('/v1/shop', { headers: key })).headers.get('x-ratelimit-limit')).toBe('60');
  });

  it('TVM: the per-day limit is reported when it is the one exhausted', async () => {
    const minted = await tvm.send('/__mock/keys', {
      method: 'POST',
      ...json({ name: 'daily', rate_limit: { per_minute: 50, per_day: 1 } }),
    });
    const key = { authorization: `Bearer ${minted.json.key}` };
    expect((await tvm.send('/v1/shop', { headers: key })).status).toBe(200);
    const limited = await tvm.send('/v1/shop', { headers: key });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('1');
  });

  it('MVO: only keys with their own limit are limited, with the documented 429 body and no headers; reset forgets counts', async () => {
    const minted = await mvo.send('/__mock/keys', {
      method: 'POST',
      ...json({ name: 'limited', rate_limit: { per_minute: 1, per_day: 10 } }),
    });
    const key = { 'x-api-key': minted.json.key };
    expect((await mvo.send(SEED, { headers: key })).status).toBe(200);
    const limited = await mvo.send(SEED, { headers: key });
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: 'Too Many Requests', message: 'Rate limit exceeded' });
    expect(limited.headers.get('x-ratelimit-limit')).toBeNull();
    expect((await mvo.send(SEED, { headers: mvoKey })).status).toBe(200);
    expect(
      (
        await mvo.send('/__mock/keys', {
          method: 'POST',
          ...json({ name: 'bad', rate_limit: { per_minute: 0, per_day: 1 } }),
        })
      ).status,
    ).toBe(400);
  });

  it('--rate-limits off only reports', async () => {
    const { startMockServer } = await import('../../mock-server/src/index.ts');
    const server = await startMockServer({ api: 'tvm', port: 0, rateLimits: 'headers' });
    try {
      const minted = await (
        await fetch(`${server.url}/__mock/keys`, {
          method: 'POST',
          ...json({ name: 'x', rate_limit: { per_minute: 1, per_day: 1 } }),
        })
      ).json();
      const headers = { authorization: `Bearer ${minted.key}` };
      await fetch(`${server.url}/v1/shop`, { headers });
      const over = await fetch(`${server.url}/v1/shop`, { headers });
      expect(over.status).toBe(200);
      expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    } finally {
      await server.close();
    }
  });
});
