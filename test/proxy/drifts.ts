/**
 * Ways a real API can drift from the contract, one per row, each with the verdict the proxy must reach: the
 * violations (check and the assumptions charged, `docs` for the published docs) and notes it reports. A session
 * (a fixed list of requests touching every operation, the documented failures, a rate limit and a server
 * error) goes through the proxy to a stand-in that drifts in that one way; the report must say exactly the
 * verdict and nothing else. The same session against the undrifted mock must report nothing at all.
 */
import { fixtureKey, type MockRequest, type MockResponse } from '../../mock-server/src/index.ts';
import type { ApiName } from '../../mock-server/src/model/index.ts';
import type { Deviation } from './stand-in.ts';

export type Call = (path: string, init?: RequestInit) => Promise<{ status: number; json: any }>;
/** Forces the stand-in's next answer to a request (`POST /__mock/scenarios`, sent to the stand-in directly): a 429 that reads as a real one. */
export type Force = (scenario: { status: number; path: string; method: string }) => Promise<void>;

export interface Drift {
  name: string;
  deviate: Deviation;
  /** `check assumption,…` (or `check docs`) for each kind of violation, sorted. */
  violations: string[];
  notes?: string[];
}

const json = (answer: MockResponse, change: (body: any) => unknown): MockResponse => ({
  ...answer,
  body: JSON.stringify(change(JSON.parse(answer.body!))),
});
const is = (request: MockRequest, method: string, path: RegExp, status?: number, answer?: MockResponse) =>
  request.method === method && path.test(request.path) && (status === undefined || answer?.status === status);
const headers = (answer: MockResponse, change: Record<string, string | undefined>): MockResponse => {
  const next: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers))
    if (!(name.toLowerCase() in change)) next[name] = value as string;
  for (const [name, value] of Object.entries(change)) if (value !== undefined) next[name] = value;
  return { ...answer, headers: next };
};
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
/** A member nested 40 levels deep: deeper than the bound of 32 (TVM-A20, MVO-A14). */
const DEEP = `${'['.repeat(40)}${']'.repeat(40)}`;
/** A string that makes a body larger than 1 MiB (TVM-A18, MVO-A13). */
const HUGE = 'x'.repeat(1_100_000);
const sendJson = (method: string, body: unknown, head: Record<string, string>): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...head },
  body: JSON.stringify(body),
});

// ── TVM ──

const ADMIN = bearer(fixtureKey('tvm', 'key_tvm_admin'));

