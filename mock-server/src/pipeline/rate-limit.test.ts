import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../auth/key-store.ts';
import { apiModel } from '../model/index.ts';
import { addRateLimitHeaders, RateLimiter } from './rate-limit.ts';

const MINUTE = Date.parse('2026-03-01T12:00:00.000Z');
const key = (id: string, scopes: string[], rate_limit: KeyRecord['rate_limit'] = null) =>
  ({ id, scopes, rate_limit }) as KeyRecord;
const shopKey = key('shop', ['offers:read']);
const adminKey = key('admin', ['*']);

/** Hits `count` times at `at` and returns the last report. */
function hitTimes(limiter: RateLimiter, who: KeyRecord | undefined, count: number, at = MINUTE + 10_000) {
  let last: ReturnType<RateLimiter['hit']>;
  for (let i = 0; i < count; i++) last = limiter.hit(who, at);
  return last;
}

describe('RateLimiter (TVM, x-rate-limits)', () => {
  it.each([
    ['a shop key, first request', shopKey, 1, { limit: 30, remaining: 29, exceeded: false }],
    ['a shop key, 30th request', shopKey, 30, { limit: 30, remaining: 0, exceeded: false }],
    ['a shop key, 31st request', shopKey, 31, { limit: 30, remaining: 0, exceeded: true, retryAfter: 50 }],
    ['an admin key (scope *), 31st request', adminKey, 31, { limit: 60, remaining: 29, exceeded: false }],
    [
      'a key with its own limit, 3rd request',
      key('own', ['*'], { per_minute: 2, per_day: 100 }),
      3,
      { limit: 2, remaining: 0, exceeded: true },
    ],
    [
      'a key whose day is used up: the day window is reported',
      key('daily', ['*'], { per_minute: 50, per_day: 1 }),
      2,
      { limit: 1, remaining: 0, exceeded: true, reset: Date.parse('2026-03-02T00:00:00Z') / 1000 },
    ],
  ] as const)('%s', (_label, who, count, expected) => {
    expect(hitTimes(new RateLimiter(apiModel('tvm')), who, count)).toMatchObject({
      reset: (MINUTE + 60_000) / 1000,
      ...expected,
    });
  });

  it('reads the tiers as a map from the spec: a third tier needs no code', () => {
    const model = apiModel('tvm');
    const limiter = new RateLimiter({
      ...model,
      rateLimits: { ...model.rateLimits, partner: { scope: 'offers:write', perMinute: 5, perDay: 50 } },
    });
    expect(limiter.limitsOf(key('p', ['offers:write']))).toEqual({ scope: 'offers:write', perMinute: 5, perDay: 50 });
    expect(limiter.limitsOf(adminKey)).toMatchObject({ perMinute: 60 });
    expect(limiter.limitsOf(shopKey)).toMatchObject({ perMinute: 30 });
    expect(limiter.limitsOf(undefined)).toMatchObject({ perMinute: 30 });
  });

  it('starts a new count in a new minute', () => {
    const limiter = new RateLimiter(apiModel('tvm'));
    hitTimes(limiter, shopKey, 31);
    expect(limiter.hit(shopKey, MINUTE + 60_000)).toMatchObject({ remaining: 29, exceeded: false });
  });

  it('reports the anonymous shop window without counting it', () => {
    const limiter = new RateLimiter(apiModel('tvm'));
    for (let i = 0; i < 40; i++)
      expect(limiter.hit(undefined, MINUTE, false)).toMatchObject({ limit: 30, remaining: 30, exceeded: false });
  });

  it('forgets every count on reset', () => {
    const limiter = new RateLimiter(apiModel('tvm'));
    hitTimes(limiter, shopKey, 31);
    limiter.reset();
    expect(limiter.hit(shopKey, MINUTE + 10_000)).toMatchObject({ remaining: 29 });
  });

  it('writes the three X-RateLimit-* headers beside the others', () => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    addRateLimitHeaders(headers, { limit: 30, remaining: 29, reset: 1772366460, exceeded: false, retryAfter: 50 });
    expect(headers).toEqual({
      'content-type': 'application/json',
      'x-ratelimit-limit': '30',
      'x-ratelimit-remaining': '29',
      'x-ratelimit-reset': '1772366460',
    });
  });
});

describe('RateLimiter (MVO, no documented limits)', () => {
  it.each([
    ['a key without its own limit', key('k', []), undefined],
    [
      'a key with its own limit',
      key('k', [], { per_minute: 1, per_day: 10 }),
      { limit: 1, remaining: 0, exceeded: false },
    ],
    ['no key', undefined, undefined],
  ] as const)('%s', (_label, who, expected) => {
    const report = new RateLimiter(apiModel('mvo')).hit(who, MINUTE);
    if (expected) expect(report).toMatchObject(expected);
    else expect(report).toBeUndefined();
  });
});
