/**
 * `proxy --record`: traffic through the proxy to a stand-in "real" API is kept as a state document; the mock
 * started with `--seed` on that file answers the same key with the same items (ids kept), and the file never
 * holds the key whole.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { startProxy } from '../../mock-server/src/proxy/index.ts';
import { startCli } from '../helpers/cli-process.ts';
import { startStandIn } from './stand-in.ts';

const dir = mkdtempSync(join(tmpdir(), 'proxy-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const send = (method: string, body: unknown, headers: Record<string, string>): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('proxy --record', () => {
  it('TVM: records by account with ids kept, and the mock seeded from it answers the same items to the same key', async () => {
    const file = join(dir, 'tvm.json');
    const key = fixtureKey('tvm', 'key_tvm_admin');
    const auth = { authorization: `Bearer ${key}` };
    const standIn = await startStandIn('tvm');
    const proxy = await startProxy({ api: 'tvm', target: standIn.url, port: 0, record: file });
    let offerId: string;
    let contentId: string;
    let shop: unknown;
    try {
      shop = (await (await fetch(`${proxy.url}/v1/shop`, { headers: auth })).json()).data;
      offerId = (
        await (
          await fetch(
            `${proxy.url}/v1/offers`,
            send('POST', { title: 'Recorded offer', discountType: 'percentage', discountValue: 15 }, auth),
          )
        ).json()
      ).data.id;
      contentId = (
        await (
          await fetch(`${proxy.url}/v1/content`, send('POST', { contentType: 'news', title: 'Recorded news' }, auth))
        ).json()
      ).data.id;
      await fetch(`${proxy.url}/v1/offers`, { headers: auth });
      await fetch(`${proxy.url}/v1/content/${contentId}`, { method: 'DELETE', headers: auth });
      // A key the API refuses records nothing.
      await fetch(`${proxy.url}/v1/shop`, {
        headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_disabled')}` },
      });
    } finally {
      await proxy.close();
      await standIn.close();
    }
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(key);
    const document = JSON.parse(text);
    expect(document.keys).toEqual([
      expect.objectContaining({ account: 'recorded-1', prefix: `${key.slice(0, 8)}…`, scopes: ['*'] }),
    ]);
    expect(document.keys[0]).not.toHaveProperty('key');
    expect(Object.keys(document.accounts)).toEqual(['recorded-1']);
    expect(document.accounts['recorded-1'].offers.map((offer: { id: string }) => offer.id)).toContain(offerId);
    expect(document.accounts['recorded-1'].content).toEqual([]);

    const mock = await startCli(['--seed', file], 'tvm');
    const offer = await (await fetch(`${mock.url}/v1/offers/${offerId}`, { headers: auth })).json();
    expect(offer.data).toMatchObject({ id: offerId, title: 'Recorded offer' });
    const listed = await (await fetch(`${mock.url}/v1/offers`, { headers: auth })).json();
    expect(listed.data.items.map((item: { id: string }) => item.id).sort()).toEqual(
      document.accounts['recorded-1'].offers.map((item: { id: string }) => item.id).sort(),
    );
    expect((await (await fetch(`${mock.url}/v1/shop`, { headers: auth })).json()).data).toEqual(shop);
    expect((await fetch(`${mock.url}/v1/content/${contentId}`, { headers: auth })).status).toBe(404);
    // Only the recorded key opens the seeded mock.
    expect(
      (
        await fetch(`${mock.url}/v1/shop`, {
          headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_shop')}` },
        })
      ).status,
    ).toBe(401);
  });

  it('MVO: a customer created and updated through the proxy is read back from the seeded mock', async () => {
    const file = join(dir, 'mvo.json');
    const key = fixtureKey('mvo', 'key_mvo_active');
    const standIn = await startStandIn('mvo');
    const proxy = await startProxy({ api: 'mvo', target: standIn.url, port: 0, record: file });
    let created: { id: string };
    try {
      created = await (
        await fetch(
          `${proxy.url}/api/customers`,
          send('POST', { first_name: 'Rec', last_name: 'Orded', email: 'rec.orded@example.com' }, { 'x-api-key': key }),
        )
      ).json();
      await fetch(
        `${proxy.url}/api/customers/${created.id}`,
        send('PATCH', { company_name: 'Recorded GmbH' }, { 'x-api-key': key }),
      );
    } finally {
      await proxy.close();
      await standIn.close();
    }
    expect(readFileSync(file, 'utf8')).not.toContain(key);
    const mock = await startCli(['--seed', file], 'mvo');
    const customer = await (
      await fetch(`${mock.url}/api/customers/${created.id}`, { headers: { 'x-api-key': key } })
    ).json();
    expect(customer).toMatchObject({ id: created.id, email: 'rec.orded@example.com', company_name: 'Recorded GmbH' });
  });
});