/** Every operation, the documented failures, a rate limit and a server error (forced on the stand-in). */
export async function tvmSession(call: Call, force: Force): Promise<void> {
  await call('/v1/shop', { headers: ADMIN });
  await call('/v1/shop', sendJson('PUT', { description: 'Updated through the proxy' }, ADMIN));
  await call('/v1/offers', { headers: ADMIN });
  await call('/v1/offers?page=1&limit=5', { headers: ADMIN });
  const offer = await call(
    '/v1/offers',
    sendJson(
      'POST',
      { title: '20% Off Everything', discountType: 'percentage', discountValue: 20, expiresAt: '2026-12-31' },
      ADMIN,
    ),
  );
  const offerId = offer.json?.data?.id ?? 'offer_missing';
  await call(`/v1/offers/${offerId}`, { headers: ADMIN });
  await call(`/v1/offers/${offerId}`, sendJson('PUT', { title: '25% Off Everything' }, ADMIN));
  await call(
    `/v1/offers/${offerId}`,
    sendJson('PUT', { title: 'Not allowed' }, bearer(fixtureKey('tvm', 'key_tvm_readonly'))),
  );
  await call('/v1/offers/offer_doesnotexist', { headers: ADMIN });
  await call('/v1/vouchers', { headers: ADMIN });
  const voucher = await call(
    '/v1/vouchers',
    sendJson('POST', { code: 'DRIFT10', discountType: 'percentage', discountValue: 10 }, ADMIN),
  );
  const voucherId = voucher.json?.data?.id ?? 'voucher_missing';
  await call(`/v1/vouchers/${voucherId}`, { headers: ADMIN });
  await call(`/v1/vouchers/${voucherId}`, sendJson('PUT', { title: 'Ten off' }, ADMIN));
  await call(`/v1/vouchers/${voucherId}`, { method: 'DELETE', headers: ADMIN });
  await call('/v1/content', { headers: ADMIN });
  const content = await call(
    '/v1/content',
    sendJson('POST', { contentType: 'news', title: 'Drift news', expiresAt: '2026-12-31T23:59:59Z' }, ADMIN),
  );
  const contentId = content.json?.data?.id ?? 'content_missing';
  await call('/v1/content', sendJson('POST', { title: 'Default type' }, ADMIN));
  await call(`/v1/content/${contentId}`, { headers: ADMIN });
  await call(`/v1/content/${contentId}`, sendJson('PUT', { title: 'Drift news, updated' }, ADMIN));
  await call(`/v1/content/${contentId}`, { method: 'DELETE', headers: ADMIN });
  await call(`/v1/offers/${offerId}`, { method: 'DELETE', headers: ADMIN });
  // Documented failures, and requests the contract refuses.
  await call('/v1/shop');
  await call('/v1/offers', { headers: bearer('tvm_tooshort') });
  await call('/v1/content', { headers: bearer(fixtureKey('tvm', 'key_tvm_offers')) });
  await call('/v1/shop', { headers: bearer(fixtureKey('tvm', 'key_tvm_disabled')) });
  await call('/v1/offers?limit=500', { headers: ADMIN });
  await call(
    '/v1/offers',
    sendJson('POST', { title: 'x'.repeat(600), discountType: 'percentage', discountValue: 5 }, ADMIN),
  );
  await call('/v1/offers', {
    method: 'POST',
    headers: { ...ADMIN, 'content-type': 'application/json' },
    body: `{"title":"Deep","discountType":"percentage","discountValue":5,"extra":${DEEP}}`,
  });
  await call(
    '/v1/offers',
    sendJson('POST', { title: 'Huge', discountType: 'percentage', discountValue: 5, description: HUGE }, ADMIN),
  );
  await call('/v1/nowhere', { headers: ADMIN });
  await force({ status: 429, path: '/v1/shop', method: 'GET' });
  await call('/v1/shop', { headers: ADMIN });
  await force({ status: 500, path: '/v1/vouchers', method: 'GET' });
  await call('/v1/vouchers', { headers: ADMIN });
}

