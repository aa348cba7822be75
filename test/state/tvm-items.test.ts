/** TVM offers, vouchers, content and shop, stateful (the default): life cycles, paging, filters, review, accounts. */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { json, useHandledMock } from '../helpers/mock.ts';

const mock = useHandledMock('tvm');
const admin = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };

async function mintKey(account?: string, scopes?: string[]): Promise<Record<string, string>> {
  const minted = await mock.send('/__mock/keys', {
    method: 'POST',
    ...json({ name: 'state test', ...(account ? { account } : {}), ...(scopes ? { scopes } : {}) }),
  });
  expect(minted.status).toBe(201);
  return { authorization: `Bearer ${minted.json.key}` };
}
const review = (id: string, decision: 'approve' | 'reject') =>
  mock.send('/__mock/review', { method: 'POST', ...json({ id, decision }) });

describe('TVM offers', () => {
  it('create → list shows needs_review → approve through the control API → list shows active; PUT, DELETE', async () => {
    const key = await mintKey('offer-shop');
    const created = await mock.send('/v1/offers', {
      method: 'POST',
      ...json(
        {
          title: '20% Off Everything',
          discountType: 'percentage',
          discountValue: 20,
          expiresAt: '2026-03-01T23:59:59Z',
        },
        key,
      ),
    });
    expect(created.status).toBe(201);
    const offer = created.json.data;
    expect(offer).toMatchObject({
      title: '20% Off Everything',
      status: 'needs_review',
      discountValue: 20,
      isExclusive: false,
      terms: null,
      shop: { slug: 'offer-shop', name: 'offer-shop' },
    });
    expect(offer.id).toMatch(/^offer_[a-z0-9]+$/);
    expect(offer.slug).toMatch(/^offer-shop-20-off-everything-[a-z0-9]{5}$/);
    expect(offer.updatedAt).toBe(offer.createdAt);

    const listed = await mock.send('/v1/offers', { headers: key });
    expect(listed.json.data).toMatchObject({
      total: 1,
      page: 1,
      limit: 20,
      totalPages: 1,
      items: [{ id: offer.id, status: 'needs_review' }],
    });
    expect((await mock.send('/v1/offers?status=active', { headers: key })).json.data.total).toBe(0);

    const approved = await review(offer.id, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ id: offer.id, status: 'active' });
    expect((await mock.send('/v1/offers?status=active', { headers: key })).json.data.items).toEqual([
      expect.objectContaining({ id: offer.id, status: 'active' }),
    ]);

    const updated = await mock.send(`/v1/offers/${offer.id}`, {
      method: 'PUT',
      ...json({ expiresAt: '2026-03-31T23:59:59Z' }, key),
    });
    expect(updated.json.data).toMatchObject({
      id: offer.id,
      title: '20% Off Everything',
      expiresAt: '2026-03-31T23:59:59Z',
      status: 'active',
    });
    expect((await mock.send(`/v1/offers/${offer.id}`, { headers: key })).json.data.expiresAt).toBe(
      '2026-03-31T23:59:59Z',
    );

    const deleted = await mock.send(`/v1/offers/${offer.id}`, { method: 'DELETE', headers: key });
    expect(deleted.json.data).toEqual({ id: offer.id, deleted: true });
    const gone = await mock.send(`/v1/offers/${offer.id}`, { headers: key });
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe('NOT_FOUND');
    expect((await mock.send(`/v1/offers/${offer.id}`, { method: 'PUT', ...json({ title: 'x' }, key) })).status).toBe(
      404,
    );
  });

  it('rejecting takes an item out of review (expired); a status can send it back', async () => {
    const key = await mintKey('reject-shop');
    const offer = (await mock.send('/v1/offers', { method: 'POST', ...json({ title: 'Nope' }, key) })).json.data;
    expect((await review(offer.id, 'reject')).json.status).toBe('expired');
    const back = await mock.send(`/__mock/items/${offer.id}/review`, {
      method: 'POST',
      ...json({ status: 'needs_review' }),
    });
    expect(back.json.status).toBe('needs_review');
    expect(
      (await mock.send('/__mock/review', { method: 'POST', ...json({ id: 'offer_nope', decision: 'approve' }) }))
        .status,
    ).toBe(404);
    expect(
      (await mock.send('/__mock/review', { method: 'POST', ...json({ id: offer.id, decision: 'maybe' }) })).status,
    ).toBe(400);
  });

  it('pages newest first and counts pages over stored items', async () => {
    const key = await mintKey('paging-shop');
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++)
      ids.push((await mock.send('/v1/offers', { method: 'POST', ...json({ title: `Offer ${i}` }, key) })).json.data.id);
    const first = await mock.send('/v1/offers?limit=2', { headers: key });
    expect(first.json.data).toMatchObject({ total: 5, page: 1, limit: 2, totalPages: 3 });
    expect(first.json.data.items.map((item: any) => item.id)).toEqual([ids[4], ids[3]]);
    const last = await mock.send('/v1/offers?limit=2&page=3', { headers: key });
    expect(last.json.data.items.map((item: any) => item.id)).toEqual([ids[0]]);
    expect((await mock.send('/v1/offers?limit=2&page=4', { headers: key })).json.data.items).toEqual([]);
  });
});

