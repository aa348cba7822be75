/**
 * Rate counters shared by a sandbox's replicas, as API gateways keep them: per key and window an INCR, with
 * the window's expiry set when the counter is made (scripts.ts rateHit: one round trip for the minute and the
 * day). A reset starts a new generation of counter names; the old ones expire with their windows.
 */
import type { SharedRateCounters } from '../../pipeline/rate-limit.ts';
import type { RedisConnection, SandboxKeys } from './connection.ts';

export function sharedRateCounters(redis: RedisConnection, keys: SandboxKeys): SharedRateCounters {
  return {
    hit: (keyId, minuteStart, dayStart, minuteMs, dayMs, count) =>
      redis.run(
        async (client) =>
          (await client.rateHit(
            keys.rateGeneration,
            keys.rateCounters,
            keyId,
            minuteStart,
            dayStart,
            Math.max(1, minuteMs),
            Math.max(1, dayMs),
            count,
          )) as [number, number],
      ),
    async reset() {
      await redis.run((client) => client.incr(keys.rateGeneration));
    },
  };
}