export const TVM_DRIFTS: Drift[] = [
  {
    name: 'an answer sent as text/plain',
    deviate: (request, answer) =>
      is(request, 'GET', /^\/v1\/shop$/, 200, answer)
        ? headers(answer, { 'content-type': 'text/plain; charset=utf-8' })
        : undefined,
    violations: ['content-type TVM-A2'],
  },
  {
    name: 'an undocumented extra field',
    deviate: (request, answer) =>
      is(request, 'GET', /^\/v1\/offers\/offer_/, 200, answer)
        ? json(answer, (body) => ({ ...body, data: { ...body.data, internalScore: 7 } }))
        : undefined,
    violations: [],
    notes: ['undocumented-field data.internalScore'],
  },
  {
    name: 'a default page size of 10 (no limit sent)',
    deviate: (request, answer) =>
      is(request, 'GET', /^\/v1\/offers$/, 200, answer) && !request.query.includes('limit')
        ? json(answer, (body) => ({ ...body, data: { ...body.data, limit: 10 } }))
        : undefined,
    violations: ['default TVM-A5'],
  },
  {
    name: 'an item 404 with another message ("Offer not found")',
    deviate: (request, answer) =>
      is(request, 'GET', /^\/v1\/offers\//, 404, answer)
        ? json(answer, (body) => ({ ...body, error: { ...body.error, message: 'Offer not found' } }))
        : undefined,
    violations: ['message TVM-A7'],
  },
  {
    name: 'a 429 with Retry-After and no error.retryAfter',
    deviate: (_request, answer) =>
      answer.status === 429
        ? headers(
            json(answer, (body) => ({ ...body, error: { code: body.error.code, message: body.error.message } })),
            { 'retry-after': '30' },
          )
        : undefined,
    // The documented message names the seconds; without retryAfter the message still matches its template.
    violations: ['field TVM-A11', 'header TVM-A11'],
  },
  {
    name: 'a 429 whose X-RateLimit-Remaining is not 0',
    deviate: (_request, answer) =>
      answer.status === 429 ? headers(answer, { 'x-ratelimit-remaining': '5' }) : undefined,
    violations: ['header TVM-A21'],
  },
  {
    name: 'content list items without status',
    deviate: (request, answer) =>
      is(request, 'GET', /^\/v1\/content$/, 200, answer)
        ? json(answer, (body) => ({
            ...body,
            data: { ...body.data, items: body.data.items.map(({ status: _status, ...item }: any) => item) },
          }))
        : undefined,
    violations: ['field TVM-A10'],
  },
  {
    name: 'a missing-scope 403 naming offers:update on an offer update',
    deviate: (request, answer) =>
      is(request, 'PUT', /^\/v1\/offers\//, 403, answer)
        ? json(answer, (body) => ({
            ...body,
            error: { ...body.error, message: 'Missing required scope: offers:update' },
          }))
        : undefined,
    violations: ['scope TVM-A4'],
  },
  {
    name: 'a plain date refused with 400',
    deviate: (request, answer) =>
      is(request, 'POST', /^\/v1\/offers$/, 201, answer) && /"expiresAt":"\d{4}-\d{2}-\d{2}"/.test(request.body ?? '')
        ? {
            ...answer,
            status: 400,
            body: JSON.stringify({
              success: false,
              error: {
                code: 'VALIDATION_ERROR',
                message: 'Validation failed',
                details: [{ field: 'expiresAt', message: 'Invalid datetime' }],
              },
            }),
          }
        : undefined,
    violations: ['validation TVM-A8'],
  },
  {
    name: 'an inferred operation that is not there (route 404 on PUT vouchers)',
    deviate: (request, answer) =>
      is(request, 'PUT', /^\/v1\/vouchers\//, 200, answer)
        ? {
            ...answer,
            status: 404,
            body: JSON.stringify({
              success: false,
              error: { code: 'NOT_FOUND', message: `Route PUT:${request.path} not found` },
            }),
          }
        : undefined,
    violations: ['operation TVM-A4'],
  },
  {
    name: 'an offer status outside the enum in the list (not the list shape’s fault)',
    deviate: (request, answer) =>
      is(request, 'GET', /^\/v1\/offers$/, 200, answer)
        ? json(answer, (body) => ({
            ...body,
            data: { ...body.data, items: body.data.items.map((item: any) => ({ ...item, status: 'live' })) },
          }))
        : undefined,
    violations: ['body docs'],
  },
  {
    name: 'a create answered 200',
    deviate: (request, answer) =>
      is(request, 'POST', /^\/v1\/offers$/, 201, answer) ? { ...answer, status: 200 } : undefined,
    violations: ['status TVM-A2'],
  },
  {
    name: 'a success without meta',
    deviate: (request, answer) =>
      is(request, 'GET', /^\/v1\/shop$/, 200, answer) ? json(answer, ({ meta: _meta, ...rest }) => rest) : undefined,
    violations: ['field TVM-A3'],
  },
  {
    name: 'an error that carries meta',
    deviate: (_request, answer) =>
      answer.status === 404
        ? json(answer, (body) => ({ ...body, meta: { requestId: 'req_1', timestamp: '2026-01-01T00:00:00Z' } }))
        : undefined,
    violations: ['field TVM-A3'],
  },
  {
    name: 'ids without their type prefix',
    deviate: (request, answer) =>
      is(request, 'GET', /^\/v1\/offers\/offer_/, 200, answer)
        ? json(answer, (body) => ({ ...body, data: { ...body.data, id: body.data.id.replace('offer_', '') } }))
        : undefined,
    violations: ['field TVM-A9'],
  },
  {
    name: 'a 500 with another error code',
    deviate: (_request, answer) =>
      answer.status === 500
        ? json(answer, (body) => ({ ...body, error: { ...body.error, code: 'SERVER_ERROR' } }))
        : undefined,
    violations: ['field TVM-A16'],
  },
  {
    name: 'a page size over the maximum accepted',
    deviate: async (request, _answer, ask) =>
      request.path === '/v1/offers' && request.query === 'limit=500'
        ? ask({ ...request, query: 'limit=100' })
        : undefined,
    violations: ['validation TVM-A14'],
  },
  {
    name: 'a title over its maximum length accepted',
    deviate: async (request, _answer, ask) =>
      request.method === 'POST' && request.path === '/v1/offers' && (request.body ?? '').includes('x'.repeat(600))
        ? ask({ ...request, body: request.body!.replace('x'.repeat(600), 'x') })
        : undefined,
    violations: ['validation TVM-A17'],
  },
  {
    name: 'an unknown route answered with an HTML page',
    deviate: (request, answer) =>
      request.path === '/v1/nowhere'
        ? { ...answer, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' }
        : undefined,
    violations: ['route TVM-A14'],
  },
  {
    name: 'a delete answered 204 without a body',
    deviate: (request, answer) =>
      is(request, 'DELETE', /^\/v1\/vouchers\//, 200, answer)
        ? { ...headers(answer, { 'content-type': undefined }), status: 204, body: undefined }
        : undefined,
    violations: ['status TVM-A2'],
  },
  {
    name: 'no X-RateLimit-* headers',
    deviate: (request, answer) =>
      is(request, 'GET', /^\/v1\/vouchers$/, 200, answer)
        ? headers(answer, {
            'x-ratelimit-limit': undefined,
            'x-ratelimit-remaining': undefined,
            'x-ratelimit-reset': undefined,
          })
        : undefined,
    violations: ['headers docs'],
  },
  {
    name: 'a create without contentType gets another default',
    deviate: (request, answer) =>
      is(request, 'POST', /^\/v1\/content$/, 201, answer) && !(request.body ?? '').includes('contentType')
        ? json(answer, (body) => ({ ...body, data: { ...body.data, contentType: 'announcement' } }))
        : undefined,
    violations: ['default docs'],
  },
  {
    name: 'a 413 with another message',
    deviate: (_request, answer) =>
      answer.status === 413
        ? json(answer, (body) => ({ ...body, error: { ...body.error, message: 'Payload too big' } }))
        : undefined,
    violations: ['message TVM-A18'],
  },
  {
    name: 'a body nested deeper than the bound accepted',
    deviate: async (request, _answer, ask) =>
      request.body?.includes(DEEP)
        ? ask({ ...request, body: request.body.replace(`,"extra":${DEEP}`, '') })
        : undefined,
    violations: ['validation TVM-A20'],
  },
  {
    name: 'a disabled key refused with another message',
    deviate: (_request, answer) =>
      answer.status === 403 && answer.body?.includes('API key is disabled')
        ? json(answer, (body) => ({ ...body, error: { ...body.error, message: 'Key suspended' } }))
        : undefined,
    violations: ['message TVM-A7'],
  },
];

// ── MVO ──

const KEY = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') };

export async function mvoSession(call: Call, force: Force): Promise<void> {
  const address = { street: 'Main St 1', city: 'Berlin', postal_code: '10115', country: 'Germany' };
  const created = await call(
    '/api/customers',
    sendJson(
      'POST',
      {
        first_name: 'Jane',
        last_name: 'Doe',
        email: 'jane.drift@example.com',
        legal_entity: 'GmbH',
        address_data: address,
      },
      KEY,
    ),
  );
  const id = created.json?.id ?? '00000000-0000-0000-0000-000000000000';
  await call(`/api/customers/${id}`, { headers: KEY });
  await call(`/api/customers/${id}`, sendJson('PATCH', { company_name: 'Doe GmbH' }, KEY));
  await call(
    '/api/customers',
    sendJson('POST', { first_name: 'Jane', last_name: 'Again', email: 'jane.drift@example.com' }, KEY),
  );
  await call(
    '/api/customers',
    sendJson('POST', { first_name: 'Long', last_name: 'Email', email: `${'a'.repeat(250)}@example.com` }, KEY),
  );
  await call('/api/customers', {
    method: 'POST',
    headers: { ...KEY, 'content-type': 'text/plain' },
    body: 'first_name=J',
  });
  await call('/api/customers', {
    method: 'POST',
    headers: { ...KEY, 'content-type': 'application/json' },
    body: `{"first_name":"Deep","last_name":"D","email":"deep@example.com","address_data":{"extra":${DEEP}}}`,
  });
  await call(
    '/api/customers',
    sendJson('POST', { first_name: 'Huge', last_name: 'H', email: 'huge@example.com', company_name: HUGE }, KEY),
  );
  await call(`/api/customers/${id}`, { headers: { 'x-api-key': 'sk_live_short' } });
  await call(`/api/customers/${id}`);
  await force({ status: 429, path: `/api/customers/${id}`, method: 'GET' });
  await call(`/api/customers/${id}`, { headers: KEY });
  await call(`/api/customers/${id}`, { method: 'DELETE', headers: KEY });
  await call(`/api/customers/${id}`, { headers: KEY });
  await call('/api/nowhere', { headers: KEY });
}

const isCustomer = (request: MockRequest, method: string, status: number, answer: MockResponse) =>
  request.method === method && request.path.startsWith('/api/customers') && answer.status === status;

export const MVO_DRIFTS: Drift[] = [
  {
    name: 'an update answered 204',
    deviate: (request, answer) =>
      isCustomer(request, 'PATCH', 200, answer)
        ? { ...headers(answer, { 'content-type': undefined }), status: 204, body: undefined }
        : undefined,
    violations: ['status MVO-A4'],
  },
  {
    name: 'a create answered 200',
    deviate: (request, answer) => (isCustomer(request, 'POST', 201, answer) ? { ...answer, status: 200 } : undefined),
    violations: ['status MVO-A3'],
  },
  {
    name: 'another 401 message for an invalid key',
    deviate: (_request, answer) =>
      answer.status === 401 && answer.body?.includes('"Invalid API key"')
        ? json(answer, (body) => ({ ...body, message: 'Invalid API key provided' }))
        : undefined,
    violations: ['message MVO-A9'],
  },
  {
    name: 'another 409 message',
    deviate: (_request, answer) =>
      answer.status === 409 ? json(answer, (body) => ({ ...body, message: 'Email already taken' })) : undefined,
    violations: ['message MVO-A5'],
  },
  {
    name: 'a 429 with rate-limit headers and another message',
    deviate: (_request, answer) =>
      answer.status === 429
        ? headers(
            json(answer, (body) => ({ ...body, message: 'Slow down' })),
            { 'x-ratelimit-limit': '100' },
          )
        : undefined,
    violations: ['header MVO-A6', 'message MVO-A6'],
  },
  {
    name: 'timestamps without milliseconds',
    deviate: (request, answer) =>
      isCustomer(request, 'GET', 200, answer)
        ? json(answer, (body) => ({ ...body, created_at: body.created_at.replace(/\.\d{3}/, '') }))
        : undefined,
    violations: ['field MVO-A8'],
  },
  {
    name: 'an address sub-field of another type',
    deviate: (request, answer) =>
      isCustomer(request, 'GET', 200, answer)
        ? json(answer, (body) => ({ ...body, address_data: { ...body.address_data, postal_code: 10115 } }))
        : undefined,
    violations: ['field MVO-A7'],
  },
  {
    name: 'an undocumented extra field',
    deviate: (request, answer) =>
      isCustomer(request, 'GET', 200, answer) ? json(answer, (body) => ({ ...body, internal_notes: '' })) : undefined,
    violations: [],
    notes: ['undocumented-field internal_notes'],
  },
  {
    name: 'a create without language gets another default',
    deviate: (request, answer) =>
      isCustomer(request, 'POST', 201, answer) ? json(answer, (body) => ({ ...body, language: 'en' })) : undefined,
    violations: ['default docs'],
  },
  {
    name: 'an e-mail over its maximum length accepted',
    deviate: async (request, _answer, ask) =>
      request.method === 'POST' && (request.body ?? '').includes('a'.repeat(250))
        ? ask({ ...request, body: request.body!.replace('a'.repeat(250), 'long') })
        : undefined,
    violations: ['validation MVO-A12'],
  },
  {
    name: 'a missing customer answered with another message',
    deviate: (_request, answer) =>
      answer.status === 404 && answer.body?.includes('Customer not found')
        ? json(answer, (body) => ({ ...body, message: 'No such customer' }))
        : undefined,
    violations: ['message MVO-A8'],
  },
  {
    name: 'a 413 with another message',
    deviate: (_request, answer) =>
      answer.status === 413 ? json(answer, (body) => ({ ...body, message: 'Payload too big' })) : undefined,
    violations: ['message MVO-A13'],
  },
  {
    name: 'a body nested deeper than the bound accepted',
    deviate: async (request, _answer, ask) =>
      request.body?.includes(DEEP)
        ? ask({ ...request, body: request.body.replace(`"extra":${DEEP}`, '"city":"Berlin"') })
        : undefined,
    violations: ['validation MVO-A14'],
  },
  {
    name: 'a body that is not JSON accepted',
    deviate: async (request, _answer, ask) =>
      request.method === 'POST' && request.body === 'first_name=J'
        ? ask({
            ...request,
            headers: (name) => (name === 'content-type' ? 'application/json' : request.headers(name)),
            body: JSON.stringify({ first_name: 'J', last_name: 'D', email: 'j.form@example.com' }),
          })
        : undefined,
    violations: ['validation MVO-A11'],
  },
];

export const SESSIONS: Record<ApiName, (call: Call, force: Force) => Promise<void>> = {
  tvm: tvmSession,
  mvo: mvoSession,
};
export const DRIFTS: Record<ApiName, Drift[]> = { tvm: TVM_DRIFTS, mvo: MVO_DRIFTS };
