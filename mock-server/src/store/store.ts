/**
 * The seam between the mocks and where their state is kept. A mock reports every change to its store (a
 * document patch, store/patch.ts); the store counts them in `version`, so anything derived from the state (the
 * read cache) knows it is stale without each caller remembering to say so. The in-memory store does only that;
 * the durable file store (file-store.ts) also writes each change to disk before it is acknowledged.
 */
import type { DocumentPatch } from './patch.ts';

/** The store cannot keep a change (disk full, file removed): the request that made it is answered 503. */
export class StoreUnavailableError extends Error {}

/** Whether the store keeps what it is given; `problem` says what fails when it does not. */
export type StoreHealth = { ok: true } | { ok: false; problem: string };

export interface StateStore {
  /** Increases with every change, through any door (API writes, control API, import, reset). */
  readonly version: number;
  /** Takes one change; throws StoreUnavailableError when it cannot keep it. */
  record(patch: DocumentPatch): void;
  /** What the control API reports of the store (`X-Mock-State-File`), when it persists anything. */
  readonly persistence?: { health(): StoreHealth };
}

/** State that lives as long as the process: changes are only counted. */
export class MemoryStore implements StateStore {
  version = 0;

  record(_patch: DocumentPatch): void {
    this.version++;
  }
}
