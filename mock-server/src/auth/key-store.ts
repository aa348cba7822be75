/**
 * The mock's API keys, as the dashboards keep them: hashed at rest (SHA-256), found by their visible
 * prefix, confirmed by a constant-time comparison of digests. A whole key exists only in the response
 * that mints it (and in the fixture file).
 */
import type { KeyStateFailure } from './failure-kinds.ts';
import { DEFAULT_ACCOUNT } from '../model/accounts.ts';
import { mintKey } from '../model/key-format.ts';
import type { ApiModel } from '../model/types.ts';
import { sha256, timingSafeEqual } from './constant-time.ts';
import { maskKey, VISIBLE_CHARACTERS } from './mask.ts';
import type { DocumentKey } from '../state/document.ts';
import type { ChangeSink } from '../store/patch.ts';

/** `active`, or a key state whose answer an API may document (failure-kinds.ts). */
export type KeyStatus = 'active' | KeyStateFailure;

/** A key's own request limits, replacing the API's documented ones (mock only). */
export interface KeyRateLimit {
  per_minute: number;
  per_day: number;
}

export interface KeySeed {
  id?: string;
  name: string;
  key?: string;
  scopes?: string[];
  status?: KeyStatus;
  expires_at?: string | null;
  account?: string;
  rate_limit?: KeyRateLimit | null;
  /** When the key was made (state documents keep it); the time it is added otherwise. */
  created_at?: string;
}

export interface KeyRecord {
  id: string;
  name: string;
  /** The key masked (`sk_live_9fK2…`): what listings show as `prefix`; never the whole key. */
  masked: string;
  scopes: string[];
  status: KeyStatus;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  /** Whose data the key sees: an MVO seller, a TVM shop. */
  account: string;
  rate_limit: KeyRateLimit | null;
  /** Private: the digest of the whole key and the characters it is indexed by. */
  readonly digest: Uint8Array;
  readonly lookup: string;
}

/** A key as the control API lists it (`MockKey` in openapi/mock/): the masked key under `prefix`. */
export type PublicKey = Omit<KeyRecord, 'digest' | 'lookup' | 'masked'> & { prefix: string };

/**
 * SHA-256 of a key. Web Crypto by default (isomorphic); the Node server passes node:crypto's
 * synchronous hash, which skips a thread-pool hop per request. Both give the same digest.
 */
export type Digest = (text: string) => Uint8Array | Promise<Uint8Array>;

export function publicView(record: KeyRecord): PublicKey {
  return {
    id: record.id,
    name: record.name,
    prefix: record.masked,
    scopes: [...record.scopes],
    status: record.status,
    created_at: record.created_at,
    expires_at: record.expires_at,
    last_used_at: record.last_used_at,
    account: record.account,
    rate_limit: record.rate_limit && { ...record.rate_limit },
  };
}

/** A digest in hex, as state documents keep it. */
export const digestHex = (bytes: Uint8Array) =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

export class KeyStore {
  readonly #byId = new Map<string, KeyRecord>();
  readonly #byLookup = new Map<string, KeyRecord[]>();
  readonly #model: ApiModel;
  readonly #fixtures: readonly KeySeed[];
  readonly #digest: Digest;
  readonly #changes: ChangeSink;

  private constructor(model: ApiModel, fixtures: readonly KeySeed[], digest: Digest, changes: ChangeSink) {
    this.#model = model;
    this.#fixtures = fixtures;
    this.#digest = digest;
    this.#changes = changes;
  }

  /** `changes` receives each key added, changed or deleted (as exported), not a reset or a replacement of all keys. */
  static async create(
    model: ApiModel,
    fixtures: readonly KeySeed[],
    digest: Digest = sha256,
    changes: ChangeSink = () => {},
  ): Promise<KeyStore> {
    const store = new KeyStore(model, fixtures, digest, changes);
    await store.reset();
    return store;
  }

  #lookupOf(key: string): string {
    return key.slice(0, this.#model.keyFormat.prefix.length + VISIBLE_CHARACTERS);
  }

  /** Back to the fixture keys only. */
  async reset(): Promise<void> {
    this.replaceAll(await this.fixtureRecords());
  }

