/**
 * The soak: a mock as users run it (`npm start`'s CLI, request log on) takes 100 connections for 60 s of a
 * rotating mix (a valid request, an unknown key, a key without the scope (TVM) or a revoked key (MVO), an invalid
 * body). The first SOAK_WARMUP_SECONDS (2) are measured and printed apart (a fresh process compiles its code
 * under the flood: its first seconds' p99 is the JIT's, not the steady state's); the rest runs in three
 * back-to-back thirds whose p99s give a median and a spread. RSS is sampled every second from the start.
 * raw node:http then takes the same mix at the same connections (BENCH_RUNS runs, the same warm-up, 10 s each):
 * the target is the soak's p99 (median of the thirds) ≤ 3 × raw's (median of the runs).
 * `npm run bench:mock` runs it for both APIs; `npm run bench:soak` runs only the soak, prints its targets and
 * exits 1 if a status outside the expected ones was seen, if there was any socket error, or if the mock died.
 * SOAK_SECONDS (default 60, the warm-up included), SOAK_CONNECTIONS (default 100) and SOAK_WARMUP_SECONDS (2)
 * change it.
 */
import { fixtureKey } from '../mock-server/src/fixtures/keys.ts';
import { firstAnswerMs, freePort, hasWrk, median, medianWithSpread, pinSelf, rawRequest, rssMiB } from './lib.ts';
import { ensureBuilt, startRaw, startUserPathMock } from './processes.ts';
import { answerOf } from './scenarios.ts';
import { Targets } from './targets.ts';
import { runWrk, statusText, warmUp, type LoadFigures, type Prepared } from './wrk.ts';

export const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
export const SOAK_CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 100);
export const SOAK_WARMUP_SECONDS = Number(process.env.SOAK_WARMUP_SECONDS ?? 2);
/** The soak's p99 after the warm-up against raw node:http's on the same mix and connections. */
export const SOAK_P99_TARGET = 3;

export type SoakRequest = Prepared & { label: string; expect: number };

