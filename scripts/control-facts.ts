/**
 * The control API (openapi/mock/) states exactly what each mock enforces, and some of that is a fact of the
 * mocked API: its scopes, the key states it documents answers for, the error statuses its operations document.
 * Those facts live once, in openapi/mvo/ and openapi/tvm/: a schema of openapi/mock/ marked
 * `x-enum-from: {api, fact}` gets its `enum` from that API's description when the bundles are built.
 */
import { failureTable, settableStatuses } from '../mock-server/src/auth/failures.ts';
import { buildApiModel } from '../mock-server/src/model/api-model.ts';
import type { ApiModel, ApiName } from '../mock-server/src/model/types.ts';

type Json = Record<string, any>;

const FACTS: Record<string, (model: ApiModel) => (string | number)[]> = {
  scopes: (model) => Object.keys(model.scopes),
  'key-statuses': (model) => settableStatuses(failureTable(model)),
  'error-statuses': (model) => [...new Set(model.operations.flatMap((op) => [...op.responses.keys()]))].filter((status) => status >= 400).sort((a, b) => a - b),
};

/** Fills every `x-enum-from` schema of a control-API document (bundled or dereferenced) in place. */
export function fillControlEnums(controlDoc: Json, apiDocs: Record<ApiName, Json>): void {
  const models = new Map<string, ApiModel>();
  const modelOf = (api: ApiName) => {
    if (!apiDocs[api]) throw new Error(`openapi/mock/: x-enum-from names an unknown API "${api}"`);
    if (!models.has(api)) models.set(api, buildApiModel(api, apiDocs[api]));
    return models.get(api)!;
  };
  const pending: unknown[] = [controlDoc];
  while (pending.length) {
    const value = pending.pop();
    if (!value || typeof value !== 'object') continue;
    const from = (value as Json)['x-enum-from'];
    if (from) {
      const fact = FACTS[from.fact];
      if (!fact) throw new Error(`openapi/mock/: x-enum-from names an unknown fact "${from.fact}" (known: ${Object.keys(FACTS).join(', ')})`);
      (value as Json).enum = fact(modelOf(from.api));
    }
    pending.push(...Object.values(value));
  }
}
