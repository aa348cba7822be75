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
  [mvoServer, tvmServer] = await Promise.all([startMockServer({ api: 'mvo', port: 0 }), startMockServer({ api: 'tvm', port: 0 })]);
  process.env[mvoFacts.envVar] = MVO_KEY;
  process.env[tvmFacts.envVar] = TVM_KEY;
  mkdirSync(TMP, { recursive: true });
});
afterAll(async () => {
  await Promise.all([mvoServer?.close(), tvmServer?.close()]);
  for (const [name, value] of [[mvoFacts.envVar, saved.mvo], [tvmFacts.envVar, saved.tvm]] as const) {
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
    .replace(/http:\/\/127\.0\.0\.1:(4010|4011)(?!\d)/g, (_url, port: string) => (port === '4010' ? mvoServer.url : tvmServer.url));
  const file = join(TMP, `block-${index}-${runs++}.ts`);
  writeFileSync(file, source);
  const lines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(`${method === 'log' ? '' : `${method.toUpperCase()} `}${format(...args)}`)),
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

  it.each(blocks.map((block, index) => [index, block.split('\n').find((line) => line.trim() && !line.startsWith('import'))] as const))(
    'block %i runs (%s)',
    async (index) => {
      const lines = await run(index);
      expect(lines.filter((line) => line.startsWith('ERROR'))).toEqual([]);
    },
  );

  it('the MVO quick start creates John Doe on api. and reads him on app-api., with X-API-Key', async () => {
    const before = stub.seen.length;
    const lines = await run(blockIndex("mvo.POST('/api/customers'"));
    const seen = stub.seen.slice(before);
    expect(seen.map((r) => `${r.method} ${new URL(r.url).host}`)).toEqual(['POST api.my-virtual-office.com', 'GET app-api.my-virtual-office.com']);
    expect(JSON.parse(seen[0].body!)).toEqual({ first_name: 'John', last_name: 'Doe', email: 'john@example.com' });
    expect(seen[0].headers.get('x-api-key')).toBe(MVO_KEY);
    expect(lines[0]).toContain('active');
  });

  it('the TVM quick start gets /v1/shop with a Bearer key', async () => {
    const before = stub.seen.length;
    const lines = await run(blockIndex("tvm.GET('/v1/shop')"));
    const seen = stub.seen.slice(before);
    expect(seen[0].url).toBe('https://api.thevirtualmall.co.uk/v1/shop');
    expect(seen[0].headers.get('authorization')).toBe(`Bearer ${TVM_KEY}`);
    expect(lines).toContain('Example Store req_abc123');
    expect(lines).toContain('needs_review');
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
      const created = await fetch(`${tvmServer.url}/v1/offers`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: `Offer ${n}` }) });
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
    expect(lines.slice(0, 3).map((line) => line.replace(/^offer_\S+ /, ''))).toEqual(expect.arrayContaining(['Offer 1', 'Offer 2', 'Offer 3']));
    expect(lines.slice(3)).toEqual(['page 1 of 2: 2 offers', 'page 2 of 2: 1 offers']);
  });

  it('the exceptions block, on the mock, catches a NotFoundError', async () => {
    const { lines } = await runOnFreshShop('unwrap(tvm.GET', 0);
    expect(lines).toEqual(['no such offer: Resource not found']);
  });

  it('the per-call options block, on the mock, answers 200', async () => {
    const { lines } = await runOnFreshShop('maxRetries: 0, timeoutMs: 2_000', 0);
    expect(lines).toEqual(['200']);
  });

  it('the logging block, on the mock, logs one info line per answer, query values and key left out', async () => {
    const { lines, apiKey } = await runOnFreshShop("logLevel: 'info'", 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^INFO virtual-commerce-sdk: GET ${tvmServer.url}/v1/offers\\?status=… 200 in \\d+ ms \\(attempt 1 of 3\\)$`));
    expect(lines.join('\n')).not.toContain(apiKey.slice(8));
  });

  it('console.log(client) in the options block shows a masked key', async () => {
    const lines = await run(blockIndex('authHeader:'));
    expect(lines.join('\n')).toContain(`${MVO_KEY.slice(0, mvoFacts.keyPrefix.length + 4)}…`);
    expect(lines.join('\n')).not.toContain(MVO_KEY);
  });
});
