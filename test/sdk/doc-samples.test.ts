/**
 * The docs' TypeScript samples (`x-codeSamples`, derived by scripts/code-samples.ts) run as written against the
 * Node mocks: the SDK import points at the source, and the environment alone (the key and the base-URL variable)
 * sends the client to the mock. Creates run first, deletes last, on the seeded account the examples name.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { facts as mvoFacts } from '../../sdk/src/mvo/generated/facts.ts';
import { facts as tvmFacts } from '../../sdk/src/tvm/generated/facts.ts';
import { mintKey } from './helpers.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const TMP = join(ROOT, '.tmp', `doc-samples-${process.pid}`);
const RUN_ORDER: Record<string, number> = { post: 0, get: 1, put: 1, patch: 1, delete: 2 };
const FACTS = { mvo: mvoFacts, tvm: tvmFacts };

function samples(api: 'mvo' | 'tvm') {
  const doc = parse(readFileSync(join(ROOT, `openapi/generated/${api}.yaml`), 'utf8'));
  return Object.values<any>(doc.paths)
    .flatMap((item) => Object.entries<any>(item).filter(([, op]) => op?.operationId).map(([method, op]) => ({ method, op })))
    .sort((a, b) => RUN_ORDER[a.method]! - RUN_ORDER[b.method]!)
    .map(({ op }) => [op.operationId as string, op['x-codeSamples'].find((sample: any) => sample.lang === 'TypeScript').source as string] as const);
}

describe.each(['mvo', 'tvm'] as const)('%s: the docs’ TypeScript samples, run against the mock', (api) => {
  let server: MockServer;
  let n = 0;
  beforeAll(async () => {
    server = await startMockServer({ api, port: 0, log: () => {} });
    vi.stubEnv(FACTS[api].envVar, await mintKey(server.url, api === 'tvm' ? { scopes: ['*'] } : {}));
    vi.stubEnv(FACTS[api].baseUrlEnvVar, server.url);
    mkdirSync(TMP, { recursive: true });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server?.close();
    rmSync(TMP, { recursive: true, force: true });
  });

  it.each(samples(api))('%s', async (_operationId, source) => {
    const file = join(TMP, `${api}-${n++}.ts`);
    writeFileSync(file, source.replace(`'virtual-commerce-sdk/${api}'`, `'${ROOT}sdk/src/${api}/index.ts'`));
    const logged: unknown[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((value: unknown) => void logged.push(value));
    try {
      await import(pathToFileURL(file).href);
    } finally {
      spy.mockRestore();
    }
    expect(logged).toHaveLength(1);
  });
});
