/** MVO customers, stateful (the default): the whole life cycle over HTTP, per seller account. */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { json, useHandledMock } from '../helpers/mock.ts';

/** A clock a second ahead at every reading, so an update's timestamp moves on without waiting. */
let tick = Date.parse('2026-03-01T12:00:00.000Z');
const mock = useHandledMock('mvo', { now: () => new Date((tick += 1000)) });
const key = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') };
const SEED_ID = '550e8400-e29b-41d4-a716-446655440000';

async function mintKey(account?: string): Promise<Record<string, string>> {
  const minted = await mock.send('/__mock/keys', {
    method: 'POST',
    ...json({ name: 'state test', ...(account ? { account } : {}) }),
  });
  expect(minted.status).toBe(201);
  expect(minted.json.account).toBe(account ?? 'default');
  return { 'x-api-key': minted.json.key };
}

describe('MVO customers, stateful', () => {
  it('creates with defaults, reads, patches only the fields sent, deletes, then answers 404', async () => {
    const created = await mock.send('/api/customers', {
      method: 'POST',
      ...json({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' }, key),
    });
    expect(created.status).toBe(201);
    const customer = created.json;
    expect(customer).toMatchObject({
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      seller_id: '660e8400-e29b-41d4-a716-446655440001',
      source: 'api',
      language: 'de',
      status: 'active',
      company_name: null,
      legal_entity: null,
      address_data: null,
      postal_redirect_address: null,
    });
    expect(customer.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(customer.id).not.toBe(SEED_ID);
    expect(customer.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(customer.updated_at).toBe(customer.created_at);

    const read = await mock.send(`/api/customers/${customer.id}`, { headers: key });
    expect(read.json).toEqual(customer);

    const address = { street: 'Hauptstraße 1', city: 'Köln' };
    const patched = await mock.send(`/api/customers/${customer.id}`, {
      method: 'PATCH',
      ...json({ company_name: 'Analytical Engines', address_data: address }, key),
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toEqual({
      ...customer,
      company_name: 'Analytical Engines',
      address_data: address,
      updated_at: patched.json.updated_at,
    });
    expect(Date.parse(patched.json.updated_at)).toBeGreaterThan(Date.parse(customer.updated_at));

    const cleared = await mock.send(`/api/customers/${customer.id}`, {
      method: 'PATCH',
      ...json({ company_name: null, address_data: { country: 'Germany' } }, key),
    });
    expect(cleared.json).toMatchObject({ company_name: null, address_data: { country: 'Germany' }, first_name: 'Ada' });

    const deleted = await mock.send(`/api/customers/${customer.id}`, { method: 'DELETE', headers: key });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await mock.send(`/api/customers/${customer.id}`, { headers: key });
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: 'Not Found', message: 'Customer not found' });
    expect((await mock.send(`/api/customers/${customer.id}`, { method: 'DELETE', headers: key })).status).toBe(404);
  });

  it('refuses the same email twice in one account (409), also when a PATCH takes it', async () => {
    const first = await mock.send('/api/customers', {
      method: 'POST',
      ...json({ first_name: 'A', last_name: 'B', email: 'twice@example.com' }, key),
    });
    expect(first.status).toBe(201);
    const again = await mock.send('/api/customers', {
      method: 'POST',
      ...json({ first_name: 'C', last_name: 'D', email: 'TWICE@example.com' }, key),
    });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ error: 'Conflict', message: 'A customer with this email already exists' });
    const other = await mock.send('/api/customers', {
      method: 'POST',
      ...json({ first_name: 'E', last_name: 'F', email: 'other@example.com' }, key),
    });
    const taken = await mock.send(`/api/customers/${other.json.id}`, {
      method: 'PATCH',
      ...json({ email: 'twice@example.com' }, key),
    });
    expect(taken.status).toBe(409);
  });

  it('frees an email when a PATCH changes it or the customer is deleted; a customer may keep its own email', async () => {
    const create = (email: string) =>
      mock.send('/api/customers', { method: 'POST', ...json({ first_name: 'A', last_name: 'B', email }, key) });
    const moving = (await create('moving@example.com')).json;
    expect(
      (
        await mock.send(`/api/customers/${moving.id}`, {
          method: 'PATCH',
          ...json({ email: 'MOVING@example.com' }, key),
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await mock.send(`/api/customers/${moving.id}`, {
          method: 'PATCH',
          ...json({ email: 'moved@example.com' }, key),
        })
      ).status,
    ).toBe(200);
    expect((await create('moving@example.com')).status).toBe(201);
    expect((await create('Moved@Example.com')).status).toBe(409);

    const leaving = (await create('leaving@example.com')).json;
    expect((await mock.send(`/api/customers/${leaving.id}`, { method: 'DELETE', headers: key })).status).toBe(204);
    expect((await create('leaving@example.com')).status).toBe(201);
  });

  it('serves the seeded example customer to the default account only; accounts never see each other', async () => {
    const seeded = await mock.send(`/api/customers/${SEED_ID}`, { headers: key });
    expect(seeded.status).toBe(200);
    expect(seeded.json.email).toBe('john.doe@example.com');

    const acme = await mintKey('acme');
    expect((await mock.send(`/api/customers/${SEED_ID}`, { headers: acme })).status).toBe(404);
    const mine = await mock.send('/api/customers', {
      method: 'POST',
      ...json({ first_name: 'A', last_name: 'B', email: 'john.doe@example.com' }, acme),
    });
    expect(mine.status).toBe(201); // the email is only taken in the default account
    expect(mine.json.seller_id).not.toBe('660e8400-e29b-41d4-a716-446655440001');
    expect((await mock.send(`/api/customers/${mine.json.id}`, { headers: key })).status).toBe(404);
    expect((await mock.send(`/api/customers/${mine.json.id}`, { method: 'DELETE', headers: key })).status).toBe(404);
    const sameAccount = await mintKey('acme');
    expect((await mock.send(`/api/customers/${mine.json.id}`, { headers: sameAccount })).json.seller_id).toBe(
      mine.json.seller_id,
    );
    expect((await mock.send(`/api/customers/${mine.json.id}`, { headers: await mintKey() })).status).toBe(404);
  });

  it('POST /__mock/reset restores the seed and forgets created customers and accounts', async () => {
    const created = await mock.send('/api/customers', {
      method: 'POST',
      ...json({ first_name: 'A', last_name: 'B', email: 'reset@example.com' }, key),
    });
    expect((await mock.send(`/api/customers/${SEED_ID}`, { method: 'DELETE', headers: key })).status).toBe(204);
    expect((await mock.send('/__mock/reset', { method: 'POST' })).status).toBe(204);
    expect((await mock.send(`/api/customers/${created.json.id}`, { headers: key })).status).toBe(404);
    expect((await mock.send(`/api/customers/${SEED_ID}`, { headers: key })).status).toBe(200);
  });

  it('a Prefer header still picks a documented example', async () => {
    const preferred = await mock.send('/api/customers/00000000-0000-4000-8000-000000000000', {
      headers: { ...key, prefer: 'code=200' },
    });
    expect(preferred.status).toBe(200);
    expect(preferred.json.id).toBe(SEED_ID);
  });
});

describe('MVO stateless (stateful: false)', () => {
  const stateless = useHandledMock('mvo', { stateful: false });
  it('answers the spec example whatever was sent before', async () => {
    const body = { first_name: 'Z', last_name: 'Y', email: 'z@example.com' };
    const first = await stateless.send('/api/customers', { method: 'POST', ...json(body, key) });
    const second = await stateless.send('/api/customers', { method: 'POST', ...json(body, key) });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.json.id).toBe(SEED_ID);
    expect((await stateless.send('/api/customers/00000000-0000-4000-8000-000000000000', { headers: key })).status).toBe(
      200,
    );
  });
});
