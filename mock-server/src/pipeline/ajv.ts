/**
 * The one way this project builds a JSON Schema 2020-12 validator (OpenAPI 3.1) with the standard formats.
 *
 * Ajv and ajv-formats are loaded when first needed (`await loadAjv()`), not when the mock starts: importing
 * them was a quarter of the CLI's cold start (about 45 ms of 195), and a mock answering `GET /v1/shop` first
 * needs no validator. Whoever builds a validator loads them first; the proxy, whose checks are synchronous,
 * imports them itself and hands them over (`provideAjv`). Web APIs only: the MSW handlers run this in browsers.
 */
import type { Ajv2020, Options } from 'ajv/dist/2020.js';

type AjvClass = typeof Ajv2020;
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;

let AjvConstructor: AjvClass | undefined;
let addFormats: FormatsPlugin | undefined;
let loading: Promise<void> | undefined;

/** Hands over Ajv and ajv-formats imported by the caller (CommonJS modules arrive wrapped or not, by loader). */
export function provideAjv(ajvModule: unknown, formatsModule: unknown): void {
  const ajv = ajvModule as { Ajv2020?: AjvClass; default?: AjvClass | { Ajv2020?: AjvClass } };
  AjvConstructor =
    ajv.Ajv2020 ?? (ajv.default as { Ajv2020?: AjvClass } | undefined)?.Ajv2020 ?? (ajv.default as AjvClass);
  const formats = formatsModule as FormatsPlugin & { default?: FormatsPlugin & { default?: FormatsPlugin } };
  addFormats = formats.default?.default ?? formats.default ?? formats;
}

/** Whether validators can be built now, without waiting. */
export function ajvReady(): boolean {
  return AjvConstructor !== undefined;
}

/** Loads Ajv and ajv-formats once; later calls return the same promise. */
export function loadAjv(): Promise<void> {
  if (ajvReady()) return Promise.resolve();
  return (loading ??= Promise.all([import('ajv/dist/2020.js'), import('ajv-formats')]).then(([ajv, formats]) =>
    provideAjv(ajv, formats),
  ));
}

/** Spec schemas carry `examples`, `x-…` and other annotations Ajv's strict mode would refuse. */
export function createAjv(options: Options = {}): Ajv2020 {
  if (!AjvConstructor || !addFormats)
    throw new Error('Ajv is not loaded yet: await loadAjv() before building a validator');
  return addFormats(new AjvConstructor({ strict: false, ...options }));
}
