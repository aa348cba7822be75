/**
 * The servers the benchmarks start, each its own process pinned to the server core:
 * - the mock as `npm start` runs it (the one place to repoint when `npm start` changes),
 * - the bin running the bundled CLI (cold start), and
 * - raw node:http sending the mock's exact answer (the ceiling).
 * The mock's request log stays on and goes to a pipe this process drains, as a terminal or `| tee` would; or, where
 * this process shares its core with a load generator whose schedule is measured (the latency bench), to a `cat`
 * on the server core: reading the log is then charged to the server's core, never to the generator's.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { CORES, firstAnswerMs, freePort, pinned, rawRequest, ROOT } from './lib.ts';
import { concreteBody, type Prepared } from './wrk.ts';

/**
 * How `npm start` runs the mock CLI today: scripts/start.ts imports the bundled CLI (mock-server/dist/cli.js, what
 * the package's bin runs) and calls its `startFromCli`, request log on, in a Node started with the bin's flags (package.json
 * passes them to tsx). Repoint this (and only this) when that changes.
 */
export function userPathCommand(): string[] {
  return builtCliCommand();
}

/** The one-file bundle `npm run build` makes of the CLI (mock-server's build script, esbuild). */
export const BUNDLED_CLI = 'mock-server/dist/cli.js';
/** Builds the mock package (its bundle) when it is missing, so a bench in a fresh checkout measures the CLI, not an error. */
export function ensureBuilt(): void {
  if (existsSync(`${ROOT}${BUNDLED_CLI}`)) return;
  console.log(`Building the mock package first (npm run build --workspace mock-server): ${BUNDLED_CLI} is missing…`);
  execFileSync('npm', ['run', 'build', '--workspace', 'mock-server'], { cwd: ROOT, stdio: 'inherit' });
}

/** The CLI as users run it: the `virtual-commerce-mock` bin, which runs the bundle. What a cold start measures. */
export const BUILT_CLI = 'mock-server/bin/virtual-commerce-mock.js';
export function builtCliCommand(): string[] {
  return [process.execPath, ...binNodeFlags(), BUILT_CLI];
}

/** The Node flags the `virtual-commerce-mock` bin's shebang passes (none today: `#!/usr/bin/env node`), so a bench runs it as users do. */
export function binNodeFlags(): string[] {
  const shebang = readFileSync(`${ROOT}mock-server/bin/virtual-commerce-mock.js`, 'utf8').split('\n', 1)[0];
  return shebang.split(/\s+/).filter((part) => part.startsWith('--'));
}

export interface Server {
  child: ChildProcess;
  port: number;
  /** Lines the server wrote to stdout so far (its request log); NaN when a `cat` on the server core drains it. */
  logLines(): number;
  alive(): boolean;
  stop(): Promise<void>;
}

/** Where a server's stdout goes: read here (its lines counted), or to a `cat` pinned to the server core. */
export type LogDrain = 'here' | 'server-core';

/** Starts a command on the server core; its stdout is drained (by default here, its lines counted), stderr passes through. */
export function startServer(command: string[], port: number, drain: LogDrain = 'here'): Server {
  const [file, ...args] = pinned(CORES.server, command);
  const child = spawn(file, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  let lines = 0;
  let drainer: ChildProcess | undefined;
  if (drain === 'here')
    child.stdout!.on('data', (chunk: Buffer) => {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    });
  else {
    const [catFile, ...catArgs] = pinned(CORES.server, ['cat']);
    // The pipe's read end goes to `cat` (duplicated at spawn); this process lets go of its own.
    drainer = spawn(catFile, catArgs, { stdio: [child.stdout!, 'ignore', 'inherit'] });
    child.stdout!.destroy();
    lines = Number.NaN;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const drained = drainer && new Promise<void>((resolve) => drainer.once('exit', () => resolve()));
  return {
    child,
    port,
    logLines: () => lines,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
      await exited;
      // `cat` ends at the pipe's end, once the server is gone.
      await drained;
    },
  };
}

/**
 * Starts a server on a free port and waits for its first answer to `request` (its body made concrete as a
 * first request's), then runs `use` on it; stops it when `use` is done or throws. A server that died during
 * `use` fails the run: its figures would measure errors.
 */
export async function withServer<T>(
  start: (port: number) => Server,
  request: Prepared,
  use: (server: Server) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const server = start(port);
  try {
    await firstAnswerMs(
      port,
      rawRequest(request.method, request.path, request.headers, concreteBody(request.body, 'first')),
      performance.now(),
      server.alive,
    );
    const result = await use(server);
    if (!server.alive()) throw new Error('the server died under load');
    return result;
  } finally {
    await server.stop();
  }
}

/** BENCH_OURS=built measures the built CLI in place of the user path (the same options, log on). */
export function oursCommand(): string[] {
  return process.env.BENCH_OURS === 'built' ? builtCliCommand() : userPathCommand();
}

/**
 * The mock of one API as users run it, rate limits reported but not enforced (a load test would be all 429s).
 * `nodeFlags` go to Node before the script (a profiler's `--cpu-prof`).
 */
export function startUserPathMock(
  api: 'mvo' | 'tvm',
  port: number,
  options: { stateless?: boolean; args?: string[]; nodeFlags?: string[]; drain?: LogDrain } = {},
): Server {
  const [node, ...script] = oursCommand();
  return startServer(
    [
      node,
      ...(options.nodeFlags ?? []),
      ...script,
      '--api',
      api,
      `--${api}-port`,
      String(port),
      '--rate-limits',
      'off',
      ...(options.stateless ? ['--stateless'] : []),
      ...(options.args ?? []),
    ],
    port,
    options.drain,
  );
}

/**
 * Raw node:http answering every request with this status, these headers and this body. `http`: how node:http is
 * loaded (bench/raw-server.mjs): as most servers do, or as the mock does.
 */
export function startRaw(
  port: number,
  answer: { status: number; headers: Record<string, string>; body?: string },
  http: 'import' | 'builtin' = 'import',
): Server {
  return startServer([process.execPath, 'bench/raw-server.mjs', String(port), JSON.stringify(answer), http], port);
}
