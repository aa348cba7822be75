/**
 * One mock API as a function from request data to response data, the same in Node and in MSW.
 * A straight pipeline; each step either answers (a status and a body in the API's own envelope) or lets
 * the request go on:
 *   control API | route → (latency) → authenticate → rate limit → (forced scenario) → body → query →
 *   the account's stored data (stateful, the default) or the negotiated spec example.
 * The answer is finished once, at the end: content type, TVM's X-RateLimit-* headers, the log line.
 * A failure of the pipeline itself is caught here too, and answered 500 in the API's envelope.
 * Everything expensive (routes, validators, example bodies, auth answers) is prepared once, at creation.
 */
import {
  authorize,
  echoed,
  failureTable,
  KeyStore,
  maskKeysIn,
  renderFailureBody,
  settableStatuses,
  type KeyRecord,
} from '../auth/index.ts';
import { createControlApi, isControlPath } from '../control/control-api.ts';
import { generateRoutes } from '../control/generate-routes.ts';
import { journalRoutes } from '../control/journal-routes.ts';
import { stateRoutes } from '../control/state-routes.ts';
import { FIXTURE_KEYS } from '../fixtures/keys.ts';
import { apiModel, type ApiModel, type ApiName, type OperationModel } from '../model/index.ts';
import { operationRoutes } from '../model/routes.ts';
import { exportState, prepareState, type DocumentContext } from '../state/document.ts';
import { createState, type StateAnswer } from '../state/index.ts';
import { seededRandom } from '../state/random.ts';
import { prepareDocument, prepareInitial, preparePatch } from '../store/apply.ts';
import {
  MemoryStore,
  RetryRequest,
  StoreUnavailableError,
  type StateStore,
  type StoreTransaction,
} from '../store/store.ts';
import type { ChangeSink } from '../store/patch.ts';
import { readJsonBody } from './body.ts';
import { createDialect, type Dialect } from './dialect.ts';
import { LATENCY_RULE, MAX_LATENCY_MS, parseLatency, pickDelay, sleep } from './latency.ts';
import { Journal, type JournalBook } from './journal.ts';
import { journalParts } from './journal-record.ts';
import { monotonicMs } from '../shared/monotonic.ts';
import { negotiate, parsePrefer } from './negotiate.ts';
import { decodedParams } from './path-params.ts';
import { addRateLimitHeaders, exhausted, RateLimiter, type RateState } from './rate-limit.ts';
import { queryValues } from './query-values.ts';
import { ReadCache } from './read-cache.ts';
import { Scenarios, type FaultKind, type ScenarioBook } from './scenarios.ts';
import type { OptionsOf } from '../options/types.ts';
import type { Mock as PublicMock } from './public-mock.ts';
import type { Answer, MockRequest, MockResponse } from './types.ts';
import { OperationValidatorCache, validationProblem } from './validation.ts';

export type { MockRequest, MockResponse, TransportFault } from './types.ts';
export type { Mock as PublicMock } from './public-mock.ts';
export type { StateDocument } from '../state/document.ts';
export type { JournalEntry, JournalFilter } from './journal.ts';
export { MAX_BODY_BYTES } from '../model/index.ts';

/** createMock's options: the options table's `createMock` column (options/table.ts), typed in options/types.ts. */
export interface MockOptions extends OptionsOf<'createMock'> {}

/** A state document that cannot be loaded, with what is wrong with it. */
export class StateDocumentError extends Error {}

