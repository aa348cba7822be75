/**
 * Network faults under MSW, as close as fetch allows to what the Node server does on the socket: `reset`
 * makes fetch reject (MSW's `HttpResponse.error()`), `hang` answers only when the request is aborted (with
 * that same network error), `slow` resolves at once and streams the body after the delay.
 */
import { HttpResponse } from 'msw';
import type { MockResponse, TransportFault } from '../pipeline/types.ts';
import { toResponse } from './adapter.ts';

function slow(answer: MockResponse, request: Request, delayMs: number): Response {
  const plain = toResponse(answer, request.method);
  if (plain.body === null) return plain;
  const bytes = new TextEncoder().encode(answer.body);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      timer = setTimeout(() => {
        controller.enqueue(bytes);
        controller.close();
      }, delayMs);
    },
    cancel: () => clearTimeout(timer),
  });
  request.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  return new Response(body, { status: plain.status, headers: plain.headers });
}

/** The Response (or network error) MSW returns for the pipeline's answer. */
export function withFault(
  answer: MockResponse & { fault: TransportFault },
  request: Request,
): Response | Promise<Response> {
  switch (answer.fault.kind) {
    case 'reset':
      return HttpResponse.error();
    case 'hang':
      return new Promise((resolve) =>
        request.signal.addEventListener('abort', () => resolve(HttpResponse.error()), { once: true }),
      );
    case 'slow':
      return slow(answer, request, answer.fault.delayMs);
  }
}
