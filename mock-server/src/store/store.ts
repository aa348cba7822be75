/**
 * The seam between the mocks and where their state is kept. A mock reports every change to its store (a
 * document patch, store/patch.ts); the store counts them in `version`, so anything derived from the state (the
 * read cache) knows it is stale without each caller remembering to say so. The in-memory store does only that;
 * the durable file store (file-store.ts) also writes each change to disk before it is acknowledged.
 */
import type { Journal, JournalBook } from '../pipeline/journal.ts';
import type { SharedRateCounters } from '../pipeline/rate-limit.ts';
import type { ScenarioBook } from '../pipeline/scenarios.ts';
import type { StateDocument } from '../state/document.ts';
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

  // ── A store shared by replicas (store/redis/): the memory and file stores have none of these ──

  /**
   * Called around every request: brings this replica's view up to date first; `writes` (any method but GET and
   * HEAD, and the control API's writes) also serialises it with every other replica's writes until `end`, which
   * keeps the request's changes. Throws StoreUnavailableError (503) when it cannot.
   */
  begin?(writes: boolean): Promise<StoreTransaction>;
  /** The mock's in-memory state, which the store keeps up to date with the other replicas' changes. */
  attach?(view: ReplicaView): void;
  /** Whether this replica loads the `--seed` (the first replica of a sandbox does, once). */
  claimSeed?(): Promise<boolean>;
  /** Rate counters, scenarios and the journal, shared by the replicas. */
  readonly shared?: SharedParts;
}

export interface StoreTransaction {
  /** Keeps the request's changes; throws StoreUnavailableError (503), or RetryRequest when the request must be handled again. */
  end(): Promise<void>;
}

/**
 * What a replicated store drives of a mock's in-memory state. Each change is prepared (checked, keys built)
 * and returned as a synchronous step, so the store applies a batch of them at one instant.
 */
export interface ReplicaView {
  /** A change another replica made, to apply (it is not reported back to the store). */
  prepare(patch: DocumentPatch): Promise<() => void>;
  /** Replacing keys and data by a snapshot document; `undefined`: the initial state (fixtures, nothing stored). */
  prepareLoad(document: StateDocument | undefined): Promise<() => void>;
  /** Keys and data now, for a snapshot. */
  export(): StateDocument;
}

export interface SharedParts {
  rateCounters: SharedRateCounters;
  scenarios: ScenarioBook;
  /** The shared journal, keeping this replica's own entries in `local` too. */
  journal(local: Journal): JournalBook;
}

/** A read changed something while another replica wrote: its view was reloaded; handle the request again. */
export class RetryRequest extends Error {}

/** State that lives as long as the process: changes are only counted. */
export class MemoryStore implements StateStore {
  version = 0;

  record(_patch: DocumentPatch): void {
    this.version++;
  }
}