  /** The fixture keys' records, built (hashed) now: what a reset holds. */
  async fixtureRecords(): Promise<KeyRecord[]> {
    const records: KeyRecord[] = [];
    for (const seed of this.#fixtures) records.push((await this.build(seed, '2026-01-01T00:00:00.000Z')).record);
    return records;
  }

  /** Adds a key (minting one unless the seed carries it); returns the record and the whole key, once. */
  async add(seed: KeySeed, now = new Date().toISOString()): Promise<{ record: KeyRecord; key: string }> {
    const built = await this.build(seed, now);
    this.#insert(built.record);
    this.#changes({ api: this.#model.api, key: this.exported(built.record) });
    return built;
  }

  /** A key as state documents keep it: its listing (scopes only where the API has them) and its digest, never the key. */
  exported(record: KeyRecord): DocumentKey {
    const { scopes, ...view } = publicView(record);
    return { ...view, ...(Object.keys(this.#model.scopes).length ? { scopes } : {}), digest: digestHex(record.digest) };
  }

  /** A record for a seed, not yet stored: the whole key (minted unless the seed carries one) is hashed here. */
  async build(seed: KeySeed, now = new Date().toISOString()): Promise<{ record: KeyRecord; key: string }> {
    const key = seed.key ?? mintKey(this.#model.keyFormat);
    const record = this.restore({
      ...seed,
      created_at: seed.created_at ?? now,
      masked: maskKey(key, this.#model.keyFormat.prefix),
      digest: await this.#digest(key),
      lookup: this.#lookupOf(key),
    });
    return { record, key };
  }

  /** A record from what a state document keeps of a key (its digest and masked prefix), not yet stored. */
  restore(
    stored: Omit<KeySeed, 'key'> & {
      masked: string;
      digest: Uint8Array;
      lookup: string;
      created_at: string;
      last_used_at?: string | null;
    },
  ): KeyRecord {
    return {
      id: stored.id ?? `key_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`,
      name: stored.name,
      masked: stored.masked,
      scopes: stored.scopes ? [...stored.scopes] : this.#model.adminScope ? [this.#model.adminScope] : [],
      status: stored.status ?? 'active',
      created_at: stored.created_at,
      expires_at: stored.expires_at ?? null,
      last_used_at: stored.last_used_at ?? null,
      account: stored.account ?? DEFAULT_ACCOUNT,
      rate_limit: stored.rate_limit ? { ...stored.rate_limit } : null,
      digest: stored.digest,
      lookup: stored.lookup,
    };
  }

  /** Replaces every key at once (a state document's keys, checked by the caller). */
  replaceAll(records: readonly KeyRecord[]): void {
    this.#byId.clear();
    this.#byLookup.clear();
    for (const record of records) this.#insert(record);
  }

  /**
   * Adds a key or replaces the one with its id, reporting nothing: a change another replica made and reported
   * (store/redis/). Its last use stays this replica's own.
   */
  put(record: KeyRecord): void {
    const known = this.#byId.get(record.id);
    if (known) this.#remove(known);
    this.#insert(known ? { ...record, last_used_at: known.last_used_at } : record);
  }

  #remove(record: KeyRecord): void {
    this.#byId.delete(record.id);
    const bucket = this.#byLookup.get(record.lookup)!.filter((candidate) => candidate !== record);
    if (bucket.length) this.#byLookup.set(record.lookup, bucket);
    else this.#byLookup.delete(record.lookup);
  }

  #insert(record: KeyRecord): void {
    this.#byId.set(record.id, record);
    const bucket = this.#byLookup.get(record.lookup) ?? [];
    bucket.push(record);
    this.#byLookup.set(record.lookup, bucket);
  }

  /**
   * The record whose key this is, if any. Candidates share the visible prefix; digests decide. Synchronous when
   * the digest is (the Node server's): a promise per request costs the hot path a microtask turn for nothing.
   */
  find(presented: string): KeyRecord | undefined | Promise<KeyRecord | undefined> {
    const digest = this.#digest(presented);
    return digest instanceof Promise
      ? digest.then((bytes) => this.#match(presented, bytes))
      : this.#match(presented, digest);
  }

  #match(presented: string, digest: Uint8Array): KeyRecord | undefined {
    let found: KeyRecord | undefined;
    for (const candidate of this.#byLookup.get(this.#lookupOf(presented)) ?? []) {
      if (timingSafeEqual(candidate.digest, digest)) found = candidate;
    }
    return found;
  }

  get(id: string): KeyRecord | undefined {
    return this.#byId.get(id);
  }

  list(): KeyRecord[] {
    return [...this.#byId.values()];
  }

  update(
    id: string,
    patch: { status?: KeyStatus; expires_at?: string | null; rate_limit?: KeyRateLimit | null },
  ): KeyRecord | undefined {
    const record = this.#byId.get(id);
    if (!record) return undefined;
    if (patch.status !== undefined) record.status = patch.status;
    if (patch.expires_at !== undefined) record.expires_at = patch.expires_at;
    if (patch.rate_limit !== undefined) record.rate_limit = patch.rate_limit && { ...patch.rate_limit };
    this.#changes({ api: this.#model.api, key: this.exported(record) });
    return record;
  }

  delete(id: string): boolean {
    const record = this.#byId.get(id);
    if (!record) return false;
    this.#remove(record);
    this.#changes({ api: this.#model.api, key: { delete: id } });
    return true;
  }
}
