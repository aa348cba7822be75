/** `tvm.paginate()` against the TVM mock: fresh accounts, so the lists hold exactly what each test made. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { InternalServerError, createTvmClient, type TvmClient } from '../../sdk/src/tvm/index.ts';
import { control, mintKey, servedByScenarios } from './helpers.ts';

let server: MockServer;
let accounts = 0;

beforeAll(async () => {
  server = await startMockServer({ api: 'tvm', port: 0 });
});
afterAll(async () => {
  await server?.close();
});

/** GETs sent by the clients below. */
const gets: string[] = [];
const countingFetch = (request: Request) => {
  if (request.method === 'GET') gets.push(request.url);
  return fetch(request);
};

/** A client on a new, empty shop, with `offers` offers created in it (titles "Offer 1" … "Offer n"). */
async function shopWithOffers(offers: number): Promise<TvmClient> {
  const apiKey = await mintKey(server.url, { scopes: ['*'], account: `pager-${++accounts}` });
  const tvm = createTvmClient({ apiKey, baseUrl: server.url, fetch: countingFetch, sleep: async () => {} });
  for (let n = 1; n <= offers; n++) {
    const { response } = await tvm.POST('/v1/offers', { body: { title: `Offer ${n}` } });
    expect(response.status).toBe(201);
  }
  return tvm;
}

const titles = async (items: AsyncIterable<{ title: string }>) => {
  const seen: string[] = [];
  for await (const item of items) seen.push(item.title);
  return seen;
};

describe('tvm.paginate', () => {
  it('follows page / totalPages across several pages and stops after the last', async () => {
    const tvm = await shopWithOffers(5);
    const seen = await titles(tvm.paginate('/v1/offers', { params: { query: { limit: 2 } } }));
    expect(seen.sort()).toEqual(['Offer 1', 'Offer 2', 'Offer 3', 'Offer 4', 'Offer 5']);
  });

  it('.pages() yields whole pages, with their numbers', async () => {
    const tvm = await shopWithOffers(5);
    const pages: { page: number; totalPages: number; items: number; total: number }[] = [];
    for await (const page of tvm.paginate('/v1/offers', { params: { query: { limit: 2 } } }).pages()) {
      pages.push({ page: page.page, totalPages: page.totalPages, items: page.items.length, total: page.total });
    }
    expect(pages).toEqual([
      { page: 1, totalPages: 3, items: 2, total: 5 },
      { page: 2, totalPages: 3, items: 2, total: 5 },
      { page: 3, totalPages: 3, items: 1, total: 5 },
    ]);
  });

  it('an empty list yields no item (one empty page)', async () => {
    const tvm = await shopWithOffers(0);
    expect(await titles(tvm.paginate('/v1/offers'))).toEqual([]);
    const pages = [];
    for await (const page of tvm.paginate('/v1/vouchers').pages()) pages.push(page.items.length);
    expect(pages).toEqual([0]);
  });

  it('a single page is one request', async () => {
    const tvm = await shopWithOffers(3);
    const before = gets.length;
    const pages = [];
    for await (const page of tvm.paginate('/v1/offers', { params: { query: { limit: 10 } } }).pages())
      pages.push(page.items.length);
    expect(pages).toEqual([3]);
    expect(gets.slice(before)).toEqual([`${server.url}/v1/offers?limit=10&page=1`]);
  });

  it('starts at the page given in the query, and keeps the filters on every page', async () => {
    const tvm = await shopWithOffers(5);
    const seen = await titles(
      tvm.paginate('/v1/offers', { params: { query: { limit: 2, page: 2, status: 'needs_review' } } }),
    );
    expect(seen).toHaveLength(3);
    expect(await titles(tvm.paginate('/v1/offers', { params: { query: { status: 'active' } } }))).toEqual([]);
  });

  it('a page that fails with 503 once is retried, and the walk goes on', async () => {
    const tvm = await shopWithOffers(5);
    const seen: string[] = [];
    for await (const offer of tvm.paginate('/v1/offers', { params: { query: { limit: 2 } } })) {
      seen.push(offer.title);
      if (seen.length === 2) await control(server.url, '/scenarios', { status: 503, count: 1, path: '/v1/offers*' });
    }
    expect(seen).toHaveLength(5);
    expect(await servedByScenarios(server.url)).toBe(1); // the 503 was served, and the SDK asked again
    await control(server.url, '/scenarios', undefined, 'DELETE');
  });

  it('a page that keeps failing throws the typed error, after the items before it', async () => {
    const tvm = await shopWithOffers(3);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const offer of tvm.paginate('/v1/offers', { params: { query: { limit: 2 } }, maxRetries: 0 })) {
        seen.push(offer.title);
        await control(server.url, '/scenarios', { status: 503, path: '/v1/offers*' });
      }
    })().catch((e: unknown) => e);
    await control(server.url, '/scenarios', undefined, 'DELETE');
    expect(seen).toHaveLength(2);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(503);
    expect((error as InternalServerError).message).toContain('GET');
  });

  it('honours an AbortSignal between pages', async () => {
    const tvm = await shopWithOffers(4);
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const offer of tvm.paginate('/v1/offers', {
        params: { query: { limit: 2 } },
        signal: controller.signal,
      })) {
        seen.push(offer.title);
        controller.abort(new Error('enough'));
      }
    })().catch((e: unknown) => e);
    expect(error).toEqual(new Error('enough'));
    expect(seen).toHaveLength(2); // the first page's items had arrived; no second page was asked for
  });
});
