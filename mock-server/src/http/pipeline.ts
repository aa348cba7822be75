/**
 * One mock API as a function from request data to response data, the same in Node and in MSW.
 * A straight pipeline, each step answering early in the API's own envelope:
 * control API → route → (latency) → authenticate → rate limit → (forced scenario) → parse body → validate →
 * negotiate → respond, from the account's stored data (stateful, the default) or the spec's examples.
 * Everything expensive (routes, validators, example bodies, auth answers) is prepared once, here.
 */
import { addRoute, createRouter, findRoute } from 'rou3';
import { authorize, failureTable, KeyStore, type Digest, type KeySeed, type KeyRecord } from '../auth/index.ts';
import { FIXTURE_KEYS } from '../fixtures/keys.ts';
import { apiModel, exampleExtension, type ApiModel, type ApiName, type OperationModel } from '../model/index.ts';
import { createControlApi, CONTROL_PREFIX } from './control.ts';
import { dialectFor, reasonPhrase, type FieldProblem } from './dialect.ts';
import { negotiate, parsePrefer } from './negotiate.ts';
import { RateLimiter, rateLimitHeaders, type RateState } from './rate-limit.ts';
import type { MockRequest, MockResponse } from './types.ts';
import { fastifyMessage, fieldProblems, OperationValidatorCache } from './validation.ts';
import { parseLatency, pickDelay, Scenarios, sleep, type Latency } from './scenarios.ts';
import { createState, type Random, type StateAnswer } from '../state/index.ts';

export type { MockRequest, MockResponse } from './types.ts';

/** Bodies over this many bytes are refused (Fastify's default body limit). */
export const MAX_BODY_BYTES = 1_048_576;

export interface MockOptions {
  /** `enforce` (default) answers 429 over the limit; `headers` only reports the counts (TVM) or ignores keys' own limits (MVO). */
  rateLimits?: 'enforce' | 'headers';
  /** `true` (default): operations read and change per-account data seeded from the examples; `false`: every answer is a spec example. */
  stateful?: boolean;
  /** Delay before every API answer: milliseconds, or a range `{min, max}` / `'100-300'` to pick from. */
  latency?: number | string | Latency;
  /** Where ids and slugs come from (`seededRandom(n)` makes them repeatable); `Math.random` by default. */
  random?: Random;
  /** Keys loaded at start and on reset; the documented fixtures by default. */
  fixtures?: readonly KeySeed[];
  /** The clock, for tests of expiry and rate windows. */
  now?: () => Date;
  /** How keys are hashed (Web Crypto by default; the Node server passes a synchronous one). */
  digest?: Digest;
}

export interface Mock {
  api: ApiName;
  model: ApiModel;
  store: KeyStore;
  /** Forced statuses set through `POST /__mock/scenarios`. */
  scenarios: Scenarios;
  handle(request: MockRequest): Promise<MockResponse>;
  reset(): Promise<void>;
  /** Prepares what is otherwise prepared on first use (request validators). */
  warmUp(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const META_MARKER = '"__fresh_meta__"';

export function isJsonMediaType(contentType: string | null | undefined): boolean {
  const essence = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return essence === 'application/json' || /^application\/[\w.+-]+\+json$/.test(essence);
}

/** UTF-8 size of a body; cheap when the text is short enough that even 3 bytes a code unit fits the limit. */
function utf8Length(text: string): number {
  return text.length * 3 <= MAX_BODY_BYTES ? text.length : new TextEncoder().encode(text).length;
}

/** A documented body as text, split where TVM's fresh `meta` goes (the rest is serialised once). */
function precompute(value: unknown): { before: string; after?: string } {
  if (value && typeof value === 'object' && 'meta' in value && (value as any).success === true) {
    const [before, after] = JSON.stringify({ ...(value as object), meta: '__fresh_meta__' }).split(META_MARKER);
    return { before, after };
  }
  return { before: JSON.stringify(value) };
}

/** What an adapter answers when the pipeline itself throws: a bug of ours, never the caller's, in the API's envelope. */
export function unexpectedFailure(model: ApiModel): MockResponse {
  return { status: 500, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(dialectFor(model).error(500, 'The mock failed unexpectedly')) };
}

/** Path parameters as the client meant them (`%20` → space); a malformed escape stays as sent. */
function decodedParams(params: Record<string, string> | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      decoded[name] = value;
    }
  }
  return decoded;
}