const json = { 'content-type': 'application/json' };
export const SOAK_MIX: Record<'mvo' | 'tvm', SoakRequest[]> = {
  mvo: [
    {
      label: 'valid',
      method: 'GET',
      path: '/api/customers/550e8400-e29b-41d4-a716-446655440000',
      headers: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') },
      expect: 200,
    },
    {
      label: 'unknown key',
      method: 'GET',
      path: '/api/customers/550e8400-e29b-41d4-a716-446655440000',
      headers: { 'x-api-key': `sk_live_${'Unknown0Key'.padEnd(48, 'x')}` },
      expect: 401,
    },
    {
      label: 'revoked key',
      method: 'GET',
      path: '/api/customers/550e8400-e29b-41d4-a716-446655440000',
      headers: { authorization: `Bearer ${fixtureKey('mvo', 'key_mvo_revoked')}` },
      expect: 401,
    },
    {
      label: 'invalid body',
      method: 'POST',
      path: '/api/customers',
      headers: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active'), ...json },
      body: '{"first_name":"John","last_name":"Doe","email":"not an email"}',
      expect: 400,
    },
  ],
  tvm: [
    {
      label: 'valid',
      method: 'GET',
      path: '/v1/shop',
      headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` },
      expect: 200,
    },
    {
      label: 'unknown key',
      method: 'GET',
      path: '/v1/shop',
      headers: { authorization: `Bearer tvm_${'unknown0key'.padEnd(32, 'z')}` },
      expect: 401,
    },
    {
      label: 'wrong scope',
      method: 'POST',
      path: '/v1/offers',
      headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_readonly')}`, ...json },
      body: '{"title":"Ten off"}',
      expect: 403,
    },
    {
      label: 'invalid body',
      method: 'POST',
      path: '/v1/offers',
      headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}`, ...json },
      body: '{"title":"","landingUrl":"not a url"}',
      expect: 400,
    },
  ],
};

export interface SoakResult {
  api: 'mvo' | 'tvm';
  seconds: number;
  connections: number;
  /** req/s and p99 of the first SOAK_WARMUP_SECONDS, not in the figures below. */
  first: { seconds: number; rps: number; p99Ms: number };
  /** req/s and p99 of each third after the warm-up. */
  rps: number[];
  p99Ms: number[];
  statuses: Map<number, number>;
  socketErrors: number;
  unexpected: number[];
  /** [seconds since the soak began, MiB]. */
  rss: [number, number][];
  logLines: number;
  requests: number;
}

/** RSS at the end, and its growth over the second half (the median of the samples around half-time against those of the last tenth). */
export function rssFigures(
  samples: readonly [number, number][],
  seconds: number,
): { end: number; half: number; growthPercent: number } {
  const around = (from: number, to: number) =>
    median(samples.filter(([t]) => t >= from * seconds && t <= to * seconds).map(([, mib]) => mib));
  const half = around(0.45, 0.55);
  const end = around(0.9, 1.01);
  return { end: samples.at(-1)![1], half, growthPercent: ((end - half) / half) * 100 };
}

export async function soak(
  api: 'mvo' | 'tvm',
  seconds = SOAK_SECONDS,
  connections = SOAK_CONNECTIONS,
): Promise<SoakResult> {
  const mix = SOAK_MIX[api];
  const port = await freePort();
  const server = startUserPathMock(api, port);
  try {
    const [probe] = mix;
    await firstAnswerMs(port, rawRequest(probe.method, probe.path, probe.headers), performance.now(), server.alive);
    const started = performance.now();
    const rss: [number, number][] = [[0, rssMiB(server.child.pid!)]];
    const sampler = setInterval(
      () => server.alive() && rss.push([(performance.now() - started) / 1000, rssMiB(server.child.pid!)]),
      1000,
    );
    const thirds: LoadFigures[] = [];
    let first: LoadFigures;
    try {
      first = await runWrk(`http://127.0.0.1:${port}`, mix, connections, SOAK_WARMUP_SECONDS);
      const third = Math.max(Math.round((seconds - SOAK_WARMUP_SECONDS) / 3), 1);
      for (let i = 0; i < 3; i++) thirds.push(await runWrk(`http://127.0.0.1:${port}`, mix, connections, third));
    } finally {
      clearInterval(sampler);
    }
    if (!server.alive()) throw new Error(`the ${api} mock died during the soak`);
    rss.push([(performance.now() - started) / 1000, rssMiB(server.child.pid!)]);
    const statuses = new Map<number, number>();
    for (const third of [first, ...thirds])
      for (const [status, n] of third.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
    const expected = new Set(mix.map((r) => r.expect));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the log's last batch
    return {
      api,
      seconds,
      connections,
      first: { seconds: SOAK_WARMUP_SECONDS, rps: first.rps, p99Ms: first.p99Ms },
      rps: thirds.map((t) => t.rps),
      p99Ms: thirds.map((t) => t.p99Ms),
      statuses,
      socketErrors: [first, ...thirds].reduce((sum, t) => sum + t.socketErrors, 0),
      unexpected: [...statuses.keys()].filter((status) => !expected.has(status)),
      rss,
      logLines: server.logLines(),
      requests: [first, ...thirds].reduce((sum, t) => sum + t.requests, 0),
    };
  } finally {
    await server.stop();
  }
}

export function describeSoak(result: SoakResult): string {
  const { end, half, growthPercent } = rssFigures(result.rss, result.seconds);
  return [
    `${result.api.toUpperCase()} soak, ${result.connections} connections, ${result.seconds} s: ${SOAK_MIX[result.api].map((r) => `${r.label} → ${r.expect}`).join(', ')}`,
    `  first ${result.first.seconds} s (warm-up, not counted): ${result.first.rps.toFixed(0)} req/s, p99 ${result.first.p99Ms.toFixed(2)} ms`,
    `  then req/s per third ${result.rps.map((r) => r.toFixed(0)).join(' / ')}   p99 per third ${result.p99Ms.map((p) => p.toFixed(2)).join(' / ')} ms`,
    `  ${statusText(result.statuses)}   socket errors ${result.socketErrors}   log lines ${result.logLines} for ${result.requests} requests`,
    `  RSS ${result.rss[0][1].toFixed(1)} MiB at start, ${half.toFixed(1)} at half-time, ${end.toFixed(1)} at the end (${growthPercent >= 0 ? '+' : ''}${growthPercent.toFixed(1)} % over the second half)`,
    ...(result.unexpected.length ? [`  UNEXPECTED statuses: ${result.unexpected.join(', ')}`] : []),
  ].join('\n');
}

