/**
 * The Lua scripts a replica runs in Redis: each is one round trip and atomic, so the steps of one request
 * (take the sandbox's write lock and read what it lacks; append its changes and release the lock) cannot
 * interleave with another replica's. node-redis sends them by SHA1 and falls back to the source when Redis
 * does not know it (after a restart).
 *
 * The log is a Redis Stream whose entry ids are `<seq>-0`, `seq` counting commits (`…:seq`); each entry holds
 * one commit, a JSON array of document patches. The snapshot is a hash: `pos` (the last seq it covers) and
 * `doc` (the state document then); compaction writes it and trims the log up to `pos`.
 */
import { defineScript, type CommandParser } from '@redis/client';

/** A write lock is held this long at most (renewed by each commit that keeps it): a replica killed while holding it blocks writes no longer. */
export const LOCK_TTL_MS = 5000;

/**
 * What a replica lacks, as one flat array: the last seq, the scenarios' version, then either the snapshot's
 * position and document (when the replica must reload: its position is unknown (-1), trimmed away, or ahead
 * of Redis, which lost data) or -1 and '', then the log entries after it, as id and data pairs.
 */
const SYNC = `
local function sync(logKey, snapKey, seqKey, scenariosKey, pos)
  local out = { tonumber(redis.call('GET', seqKey) or '0'), tonumber(redis.call('GET', scenariosKey) or '0') }
  local snapPos = tonumber(redis.call('HGET', snapKey, 'pos') or '0')
  local from = pos
  if pos < 0 or pos < snapPos or pos > out[1] then
    out[3] = snapPos
    out[4] = redis.call('HGET', snapKey, 'doc') or ''
    from = snapPos
  else
    out[3] = -1
    out[4] = ''
  end
  if out[1] > from then
    for _, entry in ipairs(redis.call('XRANGE', logKey, '(' .. from .. '-0', '+')) do
      out[#out + 1] = entry[1]
      out[#out + 1] = entry[2][2]
    end
  end
  return out
end
`;

export type SyncReply = (string | number)[];

/** Keys of a sandbox's log, in the order every script takes them. */
export interface LogKeys {
  log: string;
  snapshot: string;
  seq: string;
  scenarioVersion: string;
  lock: string;
  logBytes: string;
}

const logKeys = (parser: CommandParser, keys: LogKeys) => {
  for (const key of [keys.log, keys.snapshot, keys.seq, keys.scenarioVersion, keys.lock, keys.logBytes])
    parser.pushKey(key);
};

