/**
 * The response-conformance checker (test/helpers/conformance.ts) can fail: suites that use `sendChecked`
 * would not notice a mock answering off-spec if the checker accepted everything.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceProblem } from '../helpers/conformance.ts';
import { sendChecked } from '../helpers/mock.ts';

describe('conformanceProblem', () => {
  it('accepts a documented answer', () => {
    expect(
      conformanceProblem(
        'tvm',
        'GET',
        '/v1/shop',
        401,
        JSON.stringify({ success: false, error: { code: 'UNAUTHORIZED', message: 'Invalid or missing API key' } }),
      ),
    ).toBeUndefined();
    expect(
      conformanceProblem(
        'mvo',
        'GET',
        '/nowhere',
        404,
        JSON.stringify({ error: 'Not Found', message: 'Route GET:/nowhere not found' }),
      ),
    ).toBeUndefined();
    expect(
      conformanceProblem(
        'tvm',
        'PATCH',
        '/__mock/keys/nope',
        404,
        JSON.stringify({ success: false, error: { code: 'NOT_FOUND', message: 'Key not found' } }),
      ),
    ).toBeUndefined();
    expect(
      conformanceProblem(
        'mvo',
        'POST',
        '/__mock/keys',
        400,
        JSON.stringify({ error: 'Bad Request', message: "body must have required property 'name'" }),
      ),
    ).toBeUndefined();
    expect(
      conformanceProblem(
        'tvm',
        'GET',
        '/__mock/nowhere',
        404,
        JSON.stringify({ success: false, error: { code: 'NOT_FOUND', message: 'Resource not found' } }),
      ),
    ).toBeUndefined();
  });

  it.each([
    ['a 2xx body off its schema', 'tvm', 'GET', '/v1/shop', 200, JSON.stringify({ success: true, data: { name: 42 } })],
    [
      'the other API’s envelope',
      'tvm',
      'GET',
      '/v1/shop',
      401,
      JSON.stringify({ error: 'Unauthorized', message: 'Invalid API key' }),
    ],
    [
      'an MVO error without its message',
      'mvo',
      'GET',
      '/api/customers/550e8400-e29b-41d4-a716-446655440000',
      401,
      JSON.stringify({ error: 'Unauthorized' }),
    ],
    [
      'a body that is not JSON',
      'mvo',
      'GET',
      '/api/customers/550e8400-e29b-41d4-a716-446655440000',
      401,
      'Unauthorized',
    ],
    [
      'a status the operation does not document',
      'tvm',
      'GET',
      '/v1/shop',
      418,
      JSON.stringify({ success: false, error: { code: 'TEAPOT', message: 'no' } }),
    ],
    [
      'a 5xx on an unknown route',
      'mvo',
      'GET',
      '/nowhere',
      500,
      JSON.stringify({ error: 'Internal Server Error', message: 'boom' }),
    ],
    [
      'problem+json on an unknown route',
      'tvm',
      'BREW',
      '/v1/shop',
      400,
      JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400 }),
    ],
    [
      'a TVM control error in MVO’s envelope',
      'tvm',
      'POST',
      '/__mock/keys',
      400,
      JSON.stringify({ error: 'Bad Request', message: "body must have required property 'name'" }),
    ],
    [
      'an MVO control error in TVM’s envelope',
      'mvo',
      'PATCH',
      '/__mock/keys/nope',
      404,
      JSON.stringify({ success: false, error: { code: 'NOT_FOUND', message: 'Key not found' } }),
    ],
    [
      'a control status openapi/mock/ does not document',
      'tvm',
      'DELETE',
      '/__mock/keys/k',
      409,
      JSON.stringify({ success: false, error: { code: 'VALIDATION_ERROR', message: 'x' } }),
    ],
    ['a control body off its schema', 'mvo', 'GET', '/__mock/keys', 200, JSON.stringify({ keys: [{ id: 'key_1' }] })],
    ['a 2xx on an unknown control route', 'mvo', 'GET', '/__mock/nowhere', 200, JSON.stringify({})],
  ] as const)('rejects %s', (_label, api, method, path, status, body) => {
    expect(conformanceProblem(api, method, path, status, body)).toEqual(expect.any(String));
  });
});

describe('conformanceProblem, request side', () => {
  const ok = (body: unknown) => JSON.stringify(body);
  const created = {
    id: 'key_1',
    name: 'x',
    prefix: 'tvm_abcd…',
    scopes: ['*'],
    status: 'active',
    created_at: '2026-01-01T00:00:00Z',
    expires_at: null,
    last_used_at: null,
    account: 'default',
    rate_limit: null,
    key: 'tvm_x',
  };
  const mvoBad = ok({ error: 'Bad Request', message: 'x' });
  const tvmBad = ok({ success: false, error: { code: 'VALIDATION_ERROR', message: 'x' } });

  it('accepts a control answer that agrees with openapi/mock/ about the request', () => {
    expect(
      conformanceProblem('tvm', 'POST', '/__mock/keys', 201, ok(created), {
        body: ok({ name: 'x', scopes: ['offers:read'] }),
      }),
    ).toBeUndefined();
    expect(
      conformanceProblem('tvm', 'POST', '/__mock/keys', 400, tvmBad, {
        body: ok({ name: 'x', scopes: ['offers:delete'] }),
      }),
    ).toBeUndefined();
    expect(
      conformanceProblem('mvo', 'POST', '/__mock/keys', 400, mvoBad, { body: ok({ name: 'x', scopes: ['*'] }) }),
    ).toBeUndefined();
    expect(conformanceProblem('mvo', 'POST', '/__mock/keys', 400, mvoBad, { body: '{"name":' })).toBeUndefined();
  });

  it.each([
    [
      'a 400 to a control body its API’s branch takes',
      'tvm',
      'POST',
      '/__mock/keys',
      400,
      tvmBad,
      { name: 'x', scopes: ['offers:read'] },
    ],
    // DELETE /__mock/scenarios: no body, no query (POST /__mock/reset takes `?journal=`, whose 400s this check leaves to the query's schema).
    ['a 400 to an empty body where none is required', 'mvo', 'DELETE', '/__mock/scenarios', 400, mvoBad, undefined],
    [
      'a success to a control body its API’s branch refuses',
      'mvo',
      'POST',
      '/__mock/keys',
      201,
      ok({ ...created, prefix: 'sk_live_abcd…' }),
      { name: 'x', scopes: ['*'] },
    ],
    [
      'a 404 to a control body the schema refuses',
      'tvm',
      'POST',
      '/__mock/items/offer_abc123/review',
      404,
      ok({ success: false, error: { code: 'NOT_FOUND', message: 'Item not found' } }),
      {},
    ],
    [
      'an API success to a body its schema refuses',
      'tvm',
      'POST',
      '/v1/offers',
      201,
      ok({
        success: true,
        data: {
          id: 'offer_1',
          slug: 's',
          title: 't',
          status: 'needs_review',
          shop: { id: 'shop_1', slug: 's', name: 'S' },
          createdAt: '2026-01-01T00:00:00Z',
        },
        meta: { requestId: 'req_1', timestamp: '2026-01-01T00:00:00Z' },
      }),
      { description: 'no title' },
    ],
  ] as const)('rejects %s', (_label, api, method, path, status, answer, sent) => {
    expect(
      conformanceProblem(api, method, path, status, answer, {
        body: sent === undefined ? undefined : JSON.stringify(sent),
      }),
    ).toEqual(expect.any(String));
  });
});

describe('sendChecked', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    // Answers like TVM on the wire, but with MVO's envelope: what a broken mock might send.
    server = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Unauthorized', message: 'Invalid API key' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fails the test when the answer does not conform', async () => {
    await expect(sendChecked('tvm', url, '/v1/shop')).rejects.toThrow(/response conformance/);
  });

  it('passes the same answer for the API whose envelope it is', async () => {
    const answer = await sendChecked('mvo', url, '/api/customers/550e8400-e29b-41d4-a716-446655440000');
    expect(answer.status).toBe(401);
  });
});
