/**
 * Two decided edges of routing and bodies (README "Assumptions" MVO-A11, TVM-A14): one trailing slash is ignored,
 * and a body is JSON when sent as `application/json` or any `+json` type (`application/merge-patch+json`), while any
 * other type answers 400.
 */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { json, useHandledMock } from '../helpers/mock.ts';

describe('MVO: trailing slash and JSON media types (MVO-A11)', () => {
  const mock = useHandledMock('mvo');
  const key = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') };
  const id = '550e8400-e29b-41d4-a716-446655440000';

  it('answers /api/customers/{id}/ as /api/customers/{id}', async () => {
    const plain = await mock.send(`/api/customers/${id}`, { headers: key });
    const slashed = await mock.send(`/api/customers/${id}/`, { headers: key });
    expect([plain.status, slashed.status]).toEqual([200, 200]);
    expect(slashed.json.id).toBe(plain.json.id);
  });

  it('does not ignore two trailing slashes (404 Route … not found)', async () => {
    const answer = await mock.send(`/api/customers/${id}//`, { headers: key });
    expect(answer.status).toBe(404);
  });

  it.each([
    'application/merge-patch+json',
    'application/vnd.api+json; charset=utf-8',
    'application/json; charset=utf-8',
  ])('takes a PATCH body sent as %s', async (type) => {
    const answer = await mock.send(`/api/customers/${id}`, {
      method: 'PATCH',
      ...json({ language: 'en' }, { ...key, 'content-type': type }),
    });
    expect(answer.status).toBe(200);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx'])(
    'answers 400 to a body sent as %s',
    async (type) => {
      const answer = await mock.send(`/api/customers/${id}`, {
        method: 'PATCH',
        ...json({ language: 'en' }, { ...key, 'content-type': type }),
      });
      expect(answer.status).toBe(400);
      expect(answer.json.error).toBe('Bad Request');
    },
  );
});

describe('TVM: trailing slash (TVM-A14)', () => {
  const mock = useHandledMock('tvm');
  const key = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };

  it('answers /v1/offers/ as /v1/offers', async () => {
    const plain = await mock.send('/v1/offers', { headers: key });
    const slashed = await mock.send('/v1/offers/', { headers: key });
    expect([plain.status, slashed.status]).toEqual([200, 200]);
    expect(slashed.json.data.total).toBe(plain.json.data.total);
  });

  it('bounds page at 10,000 (400 VALIDATION_ERROR naming page)', async () => {
    expect((await mock.send('/v1/offers?page=10000', { headers: key })).status).toBe(200);
    const answer = await mock.send('/v1/offers?page=10001', { headers: key });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('VALIDATION_ERROR');
    expect(JSON.stringify(answer.json.error.details)).toContain('page');
  });
});
