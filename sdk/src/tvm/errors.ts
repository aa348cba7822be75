/**
 * @module
 * The TVM error envelope, from the spec (`{ success: false, error: { code, message, details?, retryAfter? } }`),
 * and small checks on it or on a `Response`.
 */
import type { components } from './generated/schema.js';

/** Every TVM error. */
export type TvmError = components['schemas']['ErrorEnvelope'];
/** `UNAUTHORIZED`, `FORBIDDEN`, `RATE_LIMITED`, `VALIDATION_ERROR`, `NOT_FOUND`, `SHOP_NOT_FOUND`. */
export type TvmErrorCode = components['schemas']['ErrorCode'];

type ErrorOrResponse = TvmError | Response | null | undefined;

/** 401 `UNAUTHORIZED` (key missing or invalid) or 403 `FORBIDDEN` (disabled, expired, or missing a scope). */
export function isAuthError(value: ErrorOrResponse): boolean {
  if (value instanceof Response) return value.status === 401 || value.status === 403;
  const errorCode = value?.error?.code;
  return errorCode === 'UNAUTHORIZED' || errorCode === 'FORBIDDEN';
}

/** 429 `RATE_LIMITED` (already retried for idempotent methods when `maxRetries` > 0). */
export function isRateLimited(value: ErrorOrResponse): boolean {
  if (value instanceof Response) return value.status === 429;
  return value?.error?.code === 'RATE_LIMITED';
}
