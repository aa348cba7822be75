/**
 * @module
 * The `fetch` handed to openapi-fetch: the caller's `fetch` plus a per-attempt timeout and retries.
 * Wrapping `fetch` (rather than middleware) lets a retry resend a clone of the very `Request` openapi-fetch
 * built, body included, and costs a plain call when nothing goes wrong.
 *
 * Retried: HTTP 429 and 503, network errors and timeouts, for GET, HEAD, OPTIONS, PUT, PATCH and DELETE only.
 * POST is never retried (it creates). The wait is the server's word when it gives one (TVM's
 * `error.retryAfter` body field, a `Retry-After` header, or for 429 `X-RateLimit-Reset`), else exponential
 * backoff with jitter; a wait longer than `maxRetryDelayMs` is not waited: the response is returned as is.
 *
 * A call's own `timeoutMs` / `maxRetries` ride on the `Request` (openapi-fetch copies unknown init keys onto
 * it) and override the client's. Each answer, retry and failure is logged at its level, and `onRetry` is told of
 * each retry.
 */
import { ApiConnectionError, TimeoutError } from './errors.js';
import { LONG_WAIT_MS, type Log } from './log.js';
import { nonNegative } from './options.js';

/** The `fetch` the SDK calls; `globalThis.fetch` fits, and so does `(request: Request) => Promise<Response>`. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
  fetch: FetchLike;
  /** Per attempt, until response headers arrive. `0` or `Infinity` turns the timeout off. */
  timeoutMs: number;
  maxRetries: number;
  maxRetryDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Masks secrets (the key) in text that ends up in an error message. */
  redact: (text: string) => string;
  log: Log;
  onRetry: ((retry: RetryInfo) => void) | undefined;
}

/** Options any call takes on top of openapi-fetch's, overriding the client's for that call. */
export interface CallOptions {
  /** Per attempt, until the response headers arrive, in ms. `0` turns the timeout off. */
  timeoutMs?: number;
  /** Retries of 429/503/network errors/timeouts (idempotent methods only; POST is never retried). */
  maxRetries?: number;
}

/** What `onRetry` is told before each retry. */
export interface RetryInfo {
  /** Method and URL, query values left out: `GET https://api.thevirtualmall.co.uk/v1/offers?page=…`. */
  request: string;
  /** The attempt that failed, counting from 1. */
  attempt: number;
  /** Why it is retried: `HTTP 429`, `HTTP 503`, a timeout or network error's message (key masked). */
  reason: string;
  /** The status, when the failed attempt got an answer. */
  status?: number;
  /** How long the SDK waits before the next attempt, in ms. */
  waitMs: number;
}

/** Methods safe to resend. PATCH is included: both APIs' PATCH bodies set fields to values, so a replay lands on the same state. */
export const RETRYABLE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE']);
/** Statuses that mean "not processed, try again later". */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 8_000;

/** `GET https://host/path` (no query string), for error messages. */
function describe(request: Request): string {
  const q = request.url.indexOf('?');
  return `${request.method} ${q === -1 ? request.url : request.url.slice(0, q)}`;
}

/** `GET https://host/path?page=…&limit=…`: the query's names without their values, for logs and `onRetry`. */
function describeForLog(request: Request): string {
  const q = request.url.indexOf('?');
  if (q === -1) return `${request.method} ${request.url}`;
  const names = request.url
    .slice(q + 1)
    .split('&')
    .map((pair) => `${pair.split('=')[0]}=…`);
  return `${request.method} ${request.url.slice(0, q)}?${names.join('&')}`;
}

/**
 * Which request an answer was for, so `unwrap` can name it: a symbol-keyed property on the `Response` (a
 * `WeakMap` costs about 3 µs a call on Node 20, more than the rest of the transport).
 */
const ANSWERS = Symbol('virtual-commerce-sdk.request');

/** `GET https://host/path` of the request `response` answers, if it came through an SDK client. */
export function requestOf(response: Response): string | undefined {
  const request = (response as Response & { [ANSWERS]?: Request })[ANSWERS];
  return request && describe(request);
}

