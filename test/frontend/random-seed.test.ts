/**
 * `--random-seed <n>` / `MOCK_RANDOM_SEED` / the `randomSeed` option (MSW too): ids, slugs and generated data
 * repeat run to run, created items' ids included; another seed gives others. Each run is a fresh mock.
 */
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { startFromCli } from '../../mock-server/src/cli.ts';
import { fixtureKey, startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { createMswMock } from '../../mock-server/src/msw/index.ts';

const realFetch = globalThis.fetch;
const headers = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}`, 'content-type': 'application/json' };

/** What a session makes: two created offers (ids, slugs) and five generated ones (ids, titles, slugs, codes). */
async function session(base: string, fetcher: typeof fetch) {
  const created = [];
  for (const title of ['Summer Sale', 'Summer Sale']) {
    const answer = await fetcher(`${base}/v1/offers`, { method: 'POST', headers, body: JSON.stringify({ title }) });
    const { data } = (await answer.json()) as { data: { id: string; slug: string } };
    created.push([data.id, data.slug]);
  }
  const generated = await fetcher(`${base}/__mock/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ resource: 'vouchers', count: 5 }),
  });
  const { items } = (await generated.json()) as { items: Record<string, unknown>[] };
  return { created, generated: items.map(({ id, title, slug, code }) => ({ id, title, slug, code })) };
}

async function nodeRun(randomSeed?: number) {
  const server = await startMockServer({ api: 'tvm', port: 0, randomSeed });
  try {
    return await session(server.url, realFetch);
  } finally {
    await server.close();
  }
}

describe('--random-seed', () => {
  it('two runs with the same seed make the same ids, slugs and generated data; another seed, others', async () => {
    const first = await nodeRun(42);
    const second = await nodeRun(42);
    const other = await nodeRun(7);
    expect(second).toEqual(first);
    expect(first.created[0][0]).not.toBe(first.created[1][0]);
    expect(other.created[0][0]).not.toBe(first.created[0][0]);
    expect(other.generated.map((item) => item.id)).not.toEqual(first.generated.map((item) => item.id));
    expect(other.generated.map((item) => item.title)).not.toEqual(first.generated.map((item) => item.title));
  });

  it('without a seed, two runs differ', async () => {
    const [a, b] = [await nodeRun(), await nodeRun()];
    expect(a.created[0][0]).not.toBe(b.created[0][0]);
  });

  it('the CLI flag and the MSW option give what the option gives', async () => {
    const expected = await nodeRun(42);
    let servers: MockServer[] = [];
    try {
      servers = await startFromCli(['--api', 'tvm', '--tvm-port', '0', '--quiet', '--random-seed', '42'], {});
      expect(await session(servers[0].url, realFetch)).toEqual(expected);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
    const BASE = 'http://tvm.random-seed.test';
    const msw = setupServer(...createMswMock('tvm', { baseUrl: BASE, randomSeed: 42 }).handlers);
    msw.listen({ onUnhandledRequest: 'error' });
    try {
      expect(await session(BASE, globalThis.fetch)).toEqual(expected);
    } finally {
      msw.close();
    }
  });
});