/**
 * raw node:http answering every request of the mix with the valid request's answer, at the same connections:
 * `runs` times SOAK_WARMUP_SECONDS of warm-up (not counted) and 10 s measured; the p99 of each run.
 */
export async function rawSoakP99(api: 'mvo' | 'tvm', runs: number): Promise<number[]> {
  const rawAnswer = await answerOf(api, SOAK_MIX[api][0]);
  const p99: number[] = [];
  for (let run = 0; run < runs; run++) {
    const port = await freePort();
    const server = startRaw(port, rawAnswer);
    try {
      await firstAnswerMs(port, rawRequest('GET', '/', {}), performance.now(), server.alive);
      await warmUp(`http://127.0.0.1:${port}`, SOAK_MIX[api], SOAK_CONNECTIONS, SOAK_WARMUP_SECONDS);
      p99.push((await runWrk(`http://127.0.0.1:${port}`, SOAK_MIX[api], SOAK_CONNECTIONS, 10)).p99Ms);
    } finally {
      await server.stop();
    }
  }
  return p99;
}

/** Soaks both APIs, measures raw node:http on the same mixes, and adds the soak's lines to `targets`. */
export async function soakTargets(targets: Targets, runs: number): Promise<{ clean: boolean }> {
  let clean = true;
  for (const api of ['mvo', 'tvm'] as const) {
    const result = await soak(api);
    const rawP99 = await rawSoakP99(api, runs);
    console.log(
      `${describeSoak(result)}\n  raw node:http at ${SOAK_CONNECTIONS} connections, after ${SOAK_WARMUP_SECONDS} s of warm-up: p99 ${rawP99.map((p) => p.toFixed(2)).join(' / ')} ms\n`,
    );
    const ratio = median(result.p99Ms) / median(rawP99);
    const { end, growthPercent } = rssFigures(result.rss, result.seconds);
    const ok = result.unexpected.length === 0 && result.socketErrors === 0;
    clean &&= ok;
    const name = `Soak ${api.toUpperCase()}`;
    targets.add({
      target: `${name}: p99 ms, ${SOAK_CONNECTIONS} conn., after ${SOAK_WARMUP_SECONDS} s`,
      figure: medianWithSpread(result.p99Ms, 2),
      baseline: medianWithSpread(rawP99, 2),
      ratio: ratio.toFixed(2),
      goal: `≤ ${SOAK_P99_TARGET} × raw`,
      met: ratio <= SOAK_P99_TARGET && ok,
      note: ok ? '' : 'unexpected statuses or socket errors',
    });
    targets.add({
      target: `${name}: p99 ms, first ${SOAK_WARMUP_SECONDS} s (reported)`,
      figure: result.first.p99Ms.toFixed(2),
      baseline: '',
      ratio: '',
      goal: 'reported',
      met: 'info',
    });
    targets.add({
      target: `${name}: RSS after ${result.seconds} s, MiB`,
      figure: end.toFixed(1),
      baseline: '',
      ratio: '',
      goal: '≤ 100',
      met: end <= 100,
    });
    targets.add({
      target: `${name}: RSS, second half`,
      figure: `${growthPercent >= 0 ? '+' : ''}${growthPercent.toFixed(1)} %`,
      baseline: '',
      ratio: '',
      goal: 'flat (≤ +5 %)',
      met: growthPercent <= 5,
    });
  }
  return { clean };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!hasWrk) {
    console.error('The soak needs wrk (apt-get install wrk).');
    process.exit(1);
  }
  ensureBuilt();
  pinSelf();
  const targets = new Targets();
  const { clean } = await soakTargets(targets, Number(process.env.BENCH_RUNS ?? 3));
  targets.print(
    'Targets (median of the thirds or runs, lowest–highest; baseline = raw node:http on the same mix, in the same run)',
  );
  process.exit(clean ? 0 : 1);
}
