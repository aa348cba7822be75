/**
 * Shareable state: `GET /__mock/state` exports keys (digests, never whole) and every account's data as one
 * document; `PUT /__mock/state` replaces them all or nothing; a `seed` loads one at start and on reset, and
 * may list development keys by their whole value (hashed on load). Node and MSW take the same documents.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createMock,
  FIXTURE_KEYS,
  fixtureKey,
  startMockServer,
  StateDocumentError,
} from '../../mock-server/src/index.ts';
import { json, useMock, useNodeAndMsw, type MockHandle } from '../helpers/mock.ts';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const admin = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
/** A development key a team would commit in its seed file (made here, so no whole key sits in the repository). */
const DEV_KEY = `tvm_${'devteam'.padEnd(32, '7')}`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function stateOf(mock: MockHandle) {
  const answer = await mock.send('/__mock/state');
  expect(answer.status).toBe(200);
  return answer.json;
}
const put = (mock: MockHandle, document: unknown) => mock.send('/__mock/state', { method: 'PUT', ...json(document) });
/** An array nested `levels` deep: `nested(1)` is `[]`. */
const nested = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

describe('GET /__mock/state', () => {
  const mock = useMock('tvm', { now: () => NOW });

  it('exports every key by digest and masked prefix, and every account with its data', async () => {
    const minted = (await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'Acme', account: 'acme' }) }))
      .json;
    await mock.send('/v1/offers', {
      method: 'POST',
      ...json({ title: 'Acme sale' }, { authorization: `Bearer ${minted.key}` }),
    });
    const answer = await mock.send('/__mock/state');
    const state = answer.json;
    expect(Object.keys(state)).toEqual(['version', 'api', 'exported_at', 'keys', 'accounts']);
    expect([state.version, state.api, state.exported_at]).toEqual([1, 'tvm', NOW.toISOString()]);
    expect(state.keys.find((key: any) => key.id === minted.id)).toMatchObject({
      name: 'Acme',
      prefix: minted.prefix,
      digest: sha256(minted.key),
      account: 'acme',
    });
    expect(state.keys.find((key: any) => key.id === 'key_tvm_admin').digest).toBe(
      sha256(fixtureKey('tvm', 'key_tvm_admin')),
    );
    for (const key of [minted.key, ...FIXTURE_KEYS.tvm.map((seed) => seed.key!)])
      expect(answer.text).not.toContain(key);
    expect(Object.keys(state.accounts)).toEqual(['default', 'acme']);
    expect(state.accounts.default.shop.slug).toBe('example-store');
    expect(state.accounts.default.offers.map((offer: any) => offer.id)).toContain('offer_abc123');
    expect(state.accounts.acme.offers.map((offer: any) => offer.title)).toEqual(['Acme sale']);
  });
});