export const scripts = {
  /** A read's catch-up: what the replica at `pos` lacks. */
  logSync: defineScript({
    SCRIPT: `${SYNC}
return sync(KEYS[1], KEYS[2], KEYS[3], KEYS[4], tonumber(ARGV[1]))`,
    NUMBER_OF_KEYS: 6,
    parseCommand(parser: CommandParser, keys: LogKeys, pos: number) {
      logKeys(parser, keys);
      parser.push(String(pos));
    },
    transformReply: undefined as unknown as () => SyncReply,
  }),

  /**
   * The write lock (SET NX PX with the hold's token; taken back at once when `previous`, a token of this replica
   * whose commit failed, still holds it) and, when taken, the catch-up; nil when another replica holds it.
   */
  logAcquire: defineScript({
    SCRIPT: `${SYNC}
local holder = redis.call('GET', KEYS[5])
if holder and holder ~= ARGV[4] then return false end
redis.call('SET', KEYS[5], ARGV[1], 'PX', ARGV[2])
return sync(KEYS[1], KEYS[2], KEYS[3], KEYS[4], tonumber(ARGV[3]))`,
    NUMBER_OF_KEYS: 6,
    parseCommand(parser: CommandParser, keys: LogKeys, token: string, ttlMs: number, pos: number, previous: string) {
      logKeys(parser, keys);
      parser.push(token, String(ttlMs), String(pos), previous || '-');
    },
    transformReply: undefined as unknown as () => SyncReply | null,
  }),

  /**
   * Appends a commit (`data`, '' for none) only while the token holds the lock and the log is at `expected`
   * (a commit sent after one that failed finds it elsewhere); releases the lock, or keeps it (`keep`, its time
   * renewed) for the replica's next write. With a `snapshot`, also writes it at the new position and trims the
   * log it covers. Returns the seq and the bytes of log since the snapshot and of the snapshot; -1 when the lock
   * was lost (its time ran out and another replica took it), -2 when the log was not at `expected`.
   */
  logCommit: defineScript({
    SCRIPT: `
if redis.call('GET', KEYS[5]) ~= ARGV[1] then return -1 end
local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
if seq ~= tonumber(ARGV[5]) then return -2 end
if ARGV[4] == '1' then redis.call('PEXPIRE', KEYS[5], ARGV[6]) else redis.call('DEL', KEYS[5]) end
if ARGV[2] ~= '' then
  seq = redis.call('INCR', KEYS[3])
  redis.call('XADD', KEYS[1], seq .. '-0', 'p', ARGV[2])
  redis.call('INCRBY', KEYS[6], #ARGV[2])
end
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[2], 'pos', seq, 'doc', ARGV[3])
  redis.call('XTRIM', KEYS[1], 'MINID', (seq + 1) .. '-0')
  redis.call('SET', KEYS[6], 0)
end
return { seq, tonumber(redis.call('GET', KEYS[6]) or '0'), redis.call('HSTRLEN', KEYS[2], 'doc') }`,
    NUMBER_OF_KEYS: 6,
    parseCommand(
      parser: CommandParser,
      keys: LogKeys,
      token: string,
      data: string,
      snapshot: string,
      keep: boolean,
      expected: number,
    ) {
      logKeys(parser, keys);
      parser.push(token, data, snapshot, keep ? '1' : '0', String(expected), String(LOCK_TTL_MS));
    },
    transformReply: undefined as unknown as () => [number, number, number] | number,
  }),

  /** Releases the lock if the token still holds it (a request that failed before committing). */
  logRelease: defineScript({
    SCRIPT: `if redis.call('GET', KEYS[5]) == ARGV[1] then redis.call('DEL', KEYS[5]) end return 1`,
    NUMBER_OF_KEYS: 6,
    parseCommand(parser: CommandParser, keys: LogKeys, token: string) {
      logKeys(parser, keys);
      parser.push(token);
    },
    transformReply: undefined as unknown as () => number,
  }),

  /**
   * One request of a key in its rate windows: the minute's and the day's counters (under the reset
   * generation), each expiring with its window. Returns both counts (as they stand when not counting).
   */
  rateHit: defineScript({
    SCRIPT: `
local gen = redis.call('GET', KEYS[1]) or '0'
local minute = KEYS[2] .. gen .. ':' .. ARGV[1] .. ':m' .. ARGV[2]
local day = KEYS[2] .. gen .. ':' .. ARGV[1] .. ':d' .. ARGV[3]
if ARGV[6] ~= '1' then return { tonumber(redis.call('GET', minute) or '0'), tonumber(redis.call('GET', day) or '0') } end
local m = redis.call('INCR', minute)
if m == 1 then redis.call('PEXPIRE', minute, ARGV[4]) end
local d = redis.call('INCR', day)
if d == 1 then redis.call('PEXPIRE', day, ARGV[5]) end
return { m, d }`,
    NUMBER_OF_KEYS: 2,
    parseCommand(
      parser: CommandParser,
      generationKey: string,
      counterPrefix: string,
      keyId: string,
      minuteStart: number,
      dayStart: number,
      minuteTtl: number,
      dayTtl: number,
      count: boolean,
    ) {
      parser.pushKey(generationKey);
      parser.pushKey(counterPrefix);
      parser.push(keyId, String(minuteStart), String(dayStart), String(minuteTtl), String(dayTtl), count ? '1' : '0');
    },
    transformReply: undefined as unknown as () => [number, number],
  }),

  /** Journal entries (oldest first, so the newest ends first), the list bounded to `capacity`, and the count of all recorded. */
  journalPush: defineScript({
    SCRIPT: `local capacity = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('LPUSH', KEYS[1], ARGV[i]) end
redis.call('LTRIM', KEYS[1], 0, capacity - 1)
return redis.call('INCRBY', KEYS[2], #ARGV - 1)`,
    NUMBER_OF_KEYS: 2,
    parseCommand(parser: CommandParser, listKey: string, countKey: string, capacity: number, entries: string[]) {
      parser.pushKey(listKey);
      parser.pushKey(countKey);
      parser.push(String(capacity), ...entries);
    },
    transformReply: undefined as unknown as () => number,
  }),

  /**
   * Serves the first of the candidate scenarios (ids, in order) that has answers left (`remaining` holds each
   * scenario's count, -1 for no limit; a cleared one is gone): a counted one is decremented, each is counted as
   * served. Returns its id, or nil when none is left.
   */
  scenarioTake: defineScript({
    SCRIPT: `
for i = 1, #ARGV do
  local id = ARGV[i]
  local left = tonumber(redis.call('HGET', KEYS[1], id) or '0')
  if left ~= 0 then
    if left > 0 then redis.call('HINCRBY', KEYS[1], id, -1) end
    redis.call('HINCRBY', KEYS[2], id, 1)
    return id
  end
end
return false`,
    NUMBER_OF_KEYS: 2,
    parseCommand(parser: CommandParser, remainingKey: string, servedKey: string, ids: string[]) {
      parser.pushKey(remainingKey);
      parser.pushKey(servedKey);
      parser.push(...ids);
    },
    transformReply: undefined as unknown as () => string | null,
  }),
};
