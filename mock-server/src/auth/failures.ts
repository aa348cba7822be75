/**
 * Which answer each authentication failure gets, read from the spec: every 401/403 example that
 * carries `x-auth-failures` names the failures it documents (and, for a missing scope, a message
 * template). Nothing here is typed in by hand.
 */
import type { ApiModel } from '../model/types.ts';
import { KEY_STATE_FAILURES, type AuthFailure } from './failure-kinds.ts';

export type { AuthFailure } from './failure-kinds.ts';

export interface FailureAnswer {
  status: number;
  /** The documented body; for `missing_scope` the message is re-rendered for the operation's scope. */
  body: unknown;
  messageTemplate?: string;
}

export type FailureTable = Partial<Record<AuthFailure, FailureAnswer>>;

export function failureTable(model: ApiModel): FailureTable {
  const table: FailureTable = {};
  for (const op of model.operations) {
    for (const status of [401, 403]) {
      const response = op.responses.get(status);
      if (!response) continue;
      for (const [name, extensions] of response.exampleExtensions) {
        for (const failure of (extensions['x-auth-failures'] ?? []) as AuthFailure[]) {
          table[failure] ??= {
            status,
            body: response.examples.get(name),
            messageTemplate: extensions['x-message-template'] as string | undefined,
          };
        }
      }
    }
  }
  for (const required of ['missing', 'invalid'] as const) {
    if (!table[required]) throw new Error(`${model.api}: no 401 example documents the "${required}" failure`);
  }
  if (model.operations.some((op) => op.scopes.length) && !table.missing_scope?.messageTemplate) {
    throw new Error(
      `${model.api}: operations require scopes but no example documents missing_scope with x-message-template`,
    );
  }
  return table;
}

/** The statuses a key can be put in through the control API: `active` plus each documented one. */
export function settableStatuses(table: FailureTable): string[] {
  return ['active', ...KEY_STATE_FAILURES.filter((status) => table[status])];
}

/** Rendered bodies per answer and scope: scopes are few, so this stays small. */
const rendered = new WeakMap<FailureAnswer, Map<string, unknown>>();

/**
 * The documented body, with the template's `{scope}` filled in where the failure has one. The same answer and
 * scope always give the same object: callers cache the serialised text per body object (the pipeline does),
 * and a fresh object per request grew that cache by one entry per missing-scope answer (found by bench/soak.ts).
 */
export function renderFailureBody(answer: FailureAnswer, scope?: string): unknown {
  if (!answer.messageTemplate || scope === undefined) return answer.body;
  let byScope = rendered.get(answer);
  if (!byScope) rendered.set(answer, (byScope = new Map()));
  let body = byScope.get(scope);
  if (body === undefined)
    byScope.set(scope, (body = replaceMessage(answer.body, answer.messageTemplate.replaceAll('{scope}', scope))));
  return body;
}

function replaceMessage(body: unknown, message: string): unknown {
  if (!body || typeof body !== 'object') return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (typeof copy.message === 'string') copy.message = message;
  else if (copy.error && typeof copy.error === 'object') copy.error = replaceMessage(copy.error, message);
  return copy;
}