function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
}

/**
 * How long the server asked us to wait, in ms, or `undefined` if it did not say: TVM's `error.retryAfter` body
 * field (seconds), a `Retry-After` header (seconds or an HTTP date), or on a 429 `X-RateLimit-Reset` (Unix seconds).
 */
export function askedDelayMs(body: unknown, response: Response, now = Date.now()): number | undefined {
  const seconds = (body as { error?: { retryAfter?: unknown } } | null | undefined)?.error?.retryAfter;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter) {
    const headerSeconds = Number(retryAfter);
    if (Number.isFinite(headerSeconds) && headerSeconds >= 0) return headerSeconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = response.status === 429 ? response.headers.get('x-ratelimit-reset') : null;
  if (reset) {
    const unixSeconds = Number(reset);
    if (Number.isFinite(unixSeconds)) return Math.max(0, unixSeconds * 1000 - now);
  }
  return undefined;
}

/** {@link askedDelayMs} of a response whose body is still unread (read from a clone, so the caller can still read it). */
export async function serverDelayMs(response: Response, now = Date.now()): Promise<number | undefined> {
  let body: unknown;
  if (response.headers.get('content-type')?.includes('json'))
    body = await response
      .clone()
      .json()
      .catch(() => undefined);
  return askedDelayMs(body, response, now);
}

/**
 * The `init` handed to `fetch` for one attempt, holding the attempt's deadline too. Its `signal`, which lets the
 * timeout or the caller's own signal cancel the underlying request, is made on first read: a real `fetch` always
 * reads it, a stub never does, and on Node 20 an abort listener (or `AbortSignal.any()`) costs more than all the
 * rest of a call (bench/sdk.ts).
 */
class AttemptInit implements RequestInit {
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly request: Request;
  #controller: AbortController | undefined;
  readonly #reject: (reason: unknown) => void;
  readonly #onCallerAbort = () => this.abort(this.request.signal.reason);

  constructor(request: Request, timeoutMs: number, reject: (reason: unknown) => void) {
    this.deadline = Date.now() + timeoutMs;
    this.timeoutMs = timeoutMs;
    this.request = request;
    this.#reject = reject;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.request.signal.aborted) this.#onCallerAbort();
      else this.request.signal.addEventListener('abort', this.#onCallerAbort, { once: true });
    }
    return this.#controller.signal;
  }

  /** Ends the attempt with `reason`, cancelling the request if `fetch` took the signal. */
  abort(reason: unknown): void {
    this.release();
    this.#controller?.abort(reason);
    this.#reject(reason);
  }

