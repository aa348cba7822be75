/**
 * The proxy in front of a stand-in that deviates from the contract in known ways (stand-in.ts) and conforms
 * elsewhere: a session that touches every operation, the documented failures and a few requests the contract
 * refuses. The report must list exactly the deviations, each with the assumption it contradicts, and nothing
 * else; traffic must pass through byte for byte; no whole key may appear in the report or the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import type { ApiName } from '../../mock-server/src/model/index.ts';
import { startProxy, type ValidationProxy } from '../../mock-server/src/proxy/index.ts';
import { DEVIATIONS, startStandIn, type StandIn } from './stand-in.ts';

interface Session {
  standIn: StandIn;
  proxy: ValidationProxy;
  logs: string[];
  /** Answers as the client received them through the proxy, in order. */
  answers: { status: number; body: Buffer }[];
  call(path: string, init?: RequestInit): Promise<{ status: number; json: any }>;
}

function useSession(api: ApiName): Session {
  const session = { logs: [] as string[], answers: [] as Session['answers'] } as Session;
  beforeAll(async () => {
    session.standIn = await startStandIn(api, { deviate: DEVIATIONS[api] });
    session.proxy = await startProxy({
      api,
      target: session.standIn.url,
      port: 0,
      log: (line) => session.logs.push(line),
    });
  });
  afterAll(async () => {
    await session.proxy?.close();
    await session.standIn?.close();
  });
  session.call = async (path, init = {}) => {
    const response = await fetch(session.proxy.url + path, init);
    const body = Buffer.from(await response.arrayBuffer());
    session.answers.push({ status: response.status, body });
    return { status: response.status, json: body.length ? JSON.parse(body.toString()) : undefined };
  };
  return session;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const jsonBody = (body: unknown, headers: Record<string, string>): RequestInit => ({
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
/** The parts of a violation a test pins down (the wording of expected/actual is the report's business). */
const brief = (violation: {
  method: string;
  path: string;
  operation?: string;
  status: number;
  check: string;
  assumptions: string[];
}) => ({
  method: violation.method,
  operation: violation.operation,
  status: violation.status,
  check: violation.check,
  assumptions: violation.assumptions,
});

describe('TVM through the proxy', () => {
  const session = useSession('tvm');
  const admin = bearer(fixtureKey('tvm', 'key_tvm_admin'));

  beforeAll(async () => {
    const { call } = session;
    await call('/v1/shop', { headers: admin }); // deviates: no meta
    await call('/v1/shop', { method: 'PUT', ...jsonBody({ description: 'Updated through the proxy' }, admin) });
    await call('/v1/offers?page=1&limit=5', { headers: admin });
    const offer = await call('/v1/offers', {
      method: 'POST',
      ...jsonBody({ title: '20% Off Everything', discountType: 'percentage', discountValue: 20 }, admin),
    }); // deviates: 200
    const offerId = offer.json.data.id;
    await call(`/v1/offers/${offerId}`, { headers: admin });
    await call(`/v1/offers/${offerId}`, { method: 'PUT', ...jsonBody({ title: '25% Off Everything' }, admin) });
    await call(`/v1/offers/${offerId}`, { method: 'DELETE', headers: admin });
    await call('/v1/vouchers', { headers: admin });
    const voucher = await call('/v1/vouchers', {
      method: 'POST',
      ...jsonBody({ code: 'PROXY10', discountType: 'percentage', discountValue: 10 }, admin),
    });
    await call(`/v1/vouchers/${voucher.json.data.id}`, { headers: admin });
    await call(`/v1/vouchers/${voucher.json.data.id}`, { method: 'DELETE', headers: admin }); // deviates: 204
    await call('/v1/content?type=news', { headers: admin });
    const content = await call('/v1/content', {
      method: 'POST',
      ...jsonBody({ contentType: 'news', title: 'Proxy news', expiresAt: '2026-12-31' }, admin),
    });
    await call(`/v1/content/${content.json.data.id}`, {
      method: 'PUT',
      ...jsonBody({ title: 'Proxy news, updated' }, admin),
    });
    await call(`/v1/content/${content.json.data.id}`, { method: 'DELETE', headers: admin });
    // Documented failures and requests the contract refuses: each must fail as documented (and does).
    await call('/v1/shop');
    await call('/v1/offers', { headers: bearer('tvm_tooshort') });
    await call('/v1/shop', { headers: { 'x-api-key': fixtureKey('tvm', 'key_tvm_admin') } });
    await call('/v1/shop', { headers: bearer(fixtureKey('tvm', 'key_tvm_offers')) });
    await call('/v1/content', { headers: bearer(fixtureKey('tvm', 'key_tvm_offers')) });
    await call('/v1/shop', { headers: bearer(fixtureKey('tvm', 'key_tvm_disabled')) });
    await call('/v1/offers/offer_doesnotexist', { headers: admin });
    await call('/v1/offers', { method: 'POST', ...jsonBody({ discountValue: 'twenty' }, admin) });
    await call('/v1/offers?limit=500', { headers: admin });
    await call('/v1/content', {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/plain' },
      body: 'not json',
    });
    await call('/v1/nowhere', { headers: admin });
  });

  it('reports exactly the stand-in’s deviations, each with the assumption it contradicts', () => {
    const report = session.proxy.report();
    expect(report.requests).toBe(session.answers.length);
    expect(report.violations.map(brief)).toEqual([
      { method: 'GET', operation: 'getShop', status: 200, check: 'field', assumptions: ['TVM-A3'] },
      { method: 'POST', operation: 'createOffer', status: 200, check: 'status', assumptions: ['TVM-A2'] },
      { method: 'DELETE', operation: 'deleteVoucher', status: 204, check: 'status', assumptions: ['TVM-A2'] },
    ]);
    expect(report.violations[0]).toMatchObject({
      path: '/v1/shop',
      expected: 'meta.requestId, meta.timestamp',
      actual: "body must have required property 'meta'",
    });
    expect(report.violations[1].expected).toBe('201 for a success of createOffer');
  });

  it('counts what the session confirmed per assumption', () => {
    const tally = Object.fromEntries(session.proxy.report().assumptions.map((a) => [a.id, a]));
    expect(tally['TVM-A2']).toMatchObject({ contradicted: 2 });
    expect(tally['TVM-A2'].confirmed).toBeGreaterThan(5);
    expect(tally['TVM-A3']).toMatchObject({ contradicted: 1 });
    expect(tally['TVM-A3'].confirmed).toBeGreaterThan(5);
    // The malformed key failed as assumed; the scope-less key was refused naming the operation's scope.
    expect(tally['TVM-A1']).toMatchObject({
      confirmed: 1,
      contradicted: 0,
      confirmedBy: { method: 'GET', path: '/v1/offers', status: 401 },
    });
    expect(tally['TVM-A7']).toMatchObject({ confirmed: 4, contradicted: 0 });
    expect(tally['TVM-A6']).toMatchObject({
      confirmed: 1,
      contradicted: 0,
      confirmedBy: { path: '/v1/content', status: 403 },
    });
    // The inferred operations exist; paging refused out of range and unknown routes behave as assumed (a page
    // size accepted in range confirms nothing: the assumption is about the bounds); a plain date is accepted.
    expect(tally['TVM-A4'].confirmed).toBe(6);
    expect(tally['TVM-A14']).toMatchObject({ confirmed: 2, contradicted: 0 });
    expect(tally['TVM-A8']).toMatchObject({
      confirmed: 1,
      contradicted: 0,
      confirmedBy: { method: 'POST', path: '/v1/content', status: 201 },
    });
    expect(tally['TVM-A11']).toMatchObject({ confirmed: 0, contradicted: 0 });
  });

  it('passes every answer through byte for byte, and every request as the client sent it', () => {
    expect(session.standIn.sent.map(({ status, body }) => ({ status, body: body.toString('base64') }))).toEqual(
      session.answers.map(({ status, body }) => ({ status, body: body.toString('base64') })),
    );
    const puts = session.standIn.received.filter((request) => request.method === 'PUT');
    expect(puts[0].body.toString()).toBe('{"description":"Updated through the proxy"}');
    expect(session.standIn.received[2].url).toBe('/v1/offers?page=1&limit=5');
  });

  it('serves the report as JSON and Markdown at /__proxy/report', async () => {
    const json = await (await fetch(`${session.proxy.url}/__proxy/report`)).json();
    expect(json).toEqual(JSON.parse(JSON.stringify(session.proxy.report())));
    const markdown = await (await fetch(`${session.proxy.url}/__proxy/report?format=markdown`)).text();
    expect(markdown).toBe(session.proxy.markdown());
    expect(markdown).toMatch(
      /^\| \*\*TVM-A3\*\* .* \| 1 \| \d+ \| `GET \/v1\/shop` → 200 \(key `tvm_xrbw…`\): expected meta.requestId, meta.timestamp; got body must have required property 'meta' \|$/m,
    );
  });

  it('never shows a whole key, only masked prefixes', () => {
    const everything = [JSON.stringify(session.proxy.report()), session.proxy.markdown(), ...session.logs].join('\n');
    for (const id of ['key_tvm_admin', 'key_tvm_offers', 'key_tvm_disabled'])
      expect(everything).not.toContain(fixtureKey('tvm', id));
    expect(session.logs[0]).toMatch(/^GET \/v1\/shop → 200 [\d.]+ms key=tvm_xrbw… 1 violation: field \(TVM-A3\)$/);
  });
});

describe('MVO through the proxy', () => {
  const session = useSession('mvo');
  const key = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') };

  beforeAll(async () => {
    const { call } = session;
    const created = await call('/api/customers', {
      method: 'POST',
      ...jsonBody({ first_name: 'Jane', last_name: 'Doe', email: 'jane.proxy@example.com', legal_entity: 'GmbH' }, key),
    });
    const id = created.json.id;
    await call(`/api/customers/${id}`, { headers: key });
    await call(`/api/customers/${id}`, { headers: bearer(fixtureKey('mvo', 'key_mvo_staging')) });
    await call(`/api/customers/${id}`, { method: 'PATCH', ...jsonBody({ company_name: 'Doe GmbH' }, key) }); // deviates: 204
    await call(`/api/customers/${id}`, { method: 'DELETE', headers: key });
    await call(`/api/customers/${id}`, { headers: key });
    await call('/api/customers/550e8400-e29b-41d4-a716-446655440000', { headers: { 'x-api-key': 'sk_live_short' } }); // deviates: message
    await call('/api/customers/550e8400-e29b-41d4-a716-446655440000');
    await call('/api/customers/550e8400-e29b-41d4-a716-446655440000', {
      headers: { 'x-api-key': fixtureKey('mvo', 'key_mvo_revoked') },
    });
    await call('/api/customers', { method: 'POST', ...jsonBody({ first_name: 'No', last_name: 'Email' }, key) });
    await call('/api/customers', {
      method: 'POST',
      ...jsonBody({ first_name: 'Bad', last_name: 'Email', email: 'not-an-email' }, key),
    });
    await call('/api/customers', {
      method: 'POST',
      headers: key,
      body: '{"first_name":"J","last_name":"D","email":"j@example.com"}',
    });
    await call('/api/nowhere', { headers: key });
  });

  it('reports exactly the stand-in’s deviations, each with the assumption it contradicts', () => {
    expect(session.proxy.report().violations.map(brief)).toEqual([
      { method: 'PATCH', operation: 'updateCustomer', status: 204, check: 'status', assumptions: ['MVO-A4'] },
      { method: 'GET', operation: 'getCustomer', status: 401, check: 'message', assumptions: ['MVO-A9'] },
    ]);
    expect(session.proxy.report().violations[1]).toMatchObject({
      key: 'sk_live_sh…',
      actual: '{"error":"Unauthorized","message":"Invalid API key provided"}',
    });
  });

  it('counts what the session confirmed per assumption', () => {
    const tally = Object.fromEntries(session.proxy.report().assumptions.map((a) => [a.id, a]));
    expect(tally['MVO-A3']).toMatchObject({ confirmed: 1, contradicted: 0 });
    expect(tally['MVO-A4']).toMatchObject({ confirmed: 0, contradicted: 1 });
    expect(tally['MVO-A2']).toMatchObject({ confirmed: 1, contradicted: 0 });
    expect(tally['MVO-A9']).toMatchObject({ confirmed: 2, contradicted: 1 });
    expect(tally['MVO-A11']).toMatchObject({ confirmed: 2, contradicted: 0 });
    expect(tally['MVO-A8'].confirmed).toBeGreaterThan(0);
  });

  it('never shows a whole key, only masked prefixes', () => {
    const everything = [JSON.stringify(session.proxy.report()), session.proxy.markdown(), ...session.logs].join('\n');
    for (const id of ['key_mvo_active', 'key_mvo_staging', 'key_mvo_revoked'])
      expect(everything).not.toContain(fixtureKey('mvo', id));
    expect(session.logs[2]).toMatch(/^GET \/api\/customers\/[0-9a-f-]{36} → 200 [\d.]+ms key=sk_live_Hq1P… ok$/);
  });

  it('passes every answer through byte for byte', () => {
    expect(session.standIn.sent.map(({ status, body }) => `${status} ${body.toString('base64')}`)).toEqual(
      session.answers.map(({ status, body }) => `${status} ${body.toString('base64')}`),
    );
  });
});
