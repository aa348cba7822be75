/**
 * State documents on disk: `--seed` files and the `--state-file` that keeps keys and data across restarts.
 * A file holds one mock's document (`{"api": "tvm", …}`, what `GET /__mock/state` answers) or both, by API
 * (`{"mvo": {…}, "tvm": {…}}`, what a state file holds). Saving writes a temporary file, syncs it to disk and
 * renames it over the old one, so a crash or a kill at any moment leaves the previous file or the new one,
 * never half of one. A file that exists but cannot be read or parsed stops the start and is never written.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import type { Mock } from '../pipeline/pipeline.ts';
import { API_NAMES, type ApiName } from '../model/types.ts';

/** Documents by API, as a state file holds them. */
export type DocumentsByApi = Partial<Record<ApiName, unknown>>;

/** A file that cannot be used, with what to do about it. */
export class StateFileError extends Error {}

/** How long after a change the state file is saved (later changes join the same save). */
export const SAVE_DELAY_MS = 250;

/**
 * The documents a file holds, by API; undefined when it does not exist and `missing` is `'ok'`.
 * `label` names the file in messages (`--seed seed.json`).
 */
export async function readDocumentFile(path: string, label: string, missing: 'ok' | 'error'): Promise<DocumentsByApi | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const error = cause as NodeJS.ErrnoException;
    if (error.code === 'ENOENT' && missing === 'ok') return undefined;
    throw new StateFileError(`${label} cannot be read (${error.code ?? error.message}); it is left as it is`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new StateFileError(`${label} is not JSON (${(cause as Error).message}); it is left as it is: fix it or move it away`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new StateFileError(`${label} must hold a JSON object (a state document); it is left as it is`);
  const object = parsed as Record<string, unknown>;
  if (typeof object.api === 'string') return { [object.api]: object };
  const unknown = Object.keys(object).filter((name) => !API_NAMES.includes(name as ApiName));
  if (unknown.length) {
    throw new StateFileError(`${label} must be one state document ({"api": …}) or documents by API ({"mvo": …, "tvm": …}); it has ${unknown.join(', ')}; it is left as it is`);
  }
  return object as DocumentsByApi;
}

/** Keeps `path` in step with the mocks: saved SAVE_DELAY_MS after a change, and at once by `saveNow()`. */
export class StateFileSaver {
  readonly #path: string;
  readonly #mocks: readonly Mock[];
  /** What the file held for APIs this process does not serve: written back untouched. */
  readonly #others: DocumentsByApi;
  readonly #log: (line: string) => void;
  readonly #unwatch: (() => void)[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing = false;
  #again = false;
  #stopped = false;
  #serial = 0;

  constructor(path: string, mocks: readonly Mock[], loaded: DocumentsByApi = {}, log: (line: string) => void = console.error) {
    this.#path = path;
    this.#mocks = mocks;
    this.#others = Object.fromEntries(Object.entries(loaded).filter(([api]) => !mocks.some((mock) => mock.api === api)));
    this.#log = log;
    for (const mock of mocks) this.#unwatch.push(mock.watch(() => this.#schedule()));
  }

  #schedule(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(() => void this.#save(), SAVE_DELAY_MS);
  }

  #render(): string {
    const documents: DocumentsByApi = { ...this.#others };
    for (const mock of this.#mocks) documents[mock.api] = mock.exportState();
    return `${JSON.stringify(documents, null, 2)}\n`;
  }

  #temporary(): string {
    return `${this.#path}.${process.pid}.${++this.#serial}.tmp`;
  }

  async #save(): Promise<void> {
    this.#timer = undefined;
    if (this.#writing) {
      this.#again = true;
      return;
    }
    this.#writing = true;
    const temporary = this.#temporary();
    try {
      const file = await open(temporary, 'w');
      try {
        await file.writeFile(this.#render());
        await file.sync();
      } finally {
        await file.close();
      }
      // Renamed synchronously, after a last check: a final save may have run meanwhile, and wins.
      if (this.#stopped) await rm(temporary, { force: true });
      else renameSync(temporary, this.#path);
    } catch (cause) {
      this.#log(`--state-file ${this.#path}: could not save (${(cause as Error).message}); will try again after the next change`);
      await rm(temporary, { force: true }).catch(() => undefined);
    } finally {
      this.#writing = false;
      if (this.#again) {
        this.#again = false;
        this.#schedule();
      }
    }
  }

  /** Saves now, synchronously, and stops watching (on SIGINT / SIGTERM and close). */
  saveNow(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const unwatch of this.#unwatch) unwatch();
    const temporary = this.#temporary();
    try {
      const fd = openSync(temporary, 'w');
      try {
        writeSync(fd, this.#render());
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.#path);
    } catch (cause) {
      this.#log(`--state-file ${this.#path}: could not save on exit (${(cause as Error).message})`);
      rmSync(temporary, { force: true });
    }
  }
}
