/**
 * The resource methods (`tvm.offers.list()`, `mvo.customers.get(id)`), generated from the spec: every operation
 * has one, each returns the payload and throws the typed error, `.withResponse()` gives the response and `meta`,
 * and a list is its page when awaited and every item when iterated. Against the Node mocks over HTTP.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import * as mvoSdk from '../../sdk/src/mvo/index.ts';
import * as tvmSdk from '../../sdk/src/tvm/index.ts';
import { resources as mvoResources } from '../../sdk/src/mvo/generated/resources.ts';
import { resources as tvmResources } from '../../sdk/src/tvm/generated/resources.ts';
import { resourceName } from '../../scripts/resource-names.ts';
import { control, json, MVO_KEY, observedFetch, TVM_KEY } from './helpers.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
let mvoServer: MockServer;
let tvmServer: MockServer;
let mvo: mvoSdk.MvoClient;
let tvm: tvmSdk.TvmClient;

beforeAll(async () => {
  [mvoServer, tvmServer] = await Promise.all([
    startMockServer({ api: 'mvo', port: 0 }),
    startMockServer({ api: 'tvm', port: 0 }),
  ]);
  const [mvoKey, tvmKey] = await Promise.all([
    control(mvoServer.url, '/keys', { name: 'resources', account: 'resources' }),
    control(tvmServer.url, '/keys', { name: 'resources', account: 'resources', scopes: ['*'] }),
  ]);
  mvo = mvoSdk.createMvoClient({ apiKey: mvoKey.key, baseUrl: mvoServer.url });
  tvm = tvmSdk.createTvmClient({ apiKey: tvmKey.key, baseUrl: tvmServer.url });
});
afterAll(async () => {
  await Promise.all([mvoServer?.close(), tvmServer?.close()]);
});

describe.each([
  ['mvo', mvoResources, () => mvo],
  ['tvm', tvmResources, () => tvm],
] as const)('%s: every operation of the spec has a resource method', (api, table, client) => {
  const spec = parse(readFileSync(`${ROOT}openapi/generated/${api}.yaml`, 'utf8'));
  // each operation, named by the one naming rule, with its method and path (and whether it takes a body)
  const operations = Object.entries<any>(spec.paths).flatMap(([path, item]) =>
    Object.entries<any>(item)
      .filter(([, op]) => op?.operationId)
      .map(([method, op]) => {
        const { group, method: name } = resourceName(op);
        return `${group}.${name}: ${method.toUpperCase()} ${path}${op.requestBody ? ' body' : ''}`;
      }),
  );
  const methods = Object.entries<Record<string, string>>(table).flatMap(([group, entries]) =>
    Object.entries(entries).map(([name, row]) => `${group}.${name}: ${row.replace(/ (query|paged)/g, '')}`),
  );
  it('one method per operation, none left out', () => {
    expect(methods.sort()).toEqual(operations.sort());
  });
  it('each is a function on the client', () => {
    for (const [group, entries] of Object.entries(table)) {
      for (const name of Object.keys(entries))
        expect(typeof (client() as any)[group][name], `${group}.${name}`).toBe('function');
    }
  });
});

describe('TVM resource methods', () => {
  it('shop.get() returns the shop; withResponse() gives the response and meta.requestId', async () => {
    const shop = await tvm.shop.get();
    expect(shop.id).toMatch(/^shop_/);
    const { data, response, meta } = await tvm.shop.get().withResponse();
    expect(response.status).toBe(200);
    expect(data.id).toBe(shop.id);
    expect(meta.requestId).toEqual(expect.any(String));
  });

  it('offers: create, get, update, list, delete', async () => {
    const offer = await tvm.offers.create({
      title: '20% off everything',
      discountType: 'percentage',
      discountValue: 20,
      expiresAt: '2026-03-01',
    });
    expect(offer.status).toBe('needs_review');
    expect((await tvm.offers.get(offer.id)).title).toBe('20% off everything');
    expect((await tvm.offers.update(offer.id, { title: '25% off' })).title).toBe('25% off');
    const page = await tvm.offers.list({ status: 'needs_review' });
    expect(page.items.map((item) => item.id)).toContain(offer.id);
    expect(await tvm.offers.delete(offer.id)).toEqual({ id: offer.id, deleted: true });
    await expect(tvm.offers.get(offer.id)).rejects.toBeInstanceOf(tvmSdk.NotFoundError);
  });

  it('a list awaited is its page; iterated, every item across pages (one request a page, filters kept)', async () => {
    const key = await control(tvmServer.url, '/keys', { name: 'pages', account: 'pages', scopes: ['*'] });
    const seen: string[] = [];
    const client = tvmSdk.createTvmClient({
      apiKey: key.key,
      baseUrl: tvmServer.url,
      fetch: (request, init) => {
        seen.push(request.url);
        return fetch(request, init);
      },
    });
    for (let n = 0; n < 5; n++) await client.vouchers.create({ code: `CODE${n}`, title: `Voucher ${n}` });
    const first = await client.vouchers.list({ limit: 2, status: 'needs_review' });
    expect([first.page, first.totalPages, first.items.length]).toEqual([1, 3, 2]);
    seen.length = 0;
    const codes: string[] = [];
    for await (const voucher of client.vouchers.list({ limit: 2, status: 'needs_review' })) codes.push(voucher.code);
    expect(codes.sort()).toEqual(['CODE0', 'CODE1', 'CODE2', 'CODE3', 'CODE4']);
    expect(seen.map((url) => new URL(url).search)).toEqual([
      '?limit=2&status=needs_review',
      '?limit=2&status=needs_review&page=2',
      '?limit=2&status=needs_review&page=3',
    ]);
    const pages: number[] = [];
    for await (const page of client.vouchers.list({ limit: 2, page: 2 }).pages()) pages.push(page.page);
    expect(pages).toEqual([2, 3]);
  });

  it('an error answer throws the typed class, body typed as the envelope', async () => {
    const error = await tvm.content.get('content_nope').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(tvmSdk.NotFoundError);
    const notFound = error as tvmSdk.NotFoundError;
    expect(notFound.status).toBe(404);
    expect(typeof notFound.body === 'object' && notFound.body.error.code).toBe('NOT_FOUND');
  });

  it('a body that is not the envelope (an HTML 502 from a proxy) arrives as text', async () => {
    const { fetch } = observedFetch(
      () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
    );
    const client = tvmSdk.createTvmClient({ apiKey: TVM_KEY, fetch, maxRetries: 0 });
    const error = (await client.shop.get().catch((err: unknown) => err)) as tvmSdk.InternalServerError;
    expect(error).toBeInstanceOf(tvmSdk.InternalServerError);
    expect(error.body).toBe('<html>Bad gateway</html>');
  });
});

describe('MVO resource methods', () => {
  it('customers: create, get, update, delete; duplicate e-mail throws ConflictError', async () => {
    const customer = await mvo.customers.create({
      first_name: 'John',
      last_name: 'Doe',
      email: 'resources@example.com',
    });
    expect(customer.status).toBe('active');
    await expect(
      mvo.customers.create({ first_name: 'J', last_name: 'D', email: 'resources@example.com' }),
    ).rejects.toBeInstanceOf(mvoSdk.ConflictError);
    expect((await mvo.customers.get(customer.id)).email).toBe('resources@example.com');
    expect((await mvo.customers.update(customer.id, { language: 'en' })).language).toBe('en');
    const deleted = await mvo.customers.delete(customer.id).withResponse();
    expect([deleted.data, deleted.response.status, deleted.meta]).toEqual([undefined, 204, undefined]);
    const error = (await mvo.customers.get(customer.id).catch((err: unknown) => err)) as mvoSdk.NotFoundError;
    expect(error).toBeInstanceOf(mvoSdk.NotFoundError);
    expect(typeof error.body === 'object' && error.body.message).toBe('Customer not found');
  });

  it('per-call options reach the transport (maxRetries, headers)', async () => {
    const { fetch, seen } = observedFetch(() => json(503, { error: 'Service Unavailable', message: 'down' }));
    const client = mvoSdk.createMvoClient({ apiKey: MVO_KEY, fetch, sleep: async () => {} });
    await expect(client.customers.get('x', { maxRetries: 1, headers: { 'x-trace': 't1' } })).rejects.toBeInstanceOf(
      mvoSdk.InternalServerError,
    );
    expect(seen.map((request) => request.headers.get('x-trace'))).toEqual(['t1', 't1']);
  });
});

describe('when the request is sent', () => {
  it('at the call, as by any async function: a call nobody awaits still happens, and awaiting it twice sends once', async () => {
    const { fetch, seen } = observedFetch(() => new Response(null, { status: 204 }));
    const client = mvoSdk.createMvoClient({ apiKey: MVO_KEY, fetch });
    void client.customers.delete('c1');
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    const call = client.customers.get('c2');
    await call.catch(() => {});
    await call.withResponse().catch(() => {});
    expect(seen.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual([
      'DELETE /api/customers/c1',
      'GET /api/customers/c2',
    ]);
  });
});

describe('unwrap: one meaning for both APIs', () => {
  it('returns what the resource method returns (TVM: the envelope’s data; MVO: the body)', async () => {
    const shop = await tvmSdk.unwrap(tvm.GET('/v1/shop'));
    expect(shop).toEqual(await tvm.shop.get());
    const customer = await mvo.customers.create({ first_name: 'Ada', last_name: 'L', email: 'unwrap@example.com' });
    const read = await mvoSdk.unwrap(mvo.GET('/api/customers/{id}', { params: { path: { id: customer.id } } }));
    expect(read.id).toBe(customer.id);
  });
});
