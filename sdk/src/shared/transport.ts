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
 */
import { ApiConnectionError, TimeoutError } from './errors.js';

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

function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
}

/** How long the server asked us to wait, in ms, or `undefined` if it did not say. */
export async function serverDelayMs(response: Response, now = Date.now()): Promise<number | undefined> {
  if (response.headers.get('content-type')?.includes('json')) {
    try {
      const body = (await response.clone().json()) as { error?: { retryAfter?: unknown } } | null;
      const seconds = body?.error?.retryAfter;
      if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    } catch {
      // not JSON after all: fall through to the headers
    }
  }
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
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

/** An attempt waiting for its answer: when it is due, and how to end it then. */
interface Deadline {
  readonly at: number;
  expire(): void;
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
  const { fetch, timeoutMs, maxRetries, maxRetryDelayMs, sleep, redact } = options;

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
      const init = new AttemptInit(request, ms, (reason) => (inFlight.delete(init), reject(reason)));
      watch(init);
      fetch(request, init).then(
        (response) => (inFlight.delete(init), init.release(), resolve(response)),
        (error: unknown) => (inFlight.delete(init), init.release(), reject(error)),
      );
    });
  }

  return async function send(request: Request): Promise<Response> {
    const retries = RETRYABLE_METHODS.has(request.method) ? maxRetries : 0;
    for (let n = 0; ; n++) {
      const last = n >= retries;
      // a body can be read once: send a clone while a retry may still need the original
      const outgoing = last || request.body === null ? request : request.clone();
      let response: Response;
      try {
        response = await attempt(outgoing, timeoutMs);
      } catch (error) {
        if (request.signal.aborted) throw error; // the caller aborted: not ours to retry or rename
        if (last) {
          if (error instanceof ApiConnectionError) throw error;
          const reason = error instanceof Error ? error.message : String(error);
          const safe = redact(reason);
          // a cause whose message quotes the key (a chatty custom fetch) is replaced by a redacted copy
          const cause = safe === reason ? error : Object.assign(new Error(safe), { name: (error as Error).name });
          throw new ApiConnectionError(
            `Could not reach the API: ${describe(request)} failed (${safe})` + (retries ? ` after ${n + 1} attempts.` : '.'),
            describe(request),
            { cause },
          );
        }
        await sleep(Math.min(backoffMs(n), maxRetryDelayMs));
        continue;
      }
      if (last || !RETRYABLE_STATUSES.has(response.status)) return response;
      const asked = await serverDelayMs(response);
      const wait = asked ?? Math.min(backoffMs(n), maxRetryDelayMs);
      if (wait > maxRetryDelayMs) return response; // the server wants longer than we may wait: let the caller decide
      await response.body?.cancel().catch(() => {});
      await sleep(wait);
    }
  };
}
