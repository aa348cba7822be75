/**
 * @module
 * The MVO error body, from the spec (`{ error, message }`), and small checks on it or on a `Response`.
 */
import type { components } from './generated/schema.js';
import { facts } from './generated/facts.js';
import { createErrorFactory, createUnwrap, errorClasses } from '../shared/api-errors.js';

/** Every MVO error: `error` is the HTTP reason phrase (`Unauthorized`), `message` says what went wrong. */
export type MvoError = components['schemas']['Error'];

type ErrorOrResponse = MvoError | Response | string | null | undefined;

const AUTH_REASONS: ReadonlySet<string> = new Set(['Unauthorized', 'Forbidden']);

/** 401 (key missing, invalid, revoked, expired) or 403 (not allowed, e.g. customer limit reached). */
export function isAuthError(value: ErrorOrResponse): boolean {
  if (value instanceof Response) return value.status === 401 || value.status === 403;
  if (typeof value !== 'object' || value === null) return false;
  return typeof value.error === 'string' && AUTH_REASONS.has(value.error);
}

/** 429 Too Many Requests (already retried for idempotent methods when `maxRetries` > 0). */
export function isRateLimited(value: ErrorOrResponse): boolean {
  if (value instanceof Response) return value.status === 429;
  return typeof value === 'object' && value?.error === 'Too Many Requests';
}

/** `Conflict: A customer with this email already exists`: the reason phrase and message, for exception messages. */
function apiMessage(body: MvoError): string | undefined {
  return body?.message ? `${body.error}: ${body.message}` : undefined;
}

/** Throws the `ApiError` subclass of an error answer, `body` typed as this API's envelope (or text, or undefined). */
export const throwApiError = createErrorFactory<MvoError>(apiMessage);

/**
 * A path call's payload, what the resource methods return (MVO: the body), or throws:
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
} = errorClasses<MvoError>();
export type ApiError = InstanceType<typeof ApiError>;
export type BadRequestError = InstanceType<typeof BadRequestError>;
export type AuthenticationError = InstanceType<typeof AuthenticationError>;
export type PermissionDeniedError = InstanceType<typeof PermissionDeniedError>;
export type NotFoundError = InstanceType<typeof NotFoundError>;
export type ConflictError = InstanceType<typeof ConflictError>;
export type RateLimitError = InstanceType<typeof RateLimitError>;
export type InternalServerError = InstanceType<typeof InternalServerError>;
