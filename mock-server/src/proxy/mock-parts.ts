/**
 * What the proxy reuses from the mock's request pipeline (validators, error envelopes, body rules).
 * The one file that names those modules, so moving them changes one place here.
 */
export { createAjv } from '../http/ajv.ts';
export { dialectFor, reasonDialect } from '../http/dialect.ts';
export { isJsonMediaType, MAX_BODY_BYTES } from '../http/pipeline.ts';
export { fastifyMessage, OperationValidatorCache } from '../http/validation.ts';
