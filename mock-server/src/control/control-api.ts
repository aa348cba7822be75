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
import {
  echoed,
  isExpired,
  publicView,
  type FailureTable,
  type KeyRecord,
  type KeyStatus,
  type KeyStore,
} from '../auth/index.ts';
import type { KeyRateLimit } from '../auth/key-store.ts';
import { spec as controlSpec } from '../generated/mock.spec.ts';
import { routeTable } from '../model/routes.ts';
import type { ApiModel, ApiName, JsonSchema } from '../model/types.ts';
import { ajvReady, createAjv, loadAjv } from '../pipeline/ajv.ts';
import { readJsonBody } from '../pipeline/body.ts';
import { decodedParams } from '../pipeline/path-params.ts';
import { queryValues } from '../pipeline/query-values.ts';
import type { Dialect } from '../pipeline/dialect.ts';
import { scenarioProblem, type ScenarioBook, type ScenarioInput } from '../pipeline/scenarios.ts';
import type { Answer, MockRequest } from '../pipeline/types.ts';
import { fastifyMessage } from '../pipeline/validation.ts';
import { scenarioBodyCheck } from './scenario-body.ts';
import type { ApiState } from '../state/index.ts';
import type { StateStore } from '../store/store.ts';

export const CONTROL_PREFIX = '/__mock';
const CONTROL_PATH_PREFIX = `${CONTROL_PREFIX}/`;

/** Whether a request path is the control API's. */
export function isControlPath(path: string): boolean {
  return path === CONTROL_PREFIX || path.startsWith(CONTROL_PATH_PREFIX);
}

/** What became of the state file: `wiped` by a reset; `ok` or `failing; <problem>` on `GET /__mock/state`. */
export const STATE_FILE_HEADER = 'x-mock-state-file';

