/**
 * The control API under `/__mock` (described in openapi/mock/): mint, list, update and delete keys,
 * review stored TVM items, force statuses (scenarios), reset to the fixtures. Bodies are validated
 * against that description's schemas.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { createAjv } from '../pipeline/ajv.ts';
import { createRouter, addRoute, findRoute } from 'rou3';
import { spec as controlSpec } from '../generated/mock.spec.ts';
import { publicView, settableStatuses, type FailureTable, type KeyRecord, type KeyStatus, type KeyStore } from '../auth/index.ts';
import type { KeyRateLimit } from '../auth/key-store.ts';
import type { ApiState } from '../state/index.ts';
import type { ScenarioInput, Scenarios } from '../pipeline/scenarios.ts';
import type { ApiModel } from '../model/types.ts';
import { reasonDialect } from '../pipeline/dialect.ts';
import type { MockRequest, MockResponse } from '../pipeline/types.ts';
import { fastifyMessage } from '../pipeline/validation.ts';


export const CONTROL_PREFIX = '/__mock';

type Handler = (ctx: { request: MockRequest; params: Record<string, string>; body: any }) => Promise<MockResponse> | MockResponse;

interface CreateBody {
  name: string;
  scopes?: string[];
  status?: KeyStatus;
  expires_at?: string | null;
  account?: string;
  rate_limit?: KeyRateLimit | null;
}
type UpdateBody = { status?: KeyStatus; expires_at?: string | null; rate_limit?: KeyRateLimit | null };
type ReviewBody = { id?: string; decision?: 'approve' | 'reject'; status?: string };

/** What a review decision sets: approval publishes, rejection takes the item off the mall (`expired`). */
const DECISIONS = { approve: 'active', reject: 'expired' } as const;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function json(status: number, value: unknown): MockResponse {
  return { status, headers: JSON_HEADERS, body: JSON.stringify(value) };
}

function problem(status: number, message: string): MockResponse {
  return json(status, reasonDialect.error(status, message));
}

export interface ControlContext {
  model: ApiModel;
  store: KeyStore;
  failures: FailureTable;
  /** Called after `POST /__mock/reset`, for state that lives beside the keys. */
  onReset?: () => void;
  /** Stored data (absent when the mock is stateless). */
  state?: ApiState;
  scenarios: Scenarios;
  now: () => Date;
}

