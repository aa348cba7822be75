/**
 * Stateful parity: the Node mock server and the MSW handlers, both stateful with the same seeded ids
 * and frozen clock, fed the same sequences (create → read → list → review → update → delete, other
 * accounts, scenarios, rate limits) must answer alike, request by request.
 */
import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureKey,
  FIXTURE_KEYS,
  seededRandom,
  startMockServer,
  type MockServer,
} from '../../mock-server/src/index.ts';
import type { KeySeed } from '../../mock-server/src/auth/index.ts';
import { createMswMock } from '../../mock-server/src/msw/index.ts';
import type { ApiName } from '../../mock-server/src/model/index.ts';
import { FROZEN_NOW } from '../cases/requests.ts';
import { snapshot, type Snapshot } from './harness.ts';

const BASE: Record<ApiName, string> = { mvo: 'http://mvo.stateful.test', tvm: 'http://tvm.stateful.test' };
const realFetch = globalThis.fetch;

/** Keys of a second account, known to both sides (minted keys differ per side, so they cannot be shared). */
const ACME: Record<ApiName, KeySeed> = {
  mvo: { id: 'key_mvo_acme', name: 'Acme', key: `sk_live_${'Acme0Seller'.padEnd(48, 'a')}`, account: 'acme' },
  tvm: {
    id: 'key_tvm_acme',
    name: 'Acme',
    key: `tvm_${'acme0shop'.padEnd(32, 'a')}`,
    scopes: ['*'],
    account: 'acme',
    rate_limit: { per_minute: 3, per_day: 100 },
  },
};
const OPTIONS = () => ({
  stateful: true,
  rateLimits: 'enforce' as const,
  now: () => new Date(FROZEN_NOW),
  random: seededRandom(9),
});

let servers: Record<ApiName, MockServer>;
let interceptor: SetupServer;
beforeAll(async () => {
  servers = {
    mvo: await startMockServer({ api: 'mvo', port: 0, fixtures: [...FIXTURE_KEYS.mvo, ACME.mvo], ...OPTIONS() }),
    tvm: await startMockServer({ api: 'tvm', port: 0, fixtures: [...FIXTURE_KEYS.tvm, ACME.tvm], ...OPTIONS() }),
  };
  interceptor = setupServer(
    ...createMswMock('mvo', { baseUrl: BASE.mvo, keys: [ACME.mvo], ...OPTIONS() }).handlers,
    ...createMswMock('tvm', { baseUrl: BASE.tvm, keys: [ACME.tvm], ...OPTIONS() }).handlers,
  );
  interceptor.listen({ onUnhandledRequest: 'error' });
});
afterAll(async () => {
  interceptor?.close();
  await Promise.all([servers?.mvo.close(), servers?.tvm.close()]);
});

type Step = [method: string, path: string, body?: unknown, headers?: Record<string, string>];

async function both(api: ApiName, [method, path, body, headers]: Step): Promise<{ server: Snapshot; msw: Snapshot }> {
  const init = (): RequestInit => ({
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const server = await snapshot(await realFetch(servers[api].url + path, init()), path.split('?')[0]);
  const msw = await snapshot(await globalThis.fetch(BASE[api] + path, init()), path.split('?')[0]);
  return { server, msw };
}

/** Runs the steps in order on both sides; `{id}` in a path is the id the last create answered. */
async function run(api: ApiName, steps: Step[]): Promise<number[]> {
  const statuses: number[] = [];
  let lastId = '';
  for (const step of steps) {
    const [method, path, body, headers] = step;
    const filled = body === undefined ? undefined : JSON.parse(JSON.stringify(body).replaceAll('{id}', lastId));
    const { server, msw } = await both(api, [method, path.replace('{id}', lastId), filled, headers]);
    expect(msw, `${method} ${path}`).toEqual(server);
    statuses.push(server.status);
    const data = (server.body as any)?.data ?? server.body;
    if (method === 'POST' && server.status === 201 && typeof data?.id === 'string') lastId = data.id;
  }
  return statuses;
}

describe('stateful sequences answer alike on the Node server and through MSW', () => {
  it('MVO: customer life cycle, duplicate email, other account', async () => {
    const key = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') };
    const acme = { 'x-api-key': ACME.mvo.key! };
    const customer = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' };
    const statuses = await run('mvo', [
      ['POST', '/api/customers', customer, key],
      ['GET', '/api/customers/{id}', undefined, key],
      ['POST', '/api/customers', customer, key],
      ['PATCH', '/api/customers/{id}', { company_name: 'Engines', address_data: { city: 'London' } }, key],
      ['GET', '/api/customers/{id}', undefined, acme],
      ['POST', '/api/customers', customer, acme],
      ['DELETE', '/api/customers/{id}', undefined, key],
      ['DELETE', '/api/customers/{id}', undefined, acme],
      ['GET', '/api/customers/{id}', undefined, acme],
      ['GET', '/api/customers/550e8400-e29b-41d4-a716-446655440000', undefined, key],
    ]);
    expect(statuses).toEqual([201, 200, 409, 200, 404, 201, 404, 204, 404, 200]);
  });

  it('TVM: offers, vouchers, content and shop with review, paging and filters', async () => {
    const key = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
    const statuses = await run('tvm', [
      ['POST', '/v1/offers', { title: '20% Off Everything', discountValue: 20 }, key],
      ['GET', '/v1/offers?status=needs_review', undefined, key],
      ['POST', '/__mock/review', { id: '{id}', decision: 'approve' }],
      ['GET', '/v1/offers?status=active&limit=1', undefined, key],
      ['PUT', '/v1/offers/{id}', { isExclusive: true }, key],
      ['POST', '/v1/vouchers', { code: 'spring10' }, key],
      ['GET', '/v1/vouchers?code=SPRING10', undefined, key],
      ['DELETE', '/v1/vouchers/{id}', undefined, key],
      ['GET', '/v1/vouchers/{id}', undefined, key],
      ['POST', '/v1/content', { title: 'News', shopSlug: 'example-store' }, key],
      ['POST', '/v1/content', { title: 'News', shopSlug: 'nowhere' }, key],
      ['GET', '/v1/content?active=false&page=1&limit=2', undefined, key],
      ['PUT', '/v1/shop', { teaser: 'Parity' }, key],
      ['GET', '/v1/shop', undefined, key],
    ]);
    expect(statuses).toEqual([201, 200, 200, 200, 200, 201, 200, 200, 404, 201, 404, 200, 200, 200]);
  });

  it('TVM: another shop, its own rate limit, scenarios and reset', async () => {
    const acme = { authorization: `Bearer ${ACME.tvm.key}` };
    const statuses = await run('tvm', [
      ['GET', '/v1/shop', undefined, acme],
      ['GET', '/v1/offers/offer_abc123', undefined, acme],
      ['POST', '/v1/offers', { title: 'Acme deal' }, acme],
      ['GET', '/v1/offers', undefined, acme],
      ['POST', '/__mock/scenarios', { status: 503, count: 1, path: '/v1/shop' }],
      ['GET', '/v1/shop', undefined, { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_shop')}` }],
      ['GET', '/__mock/scenarios'],
      ['POST', '/__mock/reset'],
      ['GET', '/v1/offers', undefined, acme],
    ]);
    // the fourth acme request in the frozen minute is over its own limit of 3
    expect(statuses).toEqual([200, 404, 201, 429, 201, 503, 200, 204, 200]);
  });
});
