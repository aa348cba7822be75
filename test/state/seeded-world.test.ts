/**
 * One coherent seeded world (assumption TVM-A19): the data a fresh mock serves its default account tells one
 * story. The shop `GET /v1/shop` returns is the shop of every seeded and created item, item slugs start with its
 * slug, the list filters' documented examples find the seeded items, and the published examples, sent as
 * written (`shopSlug: your-shop`), land in that shop. The spec keeps the published examples verbatim and uses
 * the Shop page's names in its own.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { buildApiModel } from '../../mock-server/src/model/api-model.ts';
import { embeddedSpec } from '../../mock-server/src/model/index.ts';
import { createDialect } from '../../mock-server/src/pipeline/dialect.ts';
import { createState } from '../../mock-server/src/state/index.ts';
import { json, useHandledMock } from '../helpers/mock.ts';

type Json = Record<string, any>;
const COLLECTIONS = ['/v1/offers', '/v1/vouchers', '/v1/content'];

describe('TVM: the default account is one shop', () => {
  const mock = useHandledMock('tvm');
  const admin = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
  const spec = embeddedSpec('tvm');
  let shop: { id: string; slug: string; name: string };

  beforeEach(async () => {
    await mock.send('/__mock/reset', { method: 'POST' });
    const { id, slug, name } = (await mock.send('/v1/shop', { headers: admin })).json.data;
    shop = { id, slug, name };
  });

  it('every seeded item, listed or read by id, belongs to the shop GET /v1/shop returns', async () => {
    expect(shop).toEqual({ id: 'shop_abc123', slug: 'example-store', name: 'Example Store' });
    for (const path of COLLECTIONS) {
      const items: Json[] = (await mock.send(path, { headers: admin })).json.data.items;
      expect(items.length, path).toBeGreaterThan(0);
      for (const item of items) {
        expect(item.shop, `${path} ${item.id}`).toEqual(shop);
        if ('slug' in item) expect(item.slug.startsWith(`${shop.slug}-`), item.slug).toBe(true);
        expect((await mock.send(`${path}/${item.id}`, { headers: admin })).json.data.shop).toEqual(shop);
      }
    }
  });

  it('each published create example, sent as written, creates an item of that shop', async () => {
    for (const path of COLLECTIONS) {
      const examples = Object.values<Json>(spec.paths[path].post.requestBody.content['application/json'].examples);
      for (const { value } of examples) {
        const created = await mock.send(path, { method: 'POST', ...json(value, admin) });
        expect(created.status, created.text).toBe(201);
        expect(created.json.data.shop, JSON.stringify(value)).toEqual(shop);
      }
    }
  });

  it('the list filters’ documented examples find the seeded items', async () => {
    for (const path of COLLECTIONS) {
      const query = new URLSearchParams();
      for (const parameter of spec.paths[path].get.parameters)
        if (parameter.example !== undefined) query.set(parameter.name, String(parameter.example));
      const listed = (await mock.send(`${path}?${query}`, { headers: admin })).json.data;
      expect(listed.total, `${path}?${query}`).toBeGreaterThan(0);
    }
  });

  it('content names the shop by any name the examples give it, and is shown with the shop’s own', async () => {
    const names = ['shop_abc123', 'example-store', 'shop_xyz', 'your-shop'];
    for (const name of names) {
      const body = name.startsWith('shop_') ? { title: 'News', shopId: name } : { title: 'News', shopSlug: name };
      const created = await mock.send('/v1/content', { method: 'POST', ...json(body, admin) });
      expect([created.status, created.json.data.shop]).toEqual([201, shop]);
    }
    expect(
      (await mock.send('/v1/content', { method: 'POST', ...json({ title: 'News', shopSlug: 'no-such-shop' }, admin) }))
        .status,
    ).toBe(404);
  });

  it('another account’s shop answers to its own names only', async () => {
    const minted = await mock.send('/__mock/keys', {
      method: 'POST',
      ...json({ name: 'other', account: 'other-shop' }),
    });
    const other = { authorization: `Bearer ${minted.json.key}` };
    const created = await mock.send('/v1/content', {
      method: 'POST',
      ...json({ title: 'News', shopSlug: 'your-shop' }, other),
    });
    expect([created.status, created.json.error?.code]).toEqual([404, 'SHOP_NOT_FOUND']);
  });
});

describe('TVM: the seeded shop holds its items whatever their examples call it', () => {
  it('an example naming another shop (as the published offer does) seeds an item of the default shop', () => {
    const spec = structuredClone(embeddedSpec('tvm'));
    spec.paths['/v1/offers/{id}'].get.responses['200'].content['application/json'].examples.offer.value.data.shop = {
      id: 'shop_xyz',
      slug: 'elsewhere',
      name: 'Elsewhere',
    };
    const model = buildApiModel('tvm', spec);
    const state = createState(model, createDialect(model));
    const call = (operationId: string, params: Record<string, string> = {}) =>
      state.handle({
        op: model.operations.find((op) => op.operationId === operationId)!,
        account: 'default',
        params,
        query: new URLSearchParams(),
        body: undefined,
        at: new Date('2026-03-01T12:00:00Z'),
      });
    const { id, slug, name } = call('getShop')!.data as Json;
    expect((call('getOffer', { id: 'offer_abc123' })!.data as Json).shop).toEqual({ id, slug, name });
  });
});

describe('TVM spec: the contract’s own examples use the Shop page’s names (TVM-A19)', () => {
  const spec = embeddedSpec('tvm');
  const profile = spec.paths['/v1/shop'].get.responses['200'].content['application/json'].examples;
  const own = Object.values<Json>(profile)[0].value.data;
  /** Published verbatim, with the pages' stand-ins for the shop: `shop_xyz` (Offers page), `your-shop` (Content page). */
  const PUBLISHED = new Set(['createOffer 201 created', 'listContent 200 content']);

  const shopsIn = (value: unknown): Json[] => {
    if (!value || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([key, child]) =>
      key === 'shop' && child && typeof child === 'object' ? [child as Json] : shopsIn(child),
    );
  };

  it('every shop an unpublished response example shows is the Shop example’s', () => {
    const off: string[] = [];
    for (const item of Object.values<Json>(spec.paths)) {
      for (const op of Object.values<Json>(item)) {
        for (const [status, response] of Object.entries<Json>(op?.responses ?? {})) {
          for (const [name, example] of Object.entries<Json>(response.content?.['application/json']?.examples ?? {})) {
            const label = `${op.operationId} ${status} ${name}`;
            if (PUBLISHED.has(label)) continue;
            for (const shop of shopsIn(example.value))
              if (shop.id !== own.id || shop.slug !== own.slug || shop.name !== own.name)
                off.push(`${label}: ${JSON.stringify(shop)}`);
          }
        }
      }
    }
    expect(off).toEqual([]);
  });

  it('the published stand-ins stay verbatim', () => {
    expect(
      shopsIn(spec.paths['/v1/offers'].post.responses['201'].content['application/json'].examples.created.value),
    ).toEqual([{ id: 'shop_xyz', slug: 'example-store', name: 'Example Store' }]);
    expect(
      spec.paths['/v1/content'].post.requestBody.content['application/json'].examples.springNews.value.shopSlug,
    ).toBe('your-shop');
  });
});

describe('MVO: the default account is one seller', () => {
  const mock = useHandledMock('mvo');
  const key = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') };

  it('customers created in it belong to the seeded customer’s seller', async () => {
    const seeded = (await mock.send('/api/customers/550e8400-e29b-41d4-a716-446655440000', { headers: key })).json;
    const created = await mock.send('/api/customers', {
      method: 'POST',
      ...json({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' }, key),
    });
    expect(created.json.seller_id).toBe(seeded.seller_id);
  });
});
