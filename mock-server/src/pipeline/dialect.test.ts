import { describe, expect, it } from 'vitest';
import { apiModel } from '../model/index.ts';
import { createDialect } from './dialect.ts';

const AT = new Date('2026-03-01T12:00:00.000Z');
const mvo = createDialect(apiModel('mvo'));
const tvm = createDialect(apiModel('tvm'));
const op = (api: 'mvo' | 'tvm', operationId: string) =>
  apiModel(api).operations.find((candidate) => candidate.operationId === operationId)!;
const problem = {
  message: "body must have required property 'title'",
  details: [{ field: 'title', message: 'Required' }],
};

describe('each API writes its own bodies', () => {
  it.each([
    ['an error', mvo.error(409, 'Taken'), { error: 'Conflict', message: 'Taken' }],
    [
      'a validation failure: Fastify’s message',
      mvo.invalid(problem),
      { error: 'Bad Request', message: problem.message },
    ],
    [
      'an unknown route: Fastify’s words',
      mvo.routeNotFound('GET', '/api/nope'),
      { error: 'Not Found', message: 'Route GET:/api/nope not found' },
    ],
    [
      'a rate-limited answer: the documented 429',
      mvo.rateLimited(op('mvo', 'getCustomer'), 45, AT),
      { error: 'Too Many Requests', message: 'Rate limit exceeded' },
    ],
    ['success data: bare', mvo.success('{"id":"1"}', AT), { id: '1' }],
  ])('MVO: %s', (_label, text, expected) => {
    expect(JSON.parse(text)).toEqual(expected);
  });

  it.each([
    [
      'an error: the code its spec documents for the status',
      tvm.error(404, 'Key not found'),
      { success: false, error: { code: 'NOT_FOUND', message: 'Key not found' } },
    ],
    [
      'an undocumented 5xx: the 500 code',
      tvm.error(502, 'Bad gateway'),
      { success: false, error: { code: 'INTERNAL_ERROR', message: 'Bad gateway' } },
    ],
    [
      'a validation failure: the spec’s message and every field',
      tvm.invalid(problem),
      {
        success: false,
        error: { code: 'VALIDATION_ERROR', message: 'Request validation failed', details: problem.details },
      },
    ],
    [
      'an unknown route: NOT_FOUND in its own words',
      tvm.routeNotFound('GET', '/v1/nope'),
      { success: false, error: { code: 'NOT_FOUND', message: 'Resource not found' } },
    ],
    [
      'a rate-limited answer: the spec’s template',
      tvm.rateLimited(op('tvm', 'getShop'), 12, AT),
      {
        success: false,
        error: { code: 'RATE_LIMITED', message: 'Rate limit exceeded. Try again in 12 seconds.', retryAfter: 12 },
      },
    ],
    [
      'success data: in the envelope with a fresh meta',
      tvm.success('{"id":"1"}', AT),
      {
        success: true,
        data: { id: '1' },
        meta: { requestId: expect.stringMatching(/^req_[0-9a-f]{16}$/), timestamp: AT.toISOString() },
      },
    ],
  ])('TVM: %s', (_label, text, expected) => {
    expect(JSON.parse(text)).toEqual(expected);
  });

  it('TVM examples get a fresh meta each time; MVO examples are sent as documented', () => {
    const [first, second] = [
      tvm.example(op('tvm', 'getShop'), 200, undefined, AT)!,
      tvm.example(op('tvm', 'getShop'), 200, undefined, AT)!,
    ].map((text) => JSON.parse(text));
    expect(first.meta.requestId).not.toBe(second.meta.requestId);
    expect(first.meta.timestamp).toBe(AT.toISOString());
    expect(JSON.parse(mvo.example(op('mvo', 'getCustomer'), 404, undefined, AT)!)).toEqual({
      error: 'Not Found',
      message: 'Customer not found',
    });
  });

  it('finds the data inside success schemas and examples (TVM unwraps data)', () => {
    const shop = op('tvm', 'getShop').responses.get(200)!;
    expect(tvm.dataSchema(shop.schema)).toMatchObject({ title: 'Shop' });
    expect(tvm.dataOf(shop.examples.values().next().value)).toMatchObject({ id: 'shop_abc123' });
    const customer = op('mvo', 'getCustomer').responses.get(200)!;
    expect(mvo.dataSchema(customer.schema)).toBe(customer.schema);
  });
});
