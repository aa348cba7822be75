/**
 * Shared by the SDK tests: well-formed fake keys and an observed `fetch` (openapi-fetch's own test style): a
 * function passed in the options that records each request and answers from a handler. No global mocks.
 */
import { embeddedSpec } from '../../mock-server/src/model/index.ts';
import { facts as mvoFacts } from '../../sdk/src/mvo/generated/facts.ts';
import { facts as tvmFacts } from '../../sdk/src/tvm/generated/facts.ts';

/** Well-formed keys, built from the spec's prefix; the tail is what must never leak whole. */
export const MVO_KEY = `${mvoFacts.keyPrefix}${'Zq7Rk2Wm'.repeat(6)}`;
export const TVM_KEY = `${tvmFacts.keyPrefix}${'q7rk2wmx'.repeat(4)}`;

/** The customer the spec's createCustomer 201 example shows: what the stubbed MVO answers for a customer. */
export const CUSTOMER: { id: string } & Record<string, unknown> =
  embeddedSpec('mvo').paths['/api/customers'].post.responses['201'].content['application/json'].examples.created.value;
export const CUSTOMER_ID = CUSTOMER.id;

export interface SeenRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string | null;
  /** The signal `fetch` was given (init.signal wins over the Request's own, as in real fetch). */
  signal: AbortSignal | undefined;
}

type Handler = (request: Request, n: number) => Response | Promise<Response>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A `fetch` that records every call and answers with `handler` (default: 200 `{}`). */
export function observedFetch(handler: Handler = () => json(200, {})) {
  const seen: SeenRequest[] = [];
  const fetch = async (input: Request, init?: RequestInit): Promise<Response> => {
    const request = input;
    seen.push({
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
      body: request.body === null ? null : await request.clone().text(),
      signal: init?.signal ?? request.signal,
    });
    return handler(request, seen.length);
  };
  return { fetch, seen };
}

/** A sleep that records the waits it was asked for and does not wait. */
export function recordingSleep() {
  const waits: number[] = [];
  return { sleep: async (ms: number) => void waits.push(ms), waits };
}

/** POST to a mock server's control API (`/__mock/...`) and return the parsed answer. */
export async function control(
  mockUrl: string,
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
): Promise<any> {
  const response = await fetch(`${mockUrl}/__mock${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status === 204 ? undefined : response.json();
}

/** A fresh key from a mock server; `account` gives it a new, empty seller or shop. */
export async function mintKey(
  mockUrl: string,
  seed: { name?: string; scopes?: string[]; account?: string } = {},
): Promise<string> {
  return ((await control(mockUrl, '/keys', { name: 'sdk test', ...seed })) as { key: string }).key;
}

/** How many requests the mock's forced statuses have answered, in all. */
export async function servedByScenarios(mockUrl: string): Promise<number> {
  const { scenarios } = (await control(mockUrl, '/scenarios')) as { scenarios: { served: number }[] };
  return scenarios.reduce((sum, scenario) => sum + scenario.served, 0);
}
