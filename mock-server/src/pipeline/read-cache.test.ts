/** Reads of unchanged data reuse their JSON text: every change must still be seen by the next read. */
import { describe, expect, it } from 'vitest';
import { FIXTURE_KEYS } from '../fixtures/keys.ts';
import { createMock, type Mock } from './pipeline.ts';
import { ReadCache } from './read-cache.ts';

const keyOf = (id: string) => FIXTURE_KEYS.tvm.find((seed) => seed.id === id)!.key!;
const ADMIN = keyOf('key_tvm_admin');

function send(
  mock: Mock,
  method: string,
  target: string,
  options: { key?: string; body?: unknown; prefer?: string } = {},
) {
  const [path, query = ''] = target.split('?');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.prefer) headers.prefer = options.prefer;
  return mock
    .handle({
      method,
      path,
      query,
      headers: (name) => headers[name],
      body: options.body === undefined ? '' : JSON.stringify(options.body),
    })
    .then((answer) => ({
      status: answer.status,
      json: answer.body === undefined ? undefined : JSON.parse(answer.body),
    }));
}
const offerIds = async (mock: Mock, query = '') =>
  (await send(mock, 'GET', `/v1/offers${query}`, { key: ADMIN })).json.data.items.map(
    (item: { id: string }) => item.id,
  );

describe('cached reads', () => {
  it('answer the same data with a fresh meta each time', async () => {
    const mock = await createMock('tvm', { rateLimits: 'headers' });
    const [first, second] = [
      await send(mock, 'GET', '/v1/shop', { key: ADMIN }),
      await send(mock, 'GET', '/v1/shop', { key: ADMIN }),
    ];
    expect(second.json.data).toEqual(first.json.data);
    expect(second.json.meta.requestId).not.toBe(first.json.meta.requestId);
  });

  it('show every change: an API write, a review, a reset through the control API and through reset()', async () => {
    const mock = await createMock('tvm', { rateLimits: 'headers' });
    const seeded = await offerIds(mock);
    const created = (await send(mock, 'POST', '/v1/offers', { key: ADMIN, body: { title: 'Cached or not' } })).json
      .data;
    expect(await offerIds(mock)).toEqual([created.id, ...seeded]);

    expect(await offerIds(mock, '?status=active')).not.toContain(created.id);
    await send(mock, 'POST', '/__mock/review', { body: { id: created.id, decision: 'approve' } });
    expect(await offerIds(mock, '?status=active')).toContain(created.id);

    const shopTeaser = async () => (await send(mock, 'GET', '/v1/shop', { key: ADMIN })).json.data.teaser;
    const before = await shopTeaser();
    await send(mock, 'PUT', '/v1/shop', { key: ADMIN, body: { teaser: 'Changed teaser' } });
    expect(await shopTeaser()).toBe('Changed teaser');

    await send(mock, 'POST', '/__mock/reset');
    expect([await offerIds(mock), await shopTeaser()]).toEqual([seeded, before]);
    await send(mock, 'POST', '/v1/offers', { key: ADMIN, body: { title: 'Again' } });
    expect(await offerIds(mock)).toHaveLength(seeded.length + 1);
    await mock.reset();
    expect(await offerIds(mock)).toEqual(seeded);
  });

  it('show a state replaced through importState() and PUT /__mock/state (issue 23 item 8)', async () => {
    const mock = await createMock('tvm', { rateLimits: 'headers' });
    const seeded = await offerIds(mock);
    const document = mock.exportState();
    const offer = (document.accounts!.default.offers as { id: string }[])[0];
    document.accounts!.default.offers = [{ ...offer, id: 'offer_imported1' }];
    await mock.importState(document);
    expect(await offerIds(mock)).toEqual(['offer_imported1']);
    document.accounts!.default.offers = [];
    expect((await send(mock, 'PUT', '/__mock/state', { body: document })).status).toBe(204);
    expect(await offerIds(mock)).toEqual([]);
    expect(seeded).not.toEqual([]);
  });

  it('never stand in for a refusal, another account or a Prefer header', async () => {
    const mock = await createMock('tvm', { rateLimits: 'headers' });
    expect((await send(mock, 'GET', '/v1/offers?page=1', { key: ADMIN })).status).toBe(200);
    expect((await send(mock, 'GET', '/v1/offers?page=1', { key: keyOf('key_tvm_disabled') })).status).toBe(403);
    expect((await send(mock, 'GET', '/v1/shop', { key: keyOf('key_tvm_offers') })).status).toBe(403);
    expect((await send(mock, 'GET', '/v1/offers?page=0', { key: ADMIN })).status).toBe(400);
    const minted = (await send(mock, 'POST', '/__mock/keys', { body: { name: 'other shop', account: 'other-shop' } }))
      .json.key;
    expect((await send(mock, 'GET', '/v1/offers?page=1', { key: minted })).json.data.total).toBe(0);
    expect((await send(mock, 'GET', '/v1/offers?page=1', { key: ADMIN, prefer: 'code=401' })).status).toBe(401);
  });
});

describe('ReadCache', () => {
  const read = (dataText: string) => ({ status: 200, dataText });

  it('answers an entry only at the store version it was made at', () => {
    const cache = new ReadCache();
    cache.set('k', read('old'), 3);
    expect(cache.get('k', 3)).toMatchObject(read('old'));
    expect(cache.get('k', 4)).toBeUndefined();
    cache.set('k', read('new'), 4);
    expect(cache.get('k', 4)).toMatchObject(read('new'));
  });

  it('keeps at most 256 entries: past that it starts again', () => {
    const cache = new ReadCache();
    for (let i = 0; i < 256; i++) cache.set(`k${i}`, read(`${i}`), 0);
    expect(cache.get('k0', 0)).toMatchObject(read('0'));
    cache.set('k256', read('256'), 0);
    expect([cache.get('k0', 0), cache.get('k255', 0), cache.get('k256', 0)?.dataText]).toEqual([
      undefined,
      undefined,
      '256',
    ]);
  });

  it('keeps at most 4 Mi characters of JSON text', () => {
    const cache = new ReadCache();
    cache.set('a', read('x'.repeat(3 * 1024 * 1024)), 0);
    cache.set('b', read('y'.repeat(1024 * 1024 + 1)), 0);
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)?.dataText).toHaveLength(1024 * 1024 + 1);
  });
});
