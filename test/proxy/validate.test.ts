/** One exchange in, findings out: a table of ways a real answer can differ from the contract, and what each contradicts. */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { apiModel, type ApiName } from '../../mock-server/src/model/index.ts';
import { createExchangeValidator, type Exchange } from '../../mock-server/src/proxy/index.ts';

const validators = { mvo: createExchangeValidator('mvo'), tvm: createExchangeValidator('tvm') };
const reader = (headers: Record<string, string>) => (name: string) =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const RATE = {
  ...JSON_TYPE,
  'X-RateLimit-Limit': '60',
  'X-RateLimit-Remaining': '59',
  'X-RateLimit-Reset': '1770000000',
};
const TVM = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
const MVO = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') };
const tvmError = (code: string, message: string) => JSON.stringify({ success: false, error: { code, message } });
/** The spec's first example of a response, as text: a body that conforms. */
const example = (api: ApiName, operationId: string, status: number) =>
  JSON.stringify(
    apiModel(api)
      .operations.find((op) => op.operationId === operationId)!
      .responses.get(status)!
      .examples.values()
      .next().value,
  );
const shop = example('tvm', 'getShop', 200);
const offers = example('tvm', 'listOffers', 200);
const customer = example('mvo', 'getCustomer', 200);

interface Case {
  api: ApiName;
  method?: string;
  path: string;
  query?: string;
  request?: Record<string, string>;
  requestBody?: string;
  status: number;
  response?: Record<string, string>;
  body?: string;
}

function failed({
  api,
  method = 'GET',
  path,
  query = '',
  request = {},
  requestBody = '',
  status,
  response = api === 'tvm' ? RATE : JSON_TYPE,
  body = '',
}: Case): string[] {
  const exchange: Exchange = {
    method,
    path,
    query,
    requestHeaders: reader(request),
    requestBody,
    status,
    responseHeaders: reader(response),
    responseBody: body,
  };
  return validators[api](exchange)
    .findings.filter((finding) => !finding.passed && !finding.note)
    .map((finding) => `${finding.check} ${finding.assumptions.join(',') || '-'}`);
}

