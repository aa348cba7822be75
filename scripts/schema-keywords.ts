/**
 * JSON Schema 2020-12 keywords whose value holds subschemas, for the build's walks over schemas (dropping prose in
 * runtime-spec.ts, sharing repeated subschemas in validators.ts).
 */

/** Keywords whose value is one schema. */
export const SCHEMA_ONE: ReadonlySet<string> = new Set([
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
]);

/** Keywords whose value is a list of schemas. */
export const SCHEMA_LISTS: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/** Applicators whose value maps names to schemas (`$defs` and `definitions` hold schemas too, but apply none). */
export const SCHEMA_MAPS: ReadonlySet<string> = new Set(['properties', 'patternProperties', 'dependentSchemas']);
