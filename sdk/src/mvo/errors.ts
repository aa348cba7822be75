/**
 * @module
 * The MVO error body, from the spec (`{ error, message }`), and small checks on it or on a `Response`.
 */
import type { components } from './generated/schema.js';

/** Every MVO error: `error` is the HTTP reason phrase (`Unauthorized`), `message` says what went wrong. */
export type MvoError = components['schemas']['Error'];

type ErrorOrResponse = MvoError | Response | null | undefined;

const AUTH_REASONS: ReadonlySet<string> = new Set(['Unauthorized', 'Forbidden']);

/** 401 (key missing, invalid, revoked, expired) or 403 (not allowed, e.g. customer limit reached). */
export function isAuthError(value: ErrorOrResponse): boolean {
  if (value instanceof Response) return value.status === 401 || value.status === 403;
  return typeof value?.error === 'string' && AUTH_REASONS.has(value.error);
}

/** 429 Too Many Requests (already retried for idempotent methods when `maxRetries` > 0). */
export function isRateLimited(value: ErrorOrResponse): boolean {
  if (value instanceof Response) return value.status === 429;
  return value?.error === 'Too Many Requests';
}
