/** Every key state × credential placement × a sample of operations, through real HTTP. */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { json, useMock } from '../helpers/mock.ts';

const MISSING = 'API key is required. Provide it via X-API-Key header or Authorization Bearer token.';
const customer = { first_name: 'John', last_name: 'Doe', email: 'john@example.com' };
const ID = '550e8400-e29b-41d4-a716-446655440000';

describe('MVO auth', () => {
  const mock = useMock('mvo', { stateful: false }); // the same example request repeated per credential
  const operations = [
    { name: 'createCustomer', path: '/api/customers', init: { method: 'POST', ...json(customer) }, ok: 201 },
    { name: 'getCustomer', path: `/api/customers/${ID}`, init: { method: 'GET' }, ok: 200 },
    {
      name: 'updateCustomer',
      path: `/api/customers/${ID}`,
      init: { method: 'PATCH', ...json({ language: 'en' }) },
      ok: 200,
    },
    { name: 'deleteCustomer', path: `/api/customers/${ID}`, init: { method: 'DELETE' }, ok: 204 },
  ];
  const placements = {
    'X-API-Key': (key: string) => ({ 'x-api-key': key }),
    'Authorization: Bearer': (key: string) => ({ authorization: `Bearer ${key}` }),
  };
  const states = [
    { state: 'active', key: fixtureKey('mvo', 'key_mvo_active'), message: undefined },
    { state: 'revoked', key: fixtureKey('mvo', 'key_mvo_revoked'), message: 'API key has been revoked' },
    { state: 'expired', key: fixtureKey('mvo', 'key_mvo_expired'), message: 'API key has expired' },
    { state: 'unknown (well-formed)', key: `sk_live_${'A'.repeat(48)}`, message: 'Invalid API key' },
    {
      state: 'malformed (44 characters, like the docs placeholder)',
      key: `sk_live_${'X'.repeat(44)}`,
      message: 'Invalid API key',
    },
    { state: 'of the other API', key: fixtureKey('tvm', 'key_tvm_admin'), message: 'Invalid API key' },
  ];

  for (const op of operations) {
    it(`${op.name} without a key → 401 with the documented "missing" message`, async () => {
      const answer = await mock.send(op.path, op.init);
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ error: 'Unauthorized', message: MISSING });
    });
    for (const [placement, header] of Object.entries(placements)) {
      for (const { state, key, message } of states) {
        it(`${op.name} with an ${state} key in ${placement} → ${message ? `401 "${message}"` : op.ok}`, async () => {
          const init = { ...op.init, headers: { ...(op.init as any).headers, ...header(key) } };
          const answer = await mock.send(op.path, init);
          if (message) {
            expect(answer.status).toBe(401);
            expect(answer.json).toEqual({ error: 'Unauthorized', message });
          } else {
            expect(answer.status).toBe(op.ok);
          }
        });
      }
    }
  }
});

describe('TVM auth', () => {
  const mock = useMock('tvm', { stateful: false });
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const operations = [
    { name: 'getShop', path: '/v1/shop', init: { method: 'GET' }, scope: 'shops:read', ok: 200 },
    {
      name: 'updateShop',
      path: '/v1/shop',
      init: { method: 'PUT', ...json({ teaser: 'Updated store tagline' }) },
      scope: 'shops:write',
      ok: 200,
    },
    {
      name: 'createOffer',
      path: '/v1/offers',
      init: { method: 'POST', ...json({ title: '20% Off Everything' }) },
      scope: 'offers:write',
      ok: 201,
    },
    {
      name: 'listVouchers',
      path: '/v1/vouchers?page=1&limit=20',
      init: { method: 'GET' },
      scope: 'vouchers:read',
      ok: 200,
    },
    {
      name: 'deleteContent',
      path: '/v1/content/content_abc123',
      init: { method: 'DELETE' },
      scope: 'content:write',
      ok: 200,
    },
  ];
  const withHeaders = (init: RequestInit, headers: Record<string, string>) => ({
    ...init,
    headers: { ...(init.headers as any), ...headers },
  });
  const unauthorized = { success: false, error: { code: 'UNAUTHORIZED', message: 'Invalid or missing API key' } };
  const forbidden = (message: string) => ({ success: false, error: { code: 'FORBIDDEN', message } });

  for (const op of operations) {
    it.each([
      ['no credential', {}],
      ['an unknown well-formed key', bearer(`tvm_${'a'.repeat(32)}`)],
      ['a malformed key', bearer('tvm_a1b2c3')],
      ['a key of the other API', bearer(fixtureKey('mvo', 'key_mvo_active'))],
      ['a valid key in X-API-Key instead of Bearer', { 'x-api-key': fixtureKey('tvm', 'key_tvm_admin') }],
    ])(`${op.name} with %s → 401 UNAUTHORIZED`, async (_label, headers) => {
      const answer = await mock.send(op.path, withHeaders(op.init, headers));
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual(unauthorized);
    });
    it(`${op.name} with a disabled key → 403 "API key is disabled"`, async () => {
      const answer = await mock.send(op.path, withHeaders(op.init, bearer(fixtureKey('tvm', 'key_tvm_disabled'))));
      expect([answer.status, answer.json]).toEqual([403, forbidden('API key is disabled')]);
    });
    it(`${op.name} with an expired key → 403 "API key has expired"`, async () => {
      const answer = await mock.send(op.path, withHeaders(op.init, bearer(fixtureKey('tvm', 'key_tvm_expired'))));
      expect([answer.status, answer.json]).toEqual([403, forbidden('API key has expired')]);
    });
    it(`${op.name} with a key lacking ${op.scope} → 403 naming the scope`, async () => {
      const lacking = op.scope.startsWith('offers')
        ? fixtureKey('tvm', 'key_tvm_readonly')
        : fixtureKey('tvm', 'key_tvm_offers');
      const answer = await mock.send(op.path, withHeaders(op.init, bearer(lacking)));
      if (op.scope === 'offers:write') expect(answer.json).toEqual(forbidden('Missing required scope: offers:write'));
      expect([answer.status, answer.json]).toEqual([403, forbidden(`Missing required scope: ${op.scope}`)]);
    });
    it.each([
      ['the admin key (*)', 'key_tvm_admin'],
      ['a shop key with every scope', 'key_tvm_shop'],
    ])(`${op.name} with %s → ${op.ok}`, async (_label, id) => {
      const answer = await mock.send(op.path, withHeaders(op.init, bearer(fixtureKey('tvm', id))));
      expect(answer.status).toBe(op.ok);
      expect(answer.json.success).toBe(true);
    });
  }

  it('a read-only key reads but cannot write', async () => {
    const key = bearer(fixtureKey('tvm', 'key_tvm_readonly'));
    expect((await mock.send('/v1/offers', { headers: key })).status).toBe(200);
    expect((await mock.send('/v1/offers', { method: 'POST', ...json({ title: 'x' }, key) })).status).toBe(403);
  });
});
