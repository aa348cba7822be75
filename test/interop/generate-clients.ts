/**
 * Generates a client for each bundled description (`openapi/generated/*.yaml`) with three generators
 * other teams use: @hey-api/openapi-ts, orval and kubb, each as its documentation sets it up for a
 * fetch client. The interop suite type-checks the output under `strict` and runs it against the mocks.
 * Run alone: `npx tsx test/interop/generate-clients.ts [outDir]` (default `.tmp/interop`).
 */
import { rm } from 'node:fs/promises';
import { createClient } from '@hey-api/openapi-ts';
import { safeBuild } from '@kubb/core';
import { pluginClient } from '@kubb/plugin-client';
import { pluginOas } from '@kubb/plugin-oas';
import { pluginTs } from '@kubb/plugin-ts';

const ROOT = new URL('../..', import.meta.url).pathname;
export const APIS = ['mvo', 'tvm', 'mock'] as const;
export const GENERATORS = ['hey-api', 'orval', 'kubb'] as const;
export type Generator = (typeof GENERATORS)[number];

const spec = (api: string) => `${ROOT}openapi/generated/${api}.yaml`;

const generators: Record<Generator, (api: string, out: string) => Promise<void>> = {
  'hey-api': async (api, out) => {
    await createClient({ input: spec(api), output: out, plugins: ['@hey-api/client-fetch'], logs: { level: 'silent' } });
  },
  // `getBaseUrlFromSpecification` makes orval read each path's `servers` (MVO's two hosts).
  orval: async (api, out) => {
    const { generate } = await quietOrval;
    await generate({ input: { target: spec(api) }, output: { target: `${out}/client.ts`, client: 'fetch', mode: 'single', baseUrl: { getBaseUrlFromSpecification: true } } });
  },
  kubb: async (api, out) => {
    const { error, failedPlugins } = await safeBuild({
      config: { root: ROOT, input: { path: spec(api) }, output: { path: out, clean: true, format: false, lint: false }, plugins: [pluginOas({ generators: [] }), pluginTs(), pluginClient({ client: 'fetch' })] },
    });
    const failure = error ?? [...failedPlugins][0]?.error;
    if (failure) throw failure;
  },
};

/** orval prints a line per success through a `console.log` it captures when loaded: load it with a silent one. */
const quietOrval = (async () => {
  const log = console.log;
  console.log = () => {};
  try {
    return await import('orval');
  } finally {
    console.log = log;
  }
})();

/** Writes `<outDir>/<generator>/<api>/…` for every generator and API; throws if any generator fails. */
export async function generateClients(outDir = `${ROOT}.tmp/interop`): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await Promise.all(GENERATORS.flatMap((generator) => APIS.map((api) => generators[generator](api, `${outDir}/${generator}/${api}`))));
}

if (import.meta.url === `file://${process.argv[1]}`) await generateClients(process.argv[2]);
