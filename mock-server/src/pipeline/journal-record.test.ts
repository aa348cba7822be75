import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../fixtures/keys.ts';
import { apiModel } from '../model/index.ts';
import { journalParts, SharedStrings } from './journal-record.ts';
import type { MockRequest } from './types.ts';

const key = fixtureKey('tvm', 'key_tvm_admin');

function request(path: string, headers: [string, string][], body = ''): MockRequest {
  return {
    method: 'GET',
    path,
    query: '',
    body,
    headers: (name) => headers.find(([n]) => n === name)?.[1],
    headerList: () => headers.map(([name, value]) => [name, value]),
  };
}

describe('SharedStrings', () => {
  it('gives back each value as it came, through restarts of its table and past its length bound', () => {
    const strings = new SharedStrings(4);
    const values = [...Array.from({ length: 10 }, (_, i) => `value ${i}`), 'x'.repeat(300), 'value 3', 'value 9'];
    expect(values.map((value) => strings.of(value))).toEqual(values);
  });
});

describe('journalParts', () => {
  const partsOf = journalParts(apiModel('tvm'));
  const sent: [string, string][] = [
    ['host', '127.0.0.1:4011'],
    ['authorization', `Bearer ${key}`],
  ];

  it('masks credentials and keys wherever they are sent', () => {
    const parts = partsOf(request(`/v1/offers/${key}`, [...sent, ['x-note', `mine is ${key}`]], `{"k":"${key}"}`));
    expect(JSON.stringify(parts)).not.toContain(key);
    expect(parts.headers.authorization).toMatch(/^Bearer tvm_[a-z0-9]{4}…$/);
    expect(parts.path).toMatch(/^\/v1\/offers\/tvm_[a-z0-9]{4}…$/);
  });

  it('shares one headers object between requests that send the same headers, and never changes one it gave', () => {
    const first = partsOf(request('/v1/shop', sent)).headers;
    const again = partsOf(
      request(
        '/v1/shop',
        sent.map(([name, value]) => [name, `${value}`]),
      ),
    ).headers;
    expect(again).toBe(first);
    const other = partsOf(request('/v1/shop', [...sent, ['accept', 'application/json']])).headers;
    expect(other).not.toBe(first);
    expect(first).toEqual({ host: '127.0.0.1:4011', authorization: expect.stringMatching(/^Bearer tvm_/) });
    expect(other.accept).toBe('application/json');
    const fewer = partsOf(request('/v1/shop', [['host', '127.0.0.1:4011']])).headers;
    expect(fewer).toEqual({ host: '127.0.0.1:4011' });
    const changed = partsOf(request('/v1/shop', [['host', '127.0.0.1:4012']])).headers;
    expect(changed).toEqual({ host: '127.0.0.1:4012' });
    expect(fewer).toEqual({ host: '127.0.0.1:4011' });
  });
});
