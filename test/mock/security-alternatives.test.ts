/**
 * Security is read per operation as OpenAPI (and Prism) mean it: the operation's own `security`, else the
 * document's, as alternatives of required schemes with their scopes. Run through `mock.handle()` on a TVM model
 * whose spec is changed here: `getShop` open to anyone, `listOffers` taking either of two scopes.
 */
import { describe, expect, it, vi } from 'vitest';
import { FIXTURE_KEYS } from '../../mock-server/src/fixtures/keys.ts';
import type { MockRequest } from '../../mock-server/src/pipeline/types.ts';

vi.mock('../../mock-server/src/model/index.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../mock-server/src/model/index.ts')>();
  const { buildApiModel } = await import('../../mock-server/src/model/api-model.ts');
  const spec = structuredClone(original.embeddedSpec('tvm'));
  spec.paths['/v1/shop'].get.security = [];
  spec.paths['/v1/offers'].get.security = [{ BearerAuth: ['offers:read'] }, { BearerAuth: ['vouchers:read'] }];
  const changed = buildApiModel('tvm', spec);
  return { ...original, apiModel: (api: 'mvo' | 'tvm') => (api === 'tvm' ? changed : original.apiModel(api)) };
});

const { createMock } = await import('../../mock-server/src/pipeline/pipeline.ts');
const { apiModel } = await import('../../mock-server/src/model/index.ts');

const keyWith = (id: string, scopes: string[]) => ({
  id,
  name: id,
  key: `tvm_${id.replace(/[^a-z]/g, '').padEnd(32, '0')}`,
  scopes,
  status: 'active' as const,
  expires_at: null,
});
const VOUCHERS_ONLY = keyWith('vouchersonly', ['vouchers:read']);
const CONTENT_ONLY = keyWith('contentonly', ['content:read']);
const mock = await createMock('tvm', {
  fixtures: [...FIXTURE_KEYS.tvm, VOUCHERS_ONLY, CONTENT_ONLY],
  rateLimits: 'headers',
});

const request = (path: string, headers: Record<string, string> = {}): MockRequest => {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { method: 'GET', path, query: '', headers: (name) => lower[name] };
};
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('security read per operation, as alternatives', () => {
  it('the model keeps the alternatives, and says which operations ask for nothing', () => {
    const ops = Object.fromEntries(apiModel('tvm').operations.map((op) => [op.operationId, op]));
    expect(ops.getShop).toMatchObject({ security: [], anonymous: true, credentials: [], scopes: [] });
    expect(ops.listOffers).toMatchObject({
      anonymous: false,
      scopes: ['offers:read', 'vouchers:read'],
      credentials: [{ name: 'BearerAuth', kind: 'bearer' }],
    });
    expect(ops.createOffer).toMatchObject({ security: [{ BearerAuth: ['offers:write'] }], anonymous: false });
  });

  it('`security: []`: answered without a key, never 401 (and a key sent is not read)', async () => {
    const anonymous = await mock.handle(request('/v1/shop'));
    expect(anonymous.status).toBe(200);
    expect(JSON.parse(anonymous.body!).success).toBe(true);
    expect((await mock.handle(request('/v1/shop', bearer('tvm_not_a_key')))).status).toBe(200);
  });

  it('an operation that asks for a key still answers 401 without one', async () => {
    expect((await mock.handle(request('/v1/vouchers'))).status).toBe(401);
  });

  it('either alternative lets a key in; a key meeting neither gets the missing-scope answer', async () => {
    expect((await mock.handle(request('/v1/offers', bearer(VOUCHERS_ONLY.key)))).status).toBe(200);
    const refused = await mock.handle(request('/v1/offers', bearer(CONTENT_ONLY.key)));
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body!).error.message).toBe('Missing required scope: offers:read');
  });
});
