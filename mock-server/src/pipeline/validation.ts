/**
 * Request validation (Ajv, JSON Schema 2020-12 as in OpenAPI 3.1), compiled per operation on first use.
 * A failure is described in both APIs' words, and the dialect picks:
 * - Fastify's message, which MVO's published messages match word for word (the first problem only):
 *   `body must have required property 'email'`, `body/email must match format "email"`;
 * - one `{field, message}` per field, TVM's `details` (every problem, when the dialect asks for all).
 */
import { createAjv, loadAjv } from './ajv.ts';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { ApiModel, JsonSchema, OperationModel } from '../model/types.ts';
import type { FieldProblem, RequestProblem } from './dialect.ts';
import { MAX_DEPTH_KEYWORD, valueProblems } from './value-limits.ts';

export interface OperationValidators {
  query?: ValidateFunction;
  body?: ValidateFunction;
}

function newAjv(options: { allErrors: boolean; coerceTypes: boolean }): Ajv2020 {
  return createAjv({ allErrors: options.allErrors, coerceTypes: options.coerceTypes, useDefaults: false, verbose: true });
}

/**
 * The schema's verdict, then what no schema can say (`value-limits.ts`: non-finite numbers, nesting deeper than
 * the API's bound), reported first. Checked after the schema, which may have coerced query strings such as
 * `page=1e309` into numbers.
 */
function withValueLimits(validate: ValidateFunction, maxDepth: number): ValidateFunction {
  const wrapped = ((data: unknown) => {
    const valid = validate(data);
    const problems = valueProblems(data, maxDepth);
    wrapped.errors = problems.length ? [...problems, ...(validate.errors ?? [])] : validate.errors;
    return valid && !problems.length;
  }) as ValidateFunction;
  return Object.assign(wrapped, { schema: validate.schema, schemaEnv: validate.schemaEnv });
}

function querySchema(op: OperationModel): JsonSchema | undefined {
  const params = op.parameters.filter((p) => p.in === 'query');
  if (!params.length) return undefined;
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
    required: params.filter((p) => p.required).map((p) => p.name),
  };
}

/**
 * Validators per operation, compiled on first use (Ajv compilation dominates start-up) and cached;
 * `warmUp()` compiles the rest in the background once the server is listening.
 */
export class OperationValidatorCache {
  readonly #allErrors: boolean;
  readonly #maxDepth: number;
  #bodyAjv?: Ajv2020;
  #queryAjv?: Ajv2020;
  readonly #compiled = new Map<string, OperationValidators>();
  readonly #operations: Map<string, OperationModel>;

  /** `allErrors`: collect every problem (TVM lists them all) or stop at the first (MVO, like Fastify). */
  constructor(model: ApiModel, allErrors: boolean) {
    this.#allErrors = allErrors;
    this.#maxDepth = model.maxBodyDepth;
    this.#operations = new Map(model.operations.map((op) => [op.operationId, op]));
  }

  get #body(): Ajv2020 {
    return (this.#bodyAjv ??= newAjv({ allErrors: this.#allErrors, coerceTypes: false }));
  }

  get #query(): Ajv2020 {
    return (this.#queryAjv ??= newAjv({ allErrors: this.#allErrors, coerceTypes: true }));
  }

  get(op: OperationModel): OperationValidators {
    let validators = this.#compiled.get(op.operationId);
    if (!validators) {
      const query = querySchema(op);
      validators = {
        query: query ? withValueLimits(this.#query.compile(query), this.#maxDepth) : undefined,
        body: op.requestBody ? withValueLimits(this.#body.compile(op.requestBody.schema), this.#maxDepth) : undefined,
      };
      this.#compiled.set(op.operationId, validators);
    }
    return validators;
  }

  /** Whether an operation has anything to validate (a body or query parameters), so needs Ajv loaded. */
  needsAjv(op: OperationModel): boolean {
    return !!op.requestBody || op.parameters.some((p) => p.in === 'query');
  }

  /** Compiles every remaining operation, one per macrotask so requests keep being served meanwhile. */
  async warmUp(): Promise<void> {
    await loadAjv();
    for (const op of this.#operations.values()) {
      this.get(op);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
}

/** A failed validation in both APIs' words: Fastify's message (MVO) and one problem per field (TVM). */
export function validationProblem(where: 'body' | 'querystring', errors: ErrorObject[]): RequestProblem {
  return { message: fastifyMessage(where, errors), details: fieldProblems(errors, '') };
}

/** Fastify's wording: `<body|querystring><instancePath> <ajv message>`. */
export function fastifyMessage(where: 'body' | 'querystring', errors: ErrorObject[]): string {
  const first = errors[0];
  return `${where}${first.instancePath} ${first.message}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function fieldOf(error: ErrorObject, prefix: string): string {
  const path = error.instancePath.split('/').slice(1).map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'required') path.push((error.params as { missingProperty: string }).missingProperty);
  const field = path.join('.');
  return field ? (prefix ? `${prefix}.${field}` : field) : prefix || 'body';
}

function friendlyMessage(error: ErrorObject): string {
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'required':
      return 'Required';
    case 'type': {
      const types = String(params.type).split(',').filter((type) => type !== 'null');
      return `Must be ${types.map((type) => TYPE_WORDS[type] ?? type).join(' or ')}`;
    }
    case 'format':
      if (params.format === 'uri') return 'Must be a valid URL';
      if (params.format === 'email') return 'Must be a valid email address';
      return `Must be a valid ISO 8601 ${params.format}`;
    case 'anyOf':
      return (error.parentSchema as JsonSchema | undefined)?.title === 'DateOrDateTime'
        ? 'Must be an ISO 8601 date or date-time'
        : 'Does not match any allowed form';
    case 'maxLength':
      return `Must be at most ${params.limit} characters`;
    case 'minLength':
      return params.limit === 1 ? 'Must not be empty' : `Must be at least ${params.limit} characters`;
    case 'maximum':
      return `Must be at most ${params.limit}`;
    case 'minimum':
      return `Must be at least ${params.limit}`;
    case 'enum':
      return `Must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `Must be ${JSON.stringify(params.allowedValue)}`;
    case 'minProperties':
      return 'At least one field is required';
    case MAX_DEPTH_KEYWORD:
      return `Must be nested at most ${params.limit} levels deep`;
    default:
      return error.message ?? 'Is invalid';
  }
}

/** TVM's `details`: one entry per field, the most telling problem first (a failed anyOf explains its branches). */
export function fieldProblems(errors: ErrorObject[], prefix: string): FieldProblem[] {
  const byField = new Map<string, FieldProblem>();
  const anyOfFields = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => fieldOf(e, prefix)));
  for (const error of errors) {
    const field = fieldOf(error, prefix);
    if (anyOfFields.has(field) && error.keyword !== 'anyOf') continue;
    if (!byField.has(field)) byField.set(field, { field, message: friendlyMessage(error) });
  }
  return [...byField.values()];
}
