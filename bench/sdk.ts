/**
 * `npx tsx bench/sdk.ts` (or `npm run bench:sdk`): SDK per-call overhead and bundle size. On demand, not in CI.
 *
 * 1. Calls per second, with `fetch` stubbed to return a fixed Response (no network), of: raw `fetch` plus
 *    `JSON.parse`, bare openapi-fetch, and our clients (TVM `GET /v1/shop`; MVO `GET /api/customers/{id}` with
 *    the default base URL, so the per-operation host middleware rebuilds each request for `app-api.`, and with a
 *    custom base URL, where no middleware is installed).
 *    Many short rounds alternate between contenders so drift (JIT, GC, other load) hits each alike; each round
 *    is measured in process CPU time, and the median round counts.
 *    Target: ≤ 1.1× the time of bare openapi-fetch. The MVO default-hosts line is over it by design: openapi-fetch's
 *    middleware can only send a request elsewhere by building a second `Request`, and on Node 20 a `Request` that
 *    follows another's signal costs ~20 µs (nothing next to a network round trip; calls to a mock or any custom
 *    `baseUrl` skip it).
 *    The resource methods (`tvm.shop.get()`, `mvo.customers.get(id)`) against the path method they call, read the
 *    way a caller reads it (`data`, or a thrown error): target ≤ 1.05× the path method's time per call.
 * 2. Minified + gzipped size of each entry point, bundled by esbuild with openapi-fetch included, against
 *    openapi-fetch alone. Target: ≤ 8 kB each. And the resource layer's share (the entry point with and without
 *    `shared/resources.ts` and the generated table): target ≤ 3 kB gzip per API.
 */
import { build, type Plugin } from 'esbuild';
import { gzipSync } from 'node:zlib';
import createClient from 'openapi-fetch';
import { createMvoClient } from '../sdk/src/mvo/index.ts';
import { createTvmClient } from '../sdk/src/tvm/index.ts';
import type { paths as MvoPaths } from '../sdk/src/mvo/generated/schema.ts';
import type { paths as TvmPaths } from '../sdk/src/tvm/generated/schema.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

const body = JSON.stringify({
  success: true,
  data: { id: 'shop_abc123', name: 'Example Store' },
  meta: { requestId: 'req_1', timestamp: '2026-01-01T00:00:00Z' },
});
const stubFetch = async (_input: Request | string | URL, _init?: RequestInit) =>
  new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });

const mvoKey = `sk_live_${'a'.repeat(48)}`;
const tvmKey = `tvm_${'b'.repeat(32)}`;
const id = '550e8400-e29b-41d4-a716-446655440000';

const bare = createClient<TvmPaths>({
  baseUrl: 'https://api.thevirtualmall.co.uk',
  fetch: stubFetch,
  headers: { Authorization: `Bearer ${tvmKey}` },
});
const bareMvo = createClient<MvoPaths>({
  baseUrl: 'https://app-api.my-virtual-office.com',
  fetch: stubFetch,
  headers: { 'X-API-Key': mvoKey },
});
const tvm = createTvmClient({ apiKey: tvmKey, fetch: stubFetch });
const mvo = createMvoClient({ apiKey: mvoKey, fetch: stubFetch });
const mvoCustom = createMvoClient({ apiKey: mvoKey, fetch: stubFetch, baseUrl: 'http://127.0.0.1:4010' });

const contenders: Record<string, () => Promise<unknown>> = {
  'raw fetch + Request + JSON.parse': async () => {
    const res = await stubFetch(
      new Request('https://api.thevirtualmall.co.uk/v1/shop', { headers: { Authorization: `Bearer ${tvmKey}` } }),
    );
    return JSON.parse(await res.text());
  },
  'bare openapi-fetch (TVM GET /v1/shop)': () => bare.GET('/v1/shop'),
  'createTvmClient GET /v1/shop': () => tvm.GET('/v1/shop'),
  'bare openapi-fetch (MVO GET customer)': () => bareMvo.GET('/api/customers/{id}', { params: { path: { id } } }),
  'createMvoClient GET customer (default hosts)': () => mvo.GET('/api/customers/{id}', { params: { path: { id } } }),
  'createMvoClient GET customer (custom baseUrl)': () =>
    mvoCustom.GET('/api/customers/{id}', { params: { path: { id } } }),
  // the path method read as a caller reads it, against the resource method that does the same
  'path: tvm.GET(/v1/shop), data or throw': async () => {
    const { data, error } = await tvm.GET('/v1/shop');
    if (error) throw new Error('unexpected');
    return data.data;
  },
  'resource: tvm.shop.get()': () => tvm.shop.get(),
  'path: mvo.GET(customer), data or throw (custom baseUrl)': async () => {
    const { data, error } = await mvoCustom.GET('/api/customers/{id}', { params: { path: { id } } });
    if (error) throw new Error('unexpected');
    return data;
  },
  'resource: mvo.customers.get(id) (custom baseUrl)': () => mvoCustom.customers.get(id),
};

