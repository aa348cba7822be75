/** Validation, routing and response shaping, each in the API's own envelope. */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { json, useHandledMock } from '../helpers/mock.ts';

/** The mocks' clock in these suites: fixed, so a minute boundary cannot split a rate window. */
const NOW = new Date('2026-03-01T12:00:10.000Z');
const now = () => NOW;

describe('MVO responses', () => {
  const mock = useHandledMock('mvo');
  const auth = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') };
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    mock.send('/api/customers', { method: 'POST', ...json(body, { ...auth, ...headers }) });
  const bad = (message: string) => ({ error: 'Bad Request', message });

  it('creates a customer with the documented defaults (201)', async () => {
    const answer = await post({ first_name: 'John', last_name: 'Doe', email: 'john@example.com' });
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({ language: 'de', status: 'active', source: 'api' });
  });

  it.each([
    ['a missing email', { first_name: 'John', last_name: 'Doe' }, "body must have required property 'email'"],
    [
      'an invalid email',
      { first_name: 'John', last_name: 'Doe', email: 'john' },
      'body/email must match format "email"',
    ],
    [
      'a first name over 100 characters',
      { first_name: 'J'.repeat(101), last_name: 'Doe', email: 'j@example.com' },
      'body/first_name must NOT have more than 100 characters',
    ],
    [
      'an unknown language',
      { first_name: 'J', last_name: 'D', email: 'j@example.com', language: 'fr' },
      'body/language must be equal to one of the allowed values',
    ],
    ['a body that is not an object', [1, 2], 'body must be object'],
  ])('refuses %s like the API does', async (_label, body, message) => {
    expect(await post(body).then((a) => [a.status, a.json])).toEqual([400, bad(message)]);
  });

  it('refuses an empty PATCH with the documented message', async () => {
    const answer = await mock.send('/api/customers/550e8400-e29b-41d4-a716-446655440000', {
      method: 'PATCH',
      ...json({}, auth),
    });
    expect([answer.status, answer.json]).toEqual([400, bad('body must NOT have fewer than 1 properties')]);
  });

  it('accepts null to clear a nullable field on PATCH (assumption MVO-A4)', async () => {
    const answer = await mock.send('/api/customers/550e8400-e29b-41d4-a716-446655440000', {
      method: 'PATCH',
      ...json({ company_name: null }, auth),
    });
    expect(answer.status).toBe(200);
  });

  it.each([
    [
      'malformed JSON',
      '{"first_name": "John",',
      { 'content-type': 'application/json' },
      "Body is not valid JSON but content-type is set to 'application/json'",
    ],
    [
      'an empty JSON body',
      '',
      { 'content-type': 'application/json' },
      "Body cannot be empty when content-type is set to 'application/json'",
    ],
    [
      'a text/plain body',
      'hello',
      { 'content-type': 'text/plain' },
      'Content-Type must be application/json, got "text/plain"',
    ],
  ])('answers %s with 400 in the MVO envelope', async (_label, body, headers, message) => {
    const answer = await mock.send('/api/customers', { method: 'POST', body, headers: { ...auth, ...headers } });
    expect([answer.status, answer.json]).toEqual([400, bad(message)]);
  });

  it('answers a body over 1 MiB with the documented 413 and keeps serving', async () => {
    const answer = await post({ first_name: 'x'.repeat(1_100_000), last_name: 'D', email: 'j@example.com' });
    expect([answer.status, answer.json]).toEqual([
      413,
      { error: 'Payload Too Large', message: 'Request body is too large' },
    ]);
    expect((await post({ first_name: 'J', last_name: 'D', email: 'j@example.com' })).status).toBe(201);
  });

  it('answers unknown routes and methods with 404 in the MVO envelope', async () => {
    expect((await mock.send('/api/orders', { headers: auth })).json).toEqual({
      error: 'Not Found',
      message: 'Route GET:/api/orders not found',
    });
    expect((await mock.send('/api/customers', { method: 'GET', headers: auth })).json).toEqual({
      error: 'Not Found',
      message: 'Route GET:/api/customers not found',
    });
  });

  it("honours Prism's Prefer header for any documented status and example", async () => {
    const answer = await post({ first_name: 'J', last_name: 'D', email: 'j@example.com' }, { prefer: 'code=409' });
    expect([answer.status, answer.json]).toEqual([
      409,
      { error: 'Conflict', message: 'A customer with this email already exists' },
    ]);
    const limit = await post(
      { first_name: 'J', last_name: 'D', email: 'j@example.com' },
      { prefer: 'code=403, example=customerLimitReached' },
    );
    expect(limit.json).toEqual({ error: 'Forbidden', message: 'Customer limit reached' });
  });

  it('says clearly when Prefer asks for something undocumented', async () => {
    const answer = await post({ first_name: 'J', last_name: 'D', email: 'j@example.com' }, { prefer: 'code=418' });
    expect(answer.status).toBe(400);
    expect(answer.json.message).toBe(
      'Prefer asks for code=418, but createCustomer documents only 201, 400, 401, 403, 409, 413, 429, 500, 503',
    );
  });

  it('authenticates before it validates: a bad body without a key is a 401', async () => {
    const answer = await mock.send('/api/customers', { method: 'POST', ...json({}) });
    expect(answer.status).toBe(401);
  });
});

