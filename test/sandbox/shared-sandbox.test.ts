/**
 * A shared sandbox (`--store redis://…`): two replicas of the mock (two CLI processes) on one redis-server,
 * every request routed to the next replica in turn, must behave as one API: keys, data, e-mail and id
 * uniqueness, review decisions, rate counters, scenarios, the journal, reset, state documents and generated
 * data. Then the failures: a replica killed with SIGKILL under load loses nothing it acknowledged and a
 * restarted one sees everything; Redis killed under load answers 503 in the API's envelope and the replicas
 * recover by themselves when it is back; a seed is loaded once, by the first replica.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliOptions } from '../../mock-server/src/cli-options.ts';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { startRedis, type RedisProcess } from '../helpers/redis.ts';
import { killReplicas, roundRobin, startReplica, type Replica } from '../helpers/sandbox.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
/** An admin key of the sandbox with room for every request of a test (the fixture admin key allows 60 a minute). */
const ADMIN = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
let TVM = ADMIN;
const MVO = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') };
const offer = (title: string) => ({
  title,
  description: 'Shared',
  landingUrl: 'https://example.com/sale',
  discountType: 'percentage',
  discountValue: 10,
  expiresAt: '2030-01-01T00:00:00Z',
});

let redis: RedisProcess;
/** One command through redis-cli (what the test inspects of Redis directly). */
const redisCommand = (args: string[]) =>
  execFileSync('redis-cli', ['-p', String(redis.port), ...args], { encoding: 'utf8' }).trim();
let replicas: Replica[] = [];
let prefix = 0;
/** Each test its own sandbox on the one Redis (`--store-prefix`): nothing leaks between tests. */
const startSandbox = async (count = 2, extra: string[] = []) => {
  const args = ['--store', redis.url, '--store-prefix', `test${++prefix}`, ...extra];
  replicas = await Promise.all(Array.from({ length: count }, () => startReplica(args)));
  const minted = await tvm(
    '/__mock/keys',
    { method: 'POST', body: { name: 'Test load', rate_limit: { per_minute: 1_000_000, per_day: 1_000_000 } } },
    0,
  );
  TVM = { authorization: `Bearer ${minted.json.key}` };
  return args;
};
const tvm = roundRobin(() => replicas, 'tvm');
const mvo = roundRobin(() => replicas, 'mvo');
/** A state document without what differs by replica on purpose: when it was exported, each key's last use. */
const sharedPart = ({ exported_at: _at, keys, ...document }: any) => ({
  ...document,
  keys: keys.map(({ last_used_at: _used, ...key }: any) => key),
});

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  killReplicas();
  await redis?.stop();
});

