/**
 * A change to a mock's keys or data, written in the form of the state document (`GET /__mock/state`): what a
 * durable store appends to its log and replays at start. The state layers and the key store report one at each
 * place they change something; `replace` stands for a whole new document (an import, a reset).
 * Keys travel as exported (digest and masked prefix), never whole.
 */
import type { ApiName } from '../model/types.ts';
import type { AccountData } from '../state/types.ts';
import type { DocumentKey, StateDocument } from '../state/document.ts';

/** A record of a collection (`accounts[account][resource]`) set to `value`, or removed (`null`). */
export interface RecordPatch {
  api: ApiName;
  account: string;
  resource: string;
  id: string;
  value: Record<string, unknown> | null;
}

/** A singleton's record (`accounts[account][resource]`, TVM's shop profile) set to `value`. */
export interface SingletonPatch {
  api: ApiName;
  account: string;
  resource: string;
  value: Record<string, unknown>;
}

/** An account made (on first use), with all its data: MVO's `seller_id` and seeded records, TVM's new shop. */
export interface AccountPatch {
  api: ApiName;
  account: string;
  data: AccountData;
}

/** A key added or changed (as exported), or removed by id. */
export interface KeyPatch {
  api: ApiName;
  key: DocumentKey | { delete: string };
}

/** Every key and account replaced by a document (an import, a reset). */
export interface ReplacePatch {
  api: ApiName;
  replace: StateDocument;
}

export type DocumentPatch = RecordPatch | SingletonPatch | AccountPatch | KeyPatch | ReplacePatch;

/**
 * Receives every change as it is made, synchronously, before the request that made it is answered. The value
 * is live data: a sink serialises it at once and never keeps it. A sink that cannot keep the change throws a
 * StoreUnavailableError, which the pipeline answers 503.
 */
export type ChangeSink = (patch: DocumentPatch) => void;

/** Documents by API, as a state file holds them (`{"mvo": {…}, "tvm": {…}}`). */
export type DocumentsByApi = Partial<Record<ApiName, unknown>>;
