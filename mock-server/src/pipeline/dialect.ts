/**
 * How one API writes its answers: the one home of every difference between MVO and TVM bodies.
 * - MVO answers like the Fastify server behind it: data bare, errors `{error: <reason phrase>, message}`,
 *   validation failures with the validator's first problem, unknown routes `Route <METHOD>:<path> not found`.
 * - TVM wraps data in `{success: true, data, meta}` with a fresh `meta`, and errors in
 *   `{success: false, error: {code, message, details?, retryAfter?}}`; every validation problem is listed.
 * Messages the specs hold (TVM's validation, not-found and rate-limit wording, the code of each status) are
 * read from them once, here; a spec that lacks one fails at start-up.
 */
import { exampleExtension, exampleValue } from '../model/api-model.ts';
import type { ApiModel, ApiName, JsonSchema, OperationModel } from '../model/types.ts';
import { freshMeta } from './fresh-meta.ts';
import { maskKeysIn } from '../auth/mask.ts';
import { REPORTS_EVERY_PROBLEM } from './request-schemas.ts';

export interface FieldProblem {
  field: string;
  message: string;
}

/** Why a request was refused before it reached the data: Fastify's message (MVO) and the field problems (TVM). */
export interface RequestProblem {
  message: string;
  details: FieldProblem[];
}

export interface Dialect {
  /** TVM lists every validation problem; MVO, like Fastify, reports the first. */
  readonly reportsEveryProblem: boolean;
  /** An error body with this status and message (`extra` is TVM's `details` / `retryAfter`). */
  error(status: number, message: string, extra?: { details?: FieldProblem[]; retryAfter?: number }): string;
  /** A 400 for a request that failed validation or could not be read. */
  invalid(problem: RequestProblem): string;
  /** A 404 for a path and method no operation (or control route) serves; a key sent in the path is echoed masked. */
  routeNotFound(method: string, path: string): string;
  /** A 429 for a key over its limit. */
  rateLimited(op: OperationModel, retryAfter: number, at: Date): string;
  /** Stored data as a success body (the JSON text of the data). */
  success(dataText: string, at: Date): string;
  /** The operation's documented example for a status (the named one, else the first), fresh `meta` included. */
  example(op: OperationModel, status: number, name: string | undefined, at: Date): string | undefined;
  /** The schema of the data inside a success response's schema (TVM: its `data`). */
  dataSchema(responseSchema: JsonSchema | undefined): JsonSchema | undefined;
  /** The data inside a documented success example (TVM: its `data`). */
  dataOf(example: unknown): unknown;
}

/** Reason phrases (RFC 9110) for the statuses the mocks and the validation proxy can send. */
export const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? 'Error';
}

/** What differs per API; everything else in a dialect is shared. */
interface Envelope {
  reportsEveryProblem: boolean;
  error(status: number, message: string, extra?: { details?: FieldProblem[]; retryAfter?: number }): unknown;
  invalid(problem: RequestProblem): unknown;
  routeNotFound(method: string, path: string): unknown;
  /** Undefined: the operation's documented 429 example is the answer. */
  rateLimited?(retryAfter: number): unknown;
  /** Whether success data goes in `{success: true, data, meta}`. */
  wrapsData: boolean;
}

/** MVO: Fastify's error format and wording (assumptions MVO-A5, MVO-A11). */
function fastifyEnvelope(): Envelope {
  return {
    reportsEveryProblem: REPORTS_EVERY_PROBLEM.mvo,
    error: (status, message) => ({ error: reasonPhrase(status), message }),
    invalid: ({ message }) => ({ error: reasonPhrase(400), message }),
    routeNotFound: (method, path) => ({ error: reasonPhrase(404), message: `Route ${method}:${path} not found` }),
    wrapsData: false,
  };
}