describe('TVM vouchers', () => {
  it('upper-cases codes, filters by code case-insensitively and by status, updates and deletes', async () => {
    const key = await mintKey('voucher-shop');
    const created = await mock.send('/v1/vouchers', {
      method: 'POST',
      ...json({ code: 'save15', title: '15% Off', minSpend: 50 }, key),
    });
    expect(created.status).toBe(201);
    const voucher = created.json.data;
    expect(voucher).toMatchObject({
      code: 'SAVE15',
      status: 'needs_review',
      minSpend: 50,
      isSitewide: false,
      isStackable: false,
      restrictions: null,
    });
    expect(voucher.id).toMatch(/^voucher_/);
    expect(voucher.slug).toMatch(/^voucher-shop-save15-[a-z0-9]{5}$/);
    await mock.send('/v1/vouchers', { method: 'POST', ...json({ code: 'OTHER' }, key) });

    expect(
      (await mock.send('/v1/vouchers?code=Save15', { headers: key })).json.data.items.map((item: any) => item.id),
    ).toEqual([voucher.id]);
    expect((await mock.send('/v1/vouchers?status=needs_review', { headers: key })).json.data.total).toBe(2);
    await review(voucher.id, 'approve');
    expect(
      (await mock.send('/v1/vouchers?status=active', { headers: key })).json.data.items.map((item: any) => item.code),
    ).toEqual(['SAVE15']);

    const updated = await mock.send(`/v1/vouchers/${voucher.id}`, {
      method: 'PUT',
      ...json({ isStackable: true, code: 'save20' }, key),
    });
    expect(updated.json.data).toMatchObject({ isStackable: true, code: 'SAVE20', minSpend: 50 });
    expect((await mock.send(`/v1/vouchers/${voucher.id}`, { method: 'DELETE', headers: key })).status).toBe(200);
    expect((await mock.send(`/v1/vouchers/${voucher.id}`, { headers: key })).status).toBe(404);
  });
});

