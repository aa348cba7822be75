/**
 * What the proxy reuses from the mock's request pipeline (validators, error envelopes, body rules).
 * The one file that names those modules, so moving them changes one place here.
 */
import * as ajv from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { provideAjv } from '../pipeline/ajv.ts';
import * as mvoValidators from '../generated/mvo.validators.ts';
import * as tvmValidators from '../generated/tvm.validators.ts';
import type { ApiName } from '../model/types.ts';
import type { PrecompiledValidators } from '../pipeline/validation.ts';

// The proxy's checks are synchronous: it imports Ajv itself (for the answers' schemas, which it compiles on first
// use) and the mock's precompiled request validators, rather than loading them on first need as the mock does.
// A side effect on import, so package.json's `sideEffects` names this file (bundlers must keep it).
provideAjv(ajv, ajvFormats);

export { createAjv } from '../pipeline/ajv.ts';
export { createDialect as dialectFor } from '../pipeline/dialect.ts';
export { isJsonMediaType } from '../pipeline/body.ts';
export { MAX_BODY_BYTES } from '../model/index.ts';
export { fastifyMessage, OperationValidatorCache } from '../pipeline/validation.ts';
export const precompiledValidators: Readonly<Record<ApiName, PrecompiledValidators>> = {
  mvo: mvoValidators,
  tvm: tvmValidators,
};
export { MAX_DEPTH_KEYWORD } from '../pipeline/value-limits.ts';
