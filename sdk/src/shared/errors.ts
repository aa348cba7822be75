/**
 * @module
 * The errors the SDK throws itself. API errors (4xx/5xx) are never thrown: they come back typed as
 * `{ error, response }` from each call, as openapi-fetch does. What is thrown is a misconfigured client
 * (at construction) or a request that never got an answer (network failure, timeout).
 */

/** Thrown by `createMvoClient()` / `createTvmClient()` when the options cannot work. Fix the configuration. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** The request got no HTTP response: DNS, TLS, connection reset, or a `fetch` that rejected. Retried for idempotent methods. */
export class ApiConnectionError extends Error {
  override readonly name: string = 'ApiConnectionError';
  /** Method and URL (without query string) of the failed request. */
  readonly request: string;
  constructor(message: string, request: string, options?: { cause?: unknown }) {
    super(message, options);
    this.request = request;
  }
}

/** No response headers arrived within `timeoutMs` (per attempt). Retried for idempotent methods. */
export class TimeoutError extends ApiConnectionError {
  override readonly name = 'TimeoutError';
  readonly timeoutMs: number;
  constructor(request: string, timeoutMs: number) {
    super(
      `Request timed out after ${timeoutMs} ms: ${request}. Raise \`timeoutMs\` if the API is slow, or check the base URL.`,
      request,
    );
    this.timeoutMs = timeoutMs;
  }
}
