/**
 * Stored data already serialised for a read: a GET of data nobody has changed since (the shop profile, a page of
 * a list) reuses the JSON text instead of walking and stringifying the records again. The pipeline forgets every
 * entry before anything that may change data: an API request other than GET reaching the stored data, a control
 * request other than GET, a reset. Bounded in entries and characters, so a client reading many distinct
 * pages cannot grow it without limit (over the bound it starts again, empty).
 */
export interface CachedRead {
  status: number;
  dataText: string;
}

const MAX_ENTRIES = 256;
const MAX_CHARACTERS = 4 * 1024 * 1024;

export class ReadCache {
  readonly #entries = new Map<string, CachedRead>();
  #characters = 0;

  /** Account, path and raw query: two requests with the same key read the same data while nothing changes. */
  static key(account: string, path: string, query: string): string {
    return `${account}\n${path}\n${query}`;
  }

  get(key: string): CachedRead | undefined {
    return this.#entries.get(key);
  }

  set(key: string, read: CachedRead): void {
    if (this.#entries.size >= MAX_ENTRIES || this.#characters + read.dataText.length > MAX_CHARACTERS) this.clear();
    this.#entries.set(key, read);
    this.#characters += read.dataText.length;
  }

  clear(): void {
    if (this.#entries.size === 0) return;
    this.#entries.clear();
    this.#characters = 0;
  }
}
