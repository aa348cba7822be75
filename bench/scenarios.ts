/** The requests the benchmarks send, and the mock's own answer to one (what raw node:http sends back verbatim). */
import { fixtureKey } from '../mock-server/src/fixtures/keys.ts';
import { createMock } from '../mock-server/src/pipeline/pipeline.ts';
import { concreteBody, type Prepared } from './wrk.ts';

export interface Scenario extends Prepared {
  name: string;
  api: 'mvo' | 'tvm';
  expect: number;
}

export const tvmAdmin = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };

export const GET_SHOP: Scenario = {
  name: 'GET /v1/shop',
  api: 'tvm',
  method: 'GET',
  path: '/v1/shop',
  headers: tvmAdmin,
  expect: 200,
};
export const GET_OFFERS: Scenario = {
  name: 'GET /v1/offers?page=1&limit=20',
  api: 'tvm',
  method: 'GET',
  path: '/v1/offers?page=1&limit=20',
  headers: tvmAdmin,
  expect: 200,
};
export const POST_OFFER: Scenario = {
  name: 'POST /v1/offers (validated, stored)',
  api: 'tvm',
  method: 'POST',
  path: '/v1/offers',
  headers: { ...tvmAdmin, 'content-type': 'application/json' },
  body: JSON.stringify({
    title: '20% Off Everything',
    description: 'Save 20% across our entire range',
    landingUrl: 'https://yourshop.com/sale',
    discountType: 'percentage',
    discountValue: 20,
    expiresAt: '2026-03-01T23:59:59Z',
  }),
  expect: 201,
};
export const POST_CUSTOMER: Scenario = {
  // Creates of new customers, each e-mail unique, so the uniqueness check grows with the data.
  name: 'POST /api/customers (MVO: validated, stored, e-mail unique)',
  api: 'mvo',
  method: 'POST',
  path: '/api/customers',
  headers: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active'), 'content-type': 'application/json' },
  body: '{"first_name":"Ada","last_name":"Lovelace","email":"ada.{{n}}@example.com"}',
  expect: 201,
};

/** The mock's own answer to a request (status, headers, body), for raw node:http to send verbatim. */
export async function answerOf(api: 'mvo' | 'tvm', request: Prepared) {
  const mock = await createMock(api, { rateLimits: 'headers' });
  const [path, query = ''] = request.path.split('?');
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return mock.handle({
    method: request.method,
    path,
    query,
    headers: (name) => headers[name],
    body: concreteBody(request.body, 'raw') ?? '',
  });
}