/** For the resource lines: each against its path method, not against bare openapi-fetch. */
const BASELINE: Record<string, string> = {
  'resource: tvm.shop.get()': 'path: tvm.GET(/v1/shop), data or throw',
  'resource: mvo.customers.get(id) (custom baseUrl)': 'path: mvo.GET(customer), data or throw (custom baseUrl)',
};

/** Calls per second of this process's CPU time (user + system), so other load on the machine counts less. */
async function round(fn: () => Promise<unknown>): Promise<number> {
  const started = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) await fn();
  const used = process.cpuUsage(started);
  return ITERATIONS / ((used.user + used.system) / 1e6);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const fn of Object.values(contenders)) for (let i = 0; i < 2000; i++) await fn(); // warm-up
const results: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
for (let r = 0; r < ROUNDS; r++)
  for (const [name, fn] of Object.entries(contenders)) results[name].push(await round(fn));

const ops = Object.fromEntries(Object.entries(results).map(([name, xs]) => [name, median(xs)]));
const ratio = (name: string, base: string) => (ops[base] / ops[name]).toFixed(3);
console.log(
  `\nPer-call throughput (${ITERATIONS} calls × ${ROUNDS} rounds, median, per CPU second; ratio = time per call vs bare openapi-fetch, resource lines vs their path method)`,
);
for (const name of Object.keys(contenders)) {
  const base =
    BASELINE[name] ??
    (/MVO|Mvo|mvo/.test(name) ? 'bare openapi-fetch (MVO GET customer)' : 'bare openapi-fetch (TVM GET /v1/shop)');
  console.log(
    `  ${name.padEnd(56)} ${Math.round(ops[name]).toLocaleString('en').padStart(9)} ops/s   ×${ratio(name, base)}`,
  );
}

/** Replaces the resource layer (runtime and generated table) by empty stand-ins, to measure what it adds. */
const withoutResources: Plugin = {
  name: 'without-resources',
  setup(b) {
    b.onResolve({ filter: /(^|\/)(shared|generated)\/resources\.js$/ }, (args) => ({
      path: args.path,
      namespace: 'stub',
    }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        'export const resources = {}; export const bindResources = () => ({}); export const walkPages = () => ({});',
      loader: 'js',
    }));
  },
};

async function gzippedSize(entry: string, plugins: Plugin[] = []): Promise<{ min: number; gz: number }> {
  const out = await build({
    plugins,
    stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    treeShaking: true,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].contents;
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

const sizes = {
  'openapi-fetch alone': await gzippedSize(`export { default } from 'openapi-fetch';`),
  'virtual-commerce-sdk/mvo': await gzippedSize(`export * from './sdk/src/mvo/index.ts';`),
  'virtual-commerce-sdk/tvm': await gzippedSize(`export * from './sdk/src/tvm/index.ts';`),
};
const withoutLayer = {
  'virtual-commerce-sdk/mvo': await gzippedSize(`export * from './sdk/src/mvo/index.ts';`, [withoutResources]),
  'virtual-commerce-sdk/tvm': await gzippedSize(`export * from './sdk/src/tvm/index.ts';`, [withoutResources]),
};
console.log('\nBundle size (esbuild, openapi-fetch included, minified; gzip -9)');
const base = sizes['openapi-fetch alone'].gz;
for (const [name, { min, gz }] of Object.entries(sizes)) {
  console.log(
    `  ${name.padEnd(26)} ${(min / 1024).toFixed(2).padStart(6)} kB min  ${(gz / 1024).toFixed(2).padStart(5)} kB gz  (+${((gz - base) / 1024).toFixed(2)} kB over openapi-fetch)`,
  );
}
console.log('\nThe resource layer (resource methods and the generated table), gzip -9, target ≤ 3 kB per API');
for (const [name, without] of Object.entries(withoutLayer)) {
  const full = sizes[name as keyof typeof withoutLayer];
  console.log(
    `  ${name.padEnd(26)} +${((full.gz - without.gz) / 1024).toFixed(2)} kB gz  (+${((full.min - without.min) / 1024).toFixed(2)} kB min)`,
  );
}
