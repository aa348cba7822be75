/**
 * The request journal (`GET`/`DELETE /__mock/requests`): what a test or a developer asks "which requests did
 * my app make?". Against the Node server and the MSW handlers, which must list the same entries.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fixtureKey, FIXTURE_KEYS } from '../../mock-server/src/index.ts';
import { json, useMock, useNodeAndMsw } from '../helpers/mock.ts';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const admin = fixtureKey('tvm', 'key_tvm_admin');
const auth = (key: string) => ({ authorization: `Bearer ${key}` });

describe('GET /__mock/requests (Node)', () => {
  const mock = useMock('tvm', { now: () => NOW });

  it('lists API requests newest first, with operation, status, key id and masked prefix, never the whole key', async () => {
    await mock.send('/__mock/requests', { method: 'DELETE' });
    await mock.send('/v1/shop', { headers: auth(admin) });
    await mock.send('/v1/offers?status=active&limit=5', { headers: auth(fixtureKey('tvm', 'key_tvm_readonly')) });
    await mock.send('/v1/offers', {
      method: 'POST',
      ...json({ title: 'x' }, auth(fixtureKey('tvm', 'key_tvm_readonly'))),
    });
    await mock.send('/v1/nope', { headers: auth(admin) });
    await mock.send('/__mock/keys'); // the control API is not recorded
    const journal = await mock.send('/__mock/requests');
    expect(journal.status).toBe(200);
    expect(journal.json).toMatchObject({ capacity: 1000, recorded: 4 });
    expect(
      journal.json.requests.map(({ headers: _headers, ...entry }: any) => ({
        ...entry,
        duration_ms: typeof entry.duration_ms,
      })),
    ).toEqual([
      {
        time: NOW.toISOString(),
        method: 'GET',
        path: '/v1/nope',
        query: '',
        operation: null,
        status: 404,
        duration_ms: 'number',
        key_id: null,
        key_prefix: null,
        fault: null,
        body: null,
        body_truncated: false,
      },
      {
        time: NOW.toISOString(),
        method: 'POST',
        path: '/v1/offers',
        query: '',
        operation: 'createOffer',
        status: 403,
        duration_ms: 'number',
        key_id: 'key_tvm_readonly',
        key_prefix: 'tvm_p9c3…',
        fault: null,
        body: '{"title":"x"}',
        body_truncated: false,
      },
      {
        time: NOW.toISOString(),
        method: 'GET',
        path: '/v1/offers',
        query: 'status=active&limit=5',
        operation: 'listOffers',
        status: 200,
        duration_ms: 'number',
        key_id: 'key_tvm_readonly',
        key_prefix: 'tvm_p9c3…',
        fault: null,
        body: null,
        body_truncated: false,
      },
      {
        time: NOW.toISOString(),
        method: 'GET',
        path: '/v1/shop',
        query: '',
        operation: 'getShop',
        status: 200,
        duration_ms: 'number',
        key_id: 'key_tvm_admin',
        key_prefix: 'tvm_xrbw…',
        fault: null,
        body: null,
        body_truncated: false,
      },
    ]);
    for (const seed of FIXTURE_KEYS.tvm) expect(journal.text).not.toContain(seed.key);
  });

  it('records a presented unknown key by its masked prefix only', async () => {
    const unknown = `tvm_${'zz'.repeat(16)}`;
    await mock.send('/v1/shop', { headers: auth(unknown) });
    const [latest] = (await mock.send('/__mock/requests?limit=1')).json.requests;
    expect(latest).toMatchObject({ status: 401, key_id: null, key_prefix: 'tvm_zzzz…' });
    expect(JSON.stringify(latest)).not.toContain(unknown);
  });

  it('filters by path pattern, method, status or class, and key id; DELETE clears it', async () => {
    await mock.send('/__mock/requests', { method: 'DELETE' });
    await mock.send('/v1/offers', { headers: auth(admin) });
    await mock.send('/v1/offers', { method: 'POST', ...json({ title: 'Filtered' }, auth(admin)) });
    await mock.send('/v1/shop');
    const paths = async (query: string) =>
      (await mock.send(`/__mock/requests?${query}`)).json.requests.map(
        (entry: any) => `${entry.method} ${entry.path} ${entry.status}`,
      );
    expect(await paths('path=/v1/offers*')).toEqual(['POST /v1/offers 201', 'GET /v1/offers 200']);
    expect(await paths('method=post')).toEqual(['POST /v1/offers 201']);
    expect(await paths('status=4xx')).toEqual(['GET /v1/shop 401']);
    expect(await paths('status=200')).toEqual(['GET /v1/offers 200']);
    expect(await paths('key_id=key_tvm_admin&limit=1')).toEqual(['POST /v1/offers 201']);
    expect((await mock.send('/__mock/requests', { method: 'DELETE' })).status).toBe(204);
    expect((await mock.send('/__mock/requests')).json).toEqual({
      capacity: 1000,
      recorded: 0,
      matched: 0,
      requests: [],
    });
  });

  /** Sends a GET /v1/shop with these header lines over a bare socket and returns its journal entry. */
  async function journalled(lines: string[]) {
    const { port } = new URL(mock.server.url);
    const head = ['GET /v1/shop HTTP/1.1', `Host: 127.0.0.1:${port}`, ...lines, 'Connection: close'];
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(`${head.join('\r\n')}\r\n\r\n`));
      socket
        .on('error', reject)
        .on('close', () => resolve())
        .resume();
    });
    const [entry] = (await mock.send('/__mock/requests?limit=1')).json.requests;
    expect(entry.path).toBe('/v1/shop');
    return entry;
  }

  it('joins a header sent on several lines (as Fetch does) and lists headers by name, whatever order they came in', async () => {
    const entry = await journalled([
      'X-Trace: one',
      `Authorization: Bearer ${admin}`,
      'Accept: application/json',
      'x-trace: two',
    ]);
    expect(entry.headers['x-trace']).toBe('one, two');
    expect(Object.keys(entry.headers)).toEqual(['accept', 'authorization', 'connection', 'host', 'x-trace']);
    expect(entry.headers.authorization).toMatch(/^Bearer tvm_[a-z0-9]{4}…$/);
  });

  it('joins repeated headers the same way in a request of many header lines', async () => {
    const many = Array.from({ length: 30 }, (_, i) => `X-Extra-${String(i).padStart(2, '0')}: ${i}`);
    const entry = await journalled([
      'X-Trace: one',
      ...many.slice(0, 15),
      `Authorization: Bearer ${admin}`,
      'X-TRACE: two',
      ...many.slice(15),
      'x-trace: three',
    ]);
    expect(entry.headers['x-trace']).toBe('one, two, three');
    expect(entry.headers['x-extra-29']).toBe('29');
    expect(Object.keys(entry.headers)).toHaveLength(30 + 4);
    expect(entry.headers.authorization).toMatch(/^Bearer tvm_[a-z0-9]{4}…$/);
  });

  it('keeps the body (keys masked) and the headers (credentials masked whole), and says when the body was cut', async () => {
    await mock.send('/__mock/requests', { method: 'DELETE' });
    const leaked = fixtureKey('tvm', 'key_tvm_readonly');
    await mock.send('/v1/offers', {
      method: 'POST',
      ...json(
        { title: `Key ${leaked} in a title` },
        { ...auth(admin), cookie: 'session=abcdef123456', 'x-trace': leaked },
      ),
    });
    const long = 'x'.repeat(70_000);
    await mock.send('/v1/offers', { method: 'POST', ...json({ title: long }, auth(admin)) });
    const journal = await mock.send('/__mock/requests');
    const [cut, sent] = journal.json.requests;
    expect(sent.body).toBe(`{"title":"Key ${leaked.slice(0, 8)}… in a title"}`);
    expect(sent.headers).toMatchObject({
      authorization: 'Bearer tvm_xrbw…',
      cookie: 'sess…',
      'x-trace': `${leaked.slice(0, 8)}…`,
      'content-type': 'application/json',
    });
    expect([cut.body.length, cut.body_truncated]).toEqual([65_536, true]);
    for (const seed of FIXTURE_KEYS.tvm) expect(journal.text).not.toContain(seed.key);
    expect(journal.text).not.toContain('abcdef123456');
  });

  it('filters by operation, query pairs and body, and counts the matches (`matched`, before `limit`)', async () => {
    await mock.send('/__mock/requests', { method: 'DELETE' });
    await mock.send('/v1/offers?status=active&limit=5', { headers: auth(admin) });
    await mock.send('/v1/offers', { method: 'POST', ...json({ title: 'Red mug' }, auth(admin)) });
    await mock.send('/v1/offers', { method: 'POST', ...json({ title: 'Blue mug' }, auth(admin)) });
    await mock.send('/v1/offers', { method: 'POST', ...json({ title: 'Blue mug' }, auth(admin)) });
    const list = async (query: string) => (await mock.send(`/__mock/requests?${query}`)).json;
    expect((await list('operation=listOffers')).requests.map((entry: any) => entry.query)).toEqual([
      'status=active&limit=5',
    ]);
    expect((await list(`query=${encodeURIComponent('status=active')}`)).matched).toBe(1);
    expect((await list(`query=${encodeURIComponent('status=draft')}`)).matched).toBe(0);
    expect((await list(`operation=createOffer&body=${encodeURIComponent('{"title":"Red mug"}')}`)).matched).toBe(1);
    const blue = await list(`body=${encodeURIComponent('{"title":"Blue mug"}')}&limit=1`);
    expect([blue.matched, blue.requests.length, blue.recorded]).toEqual([2, 1, 4]);
    expect((await list('body=mug')).matched).toBe(3);
  });

  it('POST /__mock/reset clears the journal; ?journal=keep keeps it', async () => {
    await mock.send('/v1/shop', { headers: auth(admin) });
    expect((await mock.send('/__mock/reset?journal=keep', { method: 'POST' })).status).toBe(204);
    expect((await mock.send('/__mock/requests')).json.recorded).toBeGreaterThan(0);
    expect((await mock.send('/__mock/reset', { method: 'POST' })).status).toBe(204);
    expect((await mock.send('/__mock/requests')).json).toEqual({
      capacity: 1000,
      recorded: 0,
      matched: 0,
      requests: [],
    });
    const refused = await mock.send('/__mock/reset?journal=forget', { method: 'POST' });
    expect([refused.status, refused.json.error.message]).toEqual([
      400,
      'querystring/journal must be equal to one of the allowed values',
    ]);
  });

  it.each([
    ['status=abc', 'querystring/status must match pattern "^([1-5][0-9][0-9]|[1-5]xx)$"'],
    ['limit=0', 'querystring/limit must be >= 1'],
    ['limit=1001', 'querystring/limit must be <= 1000'],
    ['method=FETCH', 'querystring/method must be equal to one of the allowed values'],
    ['path=v1', 'querystring/path must match pattern "^/"'],
    [
      'colour=red',
      'querystring has unknown parameter colour; known: path, method, status, key_id, operation, query, body, limit',
    ],
  ])('refuses the filter %s with 400, saying why', async (query, message) => {
    const answer = await mock.send(`/__mock/requests?${query}`);
    expect([answer.status, answer.json]).toEqual([
      400,
      { success: false, error: { code: 'VALIDATION_ERROR', message } },
    ]);
  });
});

