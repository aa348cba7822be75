/**
 * The request journal shared by a sandbox's replicas (`GET /__mock/requests` answers the same on each): a
 * Redis list, newest first, bounded by LTRIM, with a counter of every request recorded. Recording is fire and
 * forget: the entries of one turn of the event loop go in one script call (scripts.ts journalPush), never
 * awaited by a request; an entry lost while Redis is down costs nothing a client relies on. The replica also keeps its own in-memory journal (`mock.requests()`),
 * as the request log (stdout) stays per replica too.
 */
import {
  entryFilter,
  entryOf,
  type Journal,
  type JournalBook,
  type JournalEntry,
  type JournalFilter,
  type JournalRecord,
} from '../../pipeline/journal.ts';
import type { RedisConnection, SandboxKeys } from './connection.ts';

export class SharedJournal implements JournalBook {
  readonly capacity: number;
  /** This replica's own entries. */
  readonly local: Journal;
  readonly #redis: RedisConnection;
  readonly #keys: SandboxKeys;
  /** Entries recorded in this turn of the event loop, sent together. */
  #batch: string[] = [];

  constructor(redis: RedisConnection, keys: SandboxKeys, local: Journal) {
    this.#redis = redis;
    this.#keys = keys;
    this.local = local;
    this.capacity = local.capacity;
  }

  record(record: JournalRecord): void {
    this.local.record(record);
    if (this.capacity === 0) return;
    // Entries of the same moment go in one call, after the answers that made them.
    if (!this.#batch.length) setImmediate(() => this.#flush());
    this.#batch.push(JSON.stringify(entryOf(record)));
  }

  #flush(): void {
    const entries = this.#batch;
    this.#batch = [];
    // Redis went away meanwhile: the entries are lost, their requests were answered.
    if (this.#redis.client.isReady)
      this.#redis.client
        .journalPush(this.#keys.journal, this.#keys.journalCount, this.capacity, entries)
        .catch(() => {});
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
