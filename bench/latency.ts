/**
 * `npm run bench:latency`: tail latency at a fixed request rate, open loop (bench/open-loop-worker.mjs: sends on a
 * schedule and measures from the scheduled time, as wrk2 does, so a server that stalls pays for every request it
 * delayed). For GET /v1/shop and POST /v1/offers (TVM):
 *
 * 1. raw node:http's capacity: closed-loop maximum throughput (wrk at 50 connections, or the generator's closed
 *    mode where wrk is missing), median of BENCH_RUNS runs;
 * 2. at 10 % and 25 % of it, BENCH_RUNS (3) runs each of raw node:http and of the mock as users run it (request log
 *    on, read by a `cat` on the server core: this script shares the generator's core and must not wake on the log
 *    meanwhile), taking turns, each a fresh server: LATENCY_WARMUP_SECONDS (2) of warm-up not counted, then
 *    LATENCY_SECONDS (10) measured; p50, p99 and max per run;
 * 3. the proof that the figures measure the server: at the highest rate, raw's p99 (median) must stay
 *    ≤ 5 ms, and every run must have kept its schedule: every request answered, and no more requests noticed over
 *    1 ms late than the machine's own lateness allows. That allowance is measured, not assumed: the most late
 *    requests per thousand in raw's runs at the same rate (at least 1 ‰, at most MACHINE_LATE_LIMIT: a VM's timer
 *    wake-ups alone make 5–8 ‰ late here, whatever the server), plus 1 ‰. Otherwise the ratios are printed but NOT
 *    COUNTED.
 * 4. the target per endpoint and rate: the mock's p99 ≤ 2 × raw's p99 at the same rate (medians of the runs).
 *
 * The servers run on the server core and the generator on the load core (`taskset`, see bench/lib.ts).
 * LATENCY_CONNECTIONS (32) sets the generator's keep-alive connections; LATENCY_SHARES (10,25) the rates.
 */
import { hasTaskset, hasWrk, median, medianWithSpread, pinSelf, CORES } from './lib.ts';
import { keptSchedule, runOpenLoop, type OpenLoopFigures } from './open-loop.ts';
import { ensureBuilt, startRaw, startUserPathMock, withServer, type Server } from './processes.ts';
import { answerOf, GET_SHOP, POST_OFFER, type Scenario } from './scenarios.ts';
import { Targets } from './targets.ts';
import { runWrk, warmUp } from './wrk.ts';

const SECONDS = Number(process.env.LATENCY_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.LATENCY_WARMUP_SECONDS ?? 2);
const RUNS = Math.max(Number(process.env.BENCH_RUNS ?? 3), 1);
const CONNECTIONS = Number(process.env.LATENCY_CONNECTIONS ?? 32);
const CAPACITY_SECONDS = 5;
/** The rates, as percentages of raw's capacity (LATENCY_SHARES=10,25); the highest is where the generator proves itself. */
export const SHARES = (process.env.LATENCY_SHARES ?? '10,25')
  .split(',')
  .map((percent) => Number(percent) / 100)
  .sort((a, b) => a - b);
export const RAW_P99_LIMIT_MS = 5;
/** Late requests per thousand beyond which the machine, not a server, is measured (raw's runs must stay under it). */
export const MACHINE_LATE_LIMIT = 20;

/** The lateness a run at one rate may show: raw's worst at that rate (within MACHINE_LATE_LIMIT), plus 1 ‰. */
export function lateAllowance(raw: readonly OpenLoopFigures[]): number {
  return Math.min(Math.max(1, ...raw.map((run) => run.latePerMille)), MACHINE_LATE_LIMIT) + 1;
}
export const P99_TARGET = 2;
const SCENARIOS = [GET_SHOP, POST_OFFER];

/** raw node:http's closed-loop maximum throughput for this answer, req/s. */
async function rawCapacity(scenario: Scenario, answer: Awaited<ReturnType<typeof answerOf>>): Promise<number> {
  return withServer(
    (port) => startRaw(port, answer),
    scenario,
    async ({ port }) => {
      if (hasWrk) {
        await warmUp(`http://127.0.0.1:${port}`, [scenario], 50, WARMUP_SECONDS);
        return (await runWrk(`http://127.0.0.1:${port}`, [scenario], 50, CAPACITY_SECONDS)).rps;
      }
      return (
        await runOpenLoop(port, scenario, {
          mode: 'closed',
          rate: 0,
          connections: 50,
          seconds: CAPACITY_SECONDS,
          warmupSeconds: WARMUP_SECONDS,
        })
      ).achievedRps;
    },
  );
}

interface Run extends OpenLoopFigures {
  /** Every answer had the scenario's status. */
  rightStatus: boolean;
}

async function openLoopRun(start: (port: number) => Server, scenario: Scenario, rate: number): Promise<Run> {
  return withServer(start, scenario, async ({ port }) => {
    const figures = await runOpenLoop(port, scenario, {
      rate,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      connections: CONNECTIONS,
    });
    return {
      ...figures,
      rightStatus: Object.keys(figures.statuses).every((status) => Number(status) === scenario.expect),
    };
  });
}

