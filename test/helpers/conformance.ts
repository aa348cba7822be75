/**
 * Response conformance, enforced by every suite that talks to a mock: each answer must validate
 * against the spec's schema for its operation and status, and the status must be one the spec
 * documents for that operation (unknown routes must answer the API's own error envelope).
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { createAjv } from '../../mock-server/src/pipeline/ajv.ts';
import { addRoute, createRouter, findRoute } from 'rou3';
import { apiModel, type ApiName, type OperationModel } from '../../mock-server/src/model/index.ts';

const ajv = createAjv({ allErrors: true });
const validators = new Map<unknown, ValidateFunction>();
const validatorFor = (schema: object) => {
  let validate = validators.get(schema);
  if (!validate) validators.set(schema, (validate = ajv.compile(schema)));
  return validate;
};

const routers = new Map<ApiName, ReturnType<typeof createRouter<OperationModel>>>();
function operationFor(api: ApiName, method: string, path: string): OperationModel | undefined {
  let router = routers.get(api);
  if (!router) {
    router = createRouter<OperationModel>();
    for (const op of apiModel(api).operations) addRoute(router, op.method, op.routePath, op);
    routers.set(api, router);
  }
  return findRoute(router, method, path)?.data;
}

/** Statuses the mock may send that no operation documents: transport-level refusals. */
const TRANSPORT_STATUSES = new Set([431]);

export function conformanceProblem(api: ApiName, method: string, path: string, status: number, bodyText: string): string | undefined {
  if (path.startsWith('/__mock')) return undefined;
  const op = operationFor(api, method, path);
  let body: unknown;
  try {
    body = bodyText === '' ? undefined : JSON.parse(bodyText);
  } catch {
    return `${method} ${path} → ${status}: body is not JSON: ${bodyText.slice(0, 80)}`;
  }
  const errorSchema = apiModel(api).operations[0].responses.get(401)!.schema!;
  if (!op || TRANSPORT_STATUSES.has(status)) {
    const validate = validatorFor(errorSchema);
    if (status < 400 || status > 499) return `${method} ${path} → ${status}: an unknown route or a transport-level refusal must be a 4xx`;
    return validate(body) ? undefined : `${method} ${path} → ${status}: not the API's error envelope: ${ajv.errorsText(validate.errors)}`;
  }
  const response = op.responses.get(status);
  if (!response) {
    // A mock-only refusal (e.g. a Prefer header asking for an undocumented code) still uses the envelope.
    const validate = validatorFor(errorSchema);
    return status === 400 && validate(body) ? undefined : `${op.operationId} answered ${status}, which its spec does not document`;
  }
  if (!response.schema) return body === undefined ? undefined : `${op.operationId} ${status} should have no body`;
  const validate = validatorFor(response.schema);
  return validate(body) ? undefined : `${op.operationId} ${status} does not match its schema: ${ajv.errorsText(validate.errors)}`;
}