describe('TVM content', () => {
  it("creates for the key's shop or mall-wide, refuses unknown shops, filters by type, active and shop; isActive follows review", async () => {
    const key = await mintKey('content-shop');
    const shop = (await mock.send('/v1/shop', { headers: key })).json.data;
    const news = await mock.send('/v1/content', {
      method: 'POST',
      ...json({ title: 'Spring Collection', shopSlug: shop.slug }, key),
    });
    expect(news.status).toBe(201);
    expect(news.json.data).toMatchObject({
      contentType: 'news',
      status: 'needs_review',
      isActive: false,
      source: 'api',
      summary: null,
      isPinned: false,
      shop: { id: shop.id, slug: shop.slug },
    });
    expect(news.json.data.id).toMatch(/^content_/);
    const promo = await mock.send('/v1/content', {
      method: 'POST',
      ...json({ title: 'Mall-wide sale', contentType: 'promotion' }, key),
    });
    expect(promo.json.data.shop).toBeNull();

    const unknown = await mock.send('/v1/content', {
      method: 'POST',
      ...json({ title: 'x', shopSlug: 'no-such-shop' }, key),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toEqual({ code: 'SHOP_NOT_FOUND', message: 'Shop not found' });
    expect(
      (await mock.send('/v1/content', { method: 'POST', ...json({ title: 'x', shopId: 'shop_nope' }, key) })).status,
    ).toBe(404);

    expect(
      (await mock.send('/v1/content?contentType=promotion', { headers: key })).json.data.items.map(
        (item: any) => item.id,
      ),
    ).toEqual([promo.json.data.id]);
    expect((await mock.send(`/v1/content?shopId=${shop.id}`, { headers: key })).json.data.total).toBe(1);
    expect((await mock.send('/v1/content?active=true', { headers: key })).json.data.total).toBe(0);
    const approved = await review(news.json.data.id, 'approve');
    expect(approved.json).toMatchObject({ status: 'active', isActive: true });
    expect(
      (await mock.send('/v1/content?active=true', { headers: key })).json.data.items.map((item: any) => item.id),
    ).toEqual([news.json.data.id]);

    const pinned = await mock.send(`/v1/content/${news.json.data.id}`, {
      method: 'PUT',
      ...json({ isPinned: true }, key),
    });
    expect(pinned.json.data).toMatchObject({ isPinned: true, isActive: true, title: 'Spring Collection' });
    // An unknown shop is SHOP_NOT_FOUND on update as on create, not a missing item; the item is unchanged.
    const elsewhere = await mock.send(`/v1/content/${news.json.data.id}`, {
      method: 'PUT',
      ...json({ shopSlug: 'elsewhere', title: 'Moved' }, key),
    });
    expect([elsewhere.status, elsewhere.json.error]).toEqual([
      404,
      { code: 'SHOP_NOT_FOUND', message: 'Shop not found' },
    ]);
    expect((await mock.send(`/v1/content/${news.json.data.id}`, { headers: key })).json.data).toMatchObject({
      title: 'Spring Collection',
      shop: { id: shop.id },
    });
    const missing = await mock.send('/v1/content/content_nope', {
      method: 'PUT',
      ...json({ shopSlug: 'elsewhere' }, key),
    });
    expect([missing.status, missing.json.error.code]).toEqual([404, 'NOT_FOUND']);
    expect(
      (await mock.send(`/v1/content/${promo.json.data.id}`, { method: 'DELETE', headers: key })).json.data,
    ).toEqual({ id: promo.json.data.id, deleted: true });
    expect((await mock.send(`/v1/content/${promo.json.data.id}`, { headers: key })).status).toBe(404);
  });

  it('the default shop accepts the content example as published (shopSlug your-shop)', async () => {
    const created = await mock.send('/v1/content', {
      method: 'POST',
      ...json({ title: 'Spring', shopSlug: 'your-shop' }, admin),
    });
    expect(created.status).toBe(201);
  });
});

describe('TVM shop and accounts', () => {
  it('PUT /v1/shop changes what GET /v1/shop returns, in that shop only', async () => {
    const key = await mintKey('profile-shop');
    const before = (await mock.send('/v1/shop', { headers: key })).json.data;
    expect(before).toMatchObject({
      slug: 'profile-shop',
      name: 'profile-shop',
      teaser: null,
      domains: [],
      isActive: true,
    });
    const updated = await mock.send('/v1/shop', { method: 'PUT', ...json({ teaser: 'New tagline' }, key) });
    expect(updated.json.data).toEqual({ ...before, teaser: 'New tagline' });
    expect((await mock.send('/v1/shop', { headers: key })).json.data.teaser).toBe('New tagline');
    expect((await mock.send('/v1/shop', { headers: admin })).json.data).toMatchObject({
      id: 'shop_abc123',
      teaser: 'Your one-stop shop for everything',
    });
  });

  it('seeds the default shop with the examples; other shops start empty and never see them', async () => {
    expect((await mock.send('/v1/offers/offer_abc123', { headers: admin })).json.data.title).toBe('20% Off Everything');
    expect((await mock.send('/v1/vouchers/voucher_abc123', { headers: admin })).json.data.code).toBe('SAVE15');
    expect((await mock.send('/v1/content/content_abc124', { headers: admin })).status).toBe(200);
    const other = await mintKey('empty-shop');
    expect((await mock.send('/v1/offers/offer_abc123', { headers: other })).status).toBe(404);
    for (const path of ['/v1/offers', '/v1/vouchers', '/v1/content'])
      expect((await mock.send(path, { headers: other })).json.data.total).toBe(0);
    const mine = (await mock.send('/v1/offers', { method: 'POST', ...json({ title: 'Mine' }, other) })).json.data;
    expect((await mock.send(`/v1/offers/${mine.id}`, { headers: admin })).status).toBe(404);
    expect((await mock.send(`/v1/offers/${mine.id}`, { method: 'DELETE', headers: admin })).status).toBe(404);
  });

  it('POST /__mock/reset forgets created items and restores the seeds', async () => {
    const created = (await mock.send('/v1/offers', { method: 'POST', ...json({ title: 'Temporary' }, admin) })).json
      .data;
    await mock.send('/v1/vouchers/voucher_abc123', { method: 'DELETE', headers: admin });
    expect((await mock.send('/__mock/reset', { method: 'POST' })).status).toBe(204);
    expect((await mock.send(`/v1/offers/${created.id}`, { headers: admin })).status).toBe(404);
    expect((await mock.send('/v1/vouchers/voucher_abc123', { headers: admin })).status).toBe(200);
    expect((await mock.send('/v1/offers', { headers: admin })).json.data.total).toBe(1);
  });
});
