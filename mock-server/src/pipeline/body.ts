/**
 * Reading a JSON request body, for the API operations and the control API alike: the size limit, an empty
 * body, the media type, the JSON syntax. A body over the limit is its own outcome (the API answers 413, as
 * its spec documents); a problem comes back with Fastify's message (MVO's wording, assumption MVO-A11) and a
 * field-level detail (TVM's); the dialect picks which one the answer shows.
 */
import { echoed } from '../auth/mask.ts';
import type { RequestProblem } from './dialect.ts';
import type { MockRequest } from './types.ts';

export type ReadBody = { value: unknown } | { problem: RequestProblem } | { tooLarge: true };

export interface BodyRules {
  /** Whether an empty body is refused. */
  required: boolean;
  /** Whether a body must be sent as `application/json` (the control API takes JSON whatever the type says). */
  jsonTypeRequired: boolean;
  /** The API's limit in bytes (its spec's `info.x-max-body-bytes`). */
  maxBytes: number;
}
const EMPTY_JSON: RequestProblem = {
  message: "Body cannot be empty when content-type is set to 'application/json'",
  details: [{ field: 'body', message: 'Required' }],
};
const EMPTY: RequestProblem = { message: 'body must be object', details: [{ field: 'body', message: 'Required' }] };
const NOT_JSON: RequestProblem = {
  message: "Body is not valid JSON but content-type is set to 'application/json'",
  details: [{ field: 'body', message: 'Must be valid JSON' }],
};

function wrongType(contentType: string | null | undefined): RequestProblem {
  return {
    message: `Content-Type must be application/json, got ${contentType ? JSON.stringify(echoed(contentType)) : 'none'}`,
    details: [{ field: 'Content-Type', message: 'Must be application/json' }],
  };
}

export function isJsonMediaType(contentType: string | null | undefined): boolean {
  if (contentType === 'application/json') return true; // what nearly every client sends
  const essence = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return essence === 'application/json' || /^application\/[\w.+-]+\+json$/.test(essence);
}

/** Whether a body is over the limit in UTF-8 bytes; cheap when even 3 bytes a code unit would fit. */
function overLimit(text: string, maxBytes: number): boolean {
  return text.length * 3 > maxBytes && (text.length > maxBytes || new TextEncoder().encode(text).length > maxBytes);
}

const TOO_LARGE = { tooLarge: true } as const;

/** The parsed body (undefined when empty and allowed), or why it cannot be used. */
export function readJsonBody(request: MockRequest, rules: BodyRules): ReadBody {
  const text = request.body ?? '';
  const contentType = request.headers('content-type');
  if (request.bodyTooLarge || overLimit(text, rules.maxBytes)) return TOO_LARGE;
  if (text === '') {
    if (!rules.required) return { value: undefined };
    return { problem: isJsonMediaType(contentType) ? EMPTY_JSON : EMPTY };
  }
  if (rules.jsonTypeRequired && !isJsonMediaType(contentType)) return { problem: wrongType(contentType) };
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { problem: NOT_JSON };
  }
}
