/**
 * @module
 * `virtual-commerce-sdk/mvo`: the My Virtual Office API client and its types.
 */
export { createMvoClient, type MvoClient, type MvoClientOptions } from './client.js';
export {
  isAuthError,
  isRateLimited,
  unwrap,
  ApiError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  InternalServerError,
  type MvoError,
} from './errors.js';
export { facts } from './generated/facts.js';
export type { paths, components, operations } from './generated/schema.js';
export type * from './generated/models.js';
export type { ApiCall, PagedCall, RequestOptions, WithResponse } from '../shared/resources.js';
export { ApiConnectionError, ConfigurationError, TimeoutError } from '../shared/errors.js';
export type { CallOptions, FetchLike, RetryInfo } from '../shared/transport.js';
export type { Logger, LogLevel } from '../shared/log.js';
export type { ClientDescription } from '../shared/options.js';