describe('PUT /__mock/state', () => {
  const from = useMock('tvm', { now: () => NOW });
  const to = useMock('tvm', { now: () => NOW });

  it('moves keys and data to another mock: its minted keys and created items work there', async () => {
    const minted = (
      await from.send('/__mock/keys', {
        method: 'POST',
        ...json({ name: 'Shared', scopes: ['offers:read', 'offers:write'] }),
      })
    ).json;
    const offer = (
      await from.send('/v1/offers', {
        method: 'POST',
        ...json({ title: 'Travels with the state' }, { authorization: `Bearer ${minted.key}` }),
      })
    ).json.data;
    await from.send('/__mock/review', { method: 'POST', ...json({ id: offer.id, decision: 'approve' }) });
    const document = await stateOf(from);
    expect((await put(to, document)).status).toBe(204);
    const there = await to.send(`/v1/offers/${offer.id}`, { headers: { authorization: `Bearer ${minted.key}` } });
    expect([there.status, there.json.data.status, there.json.data.title]).toEqual([
      200,
      'active',
      'Travels with the state',
    ]);
    const again = await stateOf(to);
    expect({ ...again, exported_at: undefined }).toEqual({ ...document, exported_at: undefined, keys: again.keys });
    expect(again.keys.map((key: any) => key.id)).toEqual(document.keys.map((key: any) => key.id));
  });

  it('replaces only the parts a document has: keys alone leave the data as it is', async () => {
    const before = await stateOf(to);
    expect((await put(to, { api: 'tvm', keys: [{ name: 'Only key', key: DEV_KEY }] })).status).toBe(204);
    const after = await stateOf(to);
    expect(after.accounts).toEqual(before.accounts);
    expect(after.keys.map((key: any) => [key.name, key.prefix, key.digest])).toEqual([
      ['Only key', 'tvm_devt…', sha256(DEV_KEY)],
    ]);
    expect((await to.send('/v1/shop', { headers: admin })).status).toBe(401); // the fixtures are gone
    expect((await to.send('/v1/shop', { headers: { authorization: `Bearer ${DEV_KEY}` } })).status).toBe(200);
    await to.send('/__mock/reset', { method: 'POST' });
  });

  const offer = {
    id: 'offer_seeded001',
    slug: 'example-store-seeded',
    title: 'Seeded',
    status: 'active',
    shop: { id: 'shop_abc123', slug: 'example-store', name: 'Example Store' },
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  it.each([
    ['not an object', [], 'body must be object'],
    ['no api', { keys: [] }, "body must have required property 'api'"],
    ['the other API', { api: 'mvo' }, 'body/api is mvo but this is the TVM mock'],
    [
      'an unknown field',
      { api: 'tvm', shops: {} },
      "body has an unknown field 'shops'; known: version, api, exported_at, keys, accounts",
    ],
    ['a key without name', { api: 'tvm', keys: [{ key: DEV_KEY }] }, "body/keys/0 must have required property 'name'"],
    [
      'a key in neither form',
      { api: 'tvm', keys: [{ name: 'x' }] },
      'body/keys/0 must have either key (a whole development key) or digest and prefix (as exported)',
    ],
    [
      'a key in both forms',
      { api: 'tvm', keys: [{ name: 'x', key: DEV_KEY, digest: sha256(DEV_KEY), prefix: 'tvm_devt…' }] },
      'body/keys/0 must have either key (a whole development key) or digest and prefix (as exported), not both',
    ],
    [
      'a malformed whole key',
      { api: 'tvm', keys: [{ name: 'x', key: 'tvm_SHORT' }] },
      'body/keys/0/key is not a The Virtual Mall API key (tvm_ followed by 32 characters)',
    ],
    [
      'a bad digest',
      { api: 'tvm', keys: [{ name: 'x', digest: 'abc', prefix: 'tvm_devt…' }] },
      'body/keys/0/digest must match pattern "^[0-9a-f]{64}$"',
    ],
    [
      'a bad prefix',
      { api: 'tvm', keys: [{ name: 'x', digest: sha256(DEV_KEY), prefix: 'tvm_devteam' }] },
      "body/keys/0/prefix must be the key's masked prefix as exported (tvm_ and 4 more characters, then …)",
    ],
    [
      'an MVO status',
      { api: 'tvm', keys: [{ name: 'x', key: DEV_KEY, status: 'revoked' }] },
      'body/keys/0/status must be one of: active, disabled for The Virtual Mall API keys',
    ],
    [
      'an unknown scope',
      { api: 'tvm', keys: [{ name: 'x', key: DEV_KEY, scopes: ['everything'] }] },
      'body/keys/0/scopes has unknown scope everything; known: shops:read, shops:write, offers:read, offers:write, vouchers:read, vouchers:write, content:read, content:write, *',
    ],
    [
      'the same id twice',
      {
        api: 'tvm',
        keys: [
          { id: 'k', name: 'a', key: DEV_KEY },
          { id: 'k', name: 'b', key: `tvm_${'other'.padEnd(32, '1')}` },
        ],
      },
      'body/keys/1/id k is already used by keys/0',
    ],
    [
      'the same key twice',
      {
        api: 'tvm',
        keys: [
          { name: 'a', key: DEV_KEY },
          { name: 'b', key: DEV_KEY },
        ],
      },
      'body/keys/1 is the same key as keys/0',
    ],
    [
      'an unknown resource',
      { api: 'tvm', accounts: { default: { widgets: [] } } },
      'body/accounts/default has unknown resource widgets; the TVM mock keeps: shop, offers, vouchers, content',
    ],
    [
      'an offer off its schema',
      { api: 'tvm', accounts: { default: { offers: [{ ...offer, status: 'approved' }] } } },
      'body/accounts/default/offers/0/status must be equal to one of the allowed values',
    ],
    [
      'an offer without title',
      { api: 'tvm', accounts: { default: { offers: [{ ...offer, title: undefined }] } } },
      "body/accounts/default/offers/0 must have required property 'title'",
    ],
    [
      'an item id used twice',
      { api: 'tvm', accounts: { default: { offers: [offer] }, acme: { offers: [offer] } } },
      'body/accounts/acme/offers/0/id offer_seeded001 is used twice (item ids are unique across shops)',
    ],
    [
      'an empty account name',
      { api: 'tvm', accounts: { '': {} } },
      'body/accounts must NOT have fewer than 1 characters',
    ],
    // A record no request could have stored: loaded, it would make every export and --state-file save fail.
    [
      "an offer nested deeper than the API's bound",
      { api: 'tvm', accounts: { default: { offers: [{ ...offer, extra: nested(1_000) }] } } },
      `body/accounts/default/offers/0/extra${'/0'.repeat(31)} must NOT be nested more than 32 levels deep`,
    ],
    [
      "a shop nested deeper than the API's bound",
      { api: 'tvm', accounts: { default: { shop: { extra: { a: nested(31) } } } } },
      `body/accounts/default/shop/extra/a${'/0'.repeat(30)} must NOT be nested more than 32 levels deep`,
    ],
  ])('refuses %s with 400 saying what is wrong, and changes nothing', async (_label, document, message) => {
    const before = await stateOf(to);
    const answer = await put(to, document);
    expect([answer.status, answer.json]).toEqual([
      400,
      { success: false, error: { code: 'VALIDATION_ERROR', message } },
    ]);
    expect({ ...(await stateOf(to)), exported_at: null }).toEqual({ ...before, exported_at: null });
  });
});

describe('MVO documents', () => {
  const mock = useMock('mvo', { now: () => NOW });
  const customer = {
    id: '11111111-1111-4111-8111-111111111111',
    seller_id: '22222222-2222-4222-8222-222222222222',
    first_name: 'Ada',
    last_name: 'L',
    email: 'ada@example.com',
    company_name: null,
    legal_entity: null,
    language: 'en',
    address_data: null,
    postal_redirect_address: null,
    status: 'active',
    source: 'api',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  };

  it('keep a seller id per account, and check emails and seller ids as the API would', async () => {
    expect((await put(mock, { api: 'mvo', accounts: { shop: { customers: [customer] } } })).status).toBe(204);
    const key = (await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'shop', account: 'shop' }) })).json
      .key;
    const created = await mock.send('/api/customers', {
      method: 'POST',
      ...json({ first_name: 'B', last_name: 'C', email: 'b@example.com' }, { 'x-api-key': key }),
    });
    expect(created.json.seller_id).toBe(customer.seller_id);
    expect(
      (
        await mock.send('/api/customers', {
          method: 'POST',
          ...json({ first_name: 'A', last_name: 'L', email: 'ADA@example.com' }, { 'x-api-key': key }),
        })
      ).status,
    ).toBe(409);
    const twice = await put(mock, {
      api: 'mvo',
      accounts: {
        shop: {
          customers: [customer, { ...customer, id: '33333333-3333-4333-8333-333333333333', email: 'Ada@Example.com' }],
        },
      },
    });
    expect(twice.json.message).toBe(
      'body/accounts/shop/customers/1/email is used twice in the account (it is unique within an account)',
    );
    const mixed = await put(mock, {
      api: 'mvo',
      accounts: { shop: { seller_id: '44444444-4444-4444-8444-444444444444', customers: [customer] } },
    });
    expect(mixed.json.message).toBe(
      "body/accounts/shop/customers/0/seller_id must be the account's seller_id 44444444-4444-4444-8444-444444444444",
    );
  });
});

