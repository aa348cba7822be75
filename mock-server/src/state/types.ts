/** What the stateful layer sees of a request, and what it answers (the pipeline renders it in the API's envelope). */
import type { OperationModel } from '../model/types.ts';

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
}