const ms = (value: number) => value.toFixed(2).padStart(6);
const describe = (run: Run) =>
  `p50 ${ms(run.p50Ms)} p99 ${ms(run.p99Ms)} max ${ms(run.maxMs)} ms${run.rightStatus ? '' : ` statuses ${JSON.stringify(run.statuses)}`} late ${run.latePerMille.toFixed(1)} ‰${run.unanswered || run.socketErrors ? ` [${run.unanswered} unanswered, ${run.socketErrors} socket errors]` : ''}`;

/** Measures every scenario and adds its lines to `targets`. */
export async function latencyTargets(targets: Targets): Promise<void> {
  console.log(
    `Open-loop latency: ${CONNECTIONS} keep-alive connections, ${WARMUP_SECONDS} s warm-up not counted, ${SECONDS} s measured, ${RUNS} runs per server and rate; ` +
      `latency from each request's scheduled time. Capacity by ${hasWrk ? 'wrk' : 'the generator in closed loop'} at 50 connections.\n`,
  );
  for (const scenario of SCENARIOS) {
    const answer = await answerOf(scenario.api, scenario);
    const capacities: number[] = [];
    for (let run = 0; run < RUNS; run++) capacities.push(await rawCapacity(scenario, answer));
    const capacity = median(capacities);
    console.log(`${scenario.name}: raw node:http capacity ${medianWithSpread(capacities, 0)} req/s`);
    const byShare: { share: number; rate: number; ours: Run[]; raw: Run[] }[] = [];
    for (const share of SHARES) {
      const rate = Math.max(Math.round(capacity * share), 1);
      const ours: Run[] = [];
      const raw: Run[] = [];
      for (let run = 0; run < RUNS; run++) {
        raw.push(await openLoopRun((port) => startRaw(port, answer), scenario, rate));
        // The mock's log is read on its own core: the generator's core runs nothing else, as in raw's runs.
        ours.push(
          await openLoopRun((port) => startUserPathMock(scenario.api, port, { drain: 'server-core' }), scenario, rate),
        );
        console.log(
          `  ${(share * 100).toFixed(0).padStart(2)} % (${rate} req/s) run ${run + 1}: ours ${describe(ours[run])} | raw ${describe(raw[run])}`,
        );
      }
      byShare.push({ share, rate, ours, raw });
    }
    // The proof: at the highest rate raw stays fast and the generator kept its schedule; else no ratio counts.
    const highest = byShare.at(-1)!;
    const rawP99AtHighest = median(highest.raw.map((r) => r.p99Ms));
    const slips = byShare
      .flatMap(({ ours, raw }) => [...ours, ...raw].map((run) => keptSchedule(run, lateAllowance(raw))))
      .filter((kept) => !kept.ok);
    const valid = rawP99AtHighest <= RAW_P99_LIMIT_MS && slips.length === 0;
    const why = [
      rawP99AtHighest > RAW_P99_LIMIT_MS
        ? `raw's p99 at ${highest.rate} req/s is ${rawP99AtHighest.toFixed(2)} ms`
        : '',
      slips.length ? `${slips.length} runs off schedule` : '',
    ]
      .filter(Boolean)
      .join('; ');
    if (!valid)
      console.log(
        `  WARNING: ratios NOT COUNTED for ${scenario.name}: ${why} (the generator or the machine, not the server, set these figures)`,
      );
    console.log('');
    targets.add({
      target: `${scenario.name.split(' (')[0]}: raw p99 at ${(highest.share * 100).toFixed(0)} % (${highest.rate} req/s), ms`,
      figure: medianWithSpread(
        highest.raw.map((r) => r.p99Ms),
        2,
      ),
      baseline: '',
      ratio: '',
      goal: `≤ ${RAW_P99_LIMIT_MS} ms, on schedule`,
      met: valid,
      note: valid ? '' : why,
    });
    for (const { share, rate, ours, raw } of byShare) {
      const ratios = ours.map((o, i) => o.p99Ms / raw[i].p99Ms);
      const right = ours.every((o) => o.rightStatus);
      const met = median(ratios) <= P99_TARGET && right;
      targets.add({
        target: `${scenario.name.split(' (')[0]}: p99 ms at ${(share * 100).toFixed(0)} % (${rate} req/s)`,
        figure: medianWithSpread(
          ours.map((o) => o.p99Ms),
          2,
        ),
        baseline: medianWithSpread(
          raw.map((r) => r.p99Ms),
          2,
        ),
        ratio: medianWithSpread(ratios, 2),
        goal: `≤ ${P99_TARGET} × raw`,
        met: valid ? met : undefined,
        note: right ? '' : 'statuses other than the scenario’s',
      });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureBuilt();
  pinSelf();
  console.log(
    `Servers on core ${hasTaskset ? CORES.server : '(not pinned: no taskset)'}, the generator on core ${hasTaskset ? CORES.load : '-'}.`,
  );
  const targets = new Targets();
  await latencyTargets(targets);
  targets.print(
    'Targets (median of the runs, lowest–highest; baseline = raw node:http at the same rate, in the same run)',
  );
}
