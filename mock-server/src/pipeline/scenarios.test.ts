import { describe, expect, it } from 'vitest';
import { DEFAULT_SLOW_DELAY_MS, scenarioProblem, Scenarios } from './scenarios.ts';

const any = { has: () => true };

describe('Scenarios', () => {
  it.each([
    ['no path: every path', undefined, ['/api/customers/1', '/v1/shop', '/'], []],
    ['a prefix with *', '/v1/offers*', ['/v1/offers', '/v1/offers/offer_1'], ['/v1/shop', '/x/v1/offers']],
    ['* in the middle', '/v1/*/1', ['/v1/offers/1', '/v1/a/b/1'], ['/v1/offers/2']],
    ['regex characters are literal', '/v1/a.b+(c)', ['/v1/a.b+(c)'], ['/v1/aXb+(c)', '/v1/a.bb(c)']],
  ])('%s', (_label, path, matching, other) => {
    const scenarios = new Scenarios();
    scenarios.add({ status: 503, path });
    for (const candidate of matching)
      expect(scenarios.take(candidate, 'GET', 'key_a', any)?.status, candidate).toBe(503);
    for (const candidate of other) expect(scenarios.take(candidate, 'GET', 'key_a', any), candidate).toBeUndefined();
  });

  it('matches on the method (any case given) and the key id too', () => {
    const scenarios = new Scenarios();
    scenarios.add({ fault: 'reset', method: 'post', key_id: 'key_a' });
    expect(scenarios.take('/v1/offers', 'GET', 'key_a', any)).toBeUndefined();
    expect(scenarios.take('/v1/offers', 'POST', 'key_b', any)).toBeUndefined();
    expect(scenarios.take('/v1/offers', 'POST', 'key_a', any)).toMatchObject({
      fault: 'reset',
      status: null,
      method: 'POST',
      key_id: 'key_a',
    });
  });

  it('counts down, then stops applying; the first that applies answers', () => {
    const scenarios = new Scenarios();
    scenarios.add({ status: 503, count: 2 });
    scenarios.add({ fault: 'slow' });
    expect([1, 2, 3, 4].map(() => scenarios.take('/x', 'GET', 'k', any)).map((s) => s?.status ?? s?.fault)).toEqual([
      503,
      503,
      'slow',
      'slow',
    ]);
    const common = {
      method: null,
      key_id: null,
      path: null,
      retry_after: null,
      body: null,
      headers: null,
      latency: null,
      validate: true,
    };
    expect(scenarios.list()).toEqual([
      { id: 'scn_1', status: 503, fault: null, delay: null, count: 2, remaining: 0, served: 2, ...common },
      {
        id: 'scn_2',
        status: null,
        fault: 'slow',
        delay: DEFAULT_SLOW_DELAY_MS,
        count: null,
        remaining: null,
        served: 2,
        ...common,
      },
    ]);
    scenarios.clear();
    expect(scenarios.take('/x', 'GET', 'k', any)).toBeUndefined();
  });

  it('applies only where the operation documents the status, and counts only there', () => {
    const scenarios = new Scenarios();
    scenarios.add({ status: 404, count: 1 });
    expect(scenarios.take('/v1/shop', 'GET', 'k', new Set([200, 401]))).toBeUndefined();
    expect(scenarios.list()[0]).toMatchObject({ served: 0, remaining: 1 });
    expect(scenarios.take('/v1/offers/1', 'GET', 'k', new Set([200, 404]))?.status).toBe(404);
    expect(scenarios.list()[0]).toMatchObject({ served: 1, remaining: 0 });
  });

  it('an answer without a status (body, headers, latency) applies whatever the operation documents', () => {
    const scenarios = new Scenarios();
    scenarios.add({ latency: 50, headers: { 'x-a': 'b' }, count: 1 });
    expect(scenarios.take('/v1/shop', 'GET', 'k', new Set([200]))).toMatchObject({
      latency: 50,
      headers: { 'x-a': 'b' },
      status: null,
    });
  });

  it('a fault applies whatever the operation documents', () => {
    const scenarios = new Scenarios();
    scenarios.add({ fault: 'reset', count: 1 });
    expect(scenarios.take('/v1/shop', 'GET', 'k', new Set([200]))?.fault).toBe('reset');
  });

  it.each([
    [{}, 'body must have one of status, fault, body, headers, latency'],
    [{ fault: 'malformed', body: {} }, 'body/body and body/headers apply without a fault only'],
    [{ latency: 10, validate: false }, 'body/validate applies with body only'],
    [{ status: 503, fault: 'reset' }, 'body must have either status or fault, not both'],
    [{ status: 503, delay: 10 }, 'body/delay applies to fault slow only'],
    [{ fault: 'hang', delay: 10 }, 'body/delay applies to fault slow only'],
  ] as const)('refuses %j', (input, message) => {
    expect(scenarioProblem(input)).toBe(message);
  });

  it('accepts a status, a fault, or slow with a delay', () => {
    expect([
      scenarioProblem({ status: 500 }),
      scenarioProblem({ fault: 'malformed' }),
      scenarioProblem({ fault: 'slow', delay: 5 }),
    ]).toEqual([undefined, undefined, undefined]);
  });
});
