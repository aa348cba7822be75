/**
 * Response conformance, enforced by every suite that talks to a mock: each answer must validate
 * against the spec's schema for its operation and status, and the status must be one the spec
 * documents for that operation (unknown routes must answer the API's own error envelope).
 * The control API under /__mock is held to openapi/mock/ the same way, and its errors must also be
 * the mocked API's own error envelope (the rule that description states).
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { createAjv } from '../../mock-server/src/pipeline/ajv.ts';
import { addRoute, createRouter, findRoute } from 'rou3';
import { spec as controlSpec } from '../../mock-server/src/generated/mock.spec.ts';
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

interface ControlOperation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}
let controlRouter: ReturnType<typeof createRouter<ControlOperation>> | undefined;
function controlOperationFor(method: string, path: string): ControlOperation | undefined {
  if (!controlRouter) {
    controlRouter = createRouter<ControlOperation>();
    for (const [template, item] of Object.entries<Record<string, any>>(controlSpec.paths)) {
      for (const [verb, op] of Object.entries<any>(item)) {
        if (op?.operationId) addRoute(controlRouter, verb.toUpperCase(), template.replace(/\{([^}]+)\}/g, ':$1'), op);
      }
    }
  }
  return findRoute(controlRouter, method, path)?.data;
}

/** The API's own error envelope (every operation documents its 401 with it). */
const errorSchemaOf = (api: ApiName) => apiModel(api).operations[0].responses.get(401)!.schema!;

function controlProblem(api: ApiName, method: string, path: string, status: number, body: unknown): string | undefined {
  if (status >= 400) {
    const validate = validatorFor(errorSchemaOf(api));
    if (!validate(body)) return `control ${method} ${path} → ${status}: not the ${api} error envelope: ${ajv.errorsText(validate.errors)}`;
  }
  const op = controlOperationFor(method, path);
  if (!op) return status === 404 ? undefined : `control ${method} ${path} → ${status}: an unknown control route must answer 404`;
  const response = op.responses[String(status)];
  if (!response) return `${op.operationId} answered ${status}, which openapi/mock/ does not document`;
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return body === undefined ? undefined : `${op.operationId} ${status} should have no body`;
  const validate = validatorFor(schema);
  return validate(body) ? undefined : `${op.operationId} ${status} does not match openapi/mock/: ${ajv.errorsText(validate.errors)}`;
}

/** Statuses the mock may send that no operation documents: transport-level refusals. */
const TRANSPORT_STATUSES = new Set([431]);

export function conformanceProblem(api: ApiName, method: string, path: string, status: number, bodyText: string): string | undefined {
  let body: unknown;
  try {
    body = bodyText === '' ? undefined : JSON.parse(bodyText);
  } catch {
    return `${method} ${path} → ${status}: body is not JSON: ${bodyText.slice(0, 80)}`;
  }
  if (path === '/__mock' || path.startsWith('/__mock/')) return controlProblem(api, method, path, status, body);
  const op = operationFor(api, method, path);
  const errorSchema = errorSchemaOf(api);
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
