/**
 * `npm run bench:start`: cold start, hyperfine-style. The time from spawning a process to its first answer on
 * GET /v1/shop, for the mock CLI as users run it (the `virtual-commerce-mock` bin, which runs the bundled
 * mock-server/dist/cli.js: both mocks, request log on) and for raw node:http (bench/raw-server.mjs) measured in
 * the same run, taking turns. One untimed start of each first (it warms the file cache), then BENCH_START_RUNS
 * (15) timed ones; prints every run, the medians with their spread, and the target: ours ≤ 1.4 × raw.
 * Raw node:http is started two ways: importing node:http as most servers do (`import … from 'node:http'`; the
 * target's baseline, as issue 30 measured it) and loading it as the mock does (`process.getBuiltinModule`), which
 * on Node ≥ 22 skips some 40 ms of undici that the ES import loads: the second line shows the mock against that floor.
 * The process runs on the server core, the polling client (bare sockets, every 2 ms) on the load core.
 */
import { firstAnswerMs, freePort, median, medianWithSpread, pinSelf, rawRequest, ROOT } from './lib.ts';
import { BUILT_CLI, builtCliCommand, ensureBuilt, startRaw, startServer, type Server } from './processes.ts';
import { answerOf, GET_SHOP, tvmAdmin } from './scenarios.ts';
import { Targets } from './targets.ts';

const RUNS = Math.max(Number(process.env.BENCH_START_RUNS ?? 15), 1);
export const START_TARGET = 1.4;

async function timeToFirstAnswer(start: (port: number) => Server, port: number): Promise<number> {
  const started = performance.now();
  const server = start(port);
  try {
    return await firstAnswerMs(port, rawRequest('GET', '/v1/shop', tvmAdmin), started, server.alive);
  } finally {
    await server.stop();
  }
}

export async function coldStarts(runs = RUNS): Promise<{ ours: number[]; raw: number[]; rawBuiltin: number[] }> {
  const rawAnswer = await answerOf('tvm', GET_SHOP);
  // The CLI's default: both mocks. TVM starts second, so its first answer means both are up.
  const ours = async () => {
    const [mvoPort, tvmPort] = [await freePort(), await freePort()];
    return timeToFirstAnswer(
      (port) => startServer([...builtCliCommand(), '--mvo-port', String(mvoPort), '--tvm-port', String(port)], port),
      tvmPort,
    );
  };
  const raw = async () => timeToFirstAnswer((port) => startRaw(port, rawAnswer), await freePort());
  const rawBuiltin = async () => timeToFirstAnswer((port) => startRaw(port, rawAnswer, 'builtin'), await freePort());
  await ours();
  await raw();
  await rawBuiltin();
  const figures = { ours: [] as number[], raw: [] as number[], rawBuiltin: [] as number[] };
  const turns: [keyof typeof figures, () => Promise<number>][] = [
    ['ours', ours],
    ['raw', raw],
    ['rawBuiltin', rawBuiltin],
  ];
  for (let run = 0; run < runs; run++) {
    // Each run starts with another of the three, so none always follows the same one.
    for (let turn = 0; turn < turns.length; turn++) {
      const [name, start] = turns[(run + turn) % turns.length];
      figures[name].push(await start());
    }
  }
  return figures;
}

/** Measures the cold starts and adds the target's line. */
export async function startTargets(targets: Targets): Promise<void> {
  const { ours, raw, rawBuiltin } = await coldStarts();
  const command = builtCliCommand()
    .map((part) => part.replace(process.execPath, 'node').replace(ROOT, ''))
    .join(' ');
  console.log(`Cold start, spawn to the first answer of GET /v1/shop, ${ours.length} runs each:`);
  console.log(`  ours (\`${command}\`, both mocks, log on): ${ours.map((ms) => ms.toFixed(0)).join(' ')} ms`);
  console.log(`  raw node:http (bench/raw-server.mjs):     ${raw.map((ms) => ms.toFixed(0)).join(' ')} ms`);
  console.log(`  raw, node:http loaded as the mock does:   ${rawBuiltin.map((ms) => ms.toFixed(0)).join(' ')} ms\n`);
  const ratio = median(ours) / median(raw);
  targets.add({
    target: 'Cold start to the first answer, ms',
    figure: medianWithSpread(ours, 0),
    baseline: medianWithSpread(raw, 0),
    ratio: ratio.toFixed(2),
    goal: `≤ ${START_TARGET} × raw`,
    met: ratio <= START_TARGET,
  });
  targets.add({
    target: 'Cold start, against raw loading node:http as the mock does',
    figure: medianWithSpread(ours, 0),
    baseline: medianWithSpread(rawBuiltin, 0),
    ratio: (median(ours) / median(rawBuiltin)).toFixed(2),
    goal: `(${START_TARGET} × raw: info)`,
    met: 'info',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureBuilt();
  pinSelf();
  console.log(`${BUILT_CLI} against raw node:http, medians of ${RUNS} runs (lowest–highest).\n`);
  const targets = new Targets();
  await startTargets(targets);
  targets.print('Targets (median of the runs, lowest–highest; baseline = raw node:http in the same run)');
}
