/**
 * State kept in a file across restarts and crashes (`--state-file`). Every change is appended to a log beside
 * the file (change-log.ts) with a synchronous write before the request that made it is answered, so an
 * acknowledged change survives `kill -9` (and, with `fsync`, a power loss). In the background (a large log, or
 * an idle moment) the log is compacted into the document users share: a new segment starts, the document is
 * exported at that same instant, written to a temporary file, synced and renamed over the state file, and the
 * older segments are deleted. At start the document is read and the segments replayed over it (replay.ts).
 *
 * A change that cannot be appended is refused (StoreUnavailableError → 503), and so is every later one until a
 * compaction (retried every `retryMs`) has written the whole state again: the log never misses a change that a
 * later one builds on. Health changes are reported once each (`log`) and on `GET /__mock/state`.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ApiName } from '../model/types.ts';
import type { StateDocument } from '../state/document.ts';
import { readDocumentFile, StateFileError } from '../node/state-file.ts';
import { leftoverTemporaries, listSegments, readSegment, segmentPath, SegmentWriter, writeAll } from './change-log.ts';
import { jsonChunks } from './json-chunks.ts';
import { acquireLock, type FileLock } from './lock.ts';
import type { DocumentPatch, DocumentsByApi } from './patch.ts';
import { Replay } from './replay.ts';
import { StoreUnavailableError, type StateStore, type StoreHealth } from './store.ts';

export interface FileStoreOptions {
  /** fsync after every append: survives a power loss, costs a disk flush per change. */
  fsync?: boolean;
  /** Where health changes and recovery notes go (stderr in the CLI). */
  log?: (line: string) => void;
  /** Compact once the current segment holds this many bytes, or twice the last document's, if that is more. */
  compactBytes?: number;
  /** Compact once no change has come for this long (a steady stream of changes waits for `compactBytes`). */
  idleMs?: number;
  /** Try again this long after a failed append or compaction. */
  retryMs?: number;
  /** How much of the document a compaction writes at once, in characters (tests make it small). */
  chunkCharacters?: number;
  /** How a line is written (tests fail it to play a full disk). */
  write?: (fd: number, text: string) => void;
}

/** The mocks whose documents the file keeps, each exporting its own. */
export interface Exporter {
  api: ApiName;
  exportState(): StateDocument;
}

/**
 * A compaction exports and serialises the whole state in one go (tens of milliseconds per 10,000 records, the
 * event loop held), so it waits for a quiet second or a large log: 32 MiB replays in well under a second.
 */
const DEFAULTS = { compactBytes: 32 * 1024 * 1024, idleMs: 1000, retryMs: 1000, chunkCharacters: 1 << 20 };

