/**
 * Request validation (JSON Schema 2020-12 as in OpenAPI 3.1) by validators compiled at build time: Ajv standalone
 * code in mock-server/src/generated/<api>.validators.ts (scripts/validators.ts, from request-schemas.ts), loaded
 * on first need, so neither the mock nor a browser bundle compiles anything or carries Ajv's compiler for it.
 * A failure is described in both APIs' words, and the dialect picks:
 * - Fastify's message, which MVO's published messages match word for word (the first problem only):
 *   `body must have required property 'email'`, `body/email must match format "email"`;
 * - one `{field, message}` per field, TVM's `details` (every problem, when the dialect asks for all).
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { validatorModules } from '../generated/validators.ts';
import type { ApiModel, ApiName, JsonSchema, OperationModel } from '../model/types.ts';
import type { FieldProblem, RequestProblem } from './dialect.ts';
import { REPORTS_EVERY_PROBLEM } from './request-schemas.ts';
import { MAX_DEPTH_KEYWORD, valueProblems } from './value-limits.ts';

export interface OperationValidators {
  query?: ValidateFunction;
  body?: ValidateFunction;
}

/** One API's generated module: operationId → validator, per request part. */
export interface PrecompiledValidators {
  readonly allErrors: boolean;
  readonly body: Readonly<Record<string, ValidateFunction>>;
  readonly query: Readonly<Record<string, ValidateFunction>>;
}

const loading = new Map<ApiName, Promise<PrecompiledValidators>>();

/** An API's precompiled validators, imported once (later calls share the promise). */
export function loadValidators(api: ApiName): Promise<PrecompiledValidators> {
  let loaded = loading.get(api);
  if (!loaded) loading.set(api, (loaded = validatorModules[api]()));
  return loaded;
}

/**
 * The schema's verdict, then what no schema can say (`value-limits.ts`: non-finite numbers, nesting deeper than
 * the API's bound), reported first. Checked after the schema, which may have coerced query strings such as
 * `page=1e309` into numbers.
 */
export function withValueLimits(validate: ValidateFunction, maxDepth: number): ValidateFunction {
  const wrapped = ((data: unknown) => {
    const valid = validate(data);
    const problems = valueProblems(data, maxDepth);
    wrapped.errors = problems.length ? [...problems, ...(validate.errors ?? [])] : validate.errors;
    return valid && !problems.length;
  }) as ValidateFunction;
  return wrapped;
}

const NOTHING_TO_VALIDATE: OperationValidators = Object.freeze({});

/**
 * Validators per operation, from the API's precompiled module: `load()` it before the first `get()` of an
 * operation that `needsValidators` (the pipeline does so on first need; the proxy hands over a module it imported).
 */
export class OperationValidatorCache {
  readonly #api: ApiName;
  readonly #maxDepth: number;
  #module?: PrecompiledValidators;
  readonly #wrapped = new Map<string, OperationValidators>();

  constructor(model: ApiModel, precompiled?: PrecompiledValidators) {
    this.#api = model.api;
    this.#maxDepth = model.maxBodyDepth;
    if (precompiled) this.#use(precompiled);
  }

  #use(precompiled: PrecompiledValidators): void {
    // The generated code baked in the API's choice; a changed choice needs a rebuild.
    if (precompiled.allErrors !== REPORTS_EVERY_PROBLEM[this.#api])
      throw new Error(`${this.#api}: the precompiled validators are stale; run \`npm run build\``);
    this.#module = precompiled;
  }

  /** Whether validators can be handed out now, without waiting. */
  get ready(): boolean {
    return this.#module !== undefined;
  }

  /** Imports the API's precompiled validators (once). */
  async load(): Promise<void> {
    if (!this.#module) this.#use(await loadValidators(this.#api));
  }

  get(op: OperationModel): OperationValidators {
    let validators = this.#wrapped.get(op.operationId);
    if (!validators) {
      if (!this.needsValidators(op)) return NOTHING_TO_VALIDATE;
      const module = this.#module;
      if (!module) throw new Error(`${this.#api}: request validators are not loaded yet: await load() first`);
      const body = op.requestBody ? module.body[op.operationId] : undefined;
      const query = module.query[op.operationId];
      if (op.requestBody && !body)
        throw new Error(`${op.operationId}: no precompiled body validator; run \`npm run build\``);
      validators = {
        query: query && withValueLimits(query, this.#maxDepth),
        body: body && withValueLimits(body, this.#maxDepth),
      };
      this.#wrapped.set(op.operationId, validators);
    }
    return validators;
  }

  /** Whether an operation has anything to validate (a body or query parameters), so needs the validators loaded. */
  needsValidators(op: OperationModel): boolean {
    return !!op.requestBody || op.parameters.some((p) => p.in === 'query');
  }

  /** Loads the validators ahead of the first request that needs them. */
  warmUp(): Promise<void> {
    return this.load();
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
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
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
      const types = String(params.type)
        .split(',')
        .filter((type) => type !== 'null');
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
