/**
 * What the proxy reuses from the mock's request pipeline (validators, error envelopes, body rules).
 * The one file that names those modules, so moving them changes one place here.
 */
export { createAjv } from '../pipeline/ajv.ts';
export { createDialect as dialectFor } from '../pipeline/dialect.ts';
export { isJsonMediaType } from '../pipeline/body.ts';
export { MAX_BODY_BYTES } from '../model/index.ts';
export { fastifyMessage, OperationValidatorCache } from '../pipeline/validation.ts';
