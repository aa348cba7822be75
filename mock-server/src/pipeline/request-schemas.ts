/**
 * What the mock validates a request against, and how: the one home of both, read at build time (scripts/
 * validators.ts compiles these schemas with these options into Ajv standalone code, mock-server/src/generated/
 * <api>.validators.ts) and by nothing at run time but the names. No imports beyond types: the build reads it
 * without loading the mock.
 */
import type { ApiName, JsonSchema, OperationModel } from '../model/types.ts';

/** TVM lists every validation problem; MVO, like Fastify, stops at the first (the dialects answer accordingly). */
export const REPORTS_EVERY_PROBLEM: Readonly<Record<ApiName, boolean>> = { mvo: false, tvm: true };

/** What is validated: the JSON body as sent, and the query as `queryValues()` hands it over (strings coerced). */
export type RequestPart = 'body' | 'query';

/**
 * Ajv's options per part, as Fastify's validator uses them: query strings coerced to the schema's types, no
 * defaults filled in, `verbose` so a failed `anyOf` shows its schema's `title` (validation.ts's wording), and
 * not strict, since spec schemas carry `examples`, `x-…` and other annotations strict mode would refuse.
 */
export function requestValidatorOptions(api: ApiName, part: RequestPart) {
  return {
    strict: false,
    allErrors: REPORTS_EVERY_PROBLEM[api],
    coerceTypes: part === 'query',
    useDefaults: false,
    verbose: true,
  } as const;
}

/** The operation's query parameters as one object schema (what a query string is validated against). */
export function querySchema(op: OperationModel): JsonSchema | undefined {
  const params = op.parameters.filter((p) => p.in === 'query');
  if (!params.length) return undefined;
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
    required: params.filter((p) => p.required).map((p) => p.name),
  };
}

/** Every schema an operation's request is validated against, by part. */
export function requestSchemas(op: OperationModel): Partial<Record<RequestPart, JsonSchema>> {
  const query = querySchema(op);
  return { ...(op.requestBody ? { body: op.requestBody.schema } : {}), ...(query ? { query } : {}) };
}
