/**
 * The request journal (`GET /__mock/requests`): the last N API requests a mock answered, newest first, for
 * tests and frontend developers asking "what did my app send?". A ring buffer: recording a request copies its
 * fields into a slot object made once and reused, so its per-request cost stays a few property writes and
 * nothing it allocates outlives the request. (A new record object per request, kept for the next 1,000, lived
 * just long enough to be moved to V8's old generation, whose garbage grew the mock's memory in the soak.)
 * Everything else (ISO times, filters) is done when listed.
 * It never holds a whole key: only the key's id and its masked prefix; a request's body and headers are kept
 * with every key-shaped run masked and credential headers masked whole (journal-record.ts, at record time).
 */
import { spec as controlSpec } from '../generated/mock.spec.ts';
import { pathPattern } from './path-pattern.ts';

/** How many requests a journal keeps unless told otherwise. */
export const JOURNAL_CAPACITY = 1000;

/**
 * How much of a request body an entry keeps, in characters (64 KiB of ASCII): enough for any form, bounded for
 * 1,000 entries. The control API's `MockRequestEntry.body` states it (openapi/mock/).
 */
export const JOURNAL_BODY_CHARACTERS: number =
  controlSpec.components.schemas.MockRequestEntry.properties.body.maxLength;

/** What one request left in the journal (internal: as measured; `JournalEntry` is how it is shown). */
export interface JournalRecord {
  at: Date;
  method: string;
  path: string;
  query: string;
  /** The operationId of the route, or null when no operation matched (a 404). */
  operation: string | null;
  /** 0 when a fault (`reset`, `hang`) sent no HTTP answer at all. */
  status: number;
  durationMs: number;
  keyId: string | null;
  keyPrefix: string | null;
  fault: string | null;
  /** The body as sent (its first JOURNAL_BODY_CHARACTERS, keys masked); null when there was none. */
  body: string | null;
  /** Whether `body` was cut at JOURNAL_BODY_CHARACTERS. */
  bodyTruncated: boolean;
  /** The request headers, lowercase names, credentials masked. */
  headers: Record<string, string>;
}

/** A journal entry as `GET /__mock/requests` shows it (`MockRequestEntry` in openapi/mock/). */
export interface JournalEntry {
  time: string;
  method: string;
  path: string;
  query: string;
  operation: string | null;
  status: number | null;
  duration_ms: number;
  key_id: string | null;
  key_prefix: string | null;
  fault: string | null;
  body: string | null;
  body_truncated: boolean;
  headers: Record<string, string>;
}

export interface JournalFilter {
  /** A path pattern where `*` matches anything (`/v1/offers*`). */
  path?: string;
  method?: string;
  /** One status (`404`) or a class (`4xx`). */
  status?: string;
  key_id?: string;
  /** The operationId the request matched (`createOffer`). */
  operation?: string;
  /** Query parameters the request carried, as a query string (`status=active&limit=5`): each must be there with that value. */
  query?: string;
  /**
   * What the body held: a JSON object or array (or its text) is matched as a part of the body's JSON (each
   * field given must be there, equal; arrays equal as wholes); any other text is looked for in the body's text.
   */
  body?: string | Record<string, unknown> | unknown[];
  /** At most this many entries (newest first). */
  limit?: number;
}

function statusTest(status: string): (value: number) => boolean {
  const digit = Number(status[0]);
  return /^[1-5]xx$/i.test(status) ? (value) => Math.floor(value / 100) === digit : (value) => value === Number(status);
}

/** Whether `value` holds `part`: every field of an object part, recursively; anything else equal as JSON. */
export function containsJson(value: unknown, part: unknown): boolean {
  if (part !== null && typeof part === 'object' && !Array.isArray(part)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    return Object.entries(part).every(
      ([name, wanted]) => Object.hasOwn(value, name) && containsJson((value as Record<string, unknown>)[name], wanted),
    );
  }
  return JSON.stringify(value) === JSON.stringify(part);
}

/** A body filter as a test of an entry's body text. */
function bodyTest(wanted: NonNullable<JournalFilter['body']>): (body: string | null) => boolean {
  let part: unknown = wanted;
  if (typeof wanted === 'string') {
    try {
      part = JSON.parse(wanted);
    } catch {
      part = undefined;
    }
    if (part === null || typeof part !== 'object') return (body) => body !== null && body.includes(wanted);
  }
  return (body) => {
    if (body === null) return false;
    try {
      return containsJson(JSON.parse(body), part);
    } catch {
      return false; // not JSON (or cut at the bound): it holds no JSON part
    }
  };
}

/** A query filter as a test of an entry's raw query: every pair it names, with that value. */
function queryTest(wanted: string): (query: string) => boolean {
  const pairs = [...new URLSearchParams(wanted)];
  return (query) => {
    const sent = new URLSearchParams(query);
    return pairs.every(([name, value]) => sent.getAll(name).includes(value));
  };
}

