import { describe, expect, it } from 'vitest';
import { apiModel } from '../model/index.ts';
import { negotiate, parsePrefer } from './negotiate.ts';

describe('parsePrefer', () => {
  it.each([
    [undefined, {}],
    ['', {}],
    ['code=404', { code: 404 }],
    ['code=404, example=notFound', { code: 404, example: 'notFound' }],
    ['code=404;example=notFound', { code: 404, example: 'notFound' }],
    ['  code = 404 ', { code: 404 }],
    ['example="notFound"', { example: 'notFound' }],
    ['code=4040', {}],
    ['code=abc', {}],
    ['example=', {}],
    ['respond-async, code=201', { code: 201 }],
    ['dynamic=true', {}],
  ])('%j → %j', (header, expected) => {
    expect(parsePrefer(header)).toEqual(expected);
  });
});

describe('negotiate', () => {
  const getCustomer = apiModel('mvo').operations.find((op) => op.operationId === 'getCustomer')!;

  it.each([
    ['nothing: the lowest 2xx and its first example', {}, { ok: true, status: 200, exampleName: 'customer' }],
    ['a documented code: its first example', { code: 401 }, { ok: true, status: 401, exampleName: 'missing' }],
    [
      'a documented code and example',
      { code: 401, example: 'revoked' },
      { ok: true, status: 401, exampleName: 'revoked' },
    ],
  ] as const)('%s', (_label, preference, expected) => {
    const result = negotiate(getCustomer, preference);
    expect(result.ok && { ok: true, status: result.response.status, exampleName: result.exampleName }).toEqual(
      expected,
    );
  });

  it.each([
    [
      'an undocumented code',
      { code: 418 },
      'Prefer asks for code=418, but getCustomer documents only 200, 401, 404, 429, 500, 503',
    ],
    [
      'an unknown example',
      { code: 401, example: 'nope' },
      'Prefer asks for example=nope, but the 401 response of getCustomer documents missing, invalid, revoked, expired',
    ],
  ] as const)('says what is documented when asked for %s', (_label, preference, message) => {
    expect(negotiate(getCustomer, preference)).toEqual({ ok: false, message });
  });
});