function freshMeta(now: Date): string {
  return JSON.stringify({ requestId: `req_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`, timestamp: now.toISOString() });
}

export async function createMock(api: ApiName, options: MockOptions = {}): Promise<Mock> {
  const model = apiModel(api);
  const now = options.now ?? (() => new Date());
  const failures = failureTable(model);
  const store = await KeyStore.create(model, options.fixtures ?? FIXTURE_KEYS[api], options.digest);
  const dialect = dialectFor(model);
  const validators = new OperationValidatorCache(model);
  const limiter = new RateLimiter(model);
  const enforceLimits = (options.rateLimits ?? 'enforce') === 'enforce';
  const rateLimitTemplate = model.rateLimits ? (exampleExtension(model, 429, 'rateLimited', 'x-message-template') as string) : '';
  const state = options.stateful === false ? undefined : createState(model, options.random);
  const scenarios = new Scenarios();
  const latency = typeof options.latency === 'number' ? { min: options.latency, max: options.latency } : typeof options.latency === 'string' ? parseLatency(options.latency) : options.latency;
  const resetState = () => {
    limiter.reset();
    state?.reset();
    scenarios.clear();
  };
  const handleControl = createControlApi({ model, store, failures, state, scenarios, now, onReset: resetState });

  const router = createRouter<OperationModel>();
  for (const op of model.operations) addRoute(router, op.method, op.routePath, op);

  const bodies = new Map<string, { before: string; after?: string }>();
  for (const op of model.operations) {
    for (const [status, response] of op.responses) {
      for (const [name, value] of response.examples) bodies.set(`${op.operationId} ${status} ${name}`, precompute(value));
    }
  }
  const authBodies = new Map<unknown, string>();
  const authBodyText = (body: unknown) => {
    let text = authBodies.get(body);
    if (text === undefined) authBodies.set(body, (text = JSON.stringify(body)));
    return text;
  };

  const respond = (status: number, body: string | undefined, rate: RateState | undefined, keyHint?: string): MockResponse => {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': JSON_TYPE };
    if (rate) Object.assign(headers, rateLimitHeaders(rate));
    return { status, headers, body, keyHint };
  };
  const error = (status: number, message: string, rate: RateState | undefined, extra?: { details?: FieldProblem[]; retryAfter?: number }, keyHint?: string) =>
    respond(status, JSON.stringify(dialect.error(status, message, extra)), rate, keyHint);
  /** A documented example of the operation: the named one, else the first for the status. */
  const exampleBody = (op: OperationModel, status: number, name: string | undefined, at: Date): string | undefined => {
    const response = op.responses.get(status);
    if (!response) return JSON.stringify(dialect.error(status, reasonPhrase(status)));
    const chosen = name !== undefined && response.examples.has(name) ? name : response.examples.keys().next().value;
    const precomputed = chosen === undefined ? undefined : bodies.get(`${op.operationId} ${status} ${chosen}`);
    return precomputed && (precomputed.after === undefined ? precomputed.before : precomputed.before + freshMeta(at) + precomputed.after);
  };
  /** A stored-data answer as text: TVM success data goes in its envelope with a fresh `meta`. */
  const stateBody = (op: OperationModel, answer: StateAnswer, at: Date): string | undefined => {
    if (answer.data === undefined) return answer.status === 204 ? undefined : exampleBody(op, answer.status, answer.example, at);
    const data = JSON.stringify(answer.data);
    return api === 'tvm' ? `{"success":true,"data":${data},"meta":${freshMeta(at)}}` : data;
  };
  const validationError = (message: string, details: FieldProblem[], rate: RateState | undefined, keyHint: string) =>
    api === 'tvm' ? error(400, 'Request validation failed', rate, { details }, keyHint) : error(400, message, rate, undefined, keyHint);

  /** Reads and checks the JSON body; returns the parsed value or the answer to send instead. */
  const parseBody = (op: OperationModel, request: MockRequest, rate: RateState | undefined, keyHint: string): { value: unknown } | MockResponse => {
    const text = request.body ?? '';
    const contentType = request.headers('content-type');
    if (utf8Length(text) > MAX_BODY_BYTES) {
      return validationError(`Request body is too large (limit ${MAX_BODY_BYTES} bytes)`, [{ field: 'body', message: `Must be at most ${MAX_BODY_BYTES} bytes` }], rate, keyHint);
    }
    if (text === '') {
      if (!op.requestBody?.required) return { value: undefined };
      const message = isJsonMediaType(contentType) ? "Body cannot be empty when content-type is set to 'application/json'" : 'body must be object';
      return validationError(message, [{ field: 'body', message: 'Required' }], rate, keyHint);
    }
    if (!isJsonMediaType(contentType)) {
      return validationError(`Content-Type must be application/json, got ${contentType ? JSON.stringify(contentType.slice(0, 100)) : 'none'}`, [{ field: 'Content-Type', message: 'Must be application/json' }], rate, keyHint);
    }
    try {
      return { value: JSON.parse(text) };
    } catch {
      return validationError("Body is not valid JSON but content-type is set to 'application/json'", [{ field: 'body', message: 'Must be valid JSON' }], rate, keyHint);
    }
  };

  const handleApi = async (request: MockRequest): Promise<MockResponse> => {
    const at = now();
    const match = findRoute(router, request.method, request.path);
    // Answers that no key has earned still report the (uncounted) shop-key window.
    const anonymousRate = () => limiter.hit(undefined, at.getTime(), false);
    if (!match) return error(404, `Route ${request.method}:${request.path} not found`, anonymousRate());
    const op = match.data;
    const latencyHeader = request.headers('x-mock-latency');
    const delay = pickDelay((latencyHeader ? parseLatency(latencyHeader) : undefined) ?? latency);
    if (delay > 0) await sleep(delay);

    const verdict = await authorize({ model, failures, store }, op, request.headers, at);
    if (!verdict.ok) return respond(verdict.status, authBodyText(verdict.body), anonymousRate(), verdict.keyHint);
    const { keyHint } = verdict;

    const counted = limiter.hit(verdict.key, at.getTime());
    // MVO documents no rate-limit headers (MVO-A6): its keys' own limits answer 429 without them.
    const rate = model.rateLimits ? counted : undefined;
    if (counted?.exceeded && enforceLimits) {
      if (!model.rateLimits) return respond(429, exampleBody(op, 429, undefined, at), undefined, keyHint);
      const message = rateLimitTemplate.replaceAll('{retryAfter}', String(counted.retryAfter));
      return error(429, message, rate, { retryAfter: counted.retryAfter }, keyHint);
    }

    const forced = scenarios.take(request.path);
    if (forced) return respond(forced.status, exampleBody(op, forced.status, undefined, at), rate, keyHint);

    const { body: bodyValidator, query: queryValidator } = validators.get(op);
    let body: unknown;
    if (op.requestBody) {
      const parsed = parseBody(op, request, rate, keyHint);
      if (!('value' in parsed)) return parsed;
      body = parsed.value;
      if (bodyValidator && !bodyValidator(parsed.value)) {
        return validationError(fastifyMessage('body', bodyValidator.errors!), fieldProblems(bodyValidator.errors!, ''), rate, keyHint);
      }
    }
    const query = new URLSearchParams(request.query);
    if (queryValidator) {
      if (!queryValidator(Object.fromEntries(query))) {
        return validationError(fastifyMessage('querystring', queryValidator.errors!), fieldProblems(queryValidator.errors!, ''), rate, keyHint);
      }
    }

    const preference = parsePrefer(request.headers('prefer'));
    // Stored data answers unless `Prefer` asks for a documented response.
    if (state && preference.code === undefined && preference.example === undefined) {
      const answer = state.handle({ op, account: verdict.key.account, params: decodedParams(match.params), query, body, at });
      if (answer) return respond(answer.status, stateBody(op, answer, at), rate, keyHint);
    }
    const negotiated = negotiate(op, preference);
    if (!negotiated.ok) return validationError(negotiated.message, [{ field: 'Prefer', message: negotiated.message }], rate, keyHint);
    const { response, exampleName } = negotiated;
    return respond(response.status, exampleBody(op, response.status, exampleName, at), rate, keyHint);
  };

  return {
    api,
    model,
    store,
    scenarios,
    async handle(request) {
      return request.path === CONTROL_PREFIX || request.path.startsWith(`${CONTROL_PREFIX}/`) ? handleControl(request) : handleApi(request);
    },
    async reset() {
      await store.reset();
      resetState();
    },
    warmUp: () => validators.warmUp(),
  };
}

export type { KeyRecord };
