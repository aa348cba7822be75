/**
 * Which assumptions (`info.x-assumptions`) each contract check rests on, read from the spec itself:
 *
 * - `claims` on an `info.x-assumptions` entry: what the assumption claims, as rules the checker evaluates
 *   (claims.ts); most verdicts rest on these;
 * - `x-scope-assumptions: [ids]` on an operation: the scope it requires is assumed (a missing-scope 403 naming
 *   another scope contradicts them);
 * - `x-assumptions` on the key-format schema (`x-key-format`): the key's shape (a malformed key must fail);
 * - `checks: [names]` on an `info.x-assumptions` entry, for the few checks no single place in the spec owns
 *   (`unknown-route`, `non-json-body`, `too-deep-body`: the body's nesting bound, `info.x-max-body-depth`).
 *
 * `x-assumptions` elsewhere in the spec (on schemas, responses, examples) tell readers which assumption a part
 * rests on; the checker does not charge a problem to the nearest one of them (a problem in a list item is not
 * the list shape's fault): only a claim that names the failing part takes the blame.
 *
 * Nothing here names an assumption. Every id, claim and check name is verified when the links are built, so a
 * typo in the spec fails at start-up instead of silently linking nothing.
 */
import { embeddedSpec, type ApiName, type OperationModel } from '../model/index.ts';
import { claimApplies, readClaims, type Claim, type ClaimKind } from './claims.ts';

type Json = Record<string, any>;

/** Checks that no single place in the spec owns; an assumption lists them under `checks`. */
export const GLOBAL_CHECKS = ['unknown-route', 'non-json-body', 'too-deep-body'] as const;
export type GlobalCheck = (typeof GLOBAL_CHECKS)[number];

export interface Assumption {
  id: string;
  gap: string;
  decision: string;
  /** Whether any traffic can confirm or contradict it (it has a claim, a check, or a link the checker reads). */
  checkable: boolean;
}

export interface Links {
  assumptions: readonly Assumption[];
  /** The claims of one kind that apply to an answer of this operation with this status. */
  claims(kind: ClaimKind, op: OperationModel, status: number): Claim[];
  /** The claims of one kind on the operation, whatever the status (`accepts`, `refuses`, `exists`). */
  operationClaims(kind: ClaimKind, op: OperationModel): Claim[];
  /** Whether the spec marks the operation `x-inferred`. */
  inferred(op: OperationModel): boolean;
  /** The scope the operation requires, where it is assumed. */
  scope(op: OperationModel): string[];
  /** The key format (a malformed key must fail). */
  keyFormat: string[];
  global(check: GlobalCheck): string[];
}

const idsOf = (node: unknown, key = 'x-assumptions'): string[] => {
  const ids = (node as Json | undefined)?.[key];
  return Array.isArray(ids) ? ids : [];
};

/** The operation as the spec writes it (the model keeps only what the mock needs). */
export function specOperation(spec: Json, op: Pick<OperationModel, 'path' | 'method'>): Json {
  return spec.paths[op.path][op.method.toLowerCase()];
}

const operationIdsOf = (spec: Json): string[] =>
  Object.values<Json>(spec.paths).flatMap((item) =>
    Object.values<Json>(item)
      .map((op) => op?.operationId)
      .filter((id): id is string => typeof id === 'string'),
  );

/** Every id the spec refers to must be one of its assumptions, every check and claim one the proxy knows. */
function verify(api: ApiName, spec: Json, known: Set<string>, claimProblems: string[]): void {
  const problems: string[] = [...claimProblems];
  const visit = (node: unknown, where: string) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const here = `${where}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if ((key === 'x-assumptions' && where !== '#/info') || key === 'x-scope-assumptions') {
        if (!Array.isArray(value) || !value.length) problems.push(`${here} must be a non-empty list of assumption ids`);
        else
          for (const id of value)
            if (!known.has(id))
              problems.push(`${here} names ${JSON.stringify(id)}, which is not in info.x-assumptions`);
      } else visit(value, here);
    }
  };
  visit(spec, '#');
  for (const [index, entry] of (spec.info['x-assumptions'] as Json[]).entries()) {
    for (const check of entry.checks ?? []) {
      if (!(GLOBAL_CHECKS as readonly string[]).includes(check))
        problems.push(
          `#/info/x-assumptions/${index}/checks names ${JSON.stringify(check)}; known checks: ${GLOBAL_CHECKS.join(', ')}`,
        );
    }
  }
  if (problems.length) throw new Error(`${api}: the spec's assumption links are broken:\n- ${problems.join('\n- ')}`);
}

export function buildLinks(api: ApiName, spec: Json): Links {
  const entries = (spec.info['x-assumptions'] ?? []) as Json[];
  const { claims, problems } = readClaims(spec, operationIdsOf(spec));
  verify(api, spec, new Set(entries.map((entry) => entry.id)), problems);
  const keyFormat = [
    ...new Set(Object.values<Json>(spec.components.securitySchemes).flatMap((scheme) => idsOf(scheme['x-key-format']))),
  ];
  const byCheck = new Map<string, string[]>();
  for (const entry of entries)
    for (const check of entry.checks ?? []) byCheck.set(check, [...(byCheck.get(check) ?? []), entry.id]);
  const scoped = new Set<string>();
  for (const item of Object.values<Json>(spec.paths))
    for (const op of Object.values<Json>(item)) for (const id of idsOf(op, 'x-scope-assumptions')) scoped.add(id);
  const checkable = (id: string) =>
    claims.some((claim) => claim.assumption === id) ||
    keyFormat.includes(id) ||
    scoped.has(id) ||
    [...byCheck.values()].some((ids) => ids.includes(id));
  const inferred = (op: OperationModel) => specOperation(spec, op)['x-inferred'] === true;

  return {
    assumptions: entries.map(({ id, gap, decision }) => ({ id, gap, decision, checkable: checkable(id) })),
    claims: (kind, op, status) =>
      claims.filter((claim) => claim.kind === kind && claimApplies(claim, op, status, inferred(op))),
    operationClaims: (kind, op) =>
      claims.filter(
        (claim) =>
          claim.kind === kind &&
          (claim.operations === 'inferred'
            ? inferred(op)
            : !claim.operations || claim.operations.includes(op.operationId)) &&
          (!claim.methods || claim.methods.includes(op.method)),
      ),
    inferred,
    scope: (op) => idsOf(specOperation(spec, op), 'x-scope-assumptions'),
    keyFormat,
    global: (check) => byCheck.get(check) ?? [],
  };
}

const cache = new Map<ApiName, Links>();

/** The links of one API's embedded spec, built (and verified) once per process. */
export function assumptionLinks(api: ApiName): Links {
  let links = cache.get(api);
  if (!links) cache.set(api, (links = buildLinks(api, embeddedSpec(api))));
  return links;
}
