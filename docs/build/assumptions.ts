/**
 * Which of a description's assumptions (`info.x-assumptions`) affect which operation. An assumption affects an
 * operation when the operation cites its id anywhere in what it is made of (its own texts, its parameters, body,
 * responses, examples, headers and schemas, its security scheme: every `$ref` is followed), or when the
 * assumption says so itself with `affects: all` or `affects: [operationId, …]` (for decisions no single text
 * cites, such as the key format or the routing order). Nothing is listed by hand per operation.
 */
import { eachOperation, resolveRef } from '../../scripts/code-samples.ts';
import { escapeRegExp } from '../../mock-server/src/shared/escape-reg-exp.ts';

// ── Public types ────────────────────────────────────────────────────────────────────────────────────

export type Assumption = { id: string; gap: string; decision: string; affects?: 'all' | string[] };

// ── Private types ───────────────────────────────────────────────────────────────────────────────────

type Json = Record<string, any>;

// ── Public functions ────────────────────────────────────────────────────────────────────────────────

export const assumptionsOf = (doc: Json): Assumption[] => doc.info?.['x-assumptions'] ?? [];

/** operationId → the assumptions that affect it, in the order of `info.x-assumptions`. */
export function assumptionsByOperation(doc: Json): Map<string, Assumption[]> {
  const assumptions = assumptionsOf(doc);
  const operationIds = eachOperation(doc).map(({ op }) => op.operationId as string);
  for (const assumption of assumptions) {
    const unknown = Array.isArray(assumption.affects)
      ? assumption.affects.filter((id) => !operationIds.includes(id))
      : [];
    if (unknown.length)
      throw new Error(`assumption ${assumption.id}: affects names unknown operation(s) ${unknown.join(', ')}`);
    if (assumption.affects !== undefined && assumption.affects !== 'all' && !Array.isArray(assumption.affects)) {
      throw new Error(`assumption ${assumption.id}: affects must be "all" or a list of operationIds`);
    }
  }
  const citation = assumptions.length ? citationPattern(assumptions.map((assumption) => assumption.id)) : undefined;
  const result = new Map<string, Assumption[]>();
  for (const { op } of eachOperation(doc)) {
    const cited = new Set<string>();
    if (citation)
      for (const text of textsOf(doc, [op, ...securitySchemesOf(doc, op)]))
        for (const match of text.matchAll(citation)) cited.add(match[0]);
    result.set(
      op.operationId,
      assumptions.filter(
        (assumption) =>
          cited.has(assumption.id) ||
          assumption.affects === 'all' ||
          (Array.isArray(assumption.affects) && assumption.affects.includes(op.operationId)),
      ),
    );
  }
  return result;
}

// ── Private functions ───────────────────────────────────────────────────────────────────────────────

/** Matches an id as a whole word: `TVM-A1` never matches inside `TVM-A14`. */
const citationPattern = (ids: string[]) =>
  new RegExp(`(?<![\\w-])(?:${ids.map(escapeRegExp).join('|')})(?![\\w])`, 'g');

function securitySchemesOf(doc: Json, op: Json): Json[] {
  const requirements: Json[] = op.security ?? doc.security ?? [];
  return requirements.flatMap((requirement) =>
    Object.keys(requirement).map((name) => doc.components?.securitySchemes?.[name] ?? {}),
  );
}

/** Every string reachable from `roots`, following internal `$ref`s once each (code samples excluded: they cite nothing). */
function textsOf(doc: Json, roots: unknown[]): string[] {
  const texts: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown) => {
    if (typeof value === 'string') texts.push(value);
    if (!value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const node = value as Json;
    if (typeof node.$ref === 'string') return visit(resolveRef(doc, node));
    for (const [key, child] of Object.entries(node)) if (key !== 'x-codeSamples') visit(child);
  };
  roots.forEach(visit);
  return texts;
}