/** Whether an entry passes a filter (all but `limit`). */
export function entryFilter(filter: JournalFilter): (entry: JournalEntry) => boolean {
  const path = filter.path === undefined ? undefined : pathPattern(filter.path);
  const method = filter.method?.toUpperCase();
  const status = filter.status === undefined ? undefined : statusTest(filter.status);
  const query = filter.query === undefined ? undefined : queryTest(filter.query);
  const body = filter.body === undefined ? undefined : bodyTest(filter.body);
  return (entry) =>
    (!path || path.test(entry.path)) &&
    (!method || entry.method === method) &&
    (!status || status(entry.status ?? 0)) &&
    (filter.key_id === undefined || entry.key_id === filter.key_id) &&
    (filter.operation === undefined || entry.operation === filter.operation) &&
    (!query || query(entry.query)) &&
    (!body || body(entry.body));
}

/** The journal of a mock: in memory (Journal), or shared by a sandbox's replicas (store/redis/). */
export interface JournalBook {
  readonly capacity: number;
  record(entry: JournalRecord): void;
  list(filter?: JournalFilter): JournalEntry[] | Promise<JournalEntry[]>;
  /** How many requests were recorded since the last clear, including those the bound has dropped. */
  count(): number | Promise<number>;
  clear(): void | Promise<void>;
}

/** A slot: a record's fields, the time as milliseconds (a Date kept per slot would be one more object per request). */
type Slot = Omit<JournalRecord, 'at'> & { atMs: number };

function view(record: Slot): JournalEntry {
  return {
    time: new Date(record.atMs).toISOString(),
    method: record.method,
    path: record.path,
    query: record.query,
    operation: record.operation,
    status: record.status === 0 ? null : record.status,
    duration_ms: Math.round(record.durationMs * 1000) / 1000,
    key_id: record.keyId,
    key_prefix: record.keyPrefix,
    fault: record.fault,
    body: record.body,
    body_truncated: record.bodyTruncated,
    headers: sortedByName(record.headers),
  };
}

/** Headers listed by name, as Fetch's `Headers` iterates them (recorded in the order they came). */
function sortedByName(headers: Record<string, string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(headers).sort()) sorted[name] = headers[name];
  return sorted;
}

/** A record as listed. */
export const entryOf = ({ at, ...record }: JournalRecord): JournalEntry => view({ ...record, atMs: at.getTime() });

export class Journal implements JournalBook {
  readonly capacity: number;
  readonly #slots: (Slot | undefined)[];
  /** How many requests were ever recorded since the last clear (the next slot is `#recorded % capacity`). */
  #recorded = 0;

  /** `capacity` 0 keeps nothing (the journal is off). */
  constructor(capacity = JOURNAL_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new Error(`journal capacity must be a whole number ≥ 0, got ${capacity}`);
    this.capacity = capacity;
    this.#slots = new Array(capacity).fill(undefined);
  }

  record(entry: JournalRecord): void {
    if (this.capacity === 0) return;
    const index = this.#recorded % this.capacity;
    const slot = (this.#slots[index] ??= {
      atMs: 0,
      method: '',
      path: '',
      query: '',
      operation: null,
      status: 0,
      durationMs: 0,
      keyId: null,
      keyPrefix: null,
      fault: null,
      body: null,
      bodyTruncated: false,
      headers: {},
    });
    slot.atMs = entry.at.getTime();
    slot.method = entry.method;
    slot.path = entry.path;
    slot.query = entry.query;
    slot.operation = entry.operation;
    slot.status = entry.status;
    slot.durationMs = entry.durationMs;
    slot.keyId = entry.keyId;
    slot.keyPrefix = entry.keyPrefix;
    slot.fault = entry.fault;
    slot.body = entry.body;
    slot.bodyTruncated = entry.bodyTruncated;
    slot.headers = entry.headers;
    this.#recorded++;
  }

  /** Entries newest first, filtered. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const wanted = entryFilter(filter);
    const limit = filter.limit ?? this.capacity;
    const found: JournalEntry[] = [];
    const kept = Math.min(this.#recorded, this.capacity);
    for (let i = 1; i <= kept && found.length < limit; i++) {
      const entry = view(this.#slots[(this.#recorded - i) % this.capacity]!);
      if (wanted(entry)) found.push(entry);
    }
    return found;
  }

  /** How many requests were recorded since the last clear, including those the bound has dropped. */
  get recorded(): number {
    return this.#recorded;
  }

  count(): number {
    return this.#recorded;
  }

  clear(): void {
    this.#slots.fill(undefined);
    this.#recorded = 0;
  }
}
