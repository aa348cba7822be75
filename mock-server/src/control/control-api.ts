/**
 * The control API under `/__mock` (described in openapi/mock/): mint, list, update and delete keys, review
 * stored TVM items, force statuses (scenarios), reset to the fixtures. Its routes, request schemas and which
 * bodies are required come from that description; the handlers are here, one per operationId, and a route
 * without a handler (or a handler without a route) stops the mock at start-up.
 * Errors are written in the mocked API's own envelope and wording (its dialect), with the control API's own
 * messages: MVO's mock answers `{error, message}`, TVM's `{success: false, error: {code, message}}`. A client
 * that reads an API's errors reads its mock's control errors too (openapi/mock/ states the rule).
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { createRouter, addRoute, findRoute } from 'rou3';
import { publicView, settableStatuses, type FailureTable, type KeyRecord, type KeyStatus, type KeyStore } from '../auth/index.ts';
import type { KeyRateLimit } from '../auth/key-store.ts';
import { keyRuleProblem } from '../auth/key-rules.ts';
import { spec as controlSpec } from '../generated/mock.spec.ts';
import type { ApiModel, JsonSchema } from '../model/types.ts';
import { createAjv } from '../pipeline/ajv.ts';
import { readJsonBody } from '../pipeline/body.ts';
import { decodedParams } from '../pipeline/path-params.ts';
import type { Dialect } from '../pipeline/dialect.ts';
import { scenarioProblem, type ScenarioInput, type Scenarios } from '../pipeline/scenarios.ts';
import type { Answer, MockRequest } from '../pipeline/types.ts';
import { fastifyMessage } from '../pipeline/validation.ts';
import type { ApiState } from '../state/index.ts';

export const CONTROL_PREFIX = '/__mock';

export interface ControlContext {
  model: ApiModel;
  /** The mocked API's: control errors are written in its envelope. */
  dialect: Pick<Dialect, 'error' | 'routeNotFound'>;
  store: KeyStore;
  failures: FailureTable;
  /** Called after `POST /__mock/reset`, for state that lives beside the keys. */
  onReset?: () => void | Promise<void>;
  /** Stored data (absent when the mock is stateless). */
  state?: ApiState;
  scenarios: Scenarios;
  /** More handlers by operationId (journal, state documents, generated data: their own modules). */
  routes?: Record<string, Handler>;
}

interface CreateBody {
  name: string;
  scopes?: string[];
  status?: KeyStatus;
  expires_at?: string | null;
  account?: string;
  rate_limit?: KeyRateLimit | null;
}
type UpdateBody = { status?: KeyStatus; expires_at?: string | null; rate_limit?: KeyRateLimit | null };
type ReviewBody = { id: string; decision?: 'approve' | 'reject'; status?: string };

/** What a handler gets: the path parameters, the query and the body, already checked against the operation's schemas. */
export type Handler = (input: { params: Record<string, string>; query: Record<string, unknown>; body: any; at: Date }) => Answer | Promise<Answer>;

interface Route {
  operationId: string;
  schema?: JsonSchema;
  bodyRequired: boolean;
  handler: Handler;
  validate?: ValidateFunction;
  /** The documented query parameters as one object schema (strings coerced), when the operation has any. */
  querySchema?: JsonSchema;
  validateQuery?: ValidateFunction;
}

/** What a review decision sets: approval publishes, rejection takes the item off the mall (`expired`). */
const DECISIONS = { approve: 'active', reject: 'expired' } as const;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Fastify's wording, except that an unknown field or query parameter is named (with the known ones for a query). */
function controlMessage(where: 'body' | 'querystring', errors: ErrorObject[], known?: string[]): string {
  const [first] = errors;
  if (first.keyword !== 'additionalProperties') return fastifyMessage(where, errors);
  const name = (first.params as { additionalProperty: string }).additionalProperty;
  return where === 'querystring' ? `querystring has unknown parameter ${name}; known: ${known!.join(', ')}` : `${where}${first.instancePath} has unknown property ${name}`;
}

/** An operation's query parameters as one object schema; unknown parameters are refused. */
function querySchemaOf(op: { parameters?: { in: string; name: string; schema: JsonSchema }[] }): JsonSchema | undefined {
  const params = (op.parameters ?? []).filter((param) => param.in === 'query');
  if (!params.length) return undefined;
  return { type: 'object', additionalProperties: false, properties: Object.fromEntries(params.map((param) => [param.name, param.schema])) };
}

