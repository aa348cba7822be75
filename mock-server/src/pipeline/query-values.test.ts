import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../fixtures/keys.ts';
import { createMock, type MockRequest } from './pipeline.ts';
import { queryValues } from './query-values.ts';

const admin: Record<string, string> = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
const get = (path: string, query: string): MockRequest => ({
  method: 'GET',
  path,
  query,
  headers: (name) => admin[name],
  body: '',
});

describe('queryValues', () => {
  it('keeps a name given once as its value, and every value of a repeated name, in order', () => {
    expect(queryValues(new URLSearchParams('limit=5&page=2&limit=6&limit=7'))).toEqual({
      limit: ['5', '6', '7'],
      page: '2',
    });
  });

  it('keeps __proto__ a plain property', () => {
    const values = queryValues(new URLSearchParams('__proto__=x&__proto__=y'));
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(values, '__proto__')?.value).toEqual(['x', 'y']);
  });
});

describe('a repeated scalar query parameter', () => {
  it.each([
    ['limit=1000&limit=5', 'limit'],
    ['page=0&page=1', 'page'],
    ['page=abc&page=1', 'page'],
    ['limit=5&limit=6', 'limit'],
  ])('TVM: %s is a 400 naming the parameter, in the validation envelope', async (query, field) => {
    const mock = await createMock('tvm', { stateful: true });
    const answer = await mock.handle(get('/v1/offers', query));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body!)).toEqual({
      success: false,
      error: {
        code: 'VALIDATION_ERROR',
        message: 'Request validation failed',
        details: [{ field, message: 'Must be an integer' }],
      },
    });
  });

  it('control API (MVO): a repeated journal limit is a 400 in Fastify words', async () => {
    const mock = await createMock('mvo');
    const answer = await mock.handle(get('/__mock/requests', 'limit=1&limit=2'));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body!)).toEqual({ error: 'Bad Request', message: 'querystring/limit must be integer' });
  });

  it('one value is read alike by validation and the handler', async () => {
    const mock = await createMock('tvm');
    const answer = await mock.handle(get('/v1/offers', 'limit=1'));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body!).data.items).toHaveLength(1);
  });
});
