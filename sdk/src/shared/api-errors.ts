/**
 * @module
 * Error answers as exceptions: the resource methods (and `unwrap(call)` around a path call) throw one of these
 * classes, chosen by status, each carrying the status, the error body, the request id where the API gives one, and
 * a message naming the request and the API's own message. The path methods' `{ data, error }` stays as it is.
 */
import { askedDelayMs, requestOf } from './transport.js';

export interface ApiErrorDetails<Body> {
  status: number;
  body: Body | string | undefined;
  requestId?: string | undefined;
  /** `GET https://host/path` (no query string) of the failed call. */
  request: string;
}

/** An error answer (4xx/5xx) from the API. Every class below is one. */
export class ApiError<Body = unknown> extends Error {
  override readonly name: string = 'ApiError';
  readonly status: number;
  /**
   * The error body: the API's envelope (MVO `{ error, message }`, TVM `{ success: false, error }`) when the answer
   * was JSON, the text when it was not (an HTML 502 from a proxy), `undefined` when it was empty. Narrow with
   * `typeof err.body === 'object'`.
   */
  readonly body: Body | string | undefined;
  readonly requestId: string | undefined;
  readonly request: string;
  constructor(message: string, details: ApiErrorDetails<Body>) {
    super(message);
    this.status = details.status;
    this.body = details.body;
    this.requestId = details.requestId;
    this.request = details.request;
  }
}

/** 400: the request was malformed or failed validation. */
export class BadRequestError<Body = unknown> extends ApiError<Body> {
  override readonly name: string = 'BadRequestError';
}
/** 401: the key is missing, invalid, revoked or expired. */
export class AuthenticationError<Body = unknown> extends ApiError<Body> {
  override readonly name: string = 'AuthenticationError';
}
/** 403: the key may not do this (TVM: disabled, expired or missing the scope; MVO: a limit such as customers). */
export class PermissionDeniedError<Body = unknown> extends ApiError<Body> {
  override readonly name: string = 'PermissionDeniedError';
}
/** 404: no such resource (or it belongs to another account). */
export class NotFoundError<Body = unknown> extends ApiError<Body> {
  override readonly name: string = 'NotFoundError';
}
/** 409: it clashes with what exists (MVO: a customer with this email). */
export class ConflictError<Body = unknown> extends ApiError<Body> {
  override readonly name: string = 'ConflictError';
}
/** 429: over the rate limit, after the SDK's own retries. */
export class RateLimitError<Body = unknown> extends ApiError<Body> {
  override readonly name: string = 'RateLimitError';
  /** Seconds the API asked to wait (TVM's `error.retryAfter`, `Retry-After` or `X-RateLimit-Reset`), if it said. */
  readonly retryAfter: number | undefined;
  constructor(message: string, details: ApiErrorDetails<Body> & { retryAfter?: number | undefined }) {
    super(message, details);
    this.retryAfter = details.retryAfter;
  }
}
/** 5xx: the API failed (503s are retried first for idempotent methods). */
export class InternalServerError<Body = unknown> extends ApiError<Body> {
  override readonly name: string = 'InternalServerError';
}

/** A class whose `instanceof` narrows to `E`. */
type ErrorClass<E, Details = ApiErrorDetails<E extends ApiError<infer Body> ? Body : never>> = new (
  message: string,
  details: Details,
) => E;

/** The classes, with `body` typed by one API's error envelope (the same classes at run time). */
export interface ApiErrorClasses<Body> {
  ApiError: ErrorClass<ApiError<Body>>;
  BadRequestError: ErrorClass<BadRequestError<Body>>;
  AuthenticationError: ErrorClass<AuthenticationError<Body>>;
  PermissionDeniedError: ErrorClass<PermissionDeniedError<Body>>;
  NotFoundError: ErrorClass<NotFoundError<Body>>;
  ConflictError: ErrorClass<ConflictError<Body>>;
  RateLimitError: ErrorClass<RateLimitError<Body>, ApiErrorDetails<Body> & { retryAfter?: number | undefined }>;
  InternalServerError: ErrorClass<InternalServerError<Body>>;
}

const CLASSES = {
  ApiError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  InternalServerError,
};

/** The error classes as one API's entry point exports them: `instanceof` works across both entry points. */
export const errorClasses = <Body>(): ApiErrorClasses<Body> => CLASSES;

const BY_STATUS: Readonly<Record<number, typeof ApiError>> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
};

/** A call's result as openapi-fetch returns it. */
export interface CallResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** Throws the `ApiError` subclass for an error answer. */
export type ApiErrorFactory = (result: CallResult) => never;

/**
 * The error factory of one API: `apiMessage` reads its error envelope (e.g. `FORBIDDEN: Missing required scope: …`)
 * for the message; a body that is not the envelope (text, empty) is kept as it came.
 */
export function createErrorFactory<Body>(apiMessage: (body: Body) => string | undefined): ApiErrorFactory {
  return function throwApiError(result: CallResult): never {
    const { response } = result;
    const raw = result.error;
    const body = raw === '' || raw === null ? undefined : (raw as Body | string | undefined);
    const request = requestOf(response) ?? `${response.url || 'request'}`;
    const said = typeof body === 'string' ? body.slice(0, 200) : body === undefined ? undefined : apiMessage(body);
    const message = `${request} failed with HTTP ${response.status}${said ? `: ${said}` : ''}`;
    const requestId = response.headers.get('x-request-id') ?? undefined;
    const details = { status: response.status, body, requestId, request };
    if (response.status === 429) {
      const ms = askedDelayMs(body, response);
      throw new RateLimitError<Body>(message, { ...details, retryAfter: ms === undefined ? undefined : ms / 1000 });
    }
    const ErrorClass = response.status >= 500 ? InternalServerError : (BY_STATUS[response.status] ?? ApiError);
    throw new ErrorClass<Body>(message, details);
  };
}

/** The payload of a success body: `data` of an envelope (`{ success, data, meta }`, TVM), else the body (MVO). */
export type Payload<Body> = Body extends { success: true; data: infer D; meta: unknown } ? D : Body;
/** The `data` of a result that has no `error`. */
export type DataOf<Result> = Result extends { error?: never; data: infer Data } ? Data : never;

/**
 * `unwrap` of one API, with one meaning for both: a path call's payload (what the resource methods return: TVM's
 * `data`, MVO's body), or the typed exception of {@link createErrorFactory}. A call that got no answer
 * (connection error, timeout, abort) rejects as it did without `unwrap`.
 */
export function createUnwrap(throwError: ApiErrorFactory, enveloped: boolean) {
  return async function unwrap<Result extends CallResult>(
    callOrResult: Result | Promise<Result>,
  ): Promise<Payload<DataOf<Result>>> {
    const result = await callOrResult;
    if (result.error !== undefined || !result.response.ok) return throwError(result);
    return (enveloped ? (result.data as { data?: unknown } | undefined)?.data : result.data) as Payload<DataOf<Result>>;
  };
}