describe('two replicas on one Redis', () => {
  afterAll(killReplicas);
  beforeAll(() => startSandbox());

  it('share keys: minted on one, used and revoked through the other', async () => {
    const minted = await tvm('/__mock/keys', { method: 'POST', body: { name: 'Shared', account: 'acme' } }, 0);
    expect(minted.status).toBe(201);
    const auth = { authorization: `Bearer ${minted.json.key}` };
    expect((await tvm('/v1/shop', { headers: auth }, 1)).status).toBe(200);
    expect(
      (await tvm(`/__mock/keys/${minted.json.id}`, { method: 'PATCH', body: { status: 'disabled' } }, 1)).status,
    ).toBe(200);
    expect((await tvm('/v1/shop', { headers: auth }, 0)).status).toBe(403);
    expect((await tvm('/__mock/keys', {}, 0)).json.keys.map((key: { id: string }) => key.id)).toContain(minted.json.id);
  });

  it('never hold a whole key in Redis: what it writes to disk has digests and masked prefixes only', async () => {
    const minted = (await tvm('/__mock/keys', { method: 'POST', body: { name: 'Secret', account: 'hush' } }, 1)).json;
    await tvm('/v1/shop', { headers: { authorization: `Bearer ${minted.key}` } }, 0);
    await expect
      .poll(async () => (await tvm(`/__mock/requests?key_id=${minted.id}`, {}, 0)).json.requests.length)
      .toBe(1);
    const written = readdirSync(`${redis.dir}/appendonlydir`)
      .map((file) => readFileSync(`${redis.dir}/appendonlydir/${file}`, 'latin1'))
      .join('');
    expect(written).toContain(minted.id);
    expect(written).not.toContain(minted.key);
    expect(written).not.toContain(minted.key.slice(4));
  });

  it('share data: what one replica creates, updates and deletes, the other shows at once', async () => {
    const created = await tvm('/v1/offers', { method: 'POST', headers: TVM, body: offer('Seen everywhere') }, 0);
    expect(created.status).toBe(201);
    const id = created.json.data.id;
    expect((await tvm(`/v1/offers/${id}`, { headers: TVM }, 1)).json.data.title).toBe('Seen everywhere');
    expect((await tvm(`/v1/offers/${id}`, { method: 'PUT', headers: TVM, body: { title: 'Renamed' } }, 1)).status).toBe(
      200,
    );
    expect((await tvm(`/v1/offers/${id}`, { headers: TVM }, 0)).json.data.title).toBe('Renamed');
    expect((await tvm(`/v1/offers/${id}`, { method: 'DELETE', headers: TVM }, 0)).status).toBe(200);
    expect((await tvm(`/v1/offers/${id}`, { headers: TVM }, 1)).status).toBe(404);
  });

  it('keep an e-mail unique across replicas: the same customer sent to both at once is created once', async () => {
    const body = { first_name: 'Ada', last_name: 'Lovelace', email: 'race@example.com' };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => mvo('/api/customers', { method: 'POST', headers: MVO, body })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(new Set(answers.map((answer) => answer.replica))).toEqual(new Set([0, 1]));
  });

  it('lose no create made concurrently on both, and give each its own id', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        tvm('/v1/offers', { method: 'POST', headers: TVM, body: offer(`Concurrent ${i}`) }),
      ),
    );
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    const ids = answers.map((answer) => answer.json.data.id);
    expect(new Set(ids).size).toBe(40);
    for (const replica of [0, 1]) {
      const listed = (await tvm('/__mock/state', {}, replica)).json.accounts.default.offers.map(
        (item: { id: string }) => item.id,
      );
      expect(listed).toEqual(expect.arrayContaining(ids));
    }
  });

  it('make a new account once when both replicas see it first at the same moment', async () => {
    const minted = (
      await tvm(
        '/__mock/keys',
        {
          method: 'POST',
          body: { name: 'Race', account: 'first-look', rate_limit: { per_minute: 1000, per_day: 1000 } },
        },
        0,
      )
    ).json;
    const auth = { authorization: `Bearer ${minted.key}` };
    const answers = await Promise.all(Array.from({ length: 12 }, () => tvm('/v1/shop', { headers: auth })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    expect(new Set(answers.map((answer) => answer.json.data.id)).size).toBe(1);
    const state = (await tvm('/__mock/state', {}, 1)).json;
    expect(state.accounts['first-look'].shop.id).toBe(answers[0].json.data.id);
  });

  it('share review decisions', async () => {
    const id = (await tvm('/v1/offers', { method: 'POST', headers: TVM, body: offer('Reviewed') }, 0)).json.data.id;
    expect((await tvm('/__mock/review', { method: 'POST', body: { id, decision: 'approve' } }, 1)).status).toBe(200);
    expect((await tvm(`/v1/offers/${id}`, { headers: TVM }, 0)).json.data.status).toBe('active');
  });

  it('count a key’s requests on every replica against one limit', async () => {
    const minted = (
      await tvm('/__mock/keys', {
        method: 'POST',
        body: { name: 'Limited', rate_limit: { per_minute: 5, per_day: 100 } },
      })
    ).json;
    const auth = { authorization: `Bearer ${minted.key}` };
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await tvm('/v1/shop', { headers: auth }));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(answers.slice(0, 5).map((answer) => answer.headers.get('x-ratelimit-remaining'))).toEqual([
      '4',
      '3',
      '2',
      '1',
      '0',
    ]);
  });

  it('serve a scenario with count N exactly N times across replicas, and list it the same on both', async () => {
    const created = await tvm(
      '/__mock/scenarios',
      { method: 'POST', body: { status: 503, count: 3, path: '/v1/vouchers' } },
      0,
    );
    expect(created.status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 12 }, () => tvm('/v1/vouchers', { headers: TVM })));
    expect(answers.filter((answer) => answer.status === 503)).toHaveLength(3);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(9);
    for (const replica of [0, 1]) {
      expect((await tvm('/__mock/scenarios', {}, replica)).json.scenarios).toEqual([
        expect.objectContaining({ id: created.json.id, served: 3, remaining: 0 }),
      ]);
    }
    expect((await tvm('/__mock/scenarios', { method: 'DELETE' }, 1)).status).toBe(204);
    expect((await tvm('/v1/vouchers', { headers: TVM }, 0)).status).toBe(200);
  });

  it('keep one journal: the requests both replicas answered, on either', async () => {
    const minted = (await tvm('/__mock/keys', { method: 'POST', body: { name: 'Journaled' } })).json;
    await tvm('/v1/shop', { headers: { authorization: `Bearer ${minted.key}` } }, 0);
    await tvm('/v1/offers', { headers: { authorization: `Bearer ${minted.key}` } }, 1);
    // Recording is fire and forget: the entries arrive shortly after the answers.
    for (const replica of [0, 1]) {
      await expect
        .poll(async () =>
          (await tvm(`/__mock/requests?key_id=${minted.id}`, {}, replica)).json.requests.map(
            (entry: { path: string }) => entry.path,
          ),
        )
        .toEqual(['/v1/offers', '/v1/shop']);
    }
    expect(JSON.stringify((await tvm('/__mock/requests', {}, 0)).json)).not.toContain(minted.key);
  });

  it('export the same document from both, import it through one and reset through the other', async () => {
    const exported = (await tvm('/__mock/state', {}, 0)).json;
    expect(sharedPart((await tvm('/__mock/state', {}, 1)).json)).toEqual(sharedPart(exported));
    const offers = exported.accounts.default.offers;
    exported.accounts.default.offers = [{ ...offers[0], id: 'offer_imported1' }];
    expect((await tvm('/__mock/state', { method: 'PUT', body: exported }, 0)).status).toBe(204);
    expect((await tvm('/v1/offers/offer_imported1', { headers: TVM }, 1)).status).toBe(200);
    const generated = await tvm(
      '/__mock/generate',
      { method: 'POST', body: { resource: 'offers', count: 5, seed: 7 } },
      1,
    );
    expect(generated.status).toBe(201);
    for (const item of generated.json.items)
      expect((await tvm(`/v1/offers/${item.id}`, { headers: TVM }, 0)).status).toBe(200);

    const limited = (
      await tvm('/__mock/keys', {
        method: 'POST',
        body: { name: 'Reset me', rate_limit: { per_minute: 1, per_day: 10 } },
      })
    ).json;
    await tvm('/v1/shop', { headers: { authorization: `Bearer ${limited.key}` } }, 0);
    await tvm('/__mock/scenarios', { method: 'POST', body: { status: 500 } }, 0);
    // A fixture shop key (30 a minute) used up through both replicas: the reset starts its counters again.
    const readonly = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_readonly')}` };
    await tvm('/__mock/scenarios', { method: 'DELETE' }, 0);
    for (let i = 0; i < 30; i++) await tvm('/v1/shop', { headers: readonly });
    expect((await tvm('/v1/shop', { headers: readonly })).status).toBe(429);
    await tvm('/__mock/scenarios', { method: 'POST', body: { status: 500 } }, 0);
    expect((await tvm('/__mock/reset', { method: 'POST' }, 1)).status).toBe(204);
    expect((await tvm('/v1/shop', { headers: readonly }, 0)).headers.get('x-ratelimit-remaining')).toBe('29');
    expect((await tvm('/v1/offers/offer_imported1', { headers: ADMIN }, 0)).status).toBe(404);
    expect((await tvm('/__mock/keys', {}, 0)).json.keys.map((key: { id: string }) => key.id)).not.toContain(limited.id);
    expect((await tvm('/__mock/scenarios', {}, 0)).json.scenarios).toEqual([]);
    expect((await tvm('/v1/shop', { headers: ADMIN }, 0)).status).toBe(200);
    TVM = ADMIN; // the minted key went with the reset
  });

  it('compact the log into a snapshot; a replica whose position was trimmed away reloads it and misses nothing', async () => {
    const idle = (await tvm('/v1/offers', { method: 'POST', headers: TVM, body: offer('Before compaction') }, 1)).json
      .data.id;
    // Over 8 MiB of log (1,000 generated offers a commit, about 0.7 MiB) makes the next commit write a snapshot and trim the log.
    const made: string[] = [];
    for (let i = 0; i < 13; i++)
      made.push(
        ...(
          await tvm('/__mock/generate', { method: 'POST', body: { resource: 'offers', count: 1000 } }, 0)
        ).json.items.map((item: { id: string }) => item.id),
      );
    const last = (await tvm('/v1/offers', { method: 'POST', headers: TVM, body: offer('After compaction') }, 0)).json
      .data.id;
    // Trimmed: fewer entries than this test's 14 commits, the snapshot holding the rest, past where replica 1 stood.
    expect(Number(redisCommand(['XLEN', `test${prefix}:tvm:log`]))).toBeLessThan(14);
    expect(Number(redisCommand(['HGET', `test${prefix}:tvm:snapshot`, 'pos']))).toBeGreaterThan(0);
    const listed = (await tvm('/__mock/state', {}, 1)).json.accounts.default.offers.map(
      (item: { id: string }) => item.id,
    );
    expect(listed).toEqual(expect.arrayContaining([idle, ...made, last]));
  });

  it('notice a Redis that lost everything (started empty) and serve what it holds: the initial state', async () => {
    const id = (await tvm('/v1/offers', { method: 'POST', headers: TVM, body: offer('Forgotten') }, 0)).json.data.id;
    expect((await tvm(`/v1/offers/${id}`, { headers: TVM }, 1)).status).toBe(200);
    redisCommand(['FLUSHALL']);
    for (const replica of [0, 1]) expect((await tvm(`/v1/offers/${id}`, { headers: ADMIN }, replica)).status).toBe(404);
    const again = (await tvm('/v1/offers', { method: 'POST', headers: ADMIN, body: offer('Afresh') }, 1)).json.data.id;
    expect((await tvm(`/v1/offers/${again}`, { headers: ADMIN }, 0)).status).toBe(200);
    TVM = ADMIN; // the minted key went with the data
  });

  it('keep sandboxes with another prefix apart on the same Redis', async () => {
    const id = (await tvm('/v1/offers', { method: 'POST', headers: TVM, body: offer('Mine only') }, 0)).json.data.id;
    const other = await startReplica(['--store', redis.url, '--store-prefix', 'elsewhere']);
    const read = await fetch(`${other.urls.tvm}/v1/offers/${id}`, { headers: TVM });
    expect(read.status).toBe(404);
    other.child.kill('SIGKILL');
  });
});

