/** What the stateful layer sees of a request, and what it answers (the pipeline renders it in the API's envelope). */
import type { JsonSchema, OperationModel } from '../model/types.ts';
import type { IdSource } from './random.ts';
import type { AccountPatch, RecordPatch, SingletonPatch } from '../store/patch.ts';

export interface StateRequest {
  op: OperationModel;
  /** The account of the key (MVO seller, TVM shop). */
  account: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  at: Date;
}

/**
 * `data`: the success payload (TVM wraps it in `{success, data, meta}`). Without `data`, the
 * operation's documented example for `status` (the named one, else the first) is the answer.
 */
export type StateAnswer = { status: number; data?: unknown; example?: string };

export interface ApiState {
  /** Whether stored data answers this operation (every operation must be served: createState checks). */
  serves(op: OperationModel): boolean;
  /** Answers an operation from stored data; `undefined` leaves the request to the spec examples. */
  handle(request: StateRequest): StateAnswer | undefined;
  /** Moves a reviewable item to a status; the item as the API shows it, or undefined when no item has this id. */
  review?(id: string, status: string, at: Date): unknown;
  reset(): void;

  // ── State documents (GET/PUT /__mock/state, --seed, --state-file) and generated data (POST /__mock/generate) ──

  /** The collections (`offers`, `customers`), by the last segment of their path. */
  readonly collections: readonly CollectionInfo[];
  /** The JSON Schema of one account's data in a state document: its records, by resource name. */
  readonly accountSchema: JsonSchema;
  /** Every account's data as the API shows it (the default account seeded first): serialise at once, do not keep. */
  snapshot(): Record<string, AccountData>;
  /** Checks accounts that passed `accountSchema` for what a schema cannot say (ids used twice…); nothing changes until `commit`. */
  prepare(accounts: Record<string, AccountData>): { problem: string } | { commit(): void };
  /** Applies a change another replica made (a record, a singleton, an account made), without reporting it. */
  apply(patch: RecordPatch | SingletonPatch | AccountPatch): void;
  /** Adds a record as a create would (ids from `ids`), then sets the server-set fields in `extra`. */
  insert(request: InsertRequest): { item: Record<string, unknown> } | { problem: string };
}

/** One account's data in a state document: per resource name, its records (a collection) or its record (a singleton). */
export type AccountData = Record<string, unknown>;

export interface CollectionInfo {
  name: string;
  /** The record as the API shows it. */
  record: JsonSchema;
  /** The create operation's body. */
  create: JsonSchema;
  /** Fields only the server sets whose value may vary (an enum such as `status`). */
  serverSet: readonly string[];
}

export interface InsertRequest {
  account: string;
  collection: string;
  body: Record<string, unknown>;
  extra: Record<string, unknown>;
  at: Date;
  ids?: IdSource;
}
