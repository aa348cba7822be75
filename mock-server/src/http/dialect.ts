/**
 * Each API's own error envelope. MVO: `{error: <reason phrase>, message}`. TVM:
 * `{success: false, error: {code, message, details?}}` with the code its spec documents for the status.
 */
import type { ApiModel } from '../model/types.ts';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Dialect {
  error(status: number, message: string, extra?: { details?: FieldProblem[]; retryAfter?: number }): unknown;
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

/** `{error, message}` bodies: MVO's envelope and the control API's. */
export const reasonDialect: Dialect = {
  error: (status, message) => ({ error: reasonPhrase(status), message }),
};

/** TVM's envelope; the code for each status comes from the spec's own error examples. */
function envelopeDialect(model: ApiModel): Dialect {
  const codes = new Map<number, string>();
  for (const op of model.operations) {
    for (const [status, response] of op.responses) {
      const first = response.examples.values().next().value as any;
      if (status >= 400 && typeof first?.error?.code === 'string' && !codes.has(status)) codes.set(status, first.error.code);
    }
  }
  return {
    error(status, message, extra) {
      // 5xx have no published code: the spec's ErrorCode enum adds INTERNAL_ERROR (assumption TVM-A16).
      const code = codes.get(status) ?? (status >= 500 ? 'INTERNAL_ERROR' : codes.get(400)!);
      return { success: false, error: { code, message, ...extra } };
    },
  };
}

export function dialectFor(model: ApiModel): Dialect {
  return model.api === 'tvm' ? envelopeDialect(model) : reasonDialect;
}