export interface ControlContext {
  model: ApiModel;
  /** The mocked API's: control errors are written in its envelope. */
  dialect: Pick<Dialect, 'error' | 'routeNotFound'>;
  store: KeyStore;
  failures: FailureTable;
  /** Called after `POST /__mock/reset`, for state that lives beside the keys (`keepJournal`: `?journal=keep`). */
  onReset?: (options: { keepJournal: boolean }) => void | Promise<void>;
  /** Stored data (absent when the mock is stateless). */
  state?: ApiState;
  scenarios: ScenarioBook;
  /** Set when the state is kept on disk (`--state-file`): a reset then wipes it there too, and says so. */
  persistence?: StateStore['persistence'];
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
export type Handler = (input: {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: any;
  at: Date;
}) => Answer | Promise<Answer>;

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

/**
 * The part of a control request schema this mock enforces. Where the mocks differ (key statuses, scopes,
 * documented statuses), openapi/mock/ gives one `anyOf` branch per API, marked `x-mock-api`; elsewhere the
 * schema is the same for both.
 */
export function requestSchemaFor(schema: JsonSchema, api: ApiName): JsonSchema {
  const branches = schema.anyOf as JsonSchema[] | undefined;
  if (!branches?.some((branch) => 'x-mock-api' in branch)) return schema;
  const mine = branches.filter((branch) => branch['x-mock-api'] === api);
  if (mine.length !== 1)
    throw new Error(
      `control API: a request schema of openapi/mock/ has ${mine.length} branches for ${api} (x-mock-api), not one`,
    );
  return mine[0];
}

const SHAPE_KEYWORDS = new Set(['required', 'additionalProperties', 'oneOf']);

/**
 * The first problem in Fastify's words, with what the schema allows where Fastify would only say it is wrong.
 * For a choice of shapes (`oneOf`), a wrong value in the shape the body has is the problem; else the shapes.
 */
function controlMessage(errors: ErrorObject[]): string {
  const choice = errors.find((error) => error.keyword === 'oneOf');
  const first = (choice && errors.find((error) => !SHAPE_KEYWORDS.has(error.keyword))) ?? choice ?? errors[0];
  const params = first.params as Record<string, any>;
  const at = `body${first.instancePath}`;
  if (first.keyword === 'enum') return `${at} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
  if (first.keyword === 'additionalProperties') {
    const known = Object.keys(((first.parentSchema as JsonSchema | undefined)?.properties ?? {}) as object);
    return `${at} has an unknown field '${echoed(params.additionalProperty)}'; known: ${known.join(', ')}`;
  }
  if (first.keyword === 'oneOf') {
    const shapes = ((first.schema as JsonSchema[] | undefined) ?? []).map((branch) =>
      ((branch.required as string[] | undefined) ?? []).join(' and '),
    );
    return `${at} must have exactly one of: ${shapes.map((shape) => `{${shape}}`).join(', ')} (and no other field)`;
  }
  if (first.keyword === 'minProperties') {
    return `${at} must have at least one of: ${Object.keys(((first.parentSchema as JsonSchema | undefined)?.properties ?? {}) as object).join(', ')}`;
  }
  return fastifyMessage('body', [first]);
}

/** What a review decision sets: approval publishes, rejection takes the item off the mall (`expired`). */
const DECISIONS = { approve: 'active', reject: 'expired' } as const;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Fastify's wording for a query, except that an unknown parameter is named, with the known ones. */
function queryMessage(errors: ErrorObject[], known: string[]): string {
  const [first] = errors;
  if (first.keyword !== 'additionalProperties') return fastifyMessage('querystring', errors);
  return `querystring has unknown parameter ${echoed((first.params as { additionalProperty: string }).additionalProperty)}; known: ${known.join(', ')}`;
}

/** An operation's query parameters as one object schema; unknown parameters are refused. */
function querySchemaOf(op: {
  parameters?: { in: string; name: string; schema: JsonSchema }[];
}): JsonSchema | undefined {
  const params = (op.parameters ?? []).filter((param) => param.in === 'query');
  if (!params.length) return undefined;
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(params.map((param) => [param.name, param.schema])),
  };
}

export function createControlApi(ctx: ControlContext) {
  const { dialect } = ctx;
  // Compiled on first use: the control API is rarely called, start-up time matters more.
  let ajv: ReturnType<typeof createAjv> | undefined;
  const compile = (schema: JsonSchema) => (ajv ??= createAjv({ allErrors: false, verbose: true })).compile(schema);
  let queryAjv: ReturnType<typeof createAjv> | undefined;
  const catalogue = Object.keys(ctx.model.scopes);
  const checkScenarioBody = scenarioBodyCheck(ctx.model);

  const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });
  const error = (status: number, message: string): Answer => ({ status, body: dialect.error(status, message) });
  const noContent: Answer = { status: 204 };

  /**
   * A key as listed: the state it authenticates in at `at` (the mock's clock), so a key whose `expires_at` has
   * passed shows `expired`; a revoked or disabled one shows that first, as authentication decides it first.
   */
  const view = (record: KeyRecord, at: Date) => {
    const rest: Omit<ReturnType<typeof publicView>, 'status'> & { status: KeyStatus | 'expired' } = publicView(record);
    if (rest.status === 'active' && isExpired(record, at)) rest.status = 'expired';
    if (!catalogue.length) delete (rest as Partial<typeof rest>).scopes;
    return rest;
  };

  /** Simulates the staff review of a TVM offer, voucher or content item (the body is checked by its route). */
  const review = (body: ReviewBody, at: Date): Answer => {
    if (!ctx.state?.review)
      return error(404, `${ctx.model.title} has no reviewable items${ctx.state ? '' : ' (the mock is stateless)'}`);
    const item = ctx.state.review(body.id, body.status ?? DECISIONS[body.decision!], at);
    return item ? json(200, item) : error(404, 'Item not found');
  };

  const handlers: Record<string, Handler> = {
    listMockKeys: ({ at }) => json(200, { keys: ctx.store.list().map((record) => view(record, at)) }),
    async createMockKey({ body, at }: { body: CreateBody; at: Date }) {
      const { record, key } = await ctx.store.add(
        {
          name: body.name,
          scopes: body.scopes,
          status: body.status,
          expires_at: body.expires_at ?? null,
          account: body.account,
          rate_limit: body.rate_limit ?? null,
        },
        at.toISOString(),
      );
      return json(201, { ...view(record, at), key });
    },
    updateMockKey({ params, body, at }: { params: Record<string, string>; body: UpdateBody; at: Date }) {
      const record = ctx.store.update(params.id, body);
      return record ? json(200, view(record, at)) : error(404, 'Key not found');
    },
    deleteMockKey: ({ params }) => (ctx.store.delete(params.id) ? noContent : error(404, 'Key not found')),
    async resetMock({ query }) {
      await ctx.store.reset();
      await ctx.onReset?.({ keepJournal: query.journal === 'keep' });
      return ctx.persistence ? { status: 204, headers: { [STATE_FILE_HEADER]: 'wiped' } } : noContent;
    },
    reviewMockItem: ({ body, at }) => review(body, at),
    reviewMockItemById: ({ params, body, at }) => review({ ...body, id: decodedParams(params).id }, at),
    listMockScenarios: async () => json(200, { scenarios: await ctx.scenarios.list() }),
    async createMockScenario({ body }: { body: ScenarioInput }) {
      const problem = scenarioProblem(body) ?? (await checkScenarioBody(body));
      return problem ? error(400, problem) : json(201, await ctx.scenarios.add(body));
    },
    async clearMockScenarios() {
      await ctx.scenarios.clear();
      return noContent;
    },
    ...ctx.routes,
  };

  const routes: { method: string; path: string; data: Route }[] = [];
  const served = new Set<string>();
  for (const [path, item] of Object.entries<Record<string, any>>((controlSpec as any).paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const handler = handlers[op.operationId];
      if (!handler)
        throw new Error(
          `control API: openapi/mock/ documents ${op.operationId} (${method.toUpperCase()} ${path}) but control-api.ts has no handler for it`,
        );
      served.add(op.operationId);
      const body = op.requestBody?.content?.['application/json'];
      routes.push({
        method: method.toUpperCase(),
        path,
        data: {
          operationId: op.operationId,
          schema: body?.schema && requestSchemaFor(body.schema, ctx.model.api),
          bodyRequired: Boolean(op.requestBody?.required),
          handler,
          querySchema: querySchemaOf(op),
        },
      });
    }
  }
  const undocumented = Object.keys(handlers).filter((operationId) => !served.has(operationId));
  if (undocumented.length)
    throw new Error(`control API: handlers for operations openapi/mock/ does not document: ${undocumented.join(', ')}`);
  const findRoute = routeTable(routes);

  return async function handleControl(request: MockRequest, at: Date): Promise<Answer> {
    const match = findRoute(request.method, request.path);
    if (!match) return { status: 404, body: dialect.routeNotFound(request.method, request.path) };
    const route = match.data;
    // Every route reads a body sent to it: it must be JSON, sent as JSON, within the mocked API's limit
    // (openapi/mock/). The media type is required because a browser sends `text/plain` and form bodies to any
    // origin without a CORS preflight: a page must not mint keys or install faults that way.
    const read = readJsonBody(request, {
      required: route.bodyRequired,
      jsonTypeRequired: true,
      maxBytes: ctx.model.maxBodyBytes,
    });
    if ('tooLarge' in read) return error(413, `Request body is too large (limit ${ctx.model.maxBodyBytes} bytes)`);
    if ('problem' in read) return error(400, read.problem.message);
    if ((route.schema || route.querySchema) && !ajvReady()) await loadAjv();
    if (route.schema && read.value !== undefined) {
      const validate = (route.validate ??= compile(route.schema));
      if (!validate(read.value)) return error(400, controlMessage(validate.errors!));
    }
    const query: Record<string, unknown> = route.querySchema ? queryValues(new URLSearchParams(request.query)) : {};
    if (route.querySchema) {
      const validate = (route.validateQuery ??= (queryAjv ??= createAjv({
        allErrors: false,
        coerceTypes: true,
      })).compile(route.querySchema));
      if (!validate(query))
        return error(400, queryMessage(validate.errors!, Object.keys(route.querySchema.properties as object)));
    }
    return route.handler({ params: match.params, query, body: read.value, at });
  };
}