  /** Stops listening to the caller's signal (the attempt is over). */
  release(): void {
    if (this.#controller) this.request.signal.removeEventListener('abort', this.#onCallerAbort);
  }
}

/** Build the wrapped `fetch`. */
export function createTransport(options: TransportOptions): FetchLike {
  const { fetch, timeoutMs, maxRetries, maxRetryDelayMs, sleep, redact, log, onRetry } = options;

  // Deadlines: one shared, unref'd ticker checks the attempts in flight and stops when none is left; a timer per
  // attempt costs more than the rest of the transport on Node 20 (bench/sdk.ts). A timeout fires between
  // `timeoutMs` and `timeoutMs` plus one tick (a tenth of it, 5 ms to 1 s).
  const inFlight = new Set<AttemptInit>();
  let ticker: ReturnType<typeof setInterval> | undefined;
  let tickMs = Infinity;
  function sweep() {
    if (inFlight.size === 0) {
      clearInterval(ticker);
      ticker = undefined;
      tickMs = Infinity;
      return;
    }
    const now = Date.now();
    for (const attempt of inFlight) {
      if (attempt.deadline <= now) attempt.abort(new TimeoutError(describe(attempt.request), attempt.timeoutMs));
    }
  }
  function watch(attempt: AttemptInit) {
    inFlight.add(attempt);
    const tick = Math.max(5, Math.min(1000, Math.floor(attempt.timeoutMs / 10)));
    if (tick >= tickMs) return;
    clearInterval(ticker);
    tickMs = tick;
    ticker = setInterval(sweep, tick);
    (ticker as { unref?: () => void }).unref?.();
  }

  /** One try, raced against its deadline and the caller's signal (either ends it even if `fetch` ignores its signal). */
  function attempt(request: Request, ms: number): Promise<Response> {
    if (!(ms > 0 && ms < Infinity)) return fetch(request);
    return new Promise<Response>((resolve, reject) => {
      const init = new AttemptInit(request, ms, (reason) => {
        inFlight.delete(init);
        reject(reason);
      });
      watch(init);
      fetch(request, init).then(
        (response) => {
          inFlight.delete(init);
          init.release();
          resolve(response);
        },
        (error: unknown) => {
          inFlight.delete(init);
          init.release();
          reject(error);
        },
      );
    });
  }

  function retrying(retry: RetryInfo) {
    (retry.waitMs >= LONG_WAIT_MS ? log.longWait : log.warn)?.(
      `${retry.request} attempt ${retry.attempt} failed (${retry.reason}); retrying in ${Math.round(retry.waitMs)} ms`,
    );
    onRetry?.(retry);
  }

  function answer(request: Request, response: Response): Response {
    if (Object.isExtensible(response)) (response as Response & { [ANSWERS]?: Request })[ANSWERS] = request;
    return response;
  }

  return async function send(request: Request): Promise<Response> {
    // per-call options: openapi-fetch copies unknown init keys onto the Request it builds
    const call = request as Request & CallOptions;
    const ms =
      call.timeoutMs === undefined ? timeoutMs : nonNegative(call.timeoutMs, timeoutMs, 'timeoutMs', describe(request));
    const max =
      call.maxRetries === undefined
        ? maxRetries
        : nonNegative(call.maxRetries, maxRetries, 'maxRetries', describe(request), true);
    const retries = RETRYABLE_METHODS.has(request.method) ? max : 0;
    for (let n = 0; ; n++) {
      const last = n >= retries;
      // a body can be read once: send a clone while a retry may still need the original
      const outgoing = last || request.body === null ? request : request.clone();
      log.debug?.(`${describeForLog(request)} sending (attempt ${n + 1} of ${retries + 1})`);
      const started = log.info ? Date.now() : 0;
      let response: Response;
      try {
        response = await attempt(outgoing, ms);
      } catch (error) {
        if (request.signal.aborted) throw error; // the caller aborted: not ours to retry or rename
        const reason = redact(error instanceof Error ? error.message : String(error));
        if (last) {
          // a cause whose message quotes the key (a chatty custom fetch) is replaced by a redacted copy
          const cause =
            error instanceof Error && reason !== error.message
              ? Object.assign(new Error(reason), { name: error.name })
              : error;
          const failure =
            error instanceof ApiConnectionError
              ? error
              : new ApiConnectionError(
                  `Could not reach the API: ${describe(request)} failed (${reason})` +
                    (retries ? ` after ${n + 1} attempts.` : '.'),
                  describe(request),
                  { cause },
                );
          log.error?.(failure.message);
          throw failure;
        }
        const wait = Math.min(backoffMs(n), maxRetryDelayMs);
        retrying({ request: describeForLog(request), attempt: n + 1, reason, waitMs: wait });
        await sleep(wait);
        continue;
      }
      log.info?.(
        `${describeForLog(request)} ${response.status} in ${Date.now() - started} ms (attempt ${n + 1} of ${retries + 1})`,
      );
      if (last || !RETRYABLE_STATUSES.has(response.status)) return answer(request, response);
      const asked = await serverDelayMs(response);
      const wait = asked ?? Math.min(backoffMs(n), maxRetryDelayMs);
      if (wait > maxRetryDelayMs) return answer(request, response); // the server wants longer than we may wait: let the caller decide
      retrying({
        request: describeForLog(request),
        attempt: n + 1,
        reason: `HTTP ${response.status}`,
        status: response.status,
        waitMs: wait,
      });
      await response.body?.cancel().catch(() => {});
      await sleep(wait);
    }
  };
}
