/**
 * One mock API as a function from request data to response data, the same in Node and in MSW.
 * A straight pipeline, each step answering early in the API's own envelope:
 * control API → route → authenticate → rate limit (TVM) → parse body → validate → negotiate → respond.
 * Everything expensive (routes, validators, example bodies, auth answers) is prepared once, here.
 */
import { addRoute, createRouter, findRoute } from 'rou3';
import { authorize, failureTable, KeyStore, type Digest, type KeySeed, type KeyRecord } from '../auth/index.ts';
import { FIXTURE_KEYS } from '../fixtures/keys.ts';
import { apiModel, exampleExtension, type ApiModel, type ApiName, type OperationModel } from '../model/index.ts';
import { createControlApi, CONTROL_PREFIX } from './control.ts';
import { dialectFor, type FieldProblem } from './dialect.ts';
import { negotiate, parsePrefer } from './negotiate.ts';
import { RateLimiter, rateLimitHeaders, type RateState } from './rate-limit.ts';
import type { MockRequest, MockResponse } from './types.ts';
import { fastifyMessage, fieldProblems, OperationValidatorCache } from './validation.ts';

export type { MockRequest, MockResponse } from './types.ts';

/** Bodies over this many bytes are refused (Fastify's default body limit). */
export const MAX_BODY_BYTES = 1_048_576;

export interface MockOptions {
  /** `enforce` (default) answers 429 over the limit; `headers` only reports the counts. TVM only. */
  rateLimits?: 'enforce' | 'headers';
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
  handle(request: MockRequest): Promise<MockResponse>;
  reset(): Promise<void>;
  /** Prepares what is otherwise prepared on first use (request validators). */
  warmUp(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const META_MARKER = '"__fresh_meta__"';

function isJsonMediaType(contentType: string | null | undefined): boolean {
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
  const limiter = model.rateLimits ? new RateLimiter(model) : undefined;
  const enforceLimits = (options.rateLimits ?? 'enforce') === 'enforce';
  const rateLimitTemplate = limiter ? (exampleExtension(model, 429, 'rateLimited', 'x-message-template') as string) : '';
  const handleControl = createControlApi({ model, store, failures, onReset: () => limiter?.reset() });

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
    const anonymousRate = () => limiter?.hit(undefined, at.getTime(), false);
    if (!match) return error(404, `Route ${request.method}:${request.path} not found`, anonymousRate());
    const op = match.data;

    const verdict = await authorize({ model, failures, store }, op, request.headers, at);
    if (!verdict.ok) return respond(verdict.status, authBodyText(verdict.body), anonymousRate(), verdict.keyHint);
    const { keyHint } = verdict;

    const rate = limiter?.hit(verdict.key, at.getTime());
    if (rate?.exceeded && enforceLimits) {
      const message = rateLimitTemplate.replaceAll('{retryAfter}', String(rate.retryAfter));
      return error(429, message, rate, { retryAfter: rate.retryAfter }, keyHint);
    }

    const { body: bodyValidator, query: queryValidator } = validators.get(op);
    if (op.requestBody) {
      const parsed = parseBody(op, request, rate, keyHint);
      if (!('value' in parsed)) return parsed;
      if (bodyValidator && !bodyValidator(parsed.value)) {
        return validationError(fastifyMessage('body', bodyValidator.errors!), fieldProblems(bodyValidator.errors!, ''), rate, keyHint);
      }
    }
    if (queryValidator) {
      const query: Record<string, string> = Object.fromEntries(new URLSearchParams(request.query));
      if (!queryValidator(query)) {
        return validationError(fastifyMessage('querystring', queryValidator.errors!), fieldProblems(queryValidator.errors!, ''), rate, keyHint);
      }
    }

    const negotiated = negotiate(op, parsePrefer(request.headers('prefer')));
    if (!negotiated.ok) return validationError(negotiated.message, [{ field: 'Prefer', message: negotiated.message }], rate, keyHint);
    const { response, exampleName } = negotiated;
    const precomputed = exampleName === undefined ? undefined : bodies.get(`${op.operationId} ${response.status} ${exampleName}`);
    const text = precomputed && (precomputed.after === undefined ? precomputed.before : precomputed.before + freshMeta(at) + precomputed.after);
    return respond(response.status, text, rate, keyHint);
  };

  return {
    api,
    model,
    store,
    async handle(request) {
      return request.path === CONTROL_PREFIX || request.path.startsWith(`${CONTROL_PREFIX}/`) ? handleControl(request) : handleApi(request);
    },
    async reset() {
      await store.reset();
      limiter?.reset();
    },
    warmUp: () => validators.warmUp(),
  };
}

export type { KeyRecord };
