/** The /__mock control API: the dashboard's key life cycle, for both mocks. */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { json, useHandledMock } from '../helpers/mock.ts';

describe('MVO key management', () => {
  const NOW = new Date('2026-03-01T12:00:00.000Z');
  const mock = useHandledMock('mvo', { now: () => NOW });
  const get = (key: string) =>
    mock.send('/api/customers/550e8400-e29b-41d4-a716-446655440000', { headers: { 'x-api-key': key } });

  it('mints a key shown once, lists it by prefix, records last use, revokes, expires, deletes, resets', async () => {
    const created = await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'Production API Key' }) });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'Production API Key',
      status: 'active',
      expires_at: null,
      last_used_at: null,
    });
    expect(created.json.key).toMatch(/^sk_live_[A-Za-z0-9]{48}$/);
    expect(created.json.prefix).toBe(`${created.json.key.slice(0, 12)}…`);
    expect(created.json).not.toHaveProperty('scopes');
    const { id, key } = created.json;

    const listed = await mock.send('/__mock/keys');
    expect(listed.text).not.toContain(key);
    expect(listed.json.keys.find((k: any) => k.id === id)).toMatchObject({
      prefix: created.json.prefix,
      last_used_at: null,
    });

    expect((await get(key)).status).toBe(200);
    const afterUse = (await mock.send('/__mock/keys')).json.keys.find((k: any) => k.id === id);
    expect(afterUse.last_used_at).toBe(NOW.toISOString());

    expect(
      (await mock.send(`/__mock/keys/${id}`, { method: 'PATCH', ...json({ status: 'revoked' }) })).json.status,
    ).toBe('revoked');
    expect((await get(key)).json.message).toBe('API key has been revoked');

    await mock.send(`/__mock/keys/${id}`, {
      method: 'PATCH',
      ...json({ status: 'active', expires_at: '2020-01-01T00:00:00Z' }),
    });
    expect((await get(key)).json.message).toBe('API key has expired');

    await mock.send(`/__mock/keys/${id}`, { method: 'PATCH', ...json({ expires_at: null }) });
    expect((await get(key)).status).toBe(200);

    expect((await mock.send(`/__mock/keys/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await get(key)).json.message).toBe('Invalid API key');
    expect((await mock.send(`/__mock/keys/${id}`, { method: 'DELETE' })).status).toBe(404);

    await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'temporary' }) });
    expect((await mock.send('/__mock/reset', { method: 'POST' })).status).toBe(204);
    expect((await mock.send('/__mock/keys')).json.keys.map((k: any) => k.id)).toEqual([
      'key_mvo_active',
      'key_mvo_staging',
      'key_mvo_revoked',
      'key_mvo_expired',
    ]);
  });

  it('a key created with a past expiry is expired at once', async () => {
    const created = await mock.send('/__mock/keys', {
      method: 'POST',
      ...json({ name: 'old', expires_at: '2024-01-01T00:00:00Z' }),
    });
    expect((await get(created.json.key)).json.message).toBe('API key has expired');
  });

  it.each([
    ['no name', {}, "body must have required property 'name'"],
    ['a TVM status', { name: 'x', status: 'disabled' }, 'body/status must be one of: active, revoked'],
    [
      'scopes',
      { name: 'x', scopes: ['offers:read'] },
      "body has an unknown field 'scopes'; known: name, expires_at, status, account, rate_limit",
    ],
    ['a bad expiry', { name: 'x', expires_at: 'tomorrow' }, 'body/expires_at must match format "date-time"'],
  ])('refuses a key with %s, saying why', async (_label, body, message) => {
    const answer = await mock.send('/__mock/keys', { method: 'POST', ...json(body) });
    expect([answer.status, answer.json]).toEqual([400, { error: 'Bad Request', message }]);
  });

  it("answers unknown ids and routes with 404, in MVO's envelope and wording", async () => {
    expect((await mock.send('/__mock/keys/nope', { method: 'PATCH', ...json({ status: 'revoked' }) })).json).toEqual({
      error: 'Not Found',
      message: 'Key not found',
    });
    const unknown = await mock.send('/__mock/nothing');
    expect([unknown.status, unknown.json]).toEqual([
      404,
      { error: 'Not Found', message: 'Route GET:/__mock/nothing not found' },
    ]);
    expect(
      (await mock.send('/__mock/review', { method: 'POST', ...json({ id: 'offer_abc123', decision: 'approve' }) }))
        .json,
    ).toEqual({ error: 'Not Found', message: 'My Virtual Office API has no reviewable items' });
  });
});

describe('TVM key management', () => {
  const mock = useHandledMock('tvm');
  const shop = (key: string) => mock.send('/v1/shop', { headers: { authorization: `Bearer ${key}` } });

  it('mints keys with chosen scopes (admin by default), disables and re-enables them', async () => {
    const admin = await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'Production API' }) });
    expect(admin.json).toMatchObject({ scopes: ['*'], status: 'active' });
    expect(admin.json.key).toMatch(/^tvm_[a-z0-9]{32}$/);
    expect((await shop(admin.json.key)).status).toBe(200);

    const offers = await mock.send('/__mock/keys', {
      method: 'POST',
      ...json({ name: 'offers', scopes: ['offers:write'] }),
    });
    expect((await shop(offers.json.key)).json.error.message).toBe('Missing required scope: shops:read');

    await mock.send(`/__mock/keys/${admin.json.id}`, { method: 'PATCH', ...json({ status: 'disabled' }) });
    expect((await shop(admin.json.key)).json.error).toEqual({ code: 'FORBIDDEN', message: 'API key is disabled' });
    await mock.send(`/__mock/keys/${admin.json.id}`, { method: 'PATCH', ...json({ status: 'active' }) });
    expect((await shop(admin.json.key)).status).toBe(200);
  });

  it.each([
    [
      'an unknown scope',
      { name: 'x', scopes: ['offers:delete'] },
      'body/scopes/0 must be one of: shops:read, shops:write, offers:read, offers:write, vouchers:read, vouchers:write, content:read, content:write, *',
    ],
    ['an MVO status', { name: 'x', status: 'revoked' }, 'body/status must be one of: active, disabled'],
  ])("refuses a key with %s, in TVM's envelope", async (_label, body, message) => {
    const answer = await mock.send('/__mock/keys', { method: 'POST', ...json(body) });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
    expect(answer.json.error.message).toContain(message);
  });

  it.each([
    [
      'a body that is not JSON',
      '/__mock/keys',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' },
      400,
      { code: 'VALIDATION_ERROR', message: "Body is not valid JSON but content-type is set to 'application/json'" },
    ],
    [
      'a missing name',
      '/__mock/keys',
      { method: 'POST', ...json({}) },
      400,
      { code: 'VALIDATION_ERROR', message: "body must have required property 'name'" },
    ],
    ['an unknown key', '/__mock/keys/nope', { method: 'DELETE' }, 404, { code: 'NOT_FOUND', message: 'Key not found' }],
    [
      'an unknown item',
      '/__mock/items/offer_nope/review',
      { method: 'POST', ...json({ decision: 'approve' }) },
      404,
      { code: 'NOT_FOUND', message: 'Item not found' },
    ],
    ['an unknown control route', '/__mock/nothing', {}, 404, { code: 'NOT_FOUND', message: 'Resource not found' }],
    [
      'an unknown control method',
      '/__mock/reset',
      { method: 'GET' },
      404,
      { code: 'NOT_FOUND', message: 'Resource not found' },
    ],
  ] as const)("answers %s in TVM's envelope and wording, never MVO's", async (_label, path, init, status, error) => {
    const answer = await mock.send(path, init as RequestInit);
    expect([answer.status, answer.json]).toEqual([status, { success: false, error }]);
  });

  it('lists fixture keys by prefix only', async () => {
    const listed = await mock.send('/__mock/keys');
    expect(listed.text).not.toContain(fixtureKey('tvm', 'key_tvm_admin'));
    expect(listed.json.keys.find((k: any) => k.id === 'key_tvm_admin').prefix).toBe(
      `${fixtureKey('tvm', 'key_tvm_admin').slice(0, 8)}…`,
    );
  });
});

describe.each([
  ['mvo', 'key_mvo_expired', 'key_mvo_revoked', 'revoked'],
  ['tvm', 'key_tvm_expired', 'key_tvm_disabled', 'disabled'],
] as const)(
  '%s: GET /__mock/keys shows the state a key authenticates in, by the mock’s clock',
  (api, expiredFixture, offFixture, off) => {
    let now = new Date('2026-03-01T12:00:00.000Z');
    const mock = useHandledMock(api, { now: () => now });
    const listed = async (id: string) =>
      ((await mock.send('/__mock/keys')).json.keys as any[]).find((k) => k.id === id);

    it('a fixture whose expires_at has passed is listed expired; revoked or disabled ones as such', async () => {
      expect(await listed(expiredFixture)).toMatchObject({ status: 'expired', expires_at: expect.any(String) });
      expect((await listed(offFixture)).status).toBe(off);
    });

    it('a minted key turns expired when the clock passes its expires_at, and active again when the expiry moves', async () => {
      const created = await mock.send('/__mock/keys', {
        method: 'POST',
        ...json({ name: 'short-lived', expires_at: '2026-03-01T13:00:00.000Z' }),
      });
      expect(created.json.status).toBe('active');
      expect((await listed(created.json.id)).status).toBe('active');
      now = new Date('2026-03-01T13:00:00.000Z');
      expect((await listed(created.json.id)).status).toBe('expired');
      const moved = await mock.send(`/__mock/keys/${created.json.id}`, {
        method: 'PATCH',
        ...json({ expires_at: '2026-04-01T00:00:00.000Z' }),
      });
      expect(moved.json.status).toBe('active');
      const past = await mock.send('/__mock/keys', {
        method: 'POST',
        ...json({ name: 'born expired', expires_at: '2026-01-01T00:00:00.000Z' }),
      });
      expect(past.json.status).toBe('expired');
      const offAndExpired = await mock.send(`/__mock/keys/${past.json.id}`, {
        method: 'PATCH',
        ...json({ status: off }),
      });
      expect(offAndExpired.json.status).toBe(off); // authentication answers revoked / disabled before expired
    });
  },
);

/**
 * openapi/mock/ is exactly what each mock enforces: every body below is sent through `send`, whose
 * conformance check fails the test when the mock answers 400 to a body its API's branch of the schema takes,
 * or anything but 400 to one it refuses; the table says which outcome each mock gives.
 */
describe.each(['mvo', 'tvm'] as const)('openapi/mock/ is exactly what the %s mock enforces', (api) => {
  const mock = useHandledMock(api);
  const fixture = api === 'mvo' ? 'key_mvo_staging' : 'key_tvm_shop';
  type Row = [label: string, method: string, path: string, body: unknown, expected: { mvo: number; tvm: number }];
  const both = (status: number) => ({ mvo: status, tvm: status });
  const rows: Row[] = [
    ['a key with a name', 'POST', '/__mock/keys', { name: 'x' }, both(201)],
    [
      'a key with a known scope',
      'POST',
      '/__mock/keys',
      { name: 'x', scopes: ['offers:read'] },
      { mvo: 400, tvm: 201 },
    ],
    ['a key with an unknown scope', 'POST', '/__mock/keys', { name: 'x', scopes: ['offers:delete'] }, both(400)],
    ['a revoked key', 'POST', '/__mock/keys', { name: 'x', status: 'revoked' }, { mvo: 201, tvm: 400 }],
    ['a disabled key', 'POST', '/__mock/keys', { name: 'x', status: 'disabled' }, { mvo: 400, tvm: 201 }],
    ['a key created expired by status', 'POST', '/__mock/keys', { name: 'x', status: 'expired' }, both(400)],
    [
      'a key with a misspelt field',
      'POST',
      '/__mock/keys',
      { name: 'x', expiresAt: '2030-01-01T00:00:00Z' },
      both(400),
    ],
    ['a key with an empty name', 'POST', '/__mock/keys', { name: '' }, both(400)],
    ['no change to a key', 'PATCH', `/__mock/keys/${fixture}`, {}, both(400)],
    ['an expiry change', 'PATCH', `/__mock/keys/${fixture}`, { expires_at: null }, both(200)],
    ['a revocation', 'PATCH', `/__mock/keys/${fixture}`, { status: 'revoked' }, { mvo: 200, tvm: 400 }],
    ['an unknown field on a key', 'PATCH', `/__mock/keys/${fixture}`, { label: 'x' }, both(400)],
    [
      'a review decision',
      'POST',
      '/__mock/review',
      { id: 'offer_abc123', decision: 'approve' },
      { mvo: 404, tvm: 200 },
    ],
    [
      'a review status',
      'POST',
      '/__mock/review',
      { id: 'offer_abc123', status: 'needs_review' },
      { mvo: 404, tvm: 200 },
    ],
    [
      'a review with both a decision and a status',
      'POST',
      '/__mock/review',
      { id: 'offer_abc123', decision: 'approve', status: 'active' },
      both(400),
    ],
    ['a review with neither', 'POST', '/__mock/review', { id: 'offer_abc123' }, both(400)],
    ['a review of no id', 'POST', '/__mock/review', { decision: 'approve' }, both(400)],
    ['an empty review by path', 'POST', '/__mock/items/offer_abc123/review', {}, both(400)],
    ['a decision by path', 'POST', '/__mock/items/offer_abc123/review', { decision: 'reject' }, { mvo: 404, tvm: 200 }],
    [
      'an id in the body of a review by path',
      'POST',
      '/__mock/items/offer_abc123/review',
      { id: 'offer_abc123', decision: 'reject' },
      both(400),
    ],
    ['a documented status to force', 'POST', '/__mock/scenarios', { status: 503 }, both(201)],
    ['a status only MVO documents', 'POST', '/__mock/scenarios', { status: 409 }, { mvo: 201, tvm: 400 }],
    ['a status no operation documents', 'POST', '/__mock/scenarios', { status: 418 }, both(400)],
    ['a success status to force', 'POST', '/__mock/scenarios', { status: 200 }, both(400)],
  ];

  it.each(rows)('%s: %s %s', async (_label, method, path, body, expected) => {
    const answer = await mock.send(path, { method, ...json(body) });
    expect(answer.status, answer.text).toBe(expected[api]);
    await mock.send('/__mock/reset', { method: 'POST' });
  });

  it('says what is allowed when it refuses', async () => {
    const scope = await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'x', status: 'expired' }) });
    expect(scope.text).toContain(
      api === 'mvo' ? 'body/status must be one of: active, revoked' : 'body/status must be one of: active, disabled',
    );
    const teapot = await mock.send('/__mock/scenarios', { method: 'POST', ...json({ status: 418 }) });
    expect(teapot.text).toContain(
      `body/status must be one of: 400, 401, 403, 404, ${api === 'mvo' ? '409, ' : ''}413, 429, 500, 503`,
    );
    const review = await mock.send('/__mock/items/offer_abc123/review', { method: 'POST', ...json({}) });
    expect(review.text).toContain('body must have exactly one of: {decision}, {status} (and no other field)');
  });
});
