/**
 * What the proxy reuses from the mock's request pipeline (validators, error envelopes, body rules).
 * The one file that names those modules, so moving them changes one place here.
 */
import * as ajv from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { provideAjv } from '../pipeline/ajv.ts';

// The proxy's checks are synchronous: it imports Ajv itself rather than loading it on first need as the mock does.
// A side effect on import, so package.json's `sideEffects` names this file (bundlers must keep it).
provideAjv(ajv, ajvFormats);

export { createAjv } from '../pipeline/ajv.ts';
export { createDialect as dialectFor } from '../pipeline/dialect.ts';
export { isJsonMediaType } from '../pipeline/body.ts';
export { MAX_BODY_BYTES } from '../model/index.ts';
export { fastifyMessage, OperationValidatorCache } from '../pipeline/validation.ts';
export { MAX_DEPTH_KEYWORD } from '../pipeline/value-limits.ts';