describe('seed documents', () => {
  const seed = {
    api: 'tvm' as const,
    keys: [
      { id: 'key_dev', name: 'Frontend dev key', key: DEV_KEY, scopes: ['*'] },
      {
        id: 'key_tvm_admin',
        name: 'Admin key',
        prefix: 'tvm_xrbw…',
        digest: sha256(fixtureKey('tvm', 'key_tvm_admin')),
      },
    ],
    accounts: { default: { offers: [] } },
  };

  it('load at start, hash whole keys (never exported), and come back on reset', async () => {
    const server = await startMockServer({ api: 'tvm', port: 0, seed });
    try {
      const get = (path: string, key = DEV_KEY) =>
        fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      expect((await get('/v1/shop')).status).toBe(200);
      expect((await get('/v1/shop', fixtureKey('tvm', 'key_tvm_admin'))).status).toBe(200);
      expect((await get('/v1/shop', fixtureKey('tvm', 'key_tvm_readonly'))).status).toBe(401);
      expect((await (await get('/v1/offers')).json()).data.items).toEqual([]);
      const exported = await (await fetch(`${server.url}/__mock/state`)).text();
      expect(exported).not.toContain(DEV_KEY);
      expect(JSON.parse(exported).keys[0]).toMatchObject({
        id: 'key_dev',
        prefix: 'tvm_devt…',
        digest: sha256(DEV_KEY),
      });
      await fetch(`${server.url}/v1/offers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEV_KEY}`, 'content-type': 'application/json' },
        body: '{"title":"gone on reset"}',
      });
      await fetch(`${server.url}/__mock/keys/key_dev`, { method: 'DELETE' });
      await fetch(`${server.url}/__mock/reset`, { method: 'POST' });
      expect((await (await get('/v1/offers')).json()).data.items).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('that are wrong stop the mock from starting, saying why', async () => {
    await expect(createMock('tvm', { seed: { ...seed, keys: [{ name: 'x', key: 'tvm_nope' }] } })).rejects.toThrow(
      StateDocumentError,
    );
    await expect(createMock('tvm', { seed: { ...seed, api: 'mvo' } })).rejects.toThrow(
      'api is mvo but this is the TVM mock',
    );
    const deepCustomer = {
      id: '11111111-1111-4111-8111-111111111111',
      seller_id: '22222222-2222-4222-8222-222222222222',
      first_name: 'Ada',
      last_name: 'L',
      email: 'ada@example.com',
      company_name: null,
      legal_entity: null,
      language: 'en',
      address_data: { street: 'x', extra: nested(5_000) },
      postal_redirect_address: null,
      status: 'active',
      source: 'api',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    };
    await expect(
      createMock('mvo', { seed: { api: 'mvo', accounts: { default: { customers: [deepCustomer] } } } }),
    ).rejects.toThrow(
      `accounts/default/customers/0/address_data/extra${'/0'.repeat(30)} must NOT be nested more than 32 levels deep`,
    );
  });
});

describe('MSW takes the same documents', () => {
  const BASE = 'http://tvm.state.test';
  const realFetch = globalThis.fetch;
  const pair = useNodeAndMsw('tvm', BASE, () => NOW);
  const { msw } = pair;

  it('a document exported from the Node server, put into the MSW mock, exports the same', async () => {
    await realFetch(`${pair.node.url}/v1/vouchers`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: '{"code":"moved10"}',
    });
    const document = await (await realFetch(`${pair.node.url}/__mock/state`)).json();
    const put = await fetch(`${BASE}/__mock/state`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(document),
    });
    expect(put.status).toBe(204);
    expect(await (await fetch(`${BASE}/__mock/state`)).json()).toEqual(document);
    expect((await msw.ready()).exportState()).toEqual(document);
    const bad = await fetch(`${BASE}/__mock/state`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"api":"tvm","keys":[{"name":"x"}]}',
    });
    expect([bad.status, (await bad.json()).error.message]).toEqual([
      400,
      'body/keys/0 must have either key (a whole development key) or digest and prefix (as exported)',
    ]);
  });
});
