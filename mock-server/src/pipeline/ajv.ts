/** The one way this project builds a JSON Schema 2020-12 validator (OpenAPI 3.1) with the standard formats. */
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; depending on the loader its default export arrives wrapped or not.
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** Spec schemas carry `examples`, `x-…` and other annotations Ajv's strict mode would refuse. */
export function createAjv(options: Options = {}): Ajv2020 {
  return addFormats(new Ajv2020({ strict: false, ...options }));
}
