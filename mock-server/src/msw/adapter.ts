/**
 * The two conversions MSW needs, and nothing else: a Fetch `Request` into the pipeline's `MockRequest`,
 * and its `MockResponse` back into a `Response`. Every rule (routing, auth, validation, control API)
 * stays in `pipeline/pipeline.ts`.
 */
import type { MockRequest, MockResponse } from '../pipeline/types.ts';

/** Statuses that never carry a body (a `Response` with one would throw). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Reads a request as the Node adapter would see it on the wire: the path after the base path, still
 * percent-encoded; the raw query without `?`; headers through `Headers.get` (lowercase names); the
 * body as text except for GET and HEAD.
 */
export async function toMockRequest(request: Request, basePath = ''): Promise<MockRequest> {
  const url = new URL(request.url);
  let path = url.pathname;
  if (basePath && (path === basePath || path.startsWith(`${basePath}/`))) path = path.slice(basePath.length) || '/';
  const method = request.method.toUpperCase();
  return {
    method,
    path,
    query: url.search.slice(1),
    headers: (name) => request.headers.get(name),
    headerList: () => request.headers,
    body: method === 'GET' || method === 'HEAD' ? '' : await request.text(),
    signal: request.signal,
  };
}

/** A `Response` with the mock's status, headers and body (none for HEAD or a null-body status). */
export function toResponse(answer: MockResponse, method = 'GET'): Response {
  const bodyless =
    answer.body === undefined || NULL_BODY_STATUSES.has(answer.status) || method.toUpperCase() === 'HEAD';
  return new Response(bodyless ? null : answer.body, { status: answer.status, headers: answer.headers });
}
