import { describe, expect, it } from 'vitest';
import { Scenarios } from './scenarios.ts';

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
    for (const candidate of matching) expect(scenarios.take(candidate, any)?.status, candidate).toBe(503);
    for (const candidate of other) expect(scenarios.take(candidate, any), candidate).toBeUndefined();
  });

  it('counts down, then stops applying; the first that applies answers', () => {
    const scenarios = new Scenarios();
    scenarios.add({ status: 503, count: 2 });
    scenarios.add({ status: 500 });
    expect([1, 2, 3, 4].map(() => scenarios.take('/x', any)?.status)).toEqual([503, 503, 500, 500]);
    expect(scenarios.list()).toEqual([
      { id: 'scn_1', status: 503, count: 2, remaining: 0, path: null, served: 2 },
      { id: 'scn_2', status: 500, count: null, remaining: null, path: null, served: 2 },
    ]);
    scenarios.clear();
    expect(scenarios.take('/x', any)).toBeUndefined();
  });

  it('applies only where the operation documents the status, and counts only there', () => {
    const scenarios = new Scenarios();
    scenarios.add({ status: 404, count: 1 });
    expect(scenarios.take('/v1/shop', new Set([200, 401]))).toBeUndefined();
    expect(scenarios.list()[0]).toMatchObject({ served: 0, remaining: 1 });
    expect(scenarios.take('/v1/offers/1', new Set([200, 404]))?.status).toBe(404);
    expect(scenarios.list()[0]).toMatchObject({ served: 1, remaining: 0 });
  });
});
