/**
 * Which assumptions (`info.x-assumptions`) each contract check rests on, read from the spec itself:
 *
 * - `x-assumptions: [ids]` on a response (its status), an operation (that it exists at all), an example
 *   (that exact body), a schema or a parameter's schema (that shape), the key-format schema (the key's shape);
 * - `x-scope-assumptions: [ids]` on an operation (the scope it requires);
 * - `checks: [names]` on an `info.x-assumptions` entry, for the few checks no single place in the spec owns
 *   (`unknown-route`, `non-json-body`, `too-deep-body`: the body's nesting bound, `info.x-max-body-depth`).
 *
 * Nothing here names an assumption. Every id and check name is verified when the links are built, so a typo
 * in the spec fails at start-up instead of silently linking nothing.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { embeddedSpec, type ApiName, type JsonSchema, type OperationModel } from '../model/index.ts';
import { MAX_DEPTH_KEYWORD } from './mock-parts.ts';

type Json = Record<string, any>;

/** Checks that no single place in the spec owns; an assumption lists them under `checks`. */
export const GLOBAL_CHECKS = ['unknown-route', 'non-json-body', 'too-deep-body'] as const;
export type GlobalCheck = (typeof GLOBAL_CHECKS)[number];

export interface Assumption {
  id: string;
  gap: string;
  decision: string;
}

export interface Links {
  assumptions: readonly Assumption[];
  /** That the operation exists (an inferred one). */
  operation(op: OperationModel): string[];
  /** The scope the operation requires. */
  scope(op: OperationModel): string[];
  /** The status of one documented response. */
  response(op: OperationModel, status: number): string[];
  /** One documented example body. */
  example(op: OperationModel, status: number, name: string): string[];
  /** The key format (a malformed key must fail). */
  keyFormat: string[];
  global(check: GlobalCheck): string[];
  /** The links on the schema nodes an Ajv error passed through, and on a missing property's schema. */
  schemaError(root: JsonSchema, error: ErrorObject): string[];
  /** The links on the schema nodes a valid value reached. */
  exercised(root: JsonSchema, value: unknown): string[];
}

const idsOf = (node: unknown, key = 'x-assumptions'): string[] => {
  const ids = (node as Json | undefined)?.[key];
  return Array.isArray(ids) ? ids : [];
};

/** The operation as the spec writes it (the model keeps only what the mock needs). */
export function specOperation(spec: Json, op: Pick<OperationModel, 'path' | 'method'>): Json {
  return spec.paths[op.path][op.method.toLowerCase()];
}

/** Every id the spec refers to must be one of its assumptions, every check name one the proxy knows. */
function verify(api: ApiName, spec: Json, known: Set<string>): void {
  const problems: string[] = [];
  const visit = (node: unknown, where: string) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const here = `${where}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if ((key === 'x-assumptions' && where !== '#/info') || key === 'x-scope-assumptions') {
        if (!Array.isArray(value) || !value.length) problems.push(`${here} must be a non-empty list of assumption ids`);
        else for (const id of value) if (!known.has(id)) problems.push(`${here} names ${JSON.stringify(id)}, which is not in info.x-assumptions`);
      } else visit(value, here);
    }
  };
  visit(spec, '#');
  for (const [index, entry] of (spec.info['x-assumptions'] as Json[]).entries()) {
    for (const check of entry.checks ?? []) {
      if (!(GLOBAL_CHECKS as readonly string[]).includes(check)) problems.push(`#/info/x-assumptions/${index}/checks names ${JSON.stringify(check)}; known checks: ${GLOBAL_CHECKS.join(', ')}`);
    }
  }
  if (problems.length) throw new Error(`${api}: the spec's assumption links are broken:\n- ${problems.join('\n- ')}`);
}

const unescapePointer = (segment: string) => decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~');

/** The JSON type of a value, as a schema's `type` names it. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether a branch of a oneOf/anyOf could describe the value, judged by its declared type only (cheap). */
function typeAllows(schema: Json, value: unknown): boolean {
  if (schema.type === undefined) return true;
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = jsonType(value);
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

export function buildLinks(api: ApiName, spec: Json): Links {
  const assumptions: Assumption[] = (spec.info['x-assumptions'] ?? []).map(({ id, gap, decision }: Json) => ({ id, gap, decision }));
  verify(api, spec, new Set(assumptions.map((assumption) => assumption.id)));
  const keyFormat = Object.values<Json>(spec.components.securitySchemes).flatMap((scheme) => idsOf(scheme['x-key-format']));
  const byCheck = new Map<string, string[]>();
  for (const entry of spec.info['x-assumptions'] as Json[]) for (const check of entry.checks ?? []) byCheck.set(check, [...(byCheck.get(check) ?? []), entry.id]);
  const responseOf = (op: OperationModel, status: number) => specOperation(spec, op).responses?.[String(status)];

  return {
    assumptions,
    operation: (op) => idsOf(specOperation(spec, op)),
    scope: (op) => idsOf(specOperation(spec, op), 'x-scope-assumptions'),
    response: (op, status) => idsOf(responseOf(op, status)),
    example: (op, status, name) => idsOf(responseOf(op, status)?.content?.['application/json']?.examples?.[name]),
    keyFormat: [...new Set(keyFormat)],
    global: (check) => byCheck.get(check) ?? [],
    schemaError(root, error) {
      // No schema node states the nesting bound: the spec's info does.
      if (error.keyword === MAX_DEPTH_KEYWORD) return byCheck.get('too-deep-body') ?? [];
      const found = new Set(idsOf(root));
      let node: Json | undefined = root;
      let parent: Json | undefined;
      for (const segment of error.schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean)) {
        [parent, node] = [node, node?.[unescapePointer(segment)]];
        for (const id of idsOf(node)) found.add(id);
      }
      // The schemaPath ends at `required` in the object's schema; the missing property's own schema says why it is expected.
      if (error.keyword === 'required') {
        for (const id of idsOf(parent?.properties?.[(error.params as { missingProperty: string }).missingProperty])) found.add(id);
      }
      return [...found];
    },
    exercised(root, value) {
      const found = new Set<string>();
      const walk = (schema: Json | undefined, at: unknown) => {
        if (!schema || typeof schema !== 'object' || at === undefined) return;
        for (const id of idsOf(schema)) found.add(id);
        for (const sub of schema.allOf ?? []) walk(sub, at);
        for (const sub of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) if (typeAllows(sub, at)) walk(sub, at);
        if (Array.isArray(at)) for (const item of at) walk(schema.items, item);
        else if (at && typeof at === 'object' && schema.properties) {
          for (const [name, child] of Object.entries(at)) walk(schema.properties[name], child);
        }
      };
      walk(root, value);
      return [...found];
    },
  };
}

const cache = new Map<ApiName, Links>();

/** The links of one API's embedded spec, built (and verified) once per process. */
export function assumptionLinks(api: ApiName): Links {
  let links = cache.get(api);
  if (!links) cache.set(api, (links = buildLinks(api, embeddedSpec(api))));
  return links;
}
