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
import { MVO_KEY, TVM_KEY } from './helpers.ts';
import { stub } from './readme-shim/stub.ts';
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
    .replaceAll('http://127.0.0.1:4010', mvoServer.url)
    .replaceAll('http://127.0.0.1:4011', tvmServer.url);
  const file = join(TMP, `block-${index}-${runs++}.ts`);
  writeFileSync(file, source);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(`ERROR ${format(...args)}`));
  try {
    await import(pathToFileURL(file).href);
  } finally {
    log.mockRestore();
    error.mockRestore();
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

  it('console.log(client) in the options block shows a masked key', async () => {
    const lines = await run(blockIndex('authHeader:'));
    expect(lines.join('\n')).toContain(`${MVO_KEY.slice(0, mvoFacts.keyPrefix.length + 4)}…`);
    expect(lines.join('\n')).not.toContain(MVO_KEY);
  });
});
