/** How a Redis store is named on the command line (kept apart from the client, which loads only when used). */

/** `--store`: redis:// or rediss:// (TLS), with an optional user, password and database number. */
export const REDIS_URL_PATTERN = /^rediss?:\/\/[^\s]+$/;
/** Sandboxes share one Redis under their own prefix (`--store-prefix`): their keys are `<prefix>:<api>:…`. */
export const DEFAULT_STORE_PREFIX = 'vcm';
export const STORE_PREFIX_PATTERN = /^[\w.:-]+$/;
