/**
 * @module
 * `virtual-commerce-sdk/tvm`: The Virtual Mall API client and its types.
 */
export { createTvmClient, type TvmClient, type TvmClientOptions } from './client.js';
export { isAuthError, isRateLimited, type TvmError, type TvmErrorCode } from './errors.js';
export { facts } from './generated/facts.js';
export type { paths, components, operations } from './generated/schema.js';
export { ApiConnectionError, ConfigurationError, TimeoutError } from '../shared/errors.js';
export type { FetchLike } from '../shared/transport.js';
export type { ClientDescription } from '../shared/options.js';
