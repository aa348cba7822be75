/**
 * The request journal shared by a sandbox's replicas (`GET /__mock/requests` answers the same on each): a
 * Redis list, newest first, bounded by LTRIM, with a counter of every request recorded. Recording is fire and
 * forget (one pipelined LPUSH, LTRIM, INCR, never awaited by the request): a journal entry lost while Redis is
 * down costs nothing a client relies on. The replica also keeps its own in-memory journal (`mock.requests()`),
 * as the request log (stdout) stays per replica too.
 */
import { entryFilter, entryOf, Journal, type JournalBook, type JournalEntry, type JournalFilter, type JournalRecord } from '../../pipeline/journal.ts';
import type { RedisConnection, SandboxKeys } from './connection.ts';

export class SharedJournal implements JournalBook {
  readonly capacity: number;
  /** This replica's own entries. */
  readonly local: Journal;
  readonly #redis: RedisConnection;
  readonly #keys: SandboxKeys;

  constructor(redis: RedisConnection, keys: SandboxKeys, local: Journal) {
    this.#redis = redis;
    this.#keys = keys;
    this.local = local;
    this.capacity = local.capacity;
  }

  record(record: JournalRecord): void {
    this.local.record(record);
    if (this.capacity === 0 || !this.#redis.client.isReady) return;
    const { journal, journalCount } = this.#keys;
    this.#redis.client
      .multi()
      .lPush(journal, JSON.stringify(entryOf(record)))
      .lTrim(journal, 0, this.capacity - 1)
      .incr(journalCount)
      .exec()
      .catch(() => {}); // Redis went away meanwhile: the entry is lost, the request was answered
  }

  async list(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    const listed = await this.#redis.run((client) => client.lRange(this.#keys.journal, 0, this.capacity - 1));
    const wanted = entryFilter(filter);
    const limit = filter.limit ?? this.capacity;
    const found: JournalEntry[] = [];
    for (const text of listed) {
      if (found.length >= limit) break;
      const entry = JSON.parse(text) as JournalEntry;
      if (wanted(entry)) found.push(entry);
    }
    return found;
  }

  async count(): Promise<number> {
    return Number((await this.#redis.run((client) => client.get(this.#keys.journalCount))) ?? 0);
  }

  async clear(): Promise<void> {
    this.local.clear();
    await this.#redis.run((client) => client.del([this.#keys.journal, this.#keys.journalCount]));
  }
}