/** TVM: the code of each status comes from the spec's own error examples, as do the fixed messages. */
function tvmEnvelope(model: ApiModel): Envelope {
  const codes = new Map<number, string>();
  for (const op of model.operations) {
    for (const [status, response] of op.responses) {
      const first = response.examples.values().next().value as any;
      if (status >= 400 && typeof first?.error?.code === 'string' && !codes.has(status))
        codes.set(status, first.error.code);
    }
  }
  // An undocumented status borrows the code of its class: the 500 one (assumption TVM-A16) or the 400 one.
  const codeFor = (status: number) => codes.get(status) ?? codes.get(status >= 500 ? 500 : 400)!;
  const validationMessage = exampleValue(model, 400, 'required').error.message as string;
  // Unknown routes and methods answer NOT_FOUND in TVM's words (assumptions TVM-A7, TVM-A14), not Fastify's.
  const notFound = exampleValue(model, 404, 'notFound');
  const rateLimitTemplate = exampleExtension(model, 429, 'rateLimited', 'x-message-template') as string;
  const error: Envelope['error'] = (status, message, extra) => ({
    success: false,
    error: { code: codeFor(status), message, ...extra },
  });
  return {
    reportsEveryProblem: REPORTS_EVERY_PROBLEM.tvm,
    error,
    invalid: ({ details }) => error(400, validationMessage, { details }),
    routeNotFound: () => notFound,
    rateLimited: (retryAfter) =>
      error(429, rateLimitTemplate.replaceAll('{retryAfter}', String(retryAfter)), { retryAfter }),
    wrapsData: true,
  };
}

const ENVELOPES: Record<ApiName, (model: ApiModel) => Envelope> = { mvo: fastifyEnvelope, tvm: tvmEnvelope };

const META_MARKER = '"__fresh_meta__"';

/** A documented body as text, split where a fresh `meta` goes (the rest is serialised once). */
interface BodyTemplate {
  before: string;
  after?: string;
}

function template(value: unknown, wrapsData: boolean): BodyTemplate {
  if (wrapsData && value && typeof value === 'object' && 'meta' in value && (value as any).success === true) {
    const [before, after] = JSON.stringify({ ...(value as object), meta: '__fresh_meta__' }).split(META_MARKER);
    return { before, after };
  }
  return { before: JSON.stringify(value) };
}

/** Built once per mock: every documented example is serialised here, at start-up. */
export function createDialect(model: ApiModel): Dialect {
  const envelope = ENVELOPES[model.api](model);
  // Per operation and status, the example templates by name (the first is the default).
  const templates = new Map<string, Map<number, Map<string, BodyTemplate>>>();
  for (const op of model.operations) {
    const byStatus = new Map<number, Map<string, BodyTemplate>>();
    for (const [status, response] of op.responses) {
      byStatus.set(
        status,
        new Map([...response.examples].map(([name, value]) => [name, template(value, envelope.wrapsData)])),
      );
    }
    templates.set(op.operationId, byStatus);
  }
  const dialect: Dialect = {
    reportsEveryProblem: envelope.reportsEveryProblem,
    error: (status, message, extra) => JSON.stringify(envelope.error(status, message, extra)),
    invalid: (problem) => JSON.stringify(envelope.invalid(problem)),
    routeNotFound: (method, path) => JSON.stringify(envelope.routeNotFound(method, maskKeysIn(path))),
    rateLimited: (op, retryAfter, at) =>
      envelope.rateLimited
        ? JSON.stringify(envelope.rateLimited(retryAfter))
        : (dialect.example(op, 429, undefined, at) ?? dialect.error(429, reasonPhrase(429))),
    success: envelope.wrapsData
      ? (dataText, at) => `{"success":true,"data":${dataText},"meta":${freshMeta(at)}}`
      : (dataText) => dataText,
    example(op, status, name, at) {
      const byName = templates.get(op.operationId)?.get(status);
      if (!byName) return dialect.error(status, reasonPhrase(status));
      const found = (name !== undefined ? byName.get(name) : undefined) ?? byName.values().next().value;
      return found && (found.after === undefined ? found.before : found.before + freshMeta(at) + found.after);
    },
    dataSchema: envelope.wrapsData ? wrappedDataSchema : (schema) => schema,
    dataOf: envelope.wrapsData ? (example) => (example as { data?: unknown } | undefined)?.data : (example) => example,
  };
  return dialect;
}

/** `allOf: [SuccessEnvelope, {properties: {data: X}}]` → X (the envelope's own `data: {}` says nothing). */
function wrappedDataSchema(schema: JsonSchema | undefined): JsonSchema | undefined {
  const parts = [schema, ...((schema?.allOf as JsonSchema[] | undefined) ?? [])].reverse();
  for (const part of parts) {
    const data = (part?.properties as Record<string, JsonSchema> | undefined)?.data;
    if (data && Object.keys(data).length) return data;
  }
  return undefined;
}
