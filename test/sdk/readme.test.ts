/**
 * Every ```ts block of sdk/README.md runs: imports of `virtual-commerce-sdk/*` point at the source (through
 * readme-shim/, which gives clients without `baseUrl` a stub fetch instead of the real hosts), and the mock URLs
 * point at mock servers started here. (The packed-tarball test type-checks the same blocks with tsc --strict.)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { facts as mvoFacts } from '../../sdk/src/mvo/generated/facts.ts';
import { facts as tvmFacts } from '../../sdk/src/tvm/generated/facts.ts';
import { MVO_KEY, TVM_KEY, mintKey } from './helpers.ts';
import { mockTarget, stub } from './readme-shim/stub.ts';
import { readmeBlocks } from './readme-blocks.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SHIM = new URL('./readme-shim/', import.meta.url).pathname;
const TMP = join(ROOT, '.tmp', `sdk-readme-${process.pid}`);

const blocks = readmeBlocks();
let mvoServer: MockServer;
let tvmServer: MockServer;
const saved = { mvo: process.env[mvoFacts.envVar], tvm: process.env[tvmFacts.envVar] };

beforeAll(async () => {
  [mvoServer, tvmServer] = await Promise.all([
    startMockServer({ api: 'mvo', port: 0 }),
    startMockServer({ api: 'tvm', port: 0 }),
  ]);
  process.env[mvoFacts.envVar] = MVO_KEY;
  process.env[tvmFacts.envVar] = TVM_KEY;
  mkdirSync(TMP, { recursive: true });
});
afterAll(async () => {
  await Promise.all([mvoServer?.close(), tvmServer?.close()]);
  for (const [name, value] of [
    [mvoFacts.envVar, saved.mvo],
    [tvmFacts.envVar, saved.tvm],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(TMP, { recursive: true, force: true });
});

let runs = 0;

/** Runs block `index` afresh (a new file each time: modules are cached) and returns what it logged. */
async function run(index: number): Promise<string[]> {
  const source = blocks[index]
    .replaceAll("'virtual-commerce-sdk/mvo'", `'${SHIM}mvo.ts'`)
    .replaceAll("'virtual-commerce-sdk/tvm'", `'${SHIM}tvm.ts'`)
    // One pass over both documented ports: a second pass could rewrite the first one's result (a random port 40113).
    .replace(/http:\/\/127\.0\.0\.1:(4010|4011)(?!\d)/g, (_url, port: string) =>
      port === '4010' ? mvoServer.url : tvmServer.url,
    );
  const file = join(TMP, `block-${index}-${runs++}.ts`);
  writeFileSync(file, source);
  const lines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error'] as const).map((method) =>
    vi
      .spyOn(console, method)
      .mockImplementation(
        (...args: unknown[]) =>
          void lines.push(`${method === 'log' ? '' : `${method.toUpperCase()} `}${format(...args)}`),
      ),
  );
  try {
    await import(pathToFileURL(file).href);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines;
}

const blockIndex = (needle: string) => {
  const index = blocks.findIndex((block) => block.includes(needle));
  expect(index, `a README block containing ${needle}`).toBeGreaterThanOrEqual(0);
  return index;
};