export function createControlApi(ctx: ControlContext) {
  // Compiled on first use: the control API is rarely called, start-up time matters more.
  let validators:
    | { create: ValidateFunction<CreateBody>; update: ValidateFunction<UpdateBody>; review: ValidateFunction<ReviewBody>; scenario: ValidateFunction<ScenarioInput> }
    | undefined;
  const compile = () => {
    const ajv = createAjv({ allErrors: false });
    const schemas = (controlSpec as any).components.schemas;
    return {
      create: ajv.compile<CreateBody>(schemas.MockKeyCreate),
      update: ajv.compile<UpdateBody>(schemas.MockKeyUpdate),
      review: ajv.compile<ReviewBody>(schemas.MockReview),
      scenario: ajv.compile<ScenarioInput>(schemas.MockScenarioCreate),
    };
  };
  const statuses = settableStatuses(ctx.failures);
  const catalogue = Object.keys(ctx.model.scopes);

  const view = (record: KeyRecord) => {
    const rest = publicView(record);
    if (!catalogue.length) delete (rest as Partial<typeof rest>).scopes;
    return rest;
  };

  /** Checks what JSON Schema cannot: the API's own statuses and scopes. */
  const semanticProblem = (body: { status?: string; scopes?: string[] }): string | undefined => {
    if (body.status !== undefined && !statuses.includes(body.status)) {
      return `body/status must be one of: ${statuses.join(', ')} for ${ctx.model.title} keys`;
    }
    if (body.scopes !== undefined) {
      if (!catalogue.length) return `body/scopes must be absent: ${ctx.model.title} keys have no scopes`;
      const unknown = body.scopes.filter((scope) => !catalogue.includes(scope));
      if (unknown.length) return `body/scopes has unknown scope ${unknown.join(', ')}; known: ${catalogue.join(', ')}`;
    }
    return undefined;
  };

  const routes: Record<string, Handler> = {
    'GET /keys': () => json(200, { keys: ctx.store.list().map(view) }),
    'POST /keys': async ({ body }) => {
      const validateCreate = (validators ??= compile()).create;
      if (!validateCreate(body)) return problem(400, fastifyMessage('body', validateCreate.errors!));
      const semantic = semanticProblem(body);
      if (semantic) return problem(400, semantic);
      const { record, key } = await ctx.store.add({
        name: body.name,
        scopes: body.scopes,
        status: body.status,
        expires_at: body.expires_at ?? null,
        account: body.account,
        rate_limit: body.rate_limit ?? null,
      });
      return json(201, { ...view(record), key });
    },
    'PATCH /keys/:id': ({ params, body }) => {
      const validateUpdate = (validators ??= compile()).update;
      if (!validateUpdate(body)) return problem(400, fastifyMessage('body', validateUpdate.errors!));
      const semantic = semanticProblem(body);
      if (semantic) return problem(400, semantic);
      const record = ctx.store.update(params.id, body);
      return record ? json(200, view(record)) : problem(404, 'Key not found');
    },
    'DELETE /keys/:id': ({ params }) => (ctx.store.delete(params.id) ? { status: 204, headers: {} } : problem(404, 'Key not found')),
    'POST /reset': async () => {
      await ctx.store.reset();
      ctx.onReset?.();
      return { status: 204, headers: {} };
    },
    'POST /review': ({ body }) => review(body),
    'POST /items/:id/review': ({ params, body }) => review({ ...body, id: decodeURIComponent(params.id) }),
    'GET /scenarios': () => json(200, { scenarios: ctx.scenarios.list() }),
    'POST /scenarios': ({ body }) => {
      const validateScenario = (validators ??= compile()).scenario;
      if (!validateScenario(body)) return problem(400, fastifyMessage('body', validateScenario.errors!));
      return json(201, ctx.scenarios.add(body));
    },
    'DELETE /scenarios': () => {
      ctx.scenarios.clear();
      return { status: 204, headers: {} };
    },
  };
  /** Simulates the staff review of a TVM offer, voucher or content item. */
  function review(body: unknown): MockResponse {
    const validateReview = (validators ??= compile()).review;
    if (!validateReview(body)) return problem(400, fastifyMessage('body', validateReview.errors!));
    if (!ctx.state?.review) return problem(404, `${ctx.model.title} has no reviewable items${ctx.state ? '' : ' (the mock is stateless)'}`);
    const status = body.status ?? DECISIONS[body.decision!];
    const item = ctx.state.review(body.id!, status, ctx.now());
    return item ? json(200, item) : problem(404, 'Item not found');
  }

  const router = createRouter<Handler>();
  for (const [route, handler] of Object.entries(routes)) {
    const [method, path] = route.split(' ');
    addRoute(router, method, CONTROL_PREFIX + path, handler);
  }

  return async function handleControl(request: MockRequest): Promise<MockResponse> {
    const match = findRoute(router, request.method, request.path);
    if (!match) return problem(404, `Route ${request.method}:${request.path} not found`);
    let body: unknown;
    if (request.body !== undefined && request.body !== '') {
      try {
        body = JSON.parse(request.body);
      } catch {
        return problem(400, "Body is not valid JSON but content-type is set to 'application/json'");
      }
    } else if ((request.method === 'POST' && !request.path.endsWith('/reset')) || request.method === 'PATCH') {
      return problem(400, 'body must be object');
    }
    return match.data({ request, params: (match.params ?? {}) as Record<string, string>, body });
  };
}
