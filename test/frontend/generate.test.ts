/**
 * Generated data (`POST /__mock/generate`): N realistic items, valid against the API's schemas, varied,
 * repeatable with a seed, paged by the normal list operations; bad requests get 400 and add nothing.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureKey, startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { apiModel } from '../../mock-server/src/model/index.ts';
import { createAjv } from '../../mock-server/src/pipeline/ajv.ts';
import { createMswMock } from '../../mock-server/src/msw/index.ts';
import { json, useMock } from '../helpers/mock.ts';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const admin = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
const realFetch = globalThis.fetch;

/** The record schema an operation's success answer carries (TVM wraps it in `data`). */
function recordSchema(api: 'mvo' | 'tvm', operationId: string): object {
  const op = apiModel(api).operations.find((candidate) => candidate.operationId === operationId)!;
  const schema = op.responses.get(op.successStatus)!.schema as any;
  return api === 'tvm'
    ? schema.allOf.map((part: any) => part.properties?.data).find((data: any) => data && Object.keys(data).length)
    : schema;
}

describe('POST /__mock/generate (TVM)', () => {
  const mock = useMock('tvm', { now: () => NOW });
  const ajv = createAjv({ allErrors: true });

  it.each([
    ['offers', 'getOffer'],
    ['vouchers', 'getVoucher'],
    ['content', 'getContent'],
  ])('adds %s valid against the record schema, each readable through the API', async (resource, operationId) => {
    const answer = await mock.send('/__mock/generate', { method: 'POST', ...json({ resource, count: 25 }) });
    expect(answer.status).toBe(201);
    expect([answer.json.resource, answer.json.account, answer.json.items.length]).toEqual([resource, 'default', 25]);
    const validate = ajv.compile(recordSchema('tvm', operationId));
    for (const item of answer.json.items)
      expect(validate(item), `${item.id}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    // Conformance-checked reads (useMock's send validates every answer against the spec).
    const read = await mock.send(`/v1/${resource}/${answer.json.items[0].id}`, { headers: admin });
    expect(read.json.data).toEqual(answer.json.items[0]);
  });

  it('works offline: images are SVG data URIs, links go to reserved .example hosts, no value names a host on the internet', async () => {
    const values: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') values.push(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    for (const resource of ['offers', 'vouchers', 'content'])
      collect(
        (await mock.send('/__mock/generate', { method: 'POST', ...json({ resource, count: 40, seed: 11 }) })).json
          .items,
      );
    const images = values.filter((value) => value.startsWith('data:'));
    expect(images.length).toBeGreaterThan(10);
    for (const image of images) {
      expect(image).toMatch(/^data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+$/);
      const svg = atob(image.slice(image.indexOf(',') + 1));
      expect(svg).toMatch(/^<svg xmlns='http:\/\/www\.w3\.org\/2000\/svg' [^>]*>.*<\/svg>$/);
      // Nothing in the picture is fetched: no href, no url(), no image of its own.
      expect(svg).not.toMatch(/href|url\(|<image/i);
    }
    const hosts = values.flatMap((value) =>
      [...value.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/([^/\s"'?#]+)/gi)].map((match) => match[1].toLowerCase()),
    );
    expect(hosts.length).toBeGreaterThan(10);
    for (const host of hosts) expect(host, 'a reserved name (RFC 2606), never resolved').toMatch(/(^|\.)example$/);
    const emails = values.filter((value) => /@/.test(value) && !value.includes(' '));
    for (const email of emails) expect(email).toMatch(/@example\.com$/);
  });

  it('varies titles, slugs, discount types, statuses and dates, oldest created first', async () => {
    const { items } = (
      await mock.send('/__mock/generate', { method: 'POST', ...json({ resource: 'offers', count: 60, seed: 3 }) })
    ).json;
    const distinct = (field: string) => new Set(items.map((item: any) => item[field])).size;
    expect(distinct('title')).toBeGreaterThan(30);
    expect(distinct('slug')).toBe(60);
    expect(distinct('discountType')).toBeGreaterThanOrEqual(4);
    expect(new Set(items.map((item: any) => item.status))).toEqual(new Set(['active', 'needs_review', 'expired']));
    const created = items.map((item: any) => item.createdAt);
    expect(created).toEqual([...created].sort());
    expect(new Set(created).size).toBe(60);
    for (const item of items) {
      expect(item.slug.startsWith('example-store-')).toBe(true);
      expect(Date.parse(item.createdAt)).toBeLessThanOrEqual(NOW.getTime());
      if (item.startsAt && item.expiresAt)
        expect(Date.parse(item.expiresAt)).toBeGreaterThan(Date.parse(item.startsAt));
      if (item.discountType === 'percentage') expect(item.title).toMatch(/^\d+% off /);
    }
  });

  it('pages through the normal list: the newest generated item first', async () => {
    await mock.send('/__mock/reset', { method: 'POST' });
    const { items } = (
      await mock.send('/__mock/generate', { method: 'POST', ...json({ resource: 'vouchers', count: 45 }) })
    ).json;
    const page = (await mock.send('/v1/vouchers?page=3&limit=20', { headers: admin })).json.data;
    expect([page.total, page.totalPages, page.items.length]).toEqual([46, 3, 6]); // the seeded voucher and 45
    const first = (await mock.send('/v1/vouchers?limit=1', { headers: admin })).json.data.items[0];
    expect(first.id).toBe(items.at(-1).id);
  });

  it('fills another account, which then exists, and content belongs to its shop', async () => {
    const { items } = (
      await mock.send('/__mock/generate', {
        method: 'POST',
        ...json({ resource: 'content', count: 3, account: 'acme' }),
      })
    ).json;
    const key = (await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'acme', account: 'acme' }) })).json
      .key;
    const listed = (await mock.send('/v1/content', { headers: { authorization: `Bearer ${key}` } })).json.data;
    expect(listed.total).toBe(3);
    expect(new Set(items.map((item: any) => item.shop?.slug))).toEqual(new Set(['acme']));
  });

  it.each([
    [{ resource: 'customers', count: 1 }, 'body/resource must be one of: offers, vouchers, content for the TVM mock'],
    [{ resource: 'offers', count: 0 }, 'body/count must be >= 1'],
    [{ resource: 'offers', count: 1001 }, 'body/count must be <= 1000'],
    [{ resource: 'offers', count: '5' }, 'body/count must be integer'],
    [{ resource: 'offers' }, "body must have required property 'count'"],
    [
      { resource: 'offers', count: 1, colour: 'red' },
      "body has an unknown field 'colour'; known: resource, count, account, seed",
    ],
    [{ resource: 'offers', count: 1, seed: -1 }, 'body/seed must be >= 0'],
    [{ resource: 'offers', count: 1, account: '' }, 'body/account must NOT have fewer than 1 characters'],
  ])('refuses %j with 400, adding nothing', async (body, message) => {
    const before = (await mock.send('/__mock/state')).json.accounts;
    const answer = await mock.send('/__mock/generate', { method: 'POST', ...json(body) });
    expect([answer.status, answer.json.error.message]).toEqual([400, message]);
    expect((await mock.send('/__mock/state')).json.accounts).toEqual(before);
  });
});

describe('POST /__mock/generate (MVO)', () => {
  const mock = useMock('mvo', { now: () => NOW });

  it('adds customers valid against the schema, unique emails, mostly active and German-speaking (the defaults)', async () => {
    const { items } = (
      await mock.send('/__mock/generate', { method: 'POST', ...json({ resource: 'customers', count: 200, seed: 11 }) })
    ).json;
    const validate = createAjv({ allErrors: true }).compile(recordSchema('mvo', 'getCustomer'));
    for (const item of items) expect(validate(item), JSON.stringify(validate.errors)).toBe(true);
    expect(new Set(items.map((item: any) => item.email.toLowerCase())).size).toBe(200);
    const share = (field: string, value: string) =>
      items.filter((item: any) => item[field] === value).length / items.length;
    expect(share('status', 'active')).toBeGreaterThan(0.5);
    expect(share('language', 'de')).toBeGreaterThan(0.5);
    expect(new Set(items.map((item: any) => item.status)).size).toBe(3);
    const key = fixtureKey('mvo', 'key_mvo_active');
    expect((await mock.send(`/api/customers/${items[7].id}`, { headers: { 'x-api-key': key } })).json).toEqual(
      items[7],
    );
  });

  it('refuses a TVM resource', async () => {
    const answer = await mock.send('/__mock/generate', { method: 'POST', ...json({ resource: 'offers', count: 1 }) });
    expect(answer.json).toEqual({
      error: 'Bad Request',
      message: 'body/resource must be one of: customers for the MVO mock',
    });
  });
});

describe('repeatable with a seed, on the Node server and under MSW alike', () => {
  const BASE = 'http://tvm.generate.test';
  const interceptor = setupServer(...createMswMock('tvm', { baseUrl: BASE, now: () => NOW }).handlers);
  const servers: MockServer[] = [];
  beforeAll(async () => {
    servers.push(
      await startMockServer({ api: 'tvm', port: 0, now: () => NOW }),
      await startMockServer({ api: 'tvm', port: 0, now: () => NOW }),
    );
    interceptor.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(async () => {
    interceptor.close();
    await Promise.all(servers.map((server) => server.close()));
  });
  const request = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ resource: 'offers', count: 20, seed: 42 }),
  };

  it('gives the same items, ids included, for the same seed and day; another seed differs', async () => {
    const [first, second] = await Promise.all(
      servers.map(async (server) => (await (await realFetch(`${server.url}/__mock/generate`, request)).json()).items),
    );
    const viaMsw = (await (await fetch(`${BASE}/__mock/generate`, request)).json()).items;
    expect(second).toEqual(first);
    expect(viaMsw).toEqual(first);
    const other = (
      await (
        await realFetch(`${servers[0].url}/__mock/generate`, {
          ...request,
          body: JSON.stringify({ resource: 'offers', count: 20, seed: 43 }),
        })
      ).json()
    ).items;
    expect(other.map((item: any) => item.title)).not.toEqual(first.map((item: any) => item.title));
  });

  it('mints fresh ids when the same seed is used twice in one mock', async () => {
    const again = (await (await realFetch(`${servers[0].url}/__mock/generate`, request)).json()).items;
    const state = await (await realFetch(`${servers[0].url}/__mock/state`)).json();
    const ids = state.accounts.default.offers.map((offer: any) => offer.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(again).toHaveLength(20);
  });
});
