/** One model per API, built once per process from the embedded specs. */
import { spec as mvoSpec } from '../generated/mvo.spec.ts';
import { spec as tvmSpec } from '../generated/tvm.spec.ts';
import { buildApiModel, specKeyFormat } from './api-model.ts';
import type { ApiModel, ApiName, KeyFormat } from './types.ts';

export * from './types.ts';
export { exampleValue, exampleExtension } from './api-model.ts';
export { mintKey } from './key-format.ts';

const SPECS: Record<ApiName, unknown> = { mvo: mvoSpec, tvm: tvmSpec };

/** The largest body any API takes (each spec's `info.x-max-body-bytes`): adapters stop reading beyond it. */
export const MAX_BODY_BYTES: number = Math.max(
  ...Object.values(SPECS).map((spec) => (spec as Record<string, any>).info['x-max-body-bytes']),
);
const cache = new Map<ApiName, ApiModel>();

/** Every API's key format (without building the models): what a key looks like wherever it turns up. */
export const KEY_FORMATS: readonly KeyFormat[] = (Object.entries(SPECS) as [ApiName, Record<string, any>][]).map(
  ([api, spec]) => specKeyFormat(api, spec),
);

export function apiModel(api: ApiName): ApiModel {
  let model = cache.get(api);
  if (!model) {
    model = buildApiModel(api, SPECS[api] as Record<string, any>);
    cache.set(api, model);
  }
  return model;
}

export function embeddedSpec(api: ApiName): Record<string, any> {
  return SPECS[api] as Record<string, any>;
}