/** The public mock (public-mock.ts) with the parts its adapters (Node server, MSW handlers) and the package's own tests reach into. */
export interface Mock extends PublicMock {
  model: ApiModel;
  /** How this API writes its bodies (adapters use it for transport-level refusals). */
  dialect: Dialect;
  store: KeyStore;
  /** Forced statuses set through `POST /__mock/scenarios`. */
  scenarios: ScenarioBook;
  /** The last API requests (`GET /__mock/requests`). */
  journal: JournalBook;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The request log's line: `GET /v1/shop 200 1.2ms key=tvm_ab12…`; never a whole key (one sent in the path is masked too). */
export function logLine(method: string, path: string, status: number, ms: number, keyHint: string | undefined): string {
  // Tenths by integer arithmetic: `toFixed` costs more than the rest of the line.
  const tenths = Math.round(ms * 10);
  return `${method} ${maskKeysIn(path)} ${status} ${Math.trunc(tenths / 10)}.${tenths % 10}ms key=${keyHint ?? '-'}`;
}

/** What one request has established on its way through, for finishing its answer. */
interface Exchange {
  at: Date;
  /** The masked key that authenticated (or failed), for the log line. */
  keyHint?: string;
  /** The id of the key presented, when it is known. */
  keyId?: string;
  /** The operation the route matched. */
  operationId?: string;
  /** The rate window of the key that authenticated. */
  rate?: RateState;
  /** A network fault a scenario forced. */
  fault?: FaultKind;
  faultDelay?: number;
  /** The store's hold on a replicated state for this request (store/redis/), once taken. */
  tx?: StoreTransaction;
  /** Headers a scenario adds to the answer. */
  headers?: Record<string, string>;
}

/** A request that may change state: it holds a replicated store's write lock. */
const writes = (method: string) => method !== 'GET' && method !== 'HEAD';
/** How often a read that changed something is handled again when another replica wrote meanwhile. */
const RETRIES = 3;

/** The first half of a body: JSON that stops mid-way (a `malformed` fault). */
function truncated(body: string | undefined): string {
  const text = body ?? '{}';
  return text.slice(0, Math.ceil(text.length / 2));
}

/** The query of a request without one: nothing reads a query to change it, so one instance serves all. */
const NO_QUERY = new URLSearchParams();

export async function createMock(api: ApiName, options: MockOptions = {}): Promise<Mock> {
  const model = apiModel(api);
  const now = options.now ?? (() => new Date());
  const log = options.log;
  const failures = failureTable(model);
  const sink: StateStore = options.store ?? new MemoryStore();
  const changes: ChangeSink = (patch) => sink.record(patch);
  const store = await KeyStore.create(model, options.fixtures ?? FIXTURE_KEYS[api], options.digest, changes);
  const auth = { model, failures, store };
  const dialect = createDialect(model);
  const validators = new OperationValidatorCache(model);
  // Shared by a sandbox's replicas when the store is (store/redis/): rate counters, scenarios, the journal.
  const shared = sink.shared;
  const limiter = new RateLimiter(model, shared?.rateCounters);
  const enforceLimits = (options.rateLimits ?? 'enforce') === 'enforce';
  // MVO documents no rate-limit headers (MVO-A6): its keys' own limits answer 429 without them.
  const reportsRate = model.rateLimits !== undefined;
  const random = options.random ?? (options.randomSeed === undefined ? undefined : seededRandom(options.randomSeed));
  const state = options.stateful === false ? undefined : createState(model, dialect, random, changes);
  const scenarios: ScenarioBook = shared?.scenarios ?? new Scenarios();
  const ownJournal = new Journal(options.journalSize);
  const journal: JournalBook = shared?.journal(ownJournal) ?? ownJournal;
  const partsOf = journalParts(model);
  const watchers = new Set<() => void>();
  const documents: DocumentContext = { model, store, state, statuses: settableStatuses(failures), changes };
  const importDocument = async (document: unknown) => {
    const prepared = await prepareState(documents, document, now());
    if ('problem' in prepared) throw new StateDocumentError(prepared.problem);
    prepared.commit();
  };
  /** A change made outside a request (an import, the seed): a replicated store holds it as a write. */
  const asWrite = async (change: () => Promise<void>) => {
    const tx = await sink.begin?.(true);
    try {
      await change();
    } finally {
      await tx?.end();
    }
  };
  const importState = (document: unknown) => asWrite(() => importDocument(document));
  const latency =
    typeof options.latency === 'number'
      ? { min: options.latency, max: options.latency }
      : typeof options.latency === 'string'
        ? parseLatency(options.latency)
        : options.latency;
  if (
    options.latency !== undefined &&
    (!latency || !(latency.min >= 0 && latency.max >= latency.min && latency.max <= MAX_LATENCY_MS))
  ) {
    throw new Error(`latency must be ${LATENCY_RULE}, got ${JSON.stringify(options.latency)}`);
  }
  // Entries are valid for the store's version they were made at: any change, through any door, makes them stale.
  const reads = new ReadCache();
  /** Everything but the keys back to the start; the journal too unless kept (`POST /__mock/reset?journal=keep`). */
  const resetState = async ({ keepJournal = false } = {}) => {
    await limiter.reset();
    state?.reset();
    await scenarios.clear();
    if (!keepJournal) await journal.clear();
    // Reset keys and data as a whole: one change, the document as it is now (an import reports its own).
    if (options.seed) await importDocument(options.seed);
    else changes({ api, replace: exportState(documents, now()) });
  };
  // Built on the first control request: most runs never make one before their first API answer (start-up time).
  let controlApi: ReturnType<typeof createControlApi> | undefined;
  const handleControl: ReturnType<typeof createControlApi> = (...args) =>
    (controlApi ??= createControlApi({
      model,
      dialect,
      store,
      failures,
      state,
      scenarios,
      onReset: resetState,
      persistence: sink.persistence,
      routes: {
        ...journalRoutes(journal),
        ...stateRoutes(documents, dialect, sink.persistence),
        ...generateRoutes(model, state, dialect, random),
      },
    }))(...args);
  sink.attach?.({
    prepare: (patch) => preparePatch(documents, patch, now()),
    prepareLoad: (document) => (document ? prepareDocument(documents, document, now()) : prepareInitial(documents)),
    export: () => exportState(documents, now()),
  });
  // A sandbox is seeded once, by the first replica; the others find the seed in it.
  if (options.seed && ((await sink.claimSeed?.()) ?? true)) await importState(options.seed);

  const findOperation = operationRoutes(model.operations);

  const authBodies = new Map<unknown, string>();
  const authBodyText = (body: unknown) => {
    let text = authBodies.get(body);
    if (text === undefined) authBodies.set(body, (text = JSON.stringify(body)));
    return text;
  };
  const unexpectedFailure: MockResponse = {
    status: 500,
    headers: { 'content-type': JSON_TYPE },
    body: dialect.error(500, 'The mock failed unexpectedly'),
  };

  /** A stored-data answer without data as text: the documented example for the status (none for a 204). */
  const exampleBody = (op: OperationModel, answer: StateAnswer, at: Date): string | undefined =>
    answer.status === 204 ? undefined : dialect.example(op, answer.status, answer.example, at);
  const invalid = (problem: Parameters<Dialect['invalid']>[0]): Answer => ({
    status: 400,
    body: dialect.invalid(problem),
  });
  /**
   * A forced status answers what the API would send this operation: its documented example, except that a
   * forced missing-scope status (TVM's 403) names the operation's own scope, as a real refusal would.
   */
  const missingScope = failures.missing_scope;
  const forcedBody = (op: OperationModel, status: number, at: Date): string | undefined =>
    missingScope?.status === status && op.scopes.length
      ? authBodyText(renderFailureBody(missingScope, op.scopes[0]))
      : dialect.example(op, status, undefined, at);

  const answerApi = async (request: MockRequest, exchange: Exchange): Promise<Answer> => {
    const { at } = exchange;
    const match = findOperation(request.method, request.path);
    if (!match) return { status: 404, body: dialect.routeNotFound(request.method, request.path) };
    const op = match.data;
    exchange.operationId = op.operationId;
    const latencyHeader = request.headers('x-mock-latency');
    const asked = latencyHeader ? parseLatency(latencyHeader) : undefined;
    if (latencyHeader && !asked) {
      const message = `X-Mock-Latency must be ${LATENCY_RULE}, got ${JSON.stringify(echoed(latencyHeader))}`;
      return invalid({ message, details: [{ field: 'X-Mock-Latency', message: `Must be ${LATENCY_RULE}` }] });
    }
    const delay = pickDelay(asked ?? latency);
    if (delay > 0) {
      await sleep(delay, request.signal);
      // A client that gave up (during its latency) gets nothing, and takes nothing: no count, no scenario.
      if (request.signal?.aborted) return { status: 0 };
    }
    // After the latency: a replicated store's view is brought up to date before the key is looked up.
    if (sink.begin) exchange.tx = await sink.begin(false);

    // An operation open to anyone (`security: []`) reads no key: it is answered with the anonymous rate window,
    // by scenarios that name no key, and from its documented examples (there is no account to read data of).
    let key: KeyRecord | undefined;
    let rate: RateState | undefined;
    if (!op.anonymous) {
      const deciding = authorize(auth, op, request.headers, at);
      const verdict = deciding instanceof Promise ? await deciding : deciding;
      exchange.keyHint = verdict.keyHint;
      exchange.keyId = verdict.ok ? verdict.key.id : verdict.keyId;
      if (!verdict.ok) {
        // The headers describe the key presented, when it is known (assumption TVM-A21): one lacking the scope is
        // authenticated, so the request counts against its window; a disabled or expired one is refused before
        // the rate limiter, so its window is shown as it stands.
        if (verdict.key)
          exchange.rate = await limiter.countKey(verdict.key, at.getTime(), verdict.failure === 'missing_scope');
        return { status: verdict.status, body: authBodyText(verdict.body) };
      }
      key = verdict.key;
      const counting = limiter.countKey(key, at.getTime());
      rate = counting instanceof Promise ? await counting : counting;
      exchange.rate = rate;
      if (rate?.exceeded && enforceLimits) return { status: 429, body: dialect.rateLimited(op, rate.retryAfter, at) };
    }

    const taking = scenarios.take(request.path, request.method, key?.id ?? '', op.responses);
    const forced = taking instanceof Promise ? await taking : taking;
    if (forced?.headers) exchange.headers = forced.headers;
    if (forced?.latency) {
      await sleep(forced.latency, request.signal);
      if (request.signal?.aborted) return { status: 0 };
    }
    // A body the scenario sets, with its status or the operation's success status (checked when it was made).
    if (forced && forced.body !== null)
      return { status: forced.status ?? op.successStatus, body: JSON.stringify(forced.body) };
    if (forced?.status === 429) {
      // A forced 429 reads as a real one: nothing remaining, and the wait the scenario or the window says.
      const retryAfter = forced.retry_after ?? rate?.retryAfter ?? 1;
      if (rate) exchange.rate = exhausted(rate, forced.retry_after ?? undefined, at.getTime());
      return { status: 429, body: dialect.rateLimited(op, retryAfter, at) };
    }
    if (forced?.status != null) return { status: forced.status, body: forcedBody(op, forced.status, at) };
    if (forced?.fault) {
      exchange.fault = forced.fault;
      exchange.faultDelay = forced.delay ?? undefined;
      // The success status (201 for a create) with JSON that stops halfway; reset and hang send nothing (status 0); slow answers as usual, late.
      if (forced.fault === 'malformed')
        return { status: op.successStatus, body: truncated(dialect.example(op, op.successStatus, undefined, at)) };
      if (forced.fault !== 'slow') return { status: 0 };
    }

    const preference = parsePrefer(request.headers('prefer'));
    const account = key?.account;
    // Stored data answers unless `Prefer` asks for a documented response.
    const fromState =
      state !== undefined && account !== undefined && preference.code === undefined && preference.example === undefined;
    // A read whose answer is cached passed validation before: same operation, same raw query, and no body.
    const readKey =
      fromState && request.method === 'GET' && !op.requestBody
        ? ReadCache.key(account, request.path, request.query)
        : undefined;
    const cached = readKey === undefined ? undefined : reads.get(readKey, sink.version);
    if (cached) return { status: cached.status, body: dialect.success(cached.dataText, at) };

    if (!validators.ready && validators.needsValidators(op)) await validators.load(); // once: imported on first need
    const { body: bodyValidator, query: queryValidator } = validators.get(op);
    let body: unknown;
    if (op.requestBody) {
      const read = readJsonBody(request, {
        required: op.requestBody.required,
        jsonTypeRequired: true,
        maxBytes: model.maxBodyBytes,
      });
      // Over the limit: the operation's documented 413 (assumptions MVO-A13, TVM-A18).
      if ('tooLarge' in read) return { status: 413, body: dialect.example(op, 413, undefined, at) };
      if ('problem' in read) return invalid(read.problem);
      body = read.value;
      if (bodyValidator && !bodyValidator(body)) return invalid(validationProblem('body', bodyValidator.errors!));
    }
    const query = request.query === '' ? NO_QUERY : new URLSearchParams(request.query);
    if (queryValidator && !queryValidator(queryValues(query)))
      return invalid(validationProblem('querystring', queryValidator.errors!));

    if (fromState) {
      // A change takes the sandbox's write lock only now, around the synchronous handling: checked against the
      // latest data of every replica (e-mail uniqueness), and serialised with their writes.
      if (sink.begin && writes(request.method)) {
        await ended(exchange);
        exchange.tx = await sink.begin(true);
      }
      const answer = state.handle({ op, account, params: decodedParams(match.params), query, body, at });
      if (answer?.data !== undefined) {
        const dataText = JSON.stringify(answer.data);
        if (readKey !== undefined) reads.set(readKey, { status: answer.status, dataText }, sink.version);
        return { status: answer.status, body: dialect.success(dataText, at) };
      }
      if (answer) return { status: answer.status, body: exampleBody(op, answer, at) };
    }
    const negotiated = negotiate(op, preference);
    if (!negotiated.ok)
      return invalid({ message: negotiated.message, details: [{ field: 'Prefer', message: negotiated.message }] });
    const { response, exampleName } = negotiated;
    return { status: response.status, body: dialect.example(op, response.status, exampleName, at) };
  };

  /** Headers, once: the content type, and on API answers the key's rate window (an anonymous one before a key is known). */
  const finish = (answer: Answer, exchange: Exchange, control: boolean): MockResponse => {
    const headers: Record<string, string> =
      answer.body === undefined ? { ...answer.headers } : { ...answer.headers, 'content-type': JSON_TYPE };
    // A scenario's headers, by lowercase name, over the mock's own (its `Content-Type` too).
    if (exchange.headers) for (const name in exchange.headers) headers[name.toLowerCase()] = exchange.headers[name];
    if (reportsRate && !control) {
      const rate = exchange.rate ?? limiter.hit(undefined, exchange.at.getTime(), false);
      if (rate) addRateLimitHeaders(headers, rate);
    }
    const response: MockResponse = { status: answer.status, headers, body: answer.body };
    if (exchange.fault === 'reset' || exchange.fault === 'hang') response.fault = { kind: exchange.fault };
    // No answer for a client that is gone: the adapter only closes what is left of the exchange.
    else if (answer.status === 0) response.fault = { kind: 'reset' };
    else if (exchange.fault === 'slow') response.fault = { kind: 'slow', delayMs: exchange.faultDelay! };
    return response;
  };

  /** One record per API request: the strings and the Date already exist; the body and headers are masked copies. */
  const record = (request: MockRequest, response: MockResponse, exchange: Exchange | undefined, durationMs: number) =>
    journal.capacity > 0 &&
    journal.record({
      at: exchange?.at ?? new Date(),
      method: request.method,
      operation: exchange?.operationId ?? null,
      status: response.status,
      durationMs,
      keyId: exchange?.keyId ?? null,
      keyPrefix: exchange?.keyHint ?? null,
      fault: exchange?.fault ?? null,
      // Masked: a key sent where none belongs (a path segment, `?api_key=`, a header) is kept masked too.
      ...partsOf(request),
    });

  /** Ends the request's hold on a replicated store, once. */
  const ended = async (exchange: Exchange | undefined) => {
    const tx = exchange?.tx;
    if (!tx) return;
    exchange.tx = undefined;
    await tx.end();
  };

  return {
    api,
    model,
    dialect,
    store,
    scenarios,
    async handle(request) {
      const started = monotonicMs();
      let exchange: Exchange | undefined;
      let response!: MockResponse;
      const control = isControlPath(request.path);
      for (let attempt = 1; attempt <= RETRIES; attempt++) {
        try {
          // Every field from the start: one object shape for all requests.
          exchange = {
            at: now(),
            keyHint: undefined,
            keyId: undefined,
            operationId: undefined,
            rate: undefined,
            fault: undefined,
            faultDelay: undefined,
            tx: undefined,
            headers: undefined,
          };
          if (control && sink.begin) exchange.tx = await sink.begin(writes(request.method));
          const answer = control ? await handleControl(request, exchange.at) : await answerApi(request, exchange);
          if (exchange.tx) await ended(exchange);
          response = finish(answer, exchange, control);
        } catch (cause) {
          // A request that failed half-way still ends its hold on the store (what it changed is kept, or dropped).
          await ended(exchange).catch(() => {});
          // A read that changed something while another replica wrote: the state it read was reloaded; again.
          if (cause instanceof RetryRequest && attempt < RETRIES) continue;
          // A bug of ours, never the caller's: say so in the API's envelope and keep serving.
          log?.(
            `error ${request.method} ${maskKeysIn(request.path)}: ${cause instanceof Error ? cause.message : String(cause)}`,
          );
          // The store could not keep the change, or cannot be read: not acknowledged (503 in the API's envelope; both specs document 503 on every operation).
          response =
            cause instanceof StoreUnavailableError || cause instanceof RetryRequest
              ? {
                  status: 503,
                  headers: { 'content-type': JSON_TYPE },
                  body: dialect.error(
                    503,
                    `The mock's state is unavailable: ${cause.message || 'other replicas kept changing it'}`,
                  ),
                }
              : { ...unexpectedFailure, headers: { ...unexpectedFailure.headers } };
        }
        break;
      }
      const ms = monotonicMs() - started;
      log?.(logLine(request.method, request.path, response.status, ms, exchange?.keyHint));
      if (!control) record(request, response, exchange, ms);
      if (
        watchers.size &&
        response.status > 0 &&
        response.status < 400 &&
        request.method !== 'GET' &&
        request.method !== 'HEAD'
      )
        for (const watcher of watchers) watcher();
      return response;
    },
    reset: (resetOptions) =>
      asWrite(async () => {
        await store.reset();
        await resetState(resetOptions);
      }),
    warmUp: () => validators.warmUp(),
    journal,
    requests: (filter) => ownJournal.list(filter),
    exportState: () => exportState(documents, now()),
    importState,
    watch(listener) {
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
  };
}

export type { KeyRecord };
