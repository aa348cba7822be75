/**
 * Network faults on the socket (forced by `POST /__mock/scenarios` with `fault`): `reset` destroys the
 * connection with a TCP reset, `hang` sends nothing and leaves the connection open until the client gives up
 * (or the server closes), `slow` sends the headers at once and the body after the delay. `malformed` needs
 * nothing here: its body is already cut by the pipeline.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockResponse, TransportFault } from '../pipeline/types.ts';

export function enactFault(
  answer: MockResponse & { fault: TransportFault },
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const { fault } = answer;
  if (fault.kind === 'reset') {
    req.socket.resetAndDestroy();
    return;
  }
  if (fault.kind === 'hang') return;
  res.writeHead(
    answer.status,
    answer.body === undefined
      ? answer.headers
      : { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) },
  );
  res.flushHeaders();
  const timer = setTimeout(() => res.end(answer.body), fault.delayMs);
  res.once('close', () => clearTimeout(timer));
}
