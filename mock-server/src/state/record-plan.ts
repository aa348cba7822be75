/**
 * What a stored record holds and what a create fills in, read from the spec once, at start-up, so a changed
 * default or a new nullable field changes the stateful mock with no edit here:
 * - the fields and their order: the record schema's properties (the read operation's success data);
 * - a field the create body may set (a property of the create schema): the body's value, else the schema's
 *   `default` (MVO `language: de`, TVM `contentType: news`), else null when the record allows null, else
 *   false for a flag;
 * - a field only the server sets: the documented create example's value (TVM `status: needs_review`,
 *   `source: api`), else null, false or [] by type;
 * - fields the state module computes itself (ids, owners, slugs, timestamps) are passed in.
 * A required record field none of these fills is a start-up error that names it.
 */
import type { JsonSchema } from '../model/types.ts';

type Json = Record<string, any>;

export interface RecordPlan {
  /** The record's fields, in the schema's order. */
  readonly fields: readonly string[];
  /** A new record from a create body; `computed` holds the values of the server-computed fields. */
  create(body: Json | undefined, computed: Json): Json;
  /** Applies a partial update: the fields of the update schema that the record shows. */
  update(record: Json, body: Json): void;
}

export interface PlanSource {
  /** Named in start-up errors, e.g. `tvm /v1/offers`. */
  name: string;
  record: JsonSchema;
  create?: JsonSchema;
  /** The documented create answer's data. */
  createExample?: Json;
  update?: JsonSchema;
  /** Fields the state module sets itself. */
  computed: readonly string[];
  /** How the server rewrites a submitted value (TVM upper-cases voucher codes). */
  rewrite?: Record<string, (value: unknown) => unknown>;
}

function typesOf(schema: JsonSchema | undefined): string[] {
  if (!schema) return [];
  const own = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : [];
  const variants = [...((schema.oneOf as JsonSchema[]) ?? []), ...((schema.anyOf as JsonSchema[]) ?? [])];
  return [...own, ...variants.flatMap(typesOf)];
}

/** The value a field the request did not set starts with, by its type; undefined: absent. */
function emptyValue(schema: JsonSchema | undefined): { value: unknown } | undefined {
  const types = typesOf(schema);
  if (types.includes('null')) return { value: null };
  if (types.includes('boolean')) return { value: false };
  if (types.includes('array')) return { value: [] };
  return undefined;
}

const copy = (value: unknown) => (value !== null && typeof value === 'object' ? structuredClone(value) : value);

export function recordPlan(source: PlanSource): RecordPlan {
  const properties = (source.record.properties ?? {}) as Record<string, JsonSchema>;
  const fields = Object.keys(properties);
  const computed = new Set(source.computed);
  const settable = (schema: JsonSchema | undefined) =>
    new Set(
      Object.keys((schema?.properties ?? {}) as object).filter((field) => field in properties && !computed.has(field)),
    );
  const creatable = settable(source.create);
  const updatable = settable(source.update);
  const createProperties = (source.create?.properties ?? {}) as Record<string, JsonSchema>;

  const initial = new Map<string, unknown>();
  for (const field of fields) {
    if (computed.has(field)) continue;
    let start: { value: unknown } | undefined;
    if (creatable.has(field))
      start =
        'default' in createProperties[field]
          ? { value: createProperties[field].default }
          : emptyValue(properties[field]);
    else if (source.createExample && Object.hasOwn(source.createExample, field))
      start = { value: source.createExample[field] };
    else start = emptyValue(properties[field]);
    if (start) initial.set(field, start.value);
  }
  const requiredInCreate = new Set((source.create?.required as string[] | undefined) ?? []);
  const unfilled = ((source.record.required as string[] | undefined) ?? []).filter(
    (field) => !computed.has(field) && !initial.has(field) && !requiredInCreate.has(field),
  );
  if (unfilled.length) {
    throw new Error(
      `${source.name}: the stateful mock cannot fill the required field(s) ${unfilled.join(', ')} of a new record (no default, create example value or empty value)`,
    );
  }

  const rewrite = source.rewrite ?? {};
  const submitted = (field: string, value: unknown) => (rewrite[field] ? rewrite[field](value) : value);
  return {
    fields,
    create(body, values) {
      const record: Json = {};
      for (const field of fields) {
        if (computed.has(field)) {
          if (Object.hasOwn(values, field)) record[field] = values[field];
        } else if (body && creatable.has(field) && Object.hasOwn(body, field))
          record[field] = submitted(field, body[field]);
        else if (initial.has(field)) record[field] = copy(initial.get(field));
      }
      return record;
    },
    update(record, body) {
      for (const field of Object.keys(body)) if (updatable.has(field)) record[field] = submitted(field, body[field]);
    },
  };
}
