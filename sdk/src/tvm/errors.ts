/**
 * @module
 * The TVM error envelope, from the spec (`{ success: false, error: { code, message, details?, retryAfter? } }`),
 * and small checks on it or on a `Response`.
 */
import type { components } from './generated/schema.js';
import { facts } from './generated/facts.js';
import { createErrorFactory, createUnwrap, errorClasses } from '../shared/api-errors.js';

/** Every TVM error. */
export type TvmError = components['schemas']['ErrorEnvelope'];
/** `UNAUTHORIZED`, `FORBIDDEN`, `RATE_LIMITED`, `VALIDATION_ERROR`, `NOT_FOUND`, `SHOP_NOT_FOUND`. */
export type TvmErrorCode = components['schemas']['ErrorCode'];

type ErrorOrResponse = TvmError | Response | string | null | undefined;

/** 401 `UNAUTHORIZED` (key missing or invalid) or 403 `FORBIDDEN` (disabled, expired, or missing a scope). */
export function isAuthError(value: ErrorOrResponse): boolean {
  if (value instanceof Response) return value.status === 401 || value.status === 403;
  if (typeof value !== 'object' || value === null) return false;
  const errorCode = value.error?.code;
  return errorCode === 'UNAUTHORIZED' || errorCode === 'FORBIDDEN';
}

/** 429 `RATE_LIMITED` (already retried for idempotent methods when `maxRetries` > 0). */
export function isRateLimited(value: ErrorOrResponse): boolean {
  if (value instanceof Response) return value.status === 429;
  return typeof value === 'object' && value?.error?.code === 'RATE_LIMITED';
}

/** `FORBIDDEN: Missing required scope: shops:read`: the envelope's code and message, for exception messages. */
function apiMessage(body: TvmError): string | undefined {
  return body?.error?.code ? `${body.error.code}: ${body.error.message}` : undefined;
}

/** Throws the `ApiError` subclass of an error answer, `body` typed as this API's envelope (or text, or undefined). */
export const throwApiError = createErrorFactory<TvmError>(apiMessage);

/**
 * A path call's payload, what the resource methods return (TVM: the envelope’s `data`), or throws:
 * `BadRequestError` (400), `AuthenticationError` (401), `PermissionDeniedError` (403), `NotFoundError` (404),
 * `ConflictError` (409), `RateLimitError` (429), `InternalServerError` (5xx), else `ApiError`.
 */
export const unwrap = createUnwrap(throwApiError, facts.enveloped);

export const {
  ApiError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  InternalServerError,
} = errorClasses<TvmError>();
export type ApiError = InstanceType<typeof ApiError>;
export type BadRequestError = InstanceType<typeof BadRequestError>;
export type AuthenticationError = InstanceType<typeof AuthenticationError>;
export type PermissionDeniedError = InstanceType<typeof PermissionDeniedError>;
export type NotFoundError = InstanceType<typeof NotFoundError>;
export type ConflictError = InstanceType<typeof ConflictError>;
export type RateLimitError = InstanceType<typeof RateLimitError>;
export type InternalServerError = InstanceType<typeof InternalServerError>;
