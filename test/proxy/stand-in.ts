/**
 * A local stand-in for a real API: the mock's own pipeline (so it conforms to the contract everywhere else)
 * behind a Node server that changes a few answers, the way the real API might differ from what the contract
 * assumed. It keeps every request as it arrived and every answer as it sent it, byte for byte, so tests can
 * tell that the proxy passed both through unchanged.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createMock, type Mock, type MockRequest, type MockResponse } from '../../mock-server/src/index.ts';
import type { ApiName } from '../../mock-server/src/model/index.ts';

/**
 * Changes the mock's answer to one request, or returns undefined to leave it alone. `ask` has the mock answer
 * another request instead (a drift that accepts what the contract refuses answers like a valid request).
 */
export type Deviation = (
  request: MockRequest,
  answer: MockResponse,
  ask: (request: MockRequest) => Promise<MockResponse>,
) => MockResponse | undefined | Promise<MockResponse | undefined>;

const withJson = (answer: MockResponse, change: (body: any) => unknown): MockResponse => ({
  ...answer,
  body: JSON.stringify(change(JSON.parse(answer.body!))),
});
const withoutBody = (answer: MockResponse, status: number): MockResponse => {
  const { 'content-type': _type, ...headers } = answer.headers;
  return { ...answer, status, headers, body: undefined };
};

/**
 * The known deviations, one per kind the issue names, each with the assumption it contradicts. Everything
 * else the stand-in answers is the mock's answer, which conforms.
 */
export const DEVIATIONS: Record<ApiName, Deviation> = {
  tvm: (request, answer) => {
    // A create answered 200 instead of 201 (TVM-A2).
    if (request.method === 'POST' && request.path === '/v1/offers' && answer.status === 201)
      return { ...answer, status: 200 };
    // A success without `meta` (TVM-A3).
    if (request.method === 'GET' && request.path === '/v1/shop' && answer.status === 200)
      return withJson(answer, ({ meta: _meta, ...rest }) => rest);
    // An extra status: a delete answered 204 with no body instead of 200 with `{id, deleted}` (TVM-A2).
    if (request.method === 'DELETE' && request.path.startsWith('/v1/vouchers/') && answer.status === 200)
      return withoutBody(answer, 204);
    return undefined;
  },
  mvo: (request, answer) => {
    // An undocumented 401 message for an invalid key (MVO-A9).
    if (answer.status === 401 && answer.body?.includes('"Invalid API key"'))
      return withJson(answer, (body) => ({ ...body, message: 'Invalid API key provided' }));
    // An extra status: an update answered 204 with no body instead of 200 with the customer (MVO-A4).
    if (request.method === 'PATCH' && answer.status === 200) return withoutBody(answer, 204);
    return undefined;
  },
};

export interface Received {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
}

export interface Sent {
  status: number;
  body: Buffer;
}

export interface StandIn {
  url: string;
  mock: Mock;
  received: Received[];
  sent: Sent[];
  close(): Promise<void>;
}

export interface StandInOptions {
  deviate?: Deviation;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

export async function startStandIn(api: ApiName, options: StandInOptions = {}): Promise<StandIn> {
  const mock = await createMock(api, { rateLimits: 'headers' });
  const received: Received[] = [];
  const sent: Sent[] = [];
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    received.push({ method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, body });
    const [path, query = ''] = req.url!.split('?');
    const request: MockRequest = {
      method: req.method!,
      path,
      query,
      headers: (name) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value.join(', ') : value;
      },
      body: body.toString('utf8'),
    };
    const answer = await mock.handle(request);
    const final = (await options.deviate?.(request, answer, (other) => mock.handle(other))) ?? answer;
    const bytes = Buffer.from(final.body ?? '', 'utf8');
    sent.push({ status: final.status, body: bytes });
    res.writeHead(
      final.status,
      final.body === undefined ? final.headers : { ...final.headers, 'content-length': bytes.length },
    );
    res.end(bytes);
  };
  const server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    mock,
    received,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
