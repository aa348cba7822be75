/**
 * What each assumption claims, in a form the checker evaluates: the `claims` member of an `info.x-assumptions`
 * entry. A verdict rests on these alone: an exchange confirms an assumption only when it exercised one of its
 * claims (an optional field that is absent exercises nothing), and a contradiction is charged to the assumption
 * whose claim failed, else to the published docs.
 *
 * A claim is `{kind, …selectors, …what it claims}`. Selectors (all optional) narrow the answers it applies to:
 * - `operations`: operationIds, or `inferred` (the operations marked `x-inferred: true`); every operation when absent;
 * - `methods`: HTTP methods;
 * - `status`: a status, a list of them, `success` (2xx, the default), `error` (4xx and 5xx) or `any`.
 *
 * Kinds:
 * - `success-status` `{status}`: a success of the selected operations answers this status;
 * - `content-type` `{mediaType}`: every answer with a body is sent as this media type;
 * - `field` `{paths, equals?, pattern?, whenPresent?, absent?}`: the answer carries each path (`data.items[].id`:
 *   in every item), valid by its schema (and equal to `equals`, matching `pattern`). `whenPresent`: only a value
 *   that is there is judged; `absent`: the answer never carries it;
 * - `header` `{name, absent?, equals?}`: the answer never carries the header (`absent`), or carries it with this value;
 * - `message` `{status}`: an error with this status carries one of the messages the spec's examples document;
 * - `default` `{parameter, path}`: a request without the query parameter is answered with its default at `path`;
 * - `exists`: the operations exist (a 405/501, or a 404 that is the router's and not the item's, contradicts);
 * - `accepts` `{fields, pattern}`: a request whose body field matches `pattern` is accepted (a 400 contradicts);
 * - `refuses` `{in, names?, keywords?}`: a request breaking these bounds (`in`: query or body; `names`: the
 *   parameters or fields; `keywords`: the schema keywords, e.g. maxLength) is refused.
 *
 * Every claim is checked when read, so a typo in the spec fails at start-up instead of silently claiming nothing.
 */
import type { OperationModel } from '../model/index.ts';

type Json = Record<string, any>;

export const CLAIM_KINDS = [
  'success-status',
  'content-type',
  'field',
  'header',
  'message',
  'default',
  'exists',
  'accepts',
  'refuses',
] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

export interface Claim {
  assumption: string;
  kind: ClaimKind;
  operations?: string[] | 'inferred';
  methods?: string[];
  status?: number | number[] | 'success' | 'error' | 'any';
  // What it claims (by kind).
  mediaType?: string;
  paths?: string[];
  equals?: unknown;
  pattern?: string;
  whenPresent?: boolean;
  absent?: boolean;
  name?: string;
  parameter?: string;
  path?: string;
  fields?: string[];
  in?: 'query' | 'body';
  names?: string[];
  keywords?: string[];
}

/** Whether a claim applies to an answer of this operation with this status. */
export function claimApplies(claim: Claim, op: OperationModel, status: number, inferred: boolean): boolean {
  if (claim.operations === 'inferred' ? !inferred : claim.operations && !claim.operations.includes(op.operationId))
    return false;
  if (claim.methods && !claim.methods.includes(op.method)) return false;
  // A success-status claim's `status` is what it claims, not which answers it applies to: every success.
  const selector = claim.kind === 'success-status' ? 'success' : (claim.status ?? 'success');
  if (selector === 'any') return true;
  if (selector === 'success') return status >= 200 && status < 300;
  if (selector === 'error') return status >= 400;
  return Array.isArray(selector) ? selector.includes(status) : selector === status;
}

/** The claims of a spec's assumptions, checked: known kinds, known operations, the members each kind needs. */
export function readClaims(spec: Json, operationIds: readonly string[]): { claims: Claim[]; problems: string[] } {
  const claims: Claim[] = [];
  const problems: string[] = [];
  for (const [index, entry] of ((spec.info['x-assumptions'] ?? []) as Json[]).entries()) {
    for (const [at, raw] of ((entry.claims ?? []) as Json[]).entries()) {
      const where = `#/info/x-assumptions/${index}/claims/${at}`;
      const claim = { ...raw, assumption: entry.id } as Claim;
      if (!(CLAIM_KINDS as readonly string[]).includes(claim.kind))
        problems.push(`${where}: kind ${JSON.stringify(claim.kind)}; known kinds: ${CLAIM_KINDS.join(', ')}`);
      if (Array.isArray(claim.operations))
        for (const id of claim.operations)
          if (!operationIds.includes(id)) problems.push(`${where}: no operation ${id}`);
      const needs: Partial<Record<ClaimKind, (keyof Claim)[]>> = {
        'success-status': ['status'],
        'content-type': ['mediaType'],
        field: ['paths'],
        header: ['name'],
        message: ['status'],
        default: ['parameter', 'path'],
        accepts: ['fields', 'pattern'],
        refuses: ['in'],
      };
      for (const member of needs[claim.kind] ?? [])
        if (claim[member] === undefined) problems.push(`${where}: a ${claim.kind} claim needs ${member}`);
      if (claim.pattern !== undefined) {
        try {
          new RegExp(claim.pattern);
        } catch {
          problems.push(`${where}: pattern is not a regular expression`);
        }
      }
      claims.push(claim);
    }
  }
  return { claims, problems };
}

/** A JSON path as claims write it (`data.items[].id`) from an Ajv instance path (`/data/items/3/id`). */
export function claimPath(instancePath: string, missingProperty?: string): string {
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (missingProperty !== undefined) segments.push(missingProperty);
  let path = '';
  for (const segment of segments) path += /^\d+$/.test(segment) ? '[]' : path ? `.${segment}` : segment;
  return path;
}

/** Whether a problem found at `errorPath` falls on `claimed`: the claimed path itself, or a part of it that is wrong or missing. */
export function pathCovers(claimed: string, errorPath: string): boolean {
  return (
    claimed === errorPath ||
    (errorPath !== '' && (claimed.startsWith(`${errorPath}.`) || claimed.startsWith(`${errorPath}[]`)))
  );
}

/** The values at a claimed path: one entry per array item along the way; `present: false` where the path stops. */
export function valuesAt(body: unknown, path: string): { present: boolean; value?: unknown }[] {
  const tokens = path.match(/[^.[\]]+|\[\]/g) ?? [];
  let current: { present: boolean; value?: unknown }[] = [{ present: true, value: body }];
  for (const token of tokens) {
    const next: { present: boolean; value?: unknown }[] = [];
    for (const entry of current) {
      if (!entry.present) {
        next.push(entry);
        continue;
      }
      if (token === '[]') {
        if (Array.isArray(entry.value)) for (const item of entry.value) next.push({ present: true, value: item });
        else next.push({ present: false });
      } else if (
        entry.value &&
        typeof entry.value === 'object' &&
        !Array.isArray(entry.value) &&
        Object.hasOwn(entry.value, token)
      ) {
        next.push({ present: true, value: (entry.value as Json)[token] });
      } else next.push({ present: false });
    }
    current = next;
  }
  return current;
}
