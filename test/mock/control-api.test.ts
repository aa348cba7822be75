/** The /__mock control API: the dashboard's key life cycle, for both mocks. */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { json, useMock } from '../helpers/mock.ts';

describe('MVO key management', () => {
  const NOW = new Date('2026-03-01T12:00:00.000Z');
  const mock = useMock('mvo', { now: () => NOW });
  const get = (key: string) => mock.send('/api/customers/550e8400-e29b-41d4-a716-446655440000', { headers: { 'x-api-key': key } });

  it('mints a key shown once, lists it by prefix, records last use, revokes, expires, deletes, resets', async () => {
    const created = await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'Production API Key' }) });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Production API Key', status: 'active', expires_at: null, last_used_at: null });
    expect(created.json.key).toMatch(/^sk_live_[A-Za-z0-9]{48}$/);
    expect(created.json.prefix).toBe(`${created.json.key.slice(0, 12)}…`);
    expect(created.json).not.toHaveProperty('scopes');
    const { id, key } = created.json;

    const listed = await mock.send('/__mock/keys');
    expect(listed.text).not.toContain(key);
    expect(listed.json.keys.find((k: any) => k.id === id)).toMatchObject({ prefix: created.json.prefix, last_used_at: null });

    expect((await get(key)).status).toBe(200);
    const afterUse = (await mock.send('/__mock/keys')).json.keys.find((k: any) => k.id === id);
    expect(afterUse.last_used_at).toBe(NOW.toISOString());

    expect((await mock.send(`/__mock/keys/${id}`, { method: 'PATCH', ...json({ status: 'revoked' }) })).json.status).toBe('revoked');
    expect((await get(key)).json.message).toBe('API key has been revoked');

    await mock.send(`/__mock/keys/${id}`, { method: 'PATCH', ...json({ status: 'active', expires_at: '2020-01-01T00:00:00Z' }) });
    expect((await get(key)).json.message).toBe('API key has expired');

    await mock.send(`/__mock/keys/${id}`, { method: 'PATCH', ...json({ expires_at: null }) });
    expect((await get(key)).status).toBe(200);

    expect((await mock.send(`/__mock/keys/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await get(key)).json.message).toBe('Invalid API key');
    expect((await mock.send(`/__mock/keys/${id}`, { method: 'DELETE' })).status).toBe(404);

    await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'temporary' }) });
    expect((await mock.send('/__mock/reset', { method: 'POST' })).status).toBe(204);
    expect((await mock.send('/__mock/keys')).json.keys.map((k: any) => k.id)).toEqual(['key_mvo_active', 'key_mvo_staging', 'key_mvo_revoked', 'key_mvo_expired']);
  });

  it('a key created with a past expiry is expired at once', async () => {
    const created = await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'old', expires_at: '2024-01-01T00:00:00Z' }) });
    expect((await get(created.json.key)).json.message).toBe('API key has expired');
  });

  it.each([
    ['no name', {}, "body must have required property 'name'"],
    ['a TVM status', { name: 'x', status: 'disabled' }, 'body/status must be one of: active, revoked for My Virtual Office API keys'],
    ['scopes', { name: 'x', scopes: ['offers:read'] }, 'body/scopes must be absent: My Virtual Office API keys have no scopes'],
    ['a bad expiry', { name: 'x', expires_at: 'tomorrow' }, 'body/expires_at must match format "date-time"'],
  ])('refuses a key with %s, saying why', async (_label, body, message) => {
    const answer = await mock.send('/__mock/keys', { method: 'POST', ...json(body) });
    expect([answer.status, answer.json]).toEqual([400, { error: 'Bad Request', message }]);
  });

  it('answers unknown ids and routes with 404, in MVO\'s envelope and wording', async () => {
    expect((await mock.send('/__mock/keys/nope', { method: 'PATCH', ...json({ status: 'revoked' }) })).json).toEqual({ error: 'Not Found', message: 'Key not found' });
    const unknown = await mock.send('/__mock/nothing');
    expect([unknown.status, unknown.json]).toEqual([404, { error: 'Not Found', message: 'Route GET:/__mock/nothing not found' }]);
    expect((await mock.send('/__mock/review', { method: 'POST', ...json({ id: 'offer_abc123', decision: 'approve' }) })).json).toEqual({ error: 'Not Found', message: 'My Virtual Office API has no reviewable items' });
  });
});

describe('TVM key management', () => {
  const mock = useMock('tvm');
  const shop = (key: string) => mock.send('/v1/shop', { headers: { authorization: `Bearer ${key}` } });

  it('mints keys with chosen scopes (admin by default), disables and re-enables them', async () => {
    const admin = await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'Production API' }) });
    expect(admin.json).toMatchObject({ scopes: ['*'], status: 'active' });
    expect(admin.json.key).toMatch(/^tvm_[a-z0-9]{32}$/);
    expect((await shop(admin.json.key)).status).toBe(200);

    const offers = await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'offers', scopes: ['offers:write'] }) });
    expect((await shop(offers.json.key)).json.error.message).toBe('Missing required scope: shops:read');

    await mock.send(`/__mock/keys/${admin.json.id}`, { method: 'PATCH', ...json({ status: 'disabled' }) });
    expect((await shop(admin.json.key)).json.error).toEqual({ code: 'FORBIDDEN', message: 'API key is disabled' });
    await mock.send(`/__mock/keys/${admin.json.id}`, { method: 'PATCH', ...json({ status: 'active' }) });
    expect((await shop(admin.json.key)).status).toBe(200);
  });

  it.each([
    ['an unknown scope', { name: 'x', scopes: ['offers:delete'] }, 'body/scopes has unknown scope offers:delete'],
    ['an MVO status', { name: 'x', status: 'revoked' }, 'body/status must be one of: active, disabled for The Virtual Mall API keys'],
  ])('refuses a key with %s, in TVM\'s envelope', async (_label, body, message) => {
    const answer = await mock.send('/__mock/keys', { method: 'POST', ...json(body) });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
    expect(answer.json.error.message).toContain(message);
  });

  it.each([
    ['a body that is not JSON', '/__mock/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' }, 400, { code: 'VALIDATION_ERROR', message: "Body is not valid JSON but content-type is set to 'application/json'" }],
    ['a missing name', '/__mock/keys', { method: 'POST', ...json({}) }, 400, { code: 'VALIDATION_ERROR', message: "body must have required property 'name'" }],
    ['an unknown key', '/__mock/keys/nope', { method: 'DELETE' }, 404, { code: 'NOT_FOUND', message: 'Key not found' }],
    ['an unknown item', '/__mock/items/offer_nope/review', { method: 'POST', ...json({ decision: 'approve' }) }, 404, { code: 'NOT_FOUND', message: 'Item not found' }],
    ['an unknown control route', '/__mock/nothing', {}, 404, { code: 'NOT_FOUND', message: 'Resource not found' }],
    ['an unknown control method', '/__mock/reset', { method: 'GET' }, 404, { code: 'NOT_FOUND', message: 'Resource not found' }],
  ] as const)('answers %s in TVM\'s envelope and wording, never MVO\'s', async (_label, path, init, status, error) => {
    const answer = await mock.send(path, init as RequestInit);
    expect([answer.status, answer.json]).toEqual([status, { success: false, error }]);
  });

  it('lists fixture keys by prefix only', async () => {
    const listed = await mock.send('/__mock/keys');
    expect(listed.text).not.toContain(fixtureKey('tvm', 'key_tvm_admin'));
    expect(listed.json.keys.find((k: any) => k.id === 'key_tvm_admin').prefix).toBe(`${fixtureKey('tvm', 'key_tvm_admin').slice(0, 8)}…`);
  });
});

describe.each([
  ['mvo', 'key_mvo_expired', 'key_mvo_revoked', 'revoked'],
  ['tvm', 'key_tvm_expired', 'key_tvm_disabled', 'disabled'],
] as const)('%s: GET /__mock/keys shows the state a key authenticates in, by the mock’s clock', (api, expiredFixture, offFixture, off) => {
  let now = new Date('2026-03-01T12:00:00.000Z');
  const mock = useMock(api, { now: () => now });
  const listed = async (id: string) => ((await mock.send('/__mock/keys')).json.keys as any[]).find((k) => k.id === id);

  it('a fixture whose expires_at has passed is listed expired; revoked or disabled ones as such', async () => {
    expect(await listed(expiredFixture)).toMatchObject({ status: 'expired', expires_at: expect.any(String) });
    expect((await listed(offFixture)).status).toBe(off);
  });

  it('a minted key turns expired when the clock passes its expires_at, and active again when the expiry moves', async () => {
    const created = await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'short-lived', expires_at: '2026-03-01T13:00:00.000Z' }) });
    expect(created.json.status).toBe('active');
    expect((await listed(created.json.id)).status).toBe('active');
    now = new Date('2026-03-01T13:00:00.000Z');
    expect((await listed(created.json.id)).status).toBe('expired');
    const moved = await mock.send(`/__mock/keys/${created.json.id}`, { method: 'PATCH', ...json({ expires_at: '2026-04-01T00:00:00.000Z' }) });
    expect(moved.json.status).toBe('active');
    const past = await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'born expired', expires_at: '2026-01-01T00:00:00.000Z' }) });
    expect(past.json.status).toBe('expired');
    const offAndExpired = await mock.send(`/__mock/keys/${past.json.id}`, { method: 'PATCH', ...json({ status: off }) });
    expect(offAndExpired.json.status).toBe(off); // authentication answers revoked / disabled before expired
  });
});