describe('TVM responses', () => {
  const mock = useHandledMock('tvm', { now });
  const auth = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };

  it('creates offers, vouchers and content in needs_review, whatever status the body asks for', async () => {
    for (const [path, body] of [
      ['/v1/offers', { title: '20% Off Everything', status: 'active' }],
      ['/v1/vouchers', { code: 'save15', status: 'active' }],
      ['/v1/content', { title: 'Spring Collection Now Available', status: 'active' }],
    ] as const) {
      const answer = await mock.send(path, { method: 'POST', ...json(body, auth) });
      expect([path, answer.status, answer.json.data.status]).toEqual([path, 201, 'needs_review']);
    }
  });

  it('wraps data in {success, data, meta} with a fresh requestId per response', async () => {
    const first = await mock.send('/v1/shop', { headers: auth });
    const second = await mock.send('/v1/shop', { headers: auth });
    expect(first.json).toMatchObject({ success: true, data: { id: 'shop_abc123' } });
    expect(first.json.meta.requestId).toMatch(/^req_[a-z0-9]+$/);
    expect(first.json.meta.requestId).not.toBe(second.json.meta.requestId);
    expect(first.json.meta.timestamp).toBe(NOW.toISOString());
  });

  it('sends X-RateLimit-* headers on every response', async () => {
    for (const headers of [auth, {}]) {
      const answer = await mock.send('/v1/shop', { headers });
      for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'])
        expect(answer.headers.get(name)).toMatch(/^\d+$/);
    }
  });

  it('lists every validation problem as details[{field, message}]', async () => {
    const answer = await mock.send('/v1/offers', {
      method: 'POST',
      ...json({ landingUrl: 'not a url', discountType: 'half', expiresAt: 'tomorrow', discountValue: '20' }, auth),
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      success: false,
      error: {
        code: 'VALIDATION_ERROR',
        message: 'Request validation failed',
        details: [
          { field: 'title', message: 'Required' },
          { field: 'landingUrl', message: 'Must be a valid URL' },
          {
            field: 'discountType',
            message: 'Must be one of: percentage, fixed_amount, free_shipping, bogof, multibuy, other',
          },
          { field: 'discountValue', message: 'Must be a number' },
          { field: 'expiresAt', message: 'Must be an ISO 8601 date or date-time' },
        ],
      },
    });
  });

  it('accepts a plain date where a date-time is documented (assumption TVM-A8)', async () => {
    const answer = await mock.send('/v1/offers', {
      method: 'POST',
      ...json({ title: 'x', expiresAt: '2026-03-01' }, auth),
    });
    expect(answer.status).toBe(201);
  });

  it('checks paging parameters', async () => {
    const answer = await mock.send('/v1/content?page=0&limit=101&contentType=blog', { headers: auth });
    expect(answer.json.error.details).toEqual([
      { field: 'page', message: 'Must be at least 1' },
      { field: 'limit', message: 'Must be at most 100' },
      { field: 'contentType', message: 'Must be one of: news, announcement, store_opening, editorial, promotion' },
    ]);
  });

  it('answers malformed JSON, unknown routes and unknown methods in the TVM envelope and wording', async () => {
    const badJson = await mock.send('/v1/offers', {
      method: 'POST',
      body: '{',
      headers: { ...auth, 'content-type': 'application/json' },
    });
    expect(badJson.json.error).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'Request validation failed',
      details: [{ field: 'body', message: 'Must be valid JSON' }],
    });
    const unknown = await mock.send('/v1/orders', { headers: auth });
    // TVM's own wording (assumptions TVM-A7, TVM-A14), never MVO's Fastify `Route GET:/v1/orders not found`.
    expect([unknown.status, unknown.json]).toEqual([
      404,
      { success: false, error: { code: 'NOT_FOUND', message: 'Resource not found' } },
    ]);
    const wrongMethod = await mock.send('/v1/shop', { method: 'DELETE', headers: auth });
    expect([wrongMethod.status, wrongMethod.json]).toEqual([
      404,
      { success: false, error: { code: 'NOT_FOUND', message: 'Resource not found' } },
    ]);
  });
});

describe('TVM rate limits', () => {
  const mock = useHandledMock('tvm', { rateLimits: 'enforce', now });
  it('counts per key and answers 429 RATE_LIMITED with retryAfter once a shop key passes 30 a minute', async () => {
    const created = await mock.send('/__mock/keys', {
      method: 'POST',
      ...json({ name: 'shop', scopes: ['shops:read'] }),
    });
    const headers = { authorization: `Bearer ${created.json.key}` };
    const first = await mock.send('/v1/shop', { headers });
    expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual(['30', '29']);
    let last = first;
    for (let i = 1; i < 31; i++) last = await mock.send('/v1/shop', { headers });
    expect(last.status).toBe(429);
    expect(last.json.error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 50 }); // the window ends at 12:01:00
    expect(last.json.error.message).toBe(`Rate limit exceeded. Try again in ${last.json.error.retryAfter} seconds.`);
    expect(last.headers.get('x-ratelimit-remaining')).toBe('0');
    const other = await mock.send('/v1/shop', {
      headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` },
    });
    expect([other.status, other.headers.get('x-ratelimit-limit')]).toEqual([200, '60']);
  });
});

describe('TVM server-side failures', () => {
  const mock = useHandledMock('tvm');
  it('a forced 503 carries INTERNAL_ERROR, the code the spec adds for 5xx (assumption TVM-A16)', async () => {
    await mock.send('/__mock/scenarios', { method: 'POST', ...json({ status: 503, count: 1 }) });
    const answer = await mock.send('/v1/shop', {
      headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` },
    });
    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({ success: false, error: { code: 'INTERNAL_ERROR' } });
  });
});