describe('checking one exchange', () => {
  it.each<[string, Case, string[]]>([
    ['a conforming read', { api: 'tvm', path: '/v1/shop', request: TVM, status: 200, body: shop }, []],
    [
      'an unknown route answered 404 in the envelope',
      {
        api: 'tvm',
        path: '/v1/nowhere',
        request: TVM,
        status: 404,
        body: tvmError('NOT_FOUND', 'Route GET:/v1/nowhere not found'),
      },
      [],
    ],
    [
      'a HEAD on an unknown route answered 404 without a body',
      { api: 'mvo', method: 'HEAD', path: '/api/customers/x', status: 404 },
      [],
    ],
    [
      'an unknown route answered 200',
      { api: 'tvm', path: '/v1/nowhere', request: TVM, status: 200, body: '{}' },
      ['route TVM-A14'],
    ],
    [
      'a request without a key answered 200',
      { api: 'tvm', path: '/v1/shop', status: 200, body: shop },
      ['auth-required -'],
    ],
    [
      'a malformed key answered 200',
      { api: 'tvm', path: '/v1/shop', request: { authorization: 'Bearer tvm_short' }, status: 200, body: shop },
      ['auth-required TVM-A1'],
    ],
    [
      'a missing key answered with another documented 401 body',
      {
        api: 'mvo',
        path: '/api/customers/1',
        status: 401,
        body: '{"error":"Unauthorized","message":"Invalid API key"}',
      },
      ['message MVO-A9'],
    ],
    [
      'a missing-scope 403 naming another scope',
      {
        api: 'tvm',
        path: '/v1/content',
        request: TVM,
        status: 403,
        response: RATE,
        body: tvmError('FORBIDDEN', 'Missing required scope: shops:read'),
      },
      ['scope TVM-A6'],
    ],
    [
      'a 403 with an undocumented message',
      { api: 'tvm', path: '/v1/shop', request: TVM, status: 403, body: tvmError('FORBIDDEN', 'Key suspended') },
      ['message TVM-A7'],
    ],
    [
      'MVO’s 403 with another message',
      {
        api: 'mvo',
        method: 'POST',
        path: '/api/customers',
        request: { ...MVO, 'content-type': 'application/json' },
        requestBody: '{"first_name":"J","last_name":"D","email":"j@example.com"}',
        status: 403,
        body: '{"error":"Forbidden","message":"Plan limit"}',
      },
      ['message MVO-A5'],
    ],
    [
      'a valid request refused as invalid',
      {
        api: 'tvm',
        path: '/v1/offers',
        query: 'limit=50',
        request: TVM,
        status: 400,
        body: tvmError('VALIDATION_ERROR', 'bad'),
      },
      ['validation -'],
    ],
    [
      'a page size over the limit accepted',
      { api: 'tvm', path: '/v1/offers', query: 'limit=500', request: TVM, status: 200, body: offers },
      ['validation TVM-A14'],
    ],
    [
      'a list without its paging fields or meta',
      {
        api: 'tvm',
        path: '/v1/offers',
        request: TVM,
        status: 200,
        body: JSON.stringify({ success: true, data: { items: [] } }),
      },
      ['field TVM-A3', 'field TVM-A5'],
    ],
    [
      'a body that is not JSON accepted',
      {
        api: 'mvo',
        method: 'POST',
        path: '/api/customers',
        request: MVO,
        requestBody: 'first_name=J',
        status: 201,
        body: customer,
      },
      ['validation MVO-A11'],
    ],
    [
      'a body nested deeper than the bound accepted',
      {
        api: 'mvo',
        method: 'POST',
        path: '/api/customers',
        request: { ...MVO, 'content-type': 'application/json' },
        requestBody: `{"first_name":"J","last_name":"D","email":"j@example.com","address_data":{"extra":${'['.repeat(5_000)}${']'.repeat(5_000)}}}`,
        status: 201,
        body: customer,
      },
      ['validation MVO-A14'],
    ],
    [
      'a TVM body nested deeper than the bound accepted',
      {
        api: 'tvm',
        method: 'POST',
        path: '/v1/offers',
        request: { ...TVM, 'content-type': 'application/json' },
        requestBody: `{"title":"x","extra":${'['.repeat(40)}${']'.repeat(40)}}`,
        status: 201,
        response: RATE,
        body: example('tvm', 'createOffer', 201),
      },
      ['validation TVM-A20'],
    ],
    [
      'an invalid e-mail accepted',
      {
        api: 'mvo',
        method: 'POST',
        path: '/api/customers',
        request: { ...MVO, 'content-type': 'application/json' },
        requestBody: '{"first_name":"J","last_name":"D","email":"nope"}',
        status: 201,
        body: customer,
      },
      ['validation MVO-A8'],
    ],
    [
      'an undocumented 5xx',
      { api: 'tvm', path: '/v1/shop', request: TVM, status: 502, body: '<html>Bad gateway</html>' },
      ['status -'],
    ],
    [
      'an inferred operation that is not there',
      {
        api: 'tvm',
        method: 'DELETE',
        path: '/v1/offers/offer_1',
        request: TVM,
        status: 405,
        body: tvmError('NOT_FOUND', 'Method not allowed'),
      },
      ['operation TVM-A4'],
    ],
    [
      'a documented header missing',
      {
        api: 'tvm',
        path: '/v1/shop',
        request: TVM,
        status: 200,
        response: { ...JSON_TYPE, 'X-RateLimit-Limit': '60' },
        body: shop,
      },
      ['headers -'],
    ],
    [
      'a body that is not JSON',
      { api: 'mvo', path: '/api/customers/1', request: MVO, status: 200, body: '<html>' },
      ['body -'],
    ],
    [
      'a 204 with a body',
      { api: 'mvo', method: 'DELETE', path: '/api/customers/1', request: MVO, status: 204, body: '{}' },
      ['body -'],
    ],
    [
      'an update answered 201',
      {
        api: 'mvo',
        method: 'PATCH',
        path: '/api/customers/1',
        request: { ...MVO, 'content-type': 'application/json' },
        requestBody: '{"first_name":"K"}',
        status: 201,
        body: customer,
      },
      ['status MVO-A4'],
    ],
    [
      'a 429 for an invalid request says nothing about validation',
      {
        api: 'tvm',
        path: '/v1/offers',
        query: 'limit=500',
        request: TVM,
        status: 429,
        response: { ...RATE, 'X-RateLimit-Remaining': '0' },
        body: JSON.stringify({
          success: false,
          error: { code: 'RATE_LIMITED', message: 'Rate limit exceeded. Try again in 30 seconds.', retryAfter: 30 },
        }),
      },
      [],
    ],
  ])('%s', (_name, exchange, expected) => {
    expect(failed(exchange)).toEqual(expected);
  });
});