describe('failures', () => {
  afterAll(killReplicas);

  it('lose nothing acknowledged when a replica is killed with SIGKILL mid-load; a restarted one sees everything', async () => {
    const args = await startSandbox();
    const acknowledged: string[] = [];
    let stop = false;
    const load = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const answer = await tvm(
            '/v1/offers',
            { method: 'POST', headers: TVM, body: offer(`Load ${lane}.${i}`) },
            (lane + i) % 2,
          );
          if (answer.status === 201) acknowledged.push(answer.json.data.id);
        } catch {
          // the killed replica's connection: not acknowledged
        }
        if (lane === 0 && i === 20) replicas[1].child.kill('SIGKILL');
        if (i > 60) stop = true;
      }
    };
    await Promise.all([0, 1, 2, 3].map(load));
    expect((await replicas[1].exited).signal).toBe('SIGKILL');
    replicas = [replicas[0], await startReplica(args)];
    for (const replica of [0, 1]) {
      const listed = (await tvm('/__mock/state', {}, replica)).json.accounts.default.offers.map(
        (item: { id: string }) => item.id,
      );
      expect(listed).toEqual(expect.arrayContaining(acknowledged));
    }
    expect(acknowledged.length).toBeGreaterThan(40);
  });

  it('answer 503 in the API’s envelope while Redis is down, say why on the control API, and recover by themselves', async () => {
    await startSandbox();
    const before = (await tvm('/v1/offers', { method: 'POST', headers: TVM, body: offer('Before the outage') }, 0)).json
      .data.id;
    await redis.kill();
    const write = await tvm('/v1/offers', { method: 'POST', headers: TVM, body: offer('During the outage') }, 1);
    expect(write.status).toBe(503);
    expect(write.json).toEqual({
      success: false,
      error: { code: expect.any(String), message: expect.stringContaining('Redis at 127.0.0.1') },
    });
    const read = await mvo('/api/customers/550e8400-e29b-41d4-a716-446655440000', { headers: MVO }, 0);
    expect(read.status).toBe(503);
    expect(read.json).toEqual({ error: 'Service Unavailable', message: expect.stringContaining('unreachable') });
    const control = await tvm('/__mock/keys', {}, 0);
    expect([control.status, control.json.error.message]).toEqual([
      503,
      expect.stringContaining(`Redis at 127.0.0.1:${redis.port} is unreachable`),
    ]);
    await redis.start();
    // Each replica reconnects by itself (within a second of Redis being back) and then serves what was there.
    for (const replica of [0, 1])
      await expect
        .poll(
          async () => (await tvm(`/v1/offers/${before}`, { headers: TVM }, replica)).status,
          { timeout: 120_000 } /* a hang guard: reconnecting waits on the replica, not on a budget */,
        )
        .toBe(200);
    expect((await tvm('/v1/offers', { method: 'POST', headers: TVM, body: offer('After') }, 0)).status).toBe(201);
    expect((await tvm('/v1/offers', { method: 'POST', headers: TVM, body: offer('After') }, 1)).status).toBe(201);
  });

  it('keep every acknowledged write when Redis is killed and restarted under load', async () => {
    await startSandbox();
    const acknowledged: string[] = [];
    const statuses = new Set<number>();
    let phase: 'before' | 'down' | 'after' = 'before';
    let afterOutage = 0;
    const load = async (lane: number) => {
      for (let i = 0; afterOutage < 20; i++) {
        const answer = await tvm('/v1/offers', { method: 'POST', headers: TVM, body: offer(`Outage ${lane}.${i}`) });
        statuses.add(answer.status);
        if (answer.status === 201) {
          acknowledged.push(answer.json.data.id);
          if (phase === 'after') afterOutage++;
        } else expect(answer.status).toBe(503);
        if (lane === 0 && i === 15 && phase === 'before') {
          phase = 'down';
          await redis.kill();
          await redis.start();
          phase = 'after';
        }
      }
    };
    await Promise.all([0, 1, 2].map(load));
    expect([...statuses].sort()).toEqual([201, 503]); // the outage was seen, and answered 503 only
    for (const replica of [0, 1]) {
      const listed = (await tvm('/__mock/state', {}, replica)).json.accounts.default.offers.map(
        (item: { id: string }) => item.id,
      );
      expect(listed).toEqual(expect.arrayContaining(acknowledged));
    }
  });
});

