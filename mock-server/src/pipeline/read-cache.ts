/**
 * Stored data already serialised for a read: a GET of data nobody has changed since (the shop profile, a page of
 * a list) reuses the JSON text instead of walking and stringifying the records again. Each entry keeps the
 * store's version (store/store.ts) it was made at, and a read at any other version is a miss: the store counts
 * every change, through any door (API writes, the control API, `importState`, reset, generated data), so no
 * caller has to remember to clear the cache. Bounded in entries and characters, so a client reading many
 * distinct pages cannot grow it without limit (over the bound it starts again, empty).
 */
export interface CachedRead {
  status: number;
  dataText: string;
}

interface Entry extends CachedRead {
  version: number;
}

const MAX_ENTRIES = 256;
const MAX_CHARACTERS = 4 * 1024 * 1024;

export class ReadCache {
  readonly #entries = new Map<string, Entry>();
  #characters = 0;

  /** Account, path and raw query: two requests with the same key read the same data while nothing changes. */
  static key(account: string, path: string, query: string): string {
    return `${account}\n${path}\n${query}`;
  }

  /** The read cached under `key` at the store's `version`; an entry made at another version is stale. */
  get(key: string, version: number): CachedRead | undefined {
    const entry = this.#entries.get(key);
    return entry?.version === version ? entry : undefined;
  }

  set(key: string, read: CachedRead, version: number): void {
    if (this.#entries.size >= MAX_ENTRIES || this.#characters + read.dataText.length > MAX_CHARACTERS) this.clear();
    const replaced = this.#entries.get(key);
    if (replaced) this.#characters -= replaced.dataText.length;
    this.#entries.set(key, { status: read.status, dataText: read.dataText, version });
    this.#characters += read.dataText.length;
  }

  clear(): void {
    if (this.#entries.size === 0) return;
    this.#entries.clear();
    this.#characters = 0;
  }
}