describe('verdicts that rest on what was sent or seen before', () => {
  const passedIds = (
    api: ApiName,
    exchange: Partial<Exchange> & Pick<Exchange, 'path' | 'status'>,
    validator = createExchangeValidator(api),
  ) => {
    const findings = validator({
      method: 'GET',
      query: '',
      requestHeaders: reader(api === 'tvm' ? TVM : MVO),
      requestBody: '',
      responseHeaders: reader(RATE),
      responseBody: '',
      ...exchange,
    }).findings;
    return {
      confirmed: [...new Set(findings.filter((f) => f.passed).flatMap((f) => f.assumptions))].sort(),
      failed: findings.filter((f) => !f.passed && !f.note).map((f) => `${f.check} ${f.assumptions.join(',') || '-'}`),
    };
  };
  const content = example('tvm', 'createContent', 201);
  const create = (expiresAt: string) => ({
    method: 'POST',
    path: '/v1/content',
    requestHeaders: reader({ ...TVM, 'content-type': 'application/json' }),
    requestBody: JSON.stringify({ contentType: 'news', title: 'T', expiresAt }),
    status: 201,
    responseBody: content,
  });

  it('a plain date accepted confirms TVM-A8; an accepted date-time (published) does not', () => {
    expect(passedIds('tvm', create('2026-12-31')).confirmed).toContain('TVM-A8');
    expect(passedIds('tvm', create('2026-12-31T23:59:59Z')).confirmed).not.toContain('TVM-A8');
  });

  it('a documented 404 on an inferred operation, for an item the API has just shown, says the operation is not there', () => {
    const validator = createExchangeValidator('tvm');
    const voucher = example('tvm', 'getVoucher', 200);
    const id = JSON.parse(voucher).data.id;
    expect(
      passedIds('tvm', { path: `/v1/vouchers/${id}`, status: 200, responseBody: voucher }, validator).failed,
    ).toEqual([]);
    const notFound = tvmError('NOT_FOUND', 'Resource not found');
    expect(
      passedIds('tvm', { method: 'DELETE', path: `/v1/vouchers/${id}`, status: 404, responseBody: notFound }, validator)
        .failed,
    ).toEqual(['operation TVM-A4']);
    // An id never shown: the item is simply not there, as documented (TVM-A7's message confirmed).
    expect(
      passedIds(
        'tvm',
        { method: 'DELETE', path: '/v1/vouchers/voucher_never', status: 404, responseBody: notFound },
        validator,
      ),
    ).toEqual({ confirmed: ['TVM-A2', 'TVM-A3', 'TVM-A7'], failed: [] });
  });
});

describe('wording', () => {
  it('says what a refused key should have got, with the right article', () => {
    const finding = validators
      .mvo({
        method: 'GET',
        path: '/api/customers/1',
        query: '',
        requestHeaders: reader({ 'x-api-key': 'sk_live_short' }),
        requestBody: '',
        status: 401,
        responseHeaders: reader(JSON_TYPE),
        responseBody: '{"error":"Unauthorized","message":"Nope"}',
      })
      .findings.find((f) => f.check === 'message')!;
    expect(finding.expected).toBe('the documented message for 401 (an invalid key): "Invalid API key"');
  });
});