describe('--seed with --store', () => {
  let work: string | undefined;
  afterAll(async () => {
    await killReplicas();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('is loaded once, by the first replica: a replica started later does not seed again over the data', async () => {
    work = mkdtempSync(`${ROOT}.tmp/sandbox-seed-`);
    const seed = `${work}/seed.json`;
    writeFileSync(
      seed,
      JSON.stringify({ api: 'tvm', keys: [{ id: 'key_dev', name: 'Dev', key: `tvm_${'seeded'.padEnd(32, '5')}` }] }),
    );
    const args = await startSandbox(2, ['--seed', seed]);
    const dev = { authorization: `Bearer tvm_${'seeded'.padEnd(32, '5')}` };
    expect((await tvm('/v1/shop', { headers: dev }, 0)).status).toBe(200);
    expect((await tvm('/v1/shop', { headers: dev }, 1)).status).toBe(200);
    const minted = (await tvm('/__mock/keys', { method: 'POST', body: { name: 'After the seed' } }, 0)).json;
    const before = (await tvm('/__mock/keys', {}, 0)).json.keys.map((key: { id: string }) => key.id);
    expect(before).toEqual(['key_dev', expect.any(String), minted.id]); // the seed's, the test's load key, this one
    replicas.push(await startReplica(args));
    expect((await tvm('/__mock/keys', {}, 2)).json.keys.map((key: { id: string }) => key.id)).toEqual(before);
    // A reset still goes back to the seed, for every replica.
    expect((await tvm('/__mock/reset', { method: 'POST' }, 2)).status).toBe(204);
    expect((await tvm('/__mock/keys', {}, 0)).json.keys.map((key: { id: string }) => key.id)).toEqual(['key_dev']);
  });
});

describe('mock-server/README.md, section "A shared sandbox on Redis"', () => {
  const readme = readFileSync(`${ROOT}mock-server/README.md`, 'utf8');
  const section = readme.slice(
    readme.indexOf('## A shared sandbox on Redis'),
    readme.indexOf('\n## ', readme.indexOf('## A shared sandbox on Redis') + 3),
  );
  const commands = [...section.matchAll(/^npx virtual-commerce-mock (.*)$/gm)].map((match) =>
    match[1].replaceAll('"$SANDBOX_TOKEN"', 'a-long-enough-sandbox-token'),
  );

  it('starts its replicas with options the CLI takes', () => {
    expect(commands).toHaveLength(2);
    for (const command of commands)
      expect(parseCliOptions(command.split(' '), {})).toMatchObject({
        store: 'redis://127.0.0.1:6379',
        storePrefix: 'partners',
      });
  });
});