describe('sdk/README.md', () => {
  it('has the expected ts blocks', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(7);
  });

  it.each(
    blocks.map(
      (block, index) => [index, block.split('\n').find((line) => line.trim() && !line.startsWith('import'))] as const,
    ),
  )('block %i runs (%s)', async (index) => {
    const lines = await run(index);
    expect(lines.filter((line) => line.startsWith('ERROR'))).toEqual([]);
  });

  /** Runs a block as written, its clients configured by the environment only: keys minted on the mocks and the base-URL variables. */
  async function runOnMocksByEnv(needle: string): Promise<string[]> {
    const names = [mvoFacts.envVar, tvmFacts.envVar, mvoFacts.baseUrlEnvVar, tvmFacts.baseUrlEnvVar];
    const before = Object.fromEntries(names.map((name) => [name, process.env[name]]));
    process.env[mvoFacts.envVar] = await mintKey(mvoServer.url, { account: `readme-env-${runs}` }); // a seller of its own: john@example.com is free
    process.env[tvmFacts.envVar] = await mintKey(tvmServer.url, { scopes: ['*'] });
    process.env[mvoFacts.baseUrlEnvVar] = mvoServer.url;
    process.env[tvmFacts.baseUrlEnvVar] = tvmServer.url;
    const stubbed = stub.seen.length;
    try {
      return await run(blockIndex(needle));
    } finally {
      for (const name of names) {
        if (before[name] === undefined) delete process.env[name];
        else process.env[name] = before[name];
      }
      expect(stub.seen.length, 'nothing went to the stub').toBe(stubbed);
    }
  }

  it('the MVO quick start runs as written against the mock (VIRTUAL_HUB_BASE_URL): creates, updates and deletes John Doe', async () => {
    for (let n = 0; n < 2; n++) {
      const lines = await runOnMocksByEnv("mvo.customers.create({ first_name: 'John'");
      expect(lines).toEqual([expect.stringMatching(/^[0-9a-f-]{36} active$/), 'en']);
    }
  });

  it('the MVO quick start on the real hosts: create on api., update and delete on app-api., with X-API-Key', async () => {
    const before = stub.seen.length;
    await run(blockIndex("mvo.customers.create({ first_name: 'John'"));
    const seen = stub.seen.slice(before);
    expect(seen.map((r) => `${r.method} ${new URL(r.url).host}`)).toEqual([
      'POST api.my-virtual-office.com',
      'PATCH app-api.my-virtual-office.com',
      'DELETE app-api.my-virtual-office.com',
    ]);
    expect(JSON.parse(seen[0].body!)).toEqual({ first_name: 'John', last_name: 'Doe', email: 'john@example.com' });
    expect(seen[0].headers.get('x-api-key')).toBe(MVO_KEY);
  });

  it('the TVM quick start runs as written against the mock (TVM_BASE_URL): shop, a new offer in review, the list, meta.requestId', async () => {
    const lines = await runOnMocksByEnv('tvm.shop.get();');
    expect(lines[0]).toBe('Example Store');
    expect(lines[1]).toBe('needs_review');
    expect(lines.slice(2, -1).some((line) => line.endsWith(' 20% off everything'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^20% off everything 200 \S+$/);
  });

  it('the TVM quick start on the real host: Bearer key', async () => {
    const before = stub.seen.length;
    await run(blockIndex('tvm.shop.get();'));
    const seen = stub.seen.slice(before);
    expect(seen[0].url).toBe('https://api.thevirtualmall.co.uk/v1/shop');
    expect(seen[0].headers.get('authorization')).toBe(`Bearer ${TVM_KEY}`);
  });

  it('the mock-server block really talks to the mocks: 201 and 200', async () => {
    const before = stub.seen.length;
    const lines = await run(blockIndex('mintKey'));
    expect(lines).toEqual(['201 200']);
    expect(stub.seen.length).toBe(before); // nothing went to the stub
  });

  /** Runs a block with its clients (built without `baseUrl`) on a fresh TVM mock account holding `offers` offers. */
  async function runOnFreshShop(needle: string, offers: number): Promise<{ lines: string[]; apiKey: string }> {
    const apiKey = await mintKey(tvmServer.url, { scopes: ['*'], account: `readme-${runs}` });
    for (let n = 1; n <= offers; n++) {
      const created = await fetch(`${tvmServer.url}/v1/offers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Offer ${n}` }),
      });
      expect(created.status).toBe(201);
    }
    mockTarget.tvm = { baseUrl: tvmServer.url, apiKey };
    try {
      return { lines: await run(blockIndex(needle)), apiKey };
    } finally {
      delete mockTarget.tvm;
    }
  }

  it('the pagination block, on the mock, walks every offer and then every page', async () => {
    const { lines } = await runOnFreshShop('.pages()', 3);
    expect(lines.slice(0, 3).map((line) => line.replace(/^offer_\S+ /, ''))).toEqual(
      expect.arrayContaining(['Offer 1', 'Offer 2', 'Offer 3']),
    );
    expect(lines.slice(3)).toEqual(['page 1 of 2: 2 offers', 'page 2 of 2: 1 offers']);
  });

  it('the exceptions block, on the mock, catches a NotFoundError', async () => {
    const { lines } = await runOnFreshShop("tvm.offers.get('offer_unknown')", 0);
    expect(lines).toEqual(['no such offer: Resource not found']);
  });

  it('the per-call options block, on the mock, answers 200', async () => {
    const { lines } = await runOnFreshShop('maxRetries: 0, timeoutMs: 2_000', 0);
    expect(lines).toEqual(['200']);
  });

  it('the logging block, on the mock, logs one info line per answer, query values and key left out', async () => {
    const { lines, apiKey } = await runOnFreshShop("logLevel: 'info'", 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^INFO virtual-commerce-sdk: GET ${tvmServer.url}/v1/offers\\?status=… 200 in \\d+ ms \\(attempt 1 of 3\\)$`,
      ),
    );
    expect(lines.join('\n')).not.toContain(apiKey.slice(8));
  });

  it('console.log(client) in the options block shows a masked key', async () => {
    const lines = await run(blockIndex('authHeader:'));
    expect(lines.join('\n')).toContain(`${MVO_KEY.slice(0, mvoFacts.keyPrefix.length + 4)}…`);
    expect(lines.join('\n')).not.toContain(MVO_KEY);
  });
});
