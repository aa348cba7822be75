/** The read-only probe (`check`) against the deviating stand-ins: only reads unless told, and it cleans up. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import type { ApiName } from '../../mock-server/src/model/index.ts';
import { runProbe } from '../../mock-server/src/proxy/index.ts';
import { DEVIATIONS, startStandIn, type StandIn } from './stand-in.ts';

const standIns: StandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((standIn) => standIn.close()));
});
const deviating = async (api: ApiName) => {
  const standIn = await startStandIn(api, { deviate: DEVIATIONS[api] });
  standIns.push(standIn);
  return standIn;
};
const brief = (violations: { method: string; path: string; status: number; check: string; assumptions: string[] }[]) =>
  violations.map(
    ({ method, path, status, check, assumptions }) => `${method} ${path} ${status} ${check} ${assumptions.join(',')}`,
  );

describe('check (read-only by default)', () => {
  it('sends only reads, the documented failures included, and reports what contradicts the contract', async () => {
    const standIn = await deviating('tvm');
    const key = fixtureKey('tvm', 'key_tvm_admin');
    const logs: string[] = [];
    const { report, markdown, leftBehind } = await runProbe({
      api: 'tvm',
      key,
      target: standIn.url,
      log: (line) => logs.push(line),
    });
    expect(standIn.received.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /v1/shop',
      'GET /v1/offers',
      'GET /v1/vouchers',
      'GET /v1/content',
      'GET /v1/offers/offer_abc123',
      'GET /v1/vouchers/voucher_abc123',
      'GET /v1/content/content_abc124',
      'GET /v1/shop',
      'GET /v1/shop',
      'GET /v1/shop/contract-check-unknown-route',
      'GET /v1/offers?page=0',
    ]);
    expect(brief(report.violations)).toEqual(['GET /v1/shop 200 field TVM-A3']);
    expect(leftBehind).toEqual([]);
    expect(markdown).toContain('| **TVM-A3** ');
    expect(logs[0]).toBe(`GET ${standIn.url}/v1/shop → 200 key=tvm_xrbw… (1 violation)`);
    expect([...logs, markdown, JSON.stringify(report)].join('\n')).not.toContain(key);
  });

  it('for MVO, reads an id that cannot exist and finds the undocumented 401 message', async () => {
    const standIn = await deviating('mvo');
    const { report } = await runProbe({ api: 'mvo', key: fixtureKey('mvo', 'key_mvo_active'), target: standIn.url });
    expect(standIn.received.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /api/customers/contract-check-missing',
      'GET /api/customers/contract-check-missing',
      'GET /api/customers/contract-check-missing',
      'GET /api/customers/contract-check-missing/contract-check-unknown-route',
    ]);
    expect(brief(report.violations)).toEqual(['GET /api/customers/contract-check-missing 401 message MVO-A9']);
  });
});

describe('check against an upstream that does not answer', () => {
  it('stops at the first request that gets no answer and says so', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { report, markdown } = await runProbe({ api: 'tvm', key: fixtureKey('tvm', 'key_tvm_admin'), target });
    expect(report).toMatchObject({ requests: 0, upstreamErrors: [{ method: 'GET', path: '/v1/shop', status: 502 }] });
    expect(report.upstreamErrors).toHaveLength(1);
    expect(markdown).toContain('The probe stopped at the first request that got no answer.');
  });
});

describe('check --allow-writes', () => {
  it('creates, reads, updates and deletes one item per resource, leaving the data as it found it', async () => {
    const standIn = await deviating('tvm');
    const key = fixtureKey('tvm', 'key_tvm_admin');
    const counts = async () => {
      const lists = await Promise.all(
        ['offers', 'vouchers', 'content'].map((kind) =>
          fetch(`${standIn.url}/v1/${kind}`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.json()),
        ),
      );
      return lists.map((list) => list.data.total);
    };
    const before = await counts();
    const { report, leftBehind } = await runProbe({ api: 'tvm', key, target: standIn.url, allowWrites: true });
    expect(await counts()).toEqual(before);
    expect(leftBehind).toEqual([]);
    const writes = standIn.received
      .filter((request) => request.method !== 'GET')
      .map((request) => `${request.method} ${request.url.replace(/_[a-z0-9]+$/, '_…')}`);
    expect(writes).toEqual([
      'POST /v1/offers',
      'PUT /v1/offers/offer_…',
      'DELETE /v1/offers/offer_…',
      'POST /v1/vouchers',
      'PUT /v1/vouchers/voucher_…',
      'DELETE /v1/vouchers/voucher_…',
      'POST /v1/content',
      'PUT /v1/content/content_…',
      'DELETE /v1/content/content_…',
    ]);
    expect(brief(report.violations).map((line) => line.replace(/_[a-z0-9]+ /, '_… '))).toEqual([
      'GET /v1/shop 200 field TVM-A3',
      'POST /v1/offers 200 status TVM-A2',
      'DELETE /v1/vouchers/voucher_… 204 status TVM-A2',
    ]);
  });

  it('charges inferred operations that are not there to their assumption (TVM-A4), even when the 404 reads like an item’s', async () => {
    // PUT and DELETE on vouchers and content do not exist: the router answers the documented NOT_FOUND.
    const standIn = await startStandIn('tvm', {
      deviate: (request, answer) =>
        (request.method === 'PUT' || request.method === 'DELETE') && /^\/v1\/(vouchers|content)\//.test(request.path)
          ? {
              status: 404,
              headers: answer.headers,
              body: JSON.stringify({ success: false, error: { code: 'NOT_FOUND', message: 'Resource not found' } }),
            }
          : undefined,
    });
    standIns.push(standIn);
    const { report } = await runProbe({
      api: 'tvm',
      key: fixtureKey('tvm', 'key_tvm_admin'),
      target: standIn.url,
      allowWrites: true,
    });
    expect(brief(report.violations).map((line) => line.replace(/_[a-z0-9]+ /, '_… '))).toEqual([
      'PUT /v1/vouchers/voucher_… 404 operation TVM-A4',
      'DELETE /v1/vouchers/voucher_… 404 operation TVM-A4',
      'PUT /v1/content/content_… 404 operation TVM-A4',
      'DELETE /v1/content/content_… 404 operation TVM-A4',
    ]);
    expect(report.assumptions.find((tally) => tally.id === 'TVM-A4')).toMatchObject({
      verdict: 'contradicted',
      contradicted: 4,
    });
  });

  it('lists what it could not delete', async () => {
    const standIn = await startStandIn('mvo', {
      deviate: (request, answer) =>
        request.method === 'DELETE'
          ? {
              status: 404,
              headers: answer.headers,
              body: '{"error":"Not Found","message":"Route DELETE:/api/customers/x not found"}',
            }
          : undefined,
    });
    standIns.push(standIn);
    const { leftBehind, markdown } = await runProbe({
      api: 'mvo',
      key: fixtureKey('mvo', 'key_mvo_active'),
      target: standIn.url,
      allowWrites: true,
    });
    expect(leftBehind).toEqual([
      expect.stringMatching(
        /^\/api\/customers: [0-9a-f-]{36} \(DELETE \/api\/customers\/[0-9a-f-]{36} failed; remove it by hand\)$/,
      ),
    ]);
    expect(markdown).toContain('## Left behind');
  });
});
