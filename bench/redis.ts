/**
 * `npm run bench:redis`: one mock replica on Redis (`--store`) against one in memory, in the same run, and what
 * Redis holds. Prints figures and ratios; asserts nothing.
 *
 * - GET /v1/shop and POST /v1/offers: req/s and p99 at BENCH_CONNECTIONS (50), each BENCH_RUNS (3) times,
 *   memory and Redis taking turns, after a warm-up; targets: reads ≥ 0.5× memory, writes ≥ 0.3×.
 * - Redis's memory per 10,000 records (`INFO memory` before and after 10,000 creates through the replica).
 * - How long exporting 100,000 records takes (`GET /__mock/state` on a replica that loaded them from Redis).
 *
 * The mock (both kinds) and redis-server share the server core; wrk runs on the other (`taskset`), so the
 * Redis figures include the work Redis does. Needs wrk and redis-server (apt-get install wrk redis-server).
 */
import { spawn } from 'node:child_process';
import { fixtureKey } from '../mock-server/src/fixtures/keys.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { CORES, firstAnswerMs, freePort, hasTaskset, hasWrk, median, medianWithSpread, rawRequest } from './lib.ts';
import { startServer, type Server } from './processes.ts';
import { runWrk, warmUp, type Prepared } from './wrk.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

const admin = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
const OFFER = JSON.stringify({
  title: '20% Off Everything',
  description: 'Save 20% across our entire range',
  landingUrl: 'https://yourshop.com/sale',
  discountType: 'percentage',
  discountValue: 20,
  expiresAt: '2026-03-01T23:59:59Z',
});
const scenarios: (Prepared & { name: string; target: number })[] = [
  { name: 'GET /v1/shop', method: 'GET', path: '/v1/shop', headers: admin, target: 0.5 },
  {
    name: 'POST /v1/offers',
    method: 'POST',
    path: '/v1/offers',
    headers: { ...admin, 'content-type': 'application/json' },
    body: OFFER,
    target: 0.3,
  },
];

if (!hasWrk) throw new Error('bench:redis needs wrk (apt-get install wrk)');
const redis = await startRedis({ core: hasTaskset ? CORES.server : undefined, appendfsync: 'everysec' });
let sandboxes = 0;

/** The TVM mock from source, rate limits reported only; on Redis in the sandbox `prefix` when given. */
function startMock(port: number, prefix: string | undefined): Server {
  const args = [
    '--import',
    'tsx',
    'mock-server/src/cli.ts',
    '--api',
    'tvm',
    '--tvm-port',
    String(port),
    '--rate-limits',
    'off',
    '--quiet',
  ];
  return startServer(
    [process.execPath, ...args, ...(prefix ? ['--store', redis.url, '--store-prefix', prefix] : [])],
    port,
  );
}

/** `store`: a new sandbox on Redis, or the one named. */
async function started(store: boolean | string): Promise<{ server: Server; url: string }> {
  const port = await freePort();
  const server = startMock(port, store === true ? `bench${++sandboxes}` : store || undefined);
  await firstAnswerMs(port, rawRequest('GET', '/v1/shop', admin), performance.now(), server.alive);
  return { server, url: `http://127.0.0.1:${port}` };
}

async function measure(store: boolean, request: Prepared) {
  const { server, url } = await started(store);
  try {
    await warmUp(url, [request], CONNECTIONS, WARMUP_SECONDS);
    return await runWrk(url, [request], CONNECTIONS, SECONDS);
  } finally {
    await server.stop();
  }
}

const redisInfo = async (field: string) => {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('redis-cli', ['-p', String(redis.port), 'INFO', 'memory']);
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk));
    child.once('exit', () => resolve(text));
    child.once('error', reject);
  });
  return Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(output)![1]);
};

/** Adds `count` offers through the control API's generator, 1,000 a request. */
async function generate(url: string, count: number) {
  for (let done = 0; done < count; done += 1000) {
    const answer = await fetch(`${url}/__mock/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resource: 'offers', count: Math.min(1000, count - done) }),
    });
    if (answer.status !== 201) throw new Error(`generate answered ${answer.status}: ${await answer.text()}`);
  }
}

try {
  console.log(
    `Mock on Redis vs in memory: ${RUNS} runs of ${SECONDS} s at ${CONNECTIONS} connections${hasTaskset ? '' : ' (NOT pinned: taskset is missing)'}`,
  );
  for (const scenario of scenarios) {
    const memory = [];
    const onRedis = [];
    for (let run = 0; run < RUNS; run++) {
      memory.push(await measure(false, scenario));
      onRedis.push(await measure(true, scenario));
    }
    const ratio = median(onRedis.map((figures) => figures.rps)) / median(memory.map((figures) => figures.rps));
    console.log(
      `${scenario.name}: memory ${medianWithSpread(
        memory.map((f) => f.rps),
        0,
      )} req/s (p99 ${medianWithSpread(
        memory.map((f) => f.p99Ms),
        1,
      )} ms); ` +
        `Redis ${medianWithSpread(
          onRedis.map((f) => f.rps),
          0,
        )} req/s (p99 ${medianWithSpread(
          onRedis.map((f) => f.p99Ms),
          1,
        )} ms); ` +
        `ratio ${ratio.toFixed(2)}× (target ≥ ${scenario.target}×: ${ratio >= scenario.target ? 'met' : 'NOT met'})`,
    );
  }

  // Memory per 10,000 records: what the log (and a snapshot, once compacted) costs Redis.
  const sizing = await started(true);
  const before = await redisInfo('used_memory');
  await generate(sizing.url, 10_000);
  const after = await redisInfo('used_memory');
  console.log(
    `Redis memory per 10,000 offers: ${((after - before) / 1024 / 1024).toFixed(1)} MiB (used_memory ${before} → ${after} bytes)`,
  );
  await generate(sizing.url, 90_000);
  await sizing.server.stop();
  // A replica started on the sandbox loads the 100,000 from Redis (snapshot and log) at its first request, then exports them.
  const loading = performance.now();
  const fresh = await started(`bench${sandboxes}`);
  const loadedMs = performance.now() - loading;
  const exports = [];
  for (let run = 0; run < RUNS; run++) {
    const exporting = performance.now();
    const document = await (await fetch(`${fresh.url}/__mock/state`)).json();
    exports.push(performance.now() - exporting);
    if (run === 0)
      console.log(
        `Export of ${document.accounts.default.offers.length.toLocaleString('en')} offers (GET /__mock/state): ${medianWithSpread(exports, 0)} ms`,
      );
  }
  console.log(
    `Export of 100,000 offers, ${RUNS} runs: ${medianWithSpread(exports, 0)} ms; a new replica's start and first answer (loading them from Redis): ${(loadedMs / 1000).toFixed(1)} s`,
  );
  await fresh.server.stop();
} finally {
  await redis.stop();
}
