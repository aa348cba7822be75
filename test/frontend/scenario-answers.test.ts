/**
 * Scenarios that set the answer (`body`, `headers`, `latency`), the success status a `malformed` fault keeps,
 * and the bound on every latency (`X-Mock-Latency`, a scenario's `latency`): on the Node server and under MSW
 * alike, through the same control API.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureKey, startMockServer } from '../../mock-server/src/index.ts';
import { useNodeAndMsw } from '../helpers/mock.ts';

const admin = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
const jsonHeaders = { ...admin, 'content-type': 'application/json' };

const { realFetch, targets } = useNodeAndMsw('tvm', 'http://tvm.scenario-answers.test');

/** A shop body getShop's 200 schema accepts, and one field off. */
const SHOP = {
  success: true,
  data: {
    id: 'shop_abc123',
    slug: 'quiet-shop',
    name: 'A shop without a logo',
    teaser: null,
    description: null,
    primaryDomain: null,
    domains: [],
    logoUrl: null,
    isActive: false,
  },
  meta: { requestId: 'req_abc123', timestamp: '2026-02-06T12:00:00Z' },
};

describe.each(targets)('$name: scenarios that set the answer', ({ base, fetch }) => {
  const send = (path: string, init: RequestInit = {}) => fetch()(base() + path, init);
  const force = async (scenario: object) => {
    const answer = await send('/__mock/scenarios', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(scenario),
    });
    return { status: answer.status, json: await answer.json() };
  };
  beforeAll(async () => {
    await send('/__mock/reset', { method: 'POST' });
  });

  it('body: answers it as given (checked against getShop 200), with headers added, once', async () => {
    const made = await force({
      count: 1,
      method: 'GET',
      path: '/v1/shop',
      body: SHOP,
      headers: { 'X-Request-Id': 'req_forced' },
    });
    expect(made).toMatchObject({
      status: 201,
      json: { body: SHOP, headers: { 'X-Request-Id': 'req_forced' }, latency: null, validate: true, status: null },
    });
    const forced = await send('/v1/shop', { headers: admin });
    expect([forced.status, forced.headers.get('x-request-id'), await forced.json()]).toEqual([200, 'req_forced', SHOP]);
    const usual = await send('/v1/shop', { headers: admin });
    expect([usual.status, usual.headers.get('x-request-id'), (await usual.json()).data.slug]).toEqual([
      200,
      null,
      'example-store',
    ]);
  });

  it('body with a status: the operation documents it, and the body matches that status', async () => {
    const gone = { success: false, error: { code: 'NOT_FOUND', message: 'This shop moved away' } };
    expect((await force({ count: 1, status: 404, path: '/v1/offers/*', method: 'GET', body: gone })).status).toBe(201);
    const answer = await send('/v1/offers/offer_abc123', { headers: admin });
    expect([answer.status, await answer.json()]).toEqual([404, gone]);
  });

  it('body without a status answers the success status: 201 for a create', async () => {
    const created = (await (
      await send('/v1/offers', { method: 'POST', headers: jsonHeaders, body: '{"title":"Model"}' })
    ).json()) as { data: unknown; meta: unknown };
    expect((await force({ count: 1, method: 'POST', path: '/v1/offers', body: created })).status).toBe(201);
    const answer = await send('/v1/offers', { method: 'POST', headers: jsonHeaders, body: '{"title":"Anything"}' });
    expect([answer.status, await answer.json()]).toEqual([201, created]);
  });

  it('refuses a body its operation does not document, naming the problem; validate: false sends it anyway', async () => {
    const wrong = { ...SHOP, data: { ...SHOP.data, name: 42 } };
    const refused = await force({ count: 1, path: '/v1/shop', method: 'GET', body: wrong });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toBe(
      `body/body/data/name must be string (getShop's 200 response); send "validate": false to answer it anyway`,
    );
    expect((await force({ count: 1, path: '/v1/nowhere', body: SHOP })).json.error.message).toMatch(
      /^body\/body: no operation answers path \/v1\/nowhere, method any/,
    );
    expect((await force({ count: 1, path: '/v1/shop', method: 'GET', body: wrong, validate: false })).status).toBe(201);
    const sent = await send('/v1/shop', { headers: admin });
    expect((await sent.json()).data.name).toBe(42);
    expect((await force({ count: 1, path: '/v1/shop', validate: false })).json.error.message).toBe(
      'body/validate applies with body only',
    );
    expect((await force({ fault: 'reset', headers: { 'x-a': 'b' } })).json.error.message).toBe(
      'body/body and body/headers apply without a fault only',
    );
  });

  it('latency per route, without a fault: the usual answer, late, and other routes on time', async () => {
    expect((await force({ count: 1, path: '/v1/offers', method: 'GET', latency: 150 })).status).toBe(201);
    const started = performance.now();
    const late = await send('/v1/offers', { headers: admin });
    const lateMs = performance.now() - started;
    expect(late.status).toBe(200);
    // A lower bound only: the answer waited at least what was asked (no upper time budget).
    expect(lateMs).toBeGreaterThanOrEqual(145);
    const scenarios = (await (await send('/__mock/scenarios')).json()).scenarios;
    expect(scenarios.at(-1)).toMatchObject({ latency: 150, served: 1, remaining: 0 });
  });

  it('headers alone decorate the usual answer', async () => {
    await force({ count: 1, path: '/v1/shop', headers: { 'Cache-Control': 'no-store' } });
    const answer = await send('/v1/shop', { headers: admin });
    expect([answer.status, answer.headers.get('cache-control'), (await answer.json()).success]).toEqual([
      200,
      'no-store',
      true,
    ]);
  });

  it('malformed keeps the operation success status: 201 for a create', async () => {
    await force({ count: 1, fault: 'malformed', method: 'POST', path: '/v1/offers' });
    const answer = await send('/v1/offers', { method: 'POST', headers: jsonHeaders, body: '{"title":"Cut"}' });
    expect(answer.status).toBe(201);
    await expect(answer.json()).rejects.toThrow(SyntaxError);
  });

  it('caps latency at 60,000 ms: a longer X-Mock-Latency or scenario latency is refused with 400', async () => {
    const tooLong = await send('/v1/shop', { headers: { ...admin, 'x-mock-latency': '100000' } });
    expect([tooLong.status, (await tooLong.json()).error.details]).toEqual([
      400,
      [{ field: 'X-Mock-Latency', message: 'Must be milliseconds (200) or a range (100-300), at most 60000' }],
    ]);
    const garbled = await send('/v1/shop', { headers: { ...admin, 'x-mock-latency': 'soon' } });
    expect(garbled.status).toBe(400);
    expect((await force({ count: 1, latency: 60_001 })).json.error.message).toBe('body/latency must be <= 60000');
    expect((await send('/v1/shop', { headers: { ...admin, 'x-mock-latency': '0-5' } })).status).toBe(200);
  });
});

describe('MVO words the X-Mock-Latency refusal in its message', () => {
  it('names the header, the rule and the value', async () => {
    const mvo = await startMockServer({ api: 'mvo', port: 0 });
    try {
      const answer = await realFetch(`${mvo.url}/api/customers/1`, {
        headers: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active'), 'x-mock-latency': '100000' },
      });
      expect([answer.status, (await answer.json()).message]).toEqual([
        400,
        'X-Mock-Latency must be milliseconds (200) or a range (100-300), at most 60000, got "100000"',
      ]);
    } finally {
      await mvo.close();
    }
  });
});

describe('the latency option is bounded too', () => {
  it('refuses a latency over 60,000 ms at creation', async () => {
    await expect(startMockServer({ api: 'mvo', port: 0, latency: 60_001 })).rejects.toThrow(
      'latency must be milliseconds (200) or a range (100-300), at most 60000, got 60001',
    );
  });
});
