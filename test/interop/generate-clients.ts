/**
 * Generates a client for each bundled description (`openapi/generated/*.yaml`) with four generators
 * other teams use: @hey-api/openapi-ts, orval, kubb (each as its documentation sets it up for a fetch client)
 * and openapi-zod-client (a Zodios client with zod schemas). The interop suite type-checks the output under `strict` and runs it against the mocks.
 * Run alone: `npx tsx test/interop/generate-clients.ts [outDir]` (default `.tmp/interop`).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { generateZodClientFromOpenAPI } from 'openapi-zod-client';
import { parse } from 'yaml';
import { createClient } from '@hey-api/openapi-ts';
import { safeBuild } from '@kubb/core';
import { pluginClient } from '@kubb/plugin-client';
import { pluginOas } from '@kubb/plugin-oas';
import { pluginTs } from '@kubb/plugin-ts';

const ROOT = new URL('../..', import.meta.url).pathname;
export const APIS = ['mvo', 'tvm', 'mock'] as const;
export const GENERATORS = ['hey-api', 'orval', 'kubb', 'zod-client'] as const;
export type Generator = (typeof GENERATORS)[number];

const spec = (api: string) => `${ROOT}openapi/generated/${api}.yaml`;

const generators: Record<Generator, (api: string, out: string) => Promise<void>> = {
  'hey-api': async (api, out) => {
    await createClient({
      input: spec(api),
      output: out,
      plugins: ['@hey-api/client-fetch'],
      logs: { level: 'silent' },
    });
  },
  // `getBaseUrlFromSpecification` makes orval read each path's `servers` (MVO's two hosts).
  orval: async (api, out) => {
    const { generate } = await quietOrval;
    await generate({
      input: { target: spec(api) },
      output: {
        target: `${out}/client.ts`,
        client: 'fetch',
        mode: 'single',
        baseUrl: { getBaseUrlFromSpecification: true },
      },
    });
  },
  kubb: async (api, out) => {
    const { error, failedPlugins } = await safeBuild({
      config: {
        root: ROOT,
        input: { path: spec(api) },
        output: { path: out, clean: true, format: false, lint: false },
        plugins: [pluginOas({ generators: [] }), pluginTs(), pluginClient({ client: 'fetch' })],
      },
    });
    const failure = error ?? [...failedPlugins][0]?.error;
    if (failure) throw failure;
  },
  // `--export-schemas`: every named schema as a zod schema, for the types the precision check compares.
  'zod-client': async (api, out) => {
    await mkdir(out, { recursive: true });
    const openApiDoc = parse(await readFile(spec(api), 'utf8'));
    await generateZodClientFromOpenAPI({
      openApiDoc,
      distPath: `${out}/client.ts`,
      options: { shouldExportAllSchemas: true },
    });
    // The README's one fix ("Other generators"): a string schema with `anyOf` branches (TVM's DateOrDateTime)
    // comes out as a union of strings, and each use chains `.max(64)` onto it, which a union does not have.
    const file = `${out}/client.ts`;
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(/z\.union\(\[z\.string\(\), z\.string\(\)\]\)/g, 'z.string()'),
    );
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
  await Promise.all(
    GENERATORS.flatMap((generator) => APIS.map((api) => generators[generator](api, `${outDir}/${generator}/${api}`))),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await generateClients(process.argv[2]);
