/** The decided odd cases of credential handling (ASSUMPTIONS.md: MVO-A10, TVM-A14). */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { useMock } from '../helpers/mock.ts';

const PATH = '/api/customers/550e8400-e29b-41d4-a716-446655440000';
const valid = fixtureKey('mvo', 'key_mvo_active');
const revoked = fixtureKey('mvo', 'key_mvo_revoked');

describe('MVO odd cases', () => {
  const mock = useMock('mvo');
  it.each([
    [
      'both headers, X-API-Key valid and Bearer revoked → X-API-Key wins',
      { 'x-api-key': valid, authorization: `Bearer ${revoked}` },
      200,
      undefined,
    ],
    [
      'both headers, X-API-Key revoked and Bearer valid → X-API-Key wins',
      { 'x-api-key': revoked, authorization: `Bearer ${valid}` },
      401,
      'API key has been revoked',
    ],
    ['"bearer" in lower case', { authorization: `bearer ${valid}` }, 200, undefined],
    ['extra spaces and a tab after Bearer', { authorization: `Bearer \t  ${valid}` }, 200, undefined],
    ['trailing whitespace after the key', { 'x-api-key': `${valid}   ` }, 200, undefined],
    [
      'Bearer with nothing after it',
      { authorization: 'Bearer ' },
      401,
      'API key is required. Provide it via X-API-Key header or Authorization Bearer token.',
    ],
    [
      'a Basic credential',
      { authorization: 'Basic dXNlcjpwYXNz' },
      401,
      'API key is required. Provide it via X-API-Key header or Authorization Bearer token.',
    ],
    ['two keys in one Bearer', { authorization: `Bearer ${valid} ${valid}` }, 401, 'Invalid API key'],
    ['a key one character short', { 'x-api-key': valid.slice(0, -1) }, 401, 'Invalid API key'],
    ['a key one character long', { 'x-api-key': `${valid}a` }, 401, 'Invalid API key'],
  ])('%s', async (_label, headers, status, message) => {
    const answer = await mock.send(PATH, { headers });
    expect(answer.status).toBe(status);
    if (message) expect(answer.json).toEqual({ error: 'Unauthorized', message });
  });
});

describe('TVM odd cases', () => {
  const mock = useMock('tvm');
  const admin = fixtureKey('tvm', 'key_tvm_admin');
  it.each([
    ['a TVM key sent in X-API-Key', { 'x-api-key': admin }, 401],
    ['"BEARER" in upper case', { authorization: `BEARER ${admin}` }, 200],
    ['a tab after Bearer', { authorization: `Bearer\t${admin}` }, 200],
    [
      'an upper-case key (the format is lower case)',
      { authorization: `Bearer ${admin.toUpperCase().replace('TVM_', 'tvm_')}` },
      401,
    ],
  ])('%s → %i', async (_label, headers, status) => {
    expect((await mock.send('/v1/shop', { headers })).status).toBe(status);
  });
});