export function createControlApi(ctx: ControlContext) {
  const { dialect } = ctx;
  // Compiled on first use: the control API is rarely called, start-up time matters more.
  let ajv: ReturnType<typeof createAjv> | undefined;
  const compile = (schema: JsonSchema) => (ajv ??= createAjv({ allErrors: false })).compile(schema);
  let queryAjv: ReturnType<typeof createAjv> | undefined;
  let reviewValidator: ValidateFunction<ReviewBody> | undefined;
  const statuses = settableStatuses(ctx.failures);
  const catalogue = Object.keys(ctx.model.scopes);

  const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });
  const error = (status: number, message: string): Answer => ({ status, body: dialect.error(status, message) });
  const noContent: Answer = { status: 204 };

  const view = (record: KeyRecord) => {
    const rest = publicView(record);
    if (!catalogue.length) delete (rest as Partial<typeof rest>).scopes;
    return rest;
  };

  /** Checks what JSON Schema cannot: the API's own statuses and scopes. */
  const semanticProblem = (body: { status?: string; scopes?: string[] }) => keyRuleProblem(ctx.model, statuses, body);

  /** Simulates the staff review of a TVM offer, voucher or content item. */
  const review = (body: ReviewBody, at: Date): Answer => {
    const validate = (reviewValidator ??= compile((controlSpec as any).components.schemas.MockReview) as ValidateFunction<ReviewBody>);
    if (!validate(body)) return error(400, fastifyMessage('body', validate.errors!));
    if (!ctx.state?.review) return error(404, `${ctx.model.title} has no reviewable items${ctx.state ? '' : ' (the mock is stateless)'}`);
    const item = ctx.state.review(body.id, body.status ?? DECISIONS[body.decision!], at);
    return item ? json(200, item) : error(404, 'Item not found');
  };

  const handlers: Record<string, Handler> = {
    listMockKeys: () => json(200, { keys: ctx.store.list().map(view) }),
    async createMockKey({ body, at }: { body: CreateBody; at: Date }) {
      const semantic = semanticProblem(body);
      if (semantic) return error(400, semantic);
      const { record, key } = await ctx.store.add(
        { name: body.name, scopes: body.scopes, status: body.status, expires_at: body.expires_at ?? null, account: body.account, rate_limit: body.rate_limit ?? null },
        at.toISOString(),
      );
      return json(201, { ...view(record), key });
    },
    updateMockKey({ params, body }: { params: Record<string, string>; body: UpdateBody }) {
      const semantic = semanticProblem(body);
      if (semantic) return error(400, semantic);
      const record = ctx.store.update(params.id, body);
      return record ? json(200, view(record)) : error(404, 'Key not found');
    },
    deleteMockKey: ({ params }) => (ctx.store.delete(params.id) ? noContent : error(404, 'Key not found')),
    async resetMock() {
      await ctx.store.reset();
      await ctx.onReset?.();
      return noContent;
    },
    reviewMockItem: ({ body, at }) => review(body, at),
    reviewMockItemById: ({ params, body, at }) => review({ ...body, id: decodedParams(params).id }, at),
    listMockScenarios: () => json(200, { scenarios: ctx.scenarios.list() }),
    createMockScenario({ body }: { body: ScenarioInput }) {
      const problem = scenarioProblem(body);
      return problem ? error(400, problem) : json(201, ctx.scenarios.add(body));
    },
    clearMockScenarios() {
      ctx.scenarios.clear();
      return noContent;
    },
    ...ctx.routes,
  };

  const router = createRouter<Route>();
  const served = new Set<string>();
  for (const [path, item] of Object.entries<Record<string, any>>((controlSpec as any).paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const handler = handlers[op.operationId];
      if (!handler) throw new Error(`control API: openapi/mock/ documents ${op.operationId} (${method.toUpperCase()} ${path}) but control-api.ts has no handler for it`);
      served.add(op.operationId);
      const body = op.requestBody?.content?.['application/json'];
      addRoute(router, method.toUpperCase(), path.replace(/\{([^}]+)\}/g, ':$1'), {
        operationId: op.operationId,
        schema: body?.schema,
        bodyRequired: Boolean(op.requestBody?.required),
        handler,
        querySchema: querySchemaOf(op),
      });
    }
  }
  const undocumented = Object.keys(handlers).filter((operationId) => !served.has(operationId));
  if (undocumented.length) throw new Error(`control API: handlers for operations openapi/mock/ does not document: ${undocumented.join(', ')}`);

  return async function handleControl(request: MockRequest, at: Date): Promise<Answer> {
    const match = findRoute(router, request.method, request.path);
    if (!match) return { status: 404, body: dialect.routeNotFound(request.method, request.path) };
    const route = match.data;
    const read = readJsonBody(request, { required: route.bodyRequired, jsonTypeRequired: false });
    if ('problem' in read) return error(400, read.problem.message);
    if (route.schema && read.value !== undefined) {
      const validate = (route.validate ??= compile(route.schema));
      if (!validate(read.value)) return error(400, controlMessage('body', validate.errors!));
    }
    const query: Record<string, unknown> = route.querySchema ? Object.fromEntries(new URLSearchParams(request.query)) : {};
    if (route.querySchema) {
      const validate = (route.validateQuery ??= (queryAjv ??= createAjv({ allErrors: false, coerceTypes: true })).compile(route.querySchema));
      if (!validate(query)) return error(400, controlMessage('querystring', validate.errors!, Object.keys(route.querySchema.properties as object)));
    }
    return route.handler({ params: (match.params ?? {}) as Record<string, string>, query, body: read.value, at });
  };
}
