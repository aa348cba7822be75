/**
 * The soak: a mock as users run it (`npm start`'s CLI, request log on) takes 100 connections for 60 s of a
 * rotating mix (a valid request, an unknown key, a key without the scope (TVM) or a revoked key (MVO), an invalid
 * body), in three back-to-back thirds whose p99s give a median and a spread. RSS is sampled every second.
 * `npm run bench:mock` runs it for both APIs; `npx tsx bench/soak.ts` runs only the soak and exits 1 if a status
 * outside the expected ones was seen, if there was any socket error, or if the mock died.
 * SOAK_SECONDS (default 60) and SOAK_CONNECTIONS (default 100) change it.
 */
import { fixtureKey } from '../mock-server/src/fixtures/keys.ts';
import { firstAnswerMs, freePort, hasWrk, median, pinSelf, rawRequest, rssMiB } from './lib.ts';
import { startUserPathMock } from './processes.ts';
import { runWrk, statusText, type Prepared } from './wrk.ts';

export const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
export const SOAK_CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 100);

export type SoakRequest = Prepared & { label: string; expect: number };

const json = { 'content-type': 'application/json' };
export const SOAK_MIX: Record<'mvo' | 'tvm', SoakRequest[]> = {
  mvo: [
    { label: 'valid', method: 'GET', path: '/api/customers/550e8400-e29b-41d4-a716-446655440000', headers: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') }, expect: 200 },
    { label: 'unknown key', method: 'GET', path: '/api/customers/550e8400-e29b-41d4-a716-446655440000', headers: { 'x-api-key': `sk_live_${'Unknown0Key'.padEnd(48, 'x')}` }, expect: 401 },
    { label: 'revoked key', method: 'GET', path: '/api/customers/550e8400-e29b-41d4-a716-446655440000', headers: { authorization: `Bearer ${fixtureKey('mvo', 'key_mvo_revoked')}` }, expect: 401 },
    { label: 'invalid body', method: 'POST', path: '/api/customers', headers: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active'), ...json }, body: '{"first_name":"John","last_name":"Doe","email":"not an email"}', expect: 400 },
  ],
  tvm: [
    { label: 'valid', method: 'GET', path: '/v1/shop', headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` }, expect: 200 },
    { label: 'unknown key', method: 'GET', path: '/v1/shop', headers: { authorization: `Bearer tvm_${'unknown0key'.padEnd(32, 'z')}` }, expect: 401 },
    { label: 'wrong scope', method: 'POST', path: '/v1/offers', headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_readonly')}`, ...json }, body: '{"title":"Ten off"}', expect: 403 },
    { label: 'invalid body', method: 'POST', path: '/v1/offers', headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}`, ...json }, body: '{"title":"","landingUrl":"not a url"}', expect: 400 },
  ],
};

export interface SoakResult {
  api: 'mvo' | 'tvm';
  seconds: number;
  connections: number;
  /** req/s and p99 of each third. */
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
export function rssFigures(samples: readonly [number, number][], seconds: number): { end: number; half: number; growthPercent: number } {
  const around = (from: number, to: number) => median(samples.filter(([t]) => t >= from * seconds && t <= to * seconds).map(([, mib]) => mib));
  const half = around(0.45, 0.55);
  const end = around(0.9, 1.01);
  return { end: samples.at(-1)![1], half, growthPercent: ((end - half) / half) * 100 };
}

export async function soak(api: 'mvo' | 'tvm', seconds = SOAK_SECONDS, connections = SOAK_CONNECTIONS): Promise<SoakResult> {
  const mix = SOAK_MIX[api];
  const port = await freePort();
  const server = startUserPathMock(api, port);
  try {
    const [probe] = mix;
    await firstAnswerMs(port, rawRequest(probe.method, probe.path, probe.headers), performance.now(), server.alive);
    const started = performance.now();
    const rss: [number, number][] = [[0, rssMiB(server.child.pid!)]];
    const sampler = setInterval(() => server.alive() && rss.push([(performance.now() - started) / 1000, rssMiB(server.child.pid!)]), 1000);
    const thirds = [];
    try {
      for (let i = 0; i < 3; i++) thirds.push(await runWrk(`http://127.0.0.1:${port}`, mix, connections, Math.round(seconds / 3)));
    } finally {
      clearInterval(sampler);
    }
    if (!server.alive()) throw new Error(`the ${api} mock died during the soak`);
    rss.push([(performance.now() - started) / 1000, rssMiB(server.child.pid!)]);
    const statuses = new Map<number, number>();
    for (const third of thirds) for (const [status, n] of third.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
    const expected = new Set(mix.map((r) => r.expect));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the log's last batch
    return {
      api,
      seconds,
      connections,
      rps: thirds.map((t) => t.rps),
      p99Ms: thirds.map((t) => t.p99Ms),
      statuses,
      socketErrors: thirds.reduce((sum, t) => sum + t.socketErrors, 0),
      unexpected: [...statuses.keys()].filter((status) => !expected.has(status)),
      rss,
      logLines: server.logLines(),
      requests: thirds.reduce((sum, t) => sum + t.requests, 0),
    };
  } finally {
    await server.stop();
  }
}

export function describeSoak(result: SoakResult): string {
  const { end, half, growthPercent } = rssFigures(result.rss, result.seconds);
  return [
    `${result.api.toUpperCase()} soak, ${result.connections} connections, ${result.seconds} s: ${SOAK_MIX[result.api].map((r) => `${r.label} → ${r.expect}`).join(', ')}`,
    `  req/s per third ${result.rps.map((r) => r.toFixed(0)).join(' / ')}   p99 per third ${result.p99Ms.map((p) => p.toFixed(2)).join(' / ')} ms`,
    `  ${statusText(result.statuses)}   socket errors ${result.socketErrors}   log lines ${result.logLines} for ${result.requests} requests`,
    `  RSS ${result.rss[0][1].toFixed(1)} MiB at start, ${half.toFixed(1)} at half-time, ${end.toFixed(1)} at the end (${growthPercent >= 0 ? '+' : ''}${growthPercent.toFixed(1)} % over the second half)`,
    ...(result.unexpected.length ? [`  UNEXPECTED statuses: ${result.unexpected.join(', ')}`] : []),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!hasWrk) {
    console.error('The soak needs wrk (apt-get install wrk).');
    process.exit(1);
  }
  pinSelf();
  let failed = false;
  for (const api of ['mvo', 'tvm'] as const) {
    const result = await soak(api);
    console.log(`${describeSoak(result)}\n`);
    if (result.unexpected.length || result.socketErrors > 0) failed = true;
  }
  process.exit(failed ? 1 : 0);
}
