/**
 * The mock's request validators, compiled at build time: Ajv standalone code for every schema
 * mock-server/src/pipeline/request-schemas.ts names (each operation's JSON body and query), with the options it
 * sets, one module per API (mock-server/src/generated/<api>.validators.ts). The mock and the browser bundle then
 * ship no Ajv compiler on the request path and compile nothing at start or on first request. A subschema several
 * operations repeat (the spec's components arrive dereferenced) is compiled once, as a shared `$defs` entry.
 *
 * Ajv writes CommonJS (`exports.x = validate20`, `require("ajv/dist/runtime/ucs2length").default`, and the
 * format functions through ajv-formats' `code.formats`, `require("ajv-formats/dist/formats").fullFormats`).
 * This turns it into ESM importing only the mock's dependencies (ajv's runtime helpers, ajv-formats' formats):
 * each part's code runs in its own function scope (Ajv's names, `validate20`, `schema31`, repeat across
 * parts), and each `require` becomes an import made once at the top of the module.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import standaloneModule from 'ajv/dist/standalone/index.js';
import type { ApiModel, ApiName } from '../mock-server/src/model/types.ts';
import {
  requestSchemas,
  requestValidatorOptions,
  type RequestPart,
} from '../mock-server/src/pipeline/request-schemas.ts';
import { SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_ONE } from './schema-keywords.ts';

const PARTS: readonly RequestPart[] = ['body', 'query'];
// CommonJS modules whose `module.exports` is also their `default` export.
const addFormats = addFormatsModule.default;
const standaloneCode = standaloneModule.default;

/** A CommonJS helper of Ajv's runtime (`exports.default = fn`): imported whole, its default picked at load. */
const RUNTIME_HELPER = /require\("ajv\/dist\/runtime\/(\w+)"\)\.default/g;
/** ajv-formats' format table: a named export every loader (Node, Deno, Bun, bundlers) finds in CommonJS. */
const FORMATS = /require\("ajv-formats\/dist\/formats"\)\.fullFormats/g;

/** Below this size (its JSON, in characters) a repeated schema stays inline: Ajv's code for it is shorter than a call. */
const SHARED_MIN_CHARS = 60;
/** Where the shared schemas live: one schema of `$defs` the operations' schemas `$ref`. */
const SHARED_ID = 'shared.json';

type Schema = Record<string, unknown>;
const isSchema = (value: unknown): value is Schema => !!value && typeof value === 'object' && !Array.isArray(value);

/** A copy of `schema` with each direct subschema replaced by `map(subschema)`. */
function mapSubschemas(schema: Schema, map: (subschema: Schema) => Schema): Schema {
  const out: Schema = { ...schema };
  for (const [keyword, value] of Object.entries(schema)) {
    if (SCHEMA_ONE.has(keyword) && isSchema(value)) out[keyword] = map(value);
    else if (SCHEMA_LISTS.has(keyword) && Array.isArray(value))
      out[keyword] = value.map((item) => (isSchema(item) ? map(item) : item));
    else if (SCHEMA_MAPS.has(keyword) && isSchema(value))
      out[keyword] = Object.fromEntries(
        Object.entries(value).map(([name, item]) => [name, isSchema(item) ? map(item) : item]),
      );
  }
  return out;
}

/**
 * The spec's schemas reach the mock dereferenced, so a component used by several operations (a URL, a date, an
 * enum) would be compiled once per use. Each subschema met more than once (the same JSON) becomes one `$defs`
 * entry the uses `$ref`: Ajv writes one function for it. What a validation answers does not change: the same
 * verdict, data and errors (only an error's `schemaPath` names the shared schema).
 */
function shareRepeated(schemas: Map<string, Schema>): { schemas: Map<string, Schema>; defs: Record<string, Schema> } {
  const seen = new Map<string, { schema: Schema; count: number }>();
  const count = (schema: Schema): Schema =>
    mapSubschemas(schema, (sub) => {
      const key = JSON.stringify(sub);
      const entry = seen.get(key);
      if (entry) entry.count++;
      else seen.set(key, { schema: sub, count: 1 });
      return count(sub);
    });
  for (const schema of schemas.values()) count(schema);
  const shared = [...seen].filter(([key, { count }]) => count > 1 && key.length >= SHARED_MIN_CHARS);
  const titles = shared.map(([, { schema }]) => schema.title);
  const names = new Map(
    shared.map(([key, { schema }], index) => {
      const title = schema.title;
      const unique =
        typeof title === 'string' && /^\w+$/.test(title) && titles.indexOf(title) === titles.lastIndexOf(title);
      return [key, unique ? title : `Shared${index}`];
    }),
  );
  const refer = (schema: Schema): Schema =>
    mapSubschemas(schema, (sub) => {
      const name = names.get(JSON.stringify(sub));
      return name ? { $ref: `${SHARED_ID}#/$defs/${name}` } : refer(sub);
    });
  const defs: Record<string, Schema> = {};
  for (const [key, { schema }] of shared) defs[names.get(key)!] = refer(schema);
  return { schemas: new Map([...schemas].map(([id, schema]) => [id, refer(schema)])), defs };
}

