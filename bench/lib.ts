/**
 * What the benchmarks share: CPU pinning, the statistics they print (median and spread of repeated runs),
 * a process's resident memory, and the time until a freshly started server first answers.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

export { freePort } from '../scripts/free-port.ts';

export const ROOT = new URL('..', import.meta.url).pathname;

/**
 * On a 2-core machine the server under test and the load generator must not take turns on one core: the
 * server gets core 0, wrk and this script core 1 (BENCH_SERVER_CORE / BENCH_LOAD_CORE override them).
 * Without `taskset` nothing is pinned and the figures say so.
 */
export const CORES = { server: process.env.BENCH_SERVER_CORE ?? '0', load: process.env.BENCH_LOAD_CORE ?? '1' };
export const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-c', CORES.load, 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A command line run on one core (children inherit the pinning: the server's GC and I/O threads stay there too). */
export function pinned(core: string, command: string[]): string[] {
  return hasTaskset ? ['taskset', '-c', core, ...command] : command;
}

/** Pins this process (every thread of it) to the load generator's core, so it never competes with the server. */
export function pinSelf(): void {
  if (hasTaskset) execFileSync('taskset', ['-a', '-c', '-p', CORES.load, String(process.pid)], { stdio: 'ignore' });
}

/** `wrk --version` exits 1 but exists. */
export const hasWrk = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as { status?: number }).status === 1;
  }
})();

/** Resident set size of a process, in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc; clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `12.3 (11.9–12.8)`: the median of the runs, then their lowest and highest. */
export function medianWithSpread(values: readonly number[], digits: number): string {
  const text = (value: number) => value.toFixed(digits);
  return values.length > 1
    ? `${text(median(values))} (${text(Math.min(...values))}–${text(Math.max(...values))})`
    : text(values[0]);
}

/** The status of the answer a server on this port gives `request` (raw HTTP/1.1 bytes); undefined if none came. */
export function answerStatus(port: number, request: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.once('data', (chunk) => {
      socket.destroy();
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(chunk.toString('latin1'));
      resolve(match ? Number(match[1]) : undefined);
    });
    socket.once('error', () => resolve(undefined));
    socket.once('close', () => resolve(undefined));
  });
}

/**
 * Milliseconds from `started` until a server on this port answers `request`. Polls with bare sockets: no HTTP
 * client to initialise on this side, so the figure is the server's.
 */
export async function firstAnswerMs(
  port: number,
  request: string,
  started: number,
  isAlive: () => boolean,
): Promise<number> {
  for (;;) {
    if (!isAlive()) throw new Error(`the server on port ${port} exited before answering`);
    if ((await answerStatus(port, request)) !== undefined) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** One request as raw HTTP/1.1 bytes (the first-answer probe sends it). */
export function rawRequest(method: string, path: string, headers: Record<string, string>, body = ''): string {
  const lines = [
    `${method} ${path} HTTP/1.1`,
    'host: 127.0.0.1',
    'connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  if (body) lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