describe('the journal is bounded', () => {
  const mock = useMock('mvo', { journalSize: 3 });

  it('keeps the last N requests and counts the dropped ones', async () => {
    for (let i = 1; i <= 5; i++) await mock.send(`/api/customers/${i}`);
    const journal = (await mock.send('/__mock/requests')).json;
    expect([journal.capacity, journal.recorded]).toEqual([3, 5]);
    expect(journal.requests.map((entry: any) => entry.path)).toEqual([
      '/api/customers/5',
      '/api/customers/4',
      '/api/customers/3',
    ]);
  });
});

describe('MSW: the same journal, on the mock object and through the control API', () => {
  const BASE = 'http://tvm.journal.test';
  const realFetch = globalThis.fetch;
  const pair = useNodeAndMsw('tvm', BASE, () => NOW);
  const { msw } = pair;

  it('answers GET /__mock/requests as the Node server does, and requests() gives the same list', async () => {
    const steps: [string, RequestInit][] = [
      ['/v1/shop', { headers: auth(admin) }],
      ['/v1/offers?page=2', { headers: auth(fixtureKey('tvm', 'key_tvm_offers')) }],
      ['/v1/shop', { headers: auth(fixtureKey('tvm', 'key_tvm_disabled')) }],
      ['/v1/vouchers', { method: 'POST', headers: { ...auth(admin), 'content-type': 'application/json' }, body: '{}' }],
    ];
    for (const [path, init] of steps) {
      await realFetch(pair.node.url + path, init);
      await fetch(BASE + path, init);
    }
    // The headers differ by transport (Node sees `host`, `connection`, undici's own): compared below, by name.
    const withoutDuration = (entries: any[]) =>
      entries.map(({ duration_ms: _ms, headers: _headers, ...entry }) => entry);
    const viaNode = await (await realFetch(`${pair.node.url}/__mock/requests`)).json();
    const viaMsw = await (await fetch(`${BASE}/__mock/requests`)).json();
    expect(withoutDuration(viaMsw.requests)).toEqual(withoutDuration(viaNode.requests));
    expect(viaMsw.requests.map((entry: any) => [entry.status, entry.key_id])).toEqual([
      [400, 'key_tvm_admin'],
      [403, 'key_tvm_disabled'],
      [200, 'key_tvm_offers'],
      [200, 'key_tvm_admin'],
    ]);
    expect(withoutDuration(await msw.requests())).toEqual(withoutDuration(viaMsw.requests));
    expect(withoutDuration(await msw.requests({ status: '4xx' }))).toEqual(
      withoutDuration(viaMsw.requests.slice(0, 2)),
    );
    for (const [i, entry] of viaMsw.requests.entries()) {
      expect(entry.headers.authorization).toBe(viaNode.requests[i].headers.authorization);
      expect(entry.headers.authorization).toMatch(/^Bearer tvm_[a-z0-9]{4}…$/);
    }
    expect(viaMsw.requests[0]).toMatchObject({ body: '{}', headers: { 'content-type': 'application/json' } });
  });

  it('the app sent this body once: requests() filters on operation and body, as the control API does', async () => {
    await fetch(`${BASE}/__mock/reset`, { method: 'POST' });
    const headers = { ...auth(admin), 'content-type': 'application/json' };
    await fetch(`${BASE}/v1/offers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: 'Red mug', description: 'A mug' }),
    });
    await fetch(`${BASE}/v1/offers`, { method: 'POST', headers, body: JSON.stringify({ title: 'Blue mug' }) });
    expect(await msw.requests({ operation: 'createOffer', body: { title: 'Red mug' } })).toHaveLength(1);
    expect(await msw.requests({ operation: 'createOffer', body: '{"title":"Blue mug"}' })).toHaveLength(1);
    const viaControl = await (
      await fetch(`${BASE}/__mock/requests?operation=createOffer&body=${encodeURIComponent('{"title":"Red mug"}')}`)
    ).json();
    expect(viaControl.matched).toBe(1);
  });
});