const reason = (cause: unknown) => (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;

export class FileStore implements StateStore {
  version = 0;
  readonly path: string;
  readonly #label: string;
  readonly #options: Required<Omit<FileStoreOptions, 'write'>> & Pick<FileStoreOptions, 'write'>;
  readonly #lock: FileLock;
  /** What the file held at start, by API (the documents of APIs this process does not serve are written back as they are). */
  readonly #recovered: DocumentsByApi;
  #exporters: readonly Exporter[] = [];
  #writer: SegmentWriter | undefined;
  #segment: number;
  #phase: 'loading' | 'open' | 'closed' = 'loading';
  /** Set while a compaction exports: a change made by the export itself (a default account made on first look) is in what it writes. */
  #exporting = false;
  #compacting = false;
  /** An append failed: changes are refused until a compaction has written everything. */
  #refusing = false;
  #refusals = 0;
  #health: StoreHealth = { ok: true };
  #timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The size of the last document written, in characters. Under a steady load a compaction waits for a log twice
   * as large: each one writes the whole state, so compacting at a fixed size would cost more per change as the
   * state grows; at twice the state, every record is written a bounded number of times, whatever its size.
   */
  #documentCharacters = 0;
  /** When the last change came (performance.now()): the idle timer compacts only after a quiet `idleMs`. */
  #lastChange = 0;
  #serial = 0;
  /** Segments were replayed at start: compact them into the document once started. */
  #backlog = false;
  readonly persistence = { health: () => this.#health };

  private constructor(
    path: string,
    options: FileStoreOptions,
    lock: FileLock,
    recovered: DocumentsByApi,
    segment: number,
  ) {
    this.path = path;
    this.#label = `--state-file ${path}`;
    this.#options = { ...DEFAULTS, fsync: false, log: console.error, ...options };
    this.#lock = lock;
    this.#recovered = recovered;
    this.#segment = segment;
  }

  /**
   * Makes the folder, takes the lock, deletes leftover temporary files and recovers the state: the document
   * and the log replayed over it (undefined when neither exists). Nothing is written to the log until `start`.
   */
  static async open(
    path: string,
    options: FileStoreOptions = {},
  ): Promise<{ store: FileStore; recovered: DocumentsByApi | undefined }> {
    const label = `--state-file ${path}`;
    const log = options.log ?? console.error;
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (cause) {
      throw new StateFileError(`${label}: its folder cannot be made (${reason(cause)})`);
    }
    const lock = acquireLock(path, label);
    try {
      for (const leftover of leftoverTemporaries(path)) rmSync(leftover, { force: true });
      const document = await readDocumentFile(path, label, 'ok');
      const segments = listSegments(path);
      // Replayed through an index of every record only when there is a log: a clean file loads as it is.
      const replay = segments.length ? new Replay(document) : undefined;
      for (const n of segments) {
        const { patches, torn } = readSegment(segmentPath(path, n), label);
        for (const patch of patches) replay!.apply(patch);
        if (torn)
          log(
            `${label}: the last line of ${segmentPath(path, n)} was cut short by a crash; that change was never acknowledged and is left out`,
          );
      }
      const recovered = replay ? replay.documents() : document;
      const store = new FileStore(path, options, lock, recovered ?? {}, (segments.at(-1) ?? 0) + 1);
      // The file itself must be writable now, not at the first compaction: a read-only file stops the start.
      store.#writer = store.#openSegment();
      store.#backlog = segments.length > 0;
      store.#documentCharacters = document === undefined ? 0 : statSync(path).size;
      return { store, recovered };
    } catch (cause) {
      lock.release();
      throw cause instanceof StateFileError
        ? cause
        : new StateFileError(`${label}: its folder cannot be written (${reason(cause)})`);
    }
  }

  #openSegment(): SegmentWriter {
    return new SegmentWriter(segmentPath(this.path, this.#segment), this.#options.fsync, this.#options.write);
  }

  /**
   * From now on every change is appended; `exporters` give the documents a compaction writes. A mock the file
   * has no document for yet starts its log with its whole state (fixture keys, seed): the base its changes
   * apply to at the next start.
   */
  start(exporters: readonly Exporter[]): void {
    this.#exporters = exporters;
    this.#phase = 'open';
    for (const exporter of exporters)
      if (!(exporter.api in this.#recovered)) this.record({ api: exporter.api, replace: exporter.exportState() });
    if (this.#backlog) this.#schedule(0);
  }

  health(): StoreHealth {
    return this.#health;
  }

  record(patch: DocumentPatch): void {
    this.version++;
    if (this.#phase !== 'open' || this.#exporting) return; // loading what the file holds; or inside the document being written
    if (this.#refusing) {
      this.#refusals++;
      throw new StoreUnavailableError(
        `the state file cannot be written (${(this.#health as { problem?: string }).problem ?? 'unknown'}); the change is not saved`,
      );
    }
    try {
      this.#writer!.append(patch);
    } catch (cause) {
      this.#refusing = true;
      this.#refusals++;
      this.#report({
        ok: false,
        problem: `appending to ${segmentPath(this.path, this.#segment)} failed (${reason(cause)})`,
      });
      this.#schedule(this.#options.retryMs);
      throw new StoreUnavailableError(`the state file cannot be written (${reason(cause)}); the change is not saved`);
    }
    this.#lastChange = performance.now();
    if (this.#writer!.bytes >= Math.max(this.#options.compactBytes, 2 * this.#documentCharacters)) this.#schedule(0);
    else if (!this.#timer) this.#schedule(this.#options.idleMs, true);
  }

  #report(health: StoreHealth): void {
    const before = this.#health;
    this.#health = health;
    if (before.ok && health.ok) return;
    if (!before.ok && !health.ok && before.problem === health.problem) return;
    this.#options.log(
      health.ok
        ? `${this.#label}: saving again; the state on disk is complete`
        : `${this.#label}: cannot save: ${health.problem}; API and control writes answer 503 until it can; retrying every ${this.#options.retryMs} ms`,
    );
  }

  /**
   * Compacts after `ms`. `whenIdle`: only once no change has come for `idleMs`, checked when the timer fires
   * (one timer, not one per change): under a steady load a compaction, which exports the whole state at once,
   * would otherwise stall the answers every `idleMs`.
   */
  #schedule(ms: number, whenIdle = false): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const quiet = performance.now() - this.#lastChange;
      if (whenIdle && quiet < this.#options.idleMs) this.#schedule(this.#options.idleMs - quiet, true);
      else void this.#compact();
    }, ms);
    this.#timer.unref?.();
  }

  /**
   * The whole state now, as the file keeps it (the served mocks' documents and the others as they were), as
   * JSON in pieces (json-chunks.ts): never one string as large as the state. Exported at one instant; the
   * records are the live ones, so text made later may show a record as a later change left it.
   */
  #render(): Generator<string> {
    const documents: DocumentsByApi = { ...this.#recovered };
    this.#exporting = true;
    try {
      for (const exporter of this.#exporters) documents[exporter.api] = exporter.exportState();
    } finally {
      this.#exporting = false;
    }
    return jsonChunks(documents, 5, this.#options.chunkCharacters); // unindented: a third smaller and faster to write than indented
  }

  #temporary(): string {
    return `${this.path}.${process.pid}.${++this.#serial}.tmp`;
  }

  /** Deletes the segments older than the current one: the document on disk holds their changes. */
  #dropOldSegments(keepCurrent: boolean): void {
    for (const n of listSegments(this.path))
      if (n < this.#segment || !keepCurrent) rmSync(segmentPath(this.path, n), { force: true });
  }

  async #compact(): Promise<void> {
    if (this.#compacting || this.#phase !== 'open') return;
    this.#compacting = true;
    const temporary = this.#temporary();
    try {
      // The instant: a new segment takes the changes from here on, and the document is everything before it.
      this.#segment++;
      const writer = this.#openSegment();
      this.#writer?.close();
      this.#writer = writer;
      const refusals = this.#refusals;
      // Written a piece at a time, answering requests in between: a record they change meanwhile may reach the
      // document in its later form. The new segment holds that change too, and replaying it over the document
      // sets the same record, so document + newer segments is still exactly the state (replay.ts).
      const chunks = this.#render();
      const file = await open(temporary, 'w');
      try {
        let characters = 0;
        for (const chunk of chunks) {
          characters += chunk.length;
          await file.write(chunk);
        }
        this.#documentCharacters = characters;
        await file.write('\n');
        await file.sync();
      } finally {
        await file.close();
      }
      if (this.#phase !== 'open') return; // closed meanwhile: its final save is newer
      renameSync(temporary, this.path);
      this.#syncFolder();
      this.#dropOldSegments(true);
      // Changes refused while this ran are in memory, not on disk: write again before accepting any.
      if (this.#refusals === refusals) {
        this.#refusing = false;
        this.#report({ ok: true });
      } else this.#schedule(0);
    } catch (cause) {
      this.#report({ ok: false, problem: `writing ${this.path} failed (${reason(cause)})` });
      this.#schedule(this.#options.retryMs);
    } finally {
      rmSync(temporary, { force: true });
      this.#compacting = false;
    }
  }

  /** A rename is durable once the folder is synced. */
  #syncFolder(): void {
    const fd = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Writes the whole state into the file and deletes the log, synchronously (SIGINT, SIGTERM, close), then
   * releases the lock. If that fails, the log stays: the next start replays it.
   */
  close(): void {
    if (this.#phase === 'closed') return;
    const wasOpen = this.#phase === 'open';
    this.#phase = 'closed';
    clearTimeout(this.#timer);
    try {
      if (wasOpen && !this.#refusing) {
        const temporary = this.#temporary();
        try {
          const fd = openSync(temporary, 'w');
          try {
            for (const chunk of this.#render()) writeAll(fd, chunk);
            writeAll(fd, '\n');
            fsyncSync(fd);
          } finally {
            closeSync(fd);
          }
          renameSync(temporary, this.path);
          this.#syncFolder();
          this.#writer?.close();
          this.#writer = undefined;
          this.#dropOldSegments(false);
        } catch (cause) {
          rmSync(temporary, { force: true });
          this.#options.log(
            `${this.#label}: could not write the whole state on exit (${reason(cause)}); its log is kept and replayed at the next start`,
          );
        }
      }
      this.#writer?.close();
    } finally {
      this.#lock.release();
    }
  }
}