/**
 * What one part's validators are compiled from, and how: each operation's schema with its repeated subschemas
 * shared (`shared` is the schema of `$defs` they `$ref`, added under its `$id`), and the options:
 * request-schemas.ts's, plus `inlineRefs: false` so a shared schema stays one function called from each use.
 */
export function compiledSchemas(api: ApiName, model: ApiModel, part: RequestPart) {
  const own = new Map<string, Schema>();
  for (const op of model.operations) {
    const schema = requestSchemas(op)[part];
    if (schema) own.set(op.operationId, schema);
  }
  const { schemas, defs } = shareRepeated(own);
  return {
    schemas,
    shared: { $id: SHARED_ID, $defs: defs },
    options: { ...requestValidatorOptions(api, part), inlineRefs: false },
  };
}

/** One part's validators, keyed by operationId, as the body of a function returning them. */
function partCode(
  api: ApiName,
  model: ApiModel,
  part: RequestPart,
  helpers: Set<string>,
  uses: { formats: boolean },
): string {
  const { schemas, shared, options } = compiledSchemas(api, model, part);
  const ajv = new Ajv2020({ ...options, code: { source: true, lines: true } });
  addFormats(ajv);
  ajv.addSchema(shared);
  const exported: Record<string, string> = {};
  for (const [operationId, schema] of schemas) {
    ajv.addSchema(schema, operationId);
    exported[operationId] = operationId;
  }
  // The module is ESM, strict already; Ajv's own directive would be a stray statement inside the function.
  let code = standaloneCode(ajv, exported).replace(/^"use strict";\n?/, '');
  code = code.replace(RUNTIME_HELPER, (_call: string, name: string) => {
    helpers.add(name);
    return `${name}Helper`;
  });
  code = code.replace(FORMATS, () => {
    uses.formats = true;
    return 'fullFormats';
  });
  if (code.includes('require('))
    throw new Error(
      `${api} ${part} validators: Ajv's code requires a module this build does not map to an import: ${code.match(/require\([^)]*\)/)![0]}`,
    );
  return `(() => {\nconst exports = {};\n${code}\nreturn exports;\n})()`;
}

/** The module for one API (`header` first): `body` and `query`, each operationId → validate function. */
export function validatorsModule(api: ApiName, model: ApiModel, header: string): string {
  const helpers = new Set<string>();
  const uses = { formats: false };
  const parts = PARTS.map((part) => [part, partCode(api, model, part, helpers, uses)] as const);
  const helperNames = [...helpers].sort();
  return [
    header.trimEnd(),
    '// Ajv standalone code (scripts/validators.ts) for the schemas and options of mock-server/src/pipeline/request-schemas.ts.',
    '// @ts-nocheck',
    "import type { ValidateFunction } from 'ajv/dist/2020.js';",
    ...helperNames.map((name) => `import * as ${name}Module from 'ajv/dist/runtime/${name}.js';`),
    ...(uses.formats ? ["import { fullFormats } from 'ajv-formats/dist/formats.js';"] : []),
    '',
    ...(helperNames.length
      ? [
          "// A CommonJS module's `exports.default`: Node and Deno hand over `module.exports` as `default`, bundlers `exports.default`.",
          "const defaultOf = (module) => (typeof module.default === 'function' ? module.default : module.default.default);",
          ...helperNames.map((name) => `const ${name}Helper = defaultOf(${name}Module);`),
          '',
        ]
      : []),
    `/** Whether these validators collect every problem (compiled with Ajv's \`allErrors\`). */`,
    `export const allErrors: boolean = ${requestValidatorOptions(api, 'body').allErrors};`,
    ...parts.map(([part, code]) => `\nexport const ${part}: Readonly<Record<string, ValidateFunction>> = ${code};`),
    '',
  ].join('\n');
}
