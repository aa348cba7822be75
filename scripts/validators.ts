/**
 * The mock's request validators, compiled at build time: Ajv standalone code for every schema
 * mock-server/src/pipeline/request-schemas.ts names (each operation's JSON body and query), with the options it
 * sets, one module per API (mock-server/src/generated/<api>.validators.ts). The mock and the browser bundle then
 * ship no Ajv compiler on the request path and compile nothing at start or on first request.
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

const PARTS: readonly RequestPart[] = ['body', 'query'];
// CommonJS modules whose `module.exports` is also their `default` export.
const addFormats = addFormatsModule.default;
const standaloneCode = standaloneModule.default;

/** A CommonJS helper of Ajv's runtime (`exports.default = fn`): imported whole, its default picked at load. */
const RUNTIME_HELPER = /require\("ajv\/dist\/runtime\/(\w+)"\)\.default/g;
/** ajv-formats' format table: a named export every loader (Node, Deno, Bun, bundlers) finds in CommonJS. */
const FORMATS = /require\("ajv-formats\/dist\/formats"\)\.fullFormats/g;

/** One part's validators, keyed by operationId, as the body of a function returning them. */
function partCode(
  api: ApiName,
  model: ApiModel,
  part: RequestPart,
  helpers: Set<string>,
  uses: { formats: boolean },
): string {
  const ajv = new Ajv2020({ ...requestValidatorOptions(api, part), code: { source: true, lines: true } });
  addFormats(ajv);
  const exported: Record<string, string> = {};
  for (const op of model.operations) {
    const schema = requestSchemas(op)[part];
    if (!schema) continue;
    ajv.addSchema(schema, op.operationId);
    exported[op.operationId] = op.operationId;
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
