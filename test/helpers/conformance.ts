/**
 * Conformance, enforced by every suite that talks to a mock: each answer must validate against the spec's
 * schema for its operation and status, and the status must be one the spec documents for that operation
 * (unknown routes must answer the API's own error envelope).
 * The control API under /__mock is held to openapi/mock/ the same way, and its errors must also be the
 * mocked API's own error envelope (the rule that description states).
 * Requests too, when the caller passes what it sent: the control API answers 400 (or 413) exactly when
 * openapi/mock/ refuses the request (the branch of its API, `x-mock-api`), and no API operation answers a
 * success to a body its schema refuses.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { createAjv, loadAjv } from '../../mock-server/src/pipeline/ajv.ts';
import { addRoute, createRouter, findRoute } from 'rou3';
import { requestSchemaFor } from '../../mock-server/src/control/control-api.ts';
import { isJsonMediaType } from '../../mock-server/src/pipeline/body.ts';
import { spec as controlSpec } from '../../mock-server/src/generated/mock.spec.ts';
import { apiModel, type ApiName, type OperationModel } from '../../mock-server/src/model/index.ts';

await loadAjv();
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
  parameters?: { in: string }[];
  /** Rules the mock enforces beyond the request schema, stated in openapi/mock/ for readers. */
  'x-also-refused'?: string[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

/** What a test sent, for the request half of the check (a body that is not text is not judged). */
export interface SentRequest {
  body?: unknown;
  /** The Content-Type sent (fetch sends `text/plain` for a string body without one). */
  contentType?: string | null;
}

type Parsed = { ok: true; value: unknown } | { ok: false };
function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Why openapi/mock/ refuses this request for this API's mock, or undefined when it takes it. */
function controlRefusal(
  api: ApiName,
  op: ControlOperation,
  text: string,
  contentType: string | null | undefined,
): string | undefined {
  if (text === '') return op.requestBody?.required ? 'the required body is missing' : undefined;
  if (contentType !== undefined && !isJsonMediaType(contentType)) return 'the body is not sent as application/json';
  const parsed = parseJson(text);
  if (!parsed.ok) return 'the body is not JSON';
  const schema = op.requestBody?.content?.['application/json']?.schema;
  if (!schema) return undefined;
  const validate = validatorFor(requestSchemaFor(schema, api));
  return validate(parsed.value) ? undefined : ajv.errorsText(validate.errors);
}

function controlRequestProblem(
  api: ApiName,
  op: ControlOperation,
  status: number,
  request: SentRequest,
): string | undefined {
  if (typeof (request.body ?? '') !== 'string') return undefined;
  const refusal = controlRefusal(api, op, (request.body as string | undefined) ?? '', request.contentType);
  // The Node server's guard (401, 403) answers before the body is read.
  if (refusal !== undefined && ![400, 413, 401, 403].includes(status))
    return `${op.operationId}: openapi/mock/ refuses this request (${refusal}), but the ${api} mock answered ${status}`;
  // A 400 the schema does not explain must be one of the rules openapi/mock/ states beside it (`x-also-refused`),
  // or come from the query, which this check does not judge (its parameters' schemas say what they take).
  const explained =
    Boolean(op['x-also-refused']?.length) || Boolean(op.parameters?.some((param) => param.in === 'query'));
  if (refusal === undefined && status === 400 && !explained)
    return `${op.operationId}: openapi/mock/ takes this request, but the ${api} mock answered 400`;
  return undefined;
}

/** An API operation must not answer a success to a JSON body its schema refuses. */
function apiRequestProblem(op: OperationModel, status: number, request: SentRequest): string | undefined {
  if (!op.requestBody || typeof request.body !== 'string' || status >= 300) return undefined;
  const parsed = parseJson(request.body);
  if (!parsed.ok) return undefined;
  const validate = validatorFor(op.requestBody.schema);
  return validate(parsed.value)
    ? undefined
    : `${op.operationId} answered ${status} to a body its schema refuses: ${ajv.errorsText(validate.errors)}`;
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

function controlProblem(
  api: ApiName,
  method: string,
  path: string,
  status: number,
  body: unknown,
  request?: SentRequest,
): string | undefined {
  if (status >= 400) {
    const validate = validatorFor(errorSchemaOf(api));
    if (!validate(body))
      return `control ${method} ${path} → ${status}: not the ${api} error envelope: ${ajv.errorsText(validate.errors)}`;
  }
  const op = controlOperationFor(method, path);
  if (!op)
    return status === 404
      ? undefined
      : `control ${method} ${path} → ${status}: an unknown control route must answer 404`;
  const requestProblem = request && controlRequestProblem(api, op, status, request);
  if (requestProblem) return requestProblem;
  const response = op.responses[String(status)];
  if (!response) return `${op.operationId} answered ${status}, which openapi/mock/ does not document`;
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return body === undefined ? undefined : `${op.operationId} ${status} should have no body`;
  const validate = validatorFor(schema);
  return validate(body)
    ? undefined
    : `${op.operationId} ${status} does not match openapi/mock/: ${ajv.errorsText(validate.errors)}`;
}

/** Statuses the mock may send that no operation documents: transport-level refusals. */
const TRANSPORT_STATUSES = new Set([431]);

export function conformanceProblem(
  api: ApiName,
  method: string,
  path: string,
  status: number,
  bodyText: string,
  request?: SentRequest,
): string | undefined {
  let body: unknown;
  try {
    body = bodyText === '' ? undefined : JSON.parse(bodyText);
  } catch {
    return `${method} ${path} → ${status}: body is not JSON: ${bodyText.slice(0, 80)}`;
  }
  if (path === '/__mock' || path.startsWith('/__mock/'))
    return controlProblem(api, method, path, status, body, request);
  const op = operationFor(api, method, path);
  const requestProblem = op && request && apiRequestProblem(op, status, request);
  if (requestProblem) return requestProblem;
  const errorSchema = errorSchemaOf(api);
  if (!op || TRANSPORT_STATUSES.has(status)) {
    const validate = validatorFor(errorSchema);
    if (status < 400 || status > 499)
      return `${method} ${path} → ${status}: an unknown route or a transport-level refusal must be a 4xx`;
    return validate(body)
      ? undefined
      : `${method} ${path} → ${status}: not the API's error envelope: ${ajv.errorsText(validate.errors)}`;
  }
  const response = op.responses.get(status);
  if (!response) {
    // A mock-only refusal (e.g. a Prefer header asking for an undocumented code) still uses the envelope.
    const validate = validatorFor(errorSchema);
    return status === 400 && validate(body)
      ? undefined
      : `${op.operationId} answered ${status}, which its spec does not document`;
  }
  if (!response.schema) return body === undefined ? undefined : `${op.operationId} ${status} should have no body`;
  const validate = validatorFor(response.schema);
  return validate(body)
    ? undefined
    : `${op.operationId} ${status} does not match its schema: ${ajv.errorsText(validate.errors)}`;
}
