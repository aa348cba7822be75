/**
 * `npm run bench:mock`: our mock against its ceiling (raw node:http sending the same JSON) and against
 * plain `prism mock` on the same spec, measured in one run. Each server is its own process; the load
 * comes from wrk when installed (apt-get install wrk), else autocannon. Prints figures and ratios; asserts
 * nothing. BENCH_SECONDS (default 10) sets the duration of each load; BENCH_CONNECTIONS (default 50).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import autocannon from 'autocannon';
import { fixtureKey } from '../mock-server/src/fixtures/keys.ts';
import { createMock } from '../mock-server/src/pipeline/pipeline.ts';
import { freePort, hasWrk, rssMiB } from './lib.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

interface Scenario {
  name: string;
  api: 'mvo' | 'tvm';
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  stateless?: boolean;
}

const scenarios: Scenario[] = [
  { name: 'GET /v1/shop (valid key, stateful)', api: 'tvm', method: 'GET', path: '/v1/shop', headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` } },
  { name: 'GET /v1/offers?page=1&limit=20 (stateful list read)', api: 'tvm', method: 'GET', path: '/v1/offers?page=1&limit=20', headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` } },
  {
    // Stateless, like plain Prism: in stateful mode every request after the first is a 409 duplicate email.
    name: 'POST /api/customers (validated body, --stateless)',
    stateless: true,
    api: 'mvo',
    method: 'POST',
    path: '/api/customers',
    headers: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active'), 'content-type': 'application/json' },
    body: JSON.stringify({ first_name: 'John', last_name: 'Doe', email: 'john@example.com' }),
  },
];

interface Result {
  rps: number;
  p99: number;
  coldStartMs: number;
  rssMiB: number;
  statuses: string;
}

async function waitForAnswer(url: string, init: RequestInit, started: number, child: ChildProcess): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await fetch(url, init).then((r) => r.arrayBuffer());
      return performance.now() - started;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}


async function load(url: string, scenario: Scenario): Promise<{ rps: number; p99: number; statuses: string }> {
  if (hasWrk) {
    mkdirSync(`${ROOT}.tmp`, { recursive: true });
    const script = `${ROOT}.tmp/wrk-${scenario.api}.lua`;
    writeFileSync(
      script,
      `wrk.method = "${scenario.method}"\n${Object.entries(scenario.headers).map(([k, v]) => `wrk.headers["${k}"] = "${v}"`).join('\n')}\n${scenario.body ? `wrk.body = [[${scenario.body}]]\n` : ''}` +
        // Each wrk thread counts statuses in its own Lua state; done() adds them up.
        `local threads = {}\nfunction setup(thread) table.insert(threads, thread) end\n` +
        `function init(args) statuses = {} end\n` +
        `function response(status) statuses[status] = (statuses[status] or 0) + 1 end\n` +
        `function done() local total = {} for _, t in ipairs(threads) do for s, n in pairs(t:get("statuses")) do total[s] = (total[s] or 0) + n end end ` +
        `local parts = {} for s, n in pairs(total) do table.insert(parts, s .. " x" .. n) end io.write("STATUSES " .. table.concat(parts, ", ") .. "\\n") end\n`,
    );
    const out = execFileSync('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '-s', script, url]).toString();
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]);
    const [, value, unit] = /99%\s+([\d.]+)(us|ms|s)/.exec(out)!;
    const p99 = Number(value) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1);
    return { rps, p99, statuses: /STATUSES (.*)/.exec(out)?.[1] ?? '?' };
  }
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, method: scenario.method, headers: scenario.headers, body: scenario.body });
  return { rps: result.requests.average, p99: result.latency.p99, statuses: `2xx x${result['2xx']}, non-2xx x${result.non2xx}` };
}

async function measure(label: string, command: string, args: string[], scenario: Scenario, port: number): Promise<Result> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: ROOT, stdio: 'ignore', detached: true });
  try {
    const url = `http://127.0.0.1:${port}${scenario.path}`;
    const coldStartMs = await waitForAnswer(url, { method: scenario.method, headers: scenario.headers, body: scenario.body }, started, child);
    await load(url, { ...scenario }).catch(() => undefined); // warm-up (JIT, lazily compiled validators)
    const { rps, p99, statuses } = await load(url, scenario);
    const rss = rssMiB(child.pid!);
    console.log(`  ${label.padEnd(8)} ${rps.toFixed(0).padStart(8)} req/s   p99 ${p99.toFixed(2).padStart(7)} ms   cold start ${coldStartMs.toFixed(0).padStart(5)} ms   RSS ${rss.toFixed(0).padStart(4)} MiB   statuses ${statuses}`);
    return { rps, p99, coldStartMs, rssMiB: rss, statuses };
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
}

if (!existsSync(`${ROOT}mock-server/dist/cli.js`)) {
  console.log('Building mock-server/dist/cli.js first (npm run build)…');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
console.log(`Load: ${hasWrk ? 'wrk' : 'autocannon (install wrk for steadier figures)'}, ${CONNECTIONS} connections, ${SECONDS} s per run, after a warm-up run.\n`);

for (const scenario of scenarios) {
  console.log(`${scenario.name}`);
  const ourPort = await freePort();
  const rawPort = await freePort();
  const prismPort = await freePort();
  // A capped young generation keeps RSS ~20 MiB lower at equal throughput (measured: 82 vs 103 MiB).
  const ours = await measure('ours', process.execPath, ['--max-semi-space-size=4', 'mock-server/dist/cli.js', '--api', scenario.api, `--${scenario.api}-port`, String(ourPort), '--rate-limits', 'off', '--quiet', ...(scenario.stateless ? ['--stateless'] : [])], scenario, ourPort);
  // The ceiling sends exactly the body our mock sends for this request.
  const mock = await createMock(scenario.api, { rateLimits: 'headers', stateful: !scenario.stateless });
  const [path, query = ''] = scenario.path.split('?');
  const answer = await mock.handle({ method: scenario.method, path, query, headers: (name) => scenario.headers[name], body: scenario.body ?? '' });
  const body = answer.body!;
  const status = answer.status;
  const raw = await measure('raw node', process.execPath, ['bench/raw-server.mjs', String(rawPort), String(status), body], scenario, rawPort);
  const prism = await measure('prism', `${ROOT}node_modules/.bin/prism`, ['mock', '-h', '127.0.0.1', '-p', String(prismPort), `openapi/generated/${scenario.api}.yaml`], scenario, prismPort);
  console.log(
    `  ratios: ours/raw ${(ours.rps / raw.rps).toFixed(2)} (target ≥ 0.5), ours/prism ${(ours.rps / prism.rps).toFixed(1)}× (target ≥ 7), ` +
      `p99 ${ours.p99.toFixed(2)} ms (target ≤ 3), cold start ${ours.coldStartMs.toFixed(0)} ms vs raw ${raw.coldStartMs.toFixed(0)} ms (target ≤ 300), RSS ${ours.rssMiB.toFixed(0)} MiB (target ≤ 100)\n`,
  );
}
