/**
 * Per-key limits by tier, read from the spec's `x-rate-limits` (TVM: keys with the `*` scope 60/min and
 * 10,000/day, other keys 30/min and 5,000/day). Fixed windows; the headers describe the per-minute window unless the
 * day is the one exhausted (assumption TVM-A11). A key's own `rate_limit` (set through the control
 * API) replaces the documented limits; for MVO, which documents none, only such keys are limited.
 */
import type { ApiModel, RateLimitTier } from '../model/types.ts';
import type { KeyRecord } from '../auth/key-store.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface RateState {
  limit: number;
  remaining: number;
  /** Unix seconds when the reported window resets. */
  reset: number;
  exceeded: boolean;
  retryAfter: number;
}

interface Counter {
  minuteStart: number;
  minuteCount: number;
  dayStart: number;
  dayCount: number;
}

/**
 * Counters kept outside the process (store/redis/: one Redis for every replica of a sandbox): one request of a
 * key counted in its minute and its day, atomically, each counter expiring with its window.
 */
export interface SharedRateCounters {
  /** The minute's and the day's counts after this request (`count` false: as they stand, not counting it). */
  hit(
    keyId: string,
    minuteStart: number,
    dayStart: number,
    minuteMs: number,
    dayMs: number,
    count: boolean,
  ): Promise<[minute: number, day: number]>;
  /** Every counter starts again (a reset of the mock). */
  reset(): Promise<void>;
}

type Limits = { perMinute: number; perDay: number };

export class RateLimiter {
  readonly #counters = new Map<string, Counter>();
  /** The tiers that a scope selects, in the spec's order, and the tier for every other key. */
  readonly #scoped: readonly RateLimitTier[];
  readonly #fallback?: RateLimitTier;
  /** Set when the counts are shared by replicas: `hit` is then asynchronous. */
  readonly shared?: SharedRateCounters;

  constructor(model: ApiModel, shared?: SharedRateCounters) {
    const tiers = Object.values(model.rateLimits ?? {});
    this.#scoped = tiers.filter((tier) => tier.scope !== undefined);
    this.#fallback = tiers.find((tier) => tier.scope === undefined);
    this.shared = shared;
  }

  /** `hit` with the shared counters: one round trip, counted for every replica (a key without limits costs none). */
  async hitShared(key: KeyRecord, now: number, count = true): Promise<RateState | undefined> {
    const limits = this.limitsOf(key);
    if (!limits) return undefined;
    const minuteStart = Math.floor(now / MINUTE) * MINUTE;
    const dayStart = Math.floor(now / DAY) * DAY;
    const [minuteCount, dayCount] = await this.shared!.hit(
      key.id,
      minuteStart,
      dayStart,
      minuteStart + MINUTE - now,
      dayStart + DAY - now,
      count,
    );
    return report(limits, { minuteStart, minuteCount, dayStart, dayCount }, now);
  }

  /**
   * Counts one request of an authenticated key where this limiter keeps its counts: in this process (at once),
   * or on the counters shared by replicas (a promise). The caller need not know which.
   */
  countKey(key: KeyRecord, now: number, count = true): RateState | undefined | Promise<RateState | undefined> {
    return this.shared ? this.hitShared(key, now, count) : this.hit(key, now, count);
  }

  /** The key's limits (its own, else its tier's: `x-rate-limits`); undefined when neither the API nor the key sets any. */
  limitsOf(key: KeyRecord | undefined): Limits | undefined {
    if (key?.rate_limit) return { perMinute: key.rate_limit.per_minute, perDay: key.rate_limit.per_day };
    return (key && this.#scoped.find((tier) => key.scopes.includes(tier.scope!))) ?? this.#fallback;
  }

  /** Counts one request of this key (when given) and reports the window it falls in; undefined when it has no limits. */
  hit(key: KeyRecord | undefined, now: number, count = true): RateState | undefined {
    const limits = this.limitsOf(key);
    if (!limits) return undefined;
    const minuteStart = Math.floor(now / MINUTE) * MINUTE;
    const dayStart = Math.floor(now / DAY) * DAY;
    let counter = key ? this.#counters.get(key.id) : undefined;
    if (key && !counter) this.#counters.set(key.id, (counter = { minuteStart, minuteCount: 0, dayStart, dayCount: 0 }));
    if (counter && counter.minuteStart !== minuteStart) Object.assign(counter, { minuteStart, minuteCount: 0 });
    if (counter && counter.dayStart !== dayStart) Object.assign(counter, { dayStart, dayCount: 0 });
    if (counter && count) {
      counter.minuteCount++;
      counter.dayCount++;
    }
    return report(limits, counter ?? { minuteStart, minuteCount: 0, dayStart, dayCount: 0 }, now);
  }

  reset(): void | Promise<void> {
    this.#counters.clear();
    return this.shared?.reset();
  }
}

/** The window a count falls in: the minute's, unless the day is the one exhausted. */
function report(limits: Limits, counter: Counter, now: number): RateState {
  const dayExhausted = counter.dayCount > limits.perDay;
  const [limit, used, windowEnd] = dayExhausted
    ? [limits.perDay, counter.dayCount, counter.dayStart + DAY]
    : [limits.perMinute, counter.minuteCount, counter.minuteStart + MINUTE];
  return {
    limit,
    remaining: Math.max(0, limit - used),
    reset: Math.ceil(windowEnd / 1000),
    exceeded: used > limit,
    retryAfter: Math.max(1, Math.ceil((windowEnd - now) / 1000)),
  };
}

/**
 * The window a forced 429 reports: nothing remaining, and `retryAfter` seconds to wait (the scenario's, else
 * the window's own), with the reset that many seconds from now.
 */
export function exhausted(state: RateState, retryAfter: number | undefined, now: number): RateState {
  if (retryAfter === undefined) return { ...state, remaining: 0, exceeded: true };
  return { ...state, remaining: 0, exceeded: true, retryAfter, reset: Math.ceil(now / 1000) + retryAfter };
}

/** The headers every TVM answer carries (a browser page reads them only when CORS exposes them). */
export const RATE_LIMIT_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'] as const;

/** Adds the rate window's headers to an answer's headers (assigned one by one: no object made per answer). */
export function addRateLimitHeaders(headers: Record<string, string>, state: RateState): void {
  const [limit, remaining, reset] = RATE_LIMIT_HEADERS;
  headers[limit] = String(state.limit);
  headers[remaining] = String(state.remaining);
  headers[reset] = String(state.reset);
}
