/**
 * What users of the package get from `createMock` and `MockServer.mock` (the package root exports it as `Mock`):
 * answering requests, and the state and journal operations the control API offers; none of the machinery
 * behind them (the model, the key store, the dialect), which pipeline.ts's `Mock` adds for the adapters.
 */
import type { ApiName } from '../model/types.ts';
import type { StateDocument } from '../state/document.ts';
import type { JournalEntry, JournalFilter } from './journal.ts';
import type { MockRequest, MockResponse } from './types.ts';

export interface Mock {
  api: ApiName;
  /** Answers any request; never throws (a failure of the mock itself is a 500 in the API's envelope). */
  handle(request: MockRequest): Promise<MockResponse>;
  /** Back to the fixtures or the seed: keys, data, counters, scenarios and (unless `keepJournal`) the journal. */
  reset(options?: { keepJournal?: boolean }): Promise<void>;
  /** Prepares what is otherwise prepared on first use (request validators). */
  warmUp(): Promise<void>;
  /** The journal's entries, newest first: the list `GET /__mock/requests` answers (on a shared sandbox, this replica's own). */
  requests(filter?: JournalFilter): JournalEntry[];
  /** Every account's data and the keys (digests, never whole) as one document: `GET /__mock/state`. */
  exportState(): StateDocument;
  /** Replaces keys and data with a document, all or nothing; throws a StateDocumentError saying what is wrong. */
  importState(document: unknown): Promise<void>;
  /** Calls `listener` after each request that may have changed keys or data (a write answered below 400); returns the unsubscribe. */
  watch(listener: () => void): () => void;
}
