/**
 * The open-loop load generator (bench/open-loop-worker.mjs, wrk2's method) from TypeScript: one run in its own
 * process on the load core, its figures back as an object. See the worker for how it schedules and measures.
 */
import { execFile } from 'node:child_process';
import { CORES, pinned, ROOT } from './lib.ts';
import type { Prepared } from './wrk.ts';

export interface OpenLoopFigures {
  mode: 'open' | 'closed';
  rate: number;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Answers to requests scheduled after the warm-up, per second of the measured window. */
  achievedRps: number;
  scheduledInWindow: number;
  answeredInWindow: number;
  /** Requests never answered (the run ended with them in flight or queued for 5 s). */
  unanswered: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** The generator's own lateness: how long after its scheduled time it noticed a due request (ms). */
  lateMaxMs: number;
  /** How many requests in a thousand it noticed more than 1 ms late. */
  latePerMille: number;
  statuses: Record<string, number>;
  socketErrors: number;
}

export interface OpenLoopPlan {
  rate: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  mode?: 'open' | 'closed';
}

/** The request as the HTTP/1.1 text the worker sends (keep-alive; it adds Content-Length itself). */
export function requestText(request: Prepared): string {
  const head = [
    `${request.method} ${request.path} HTTP/1.1`,
    'host: 127.0.0.1',
    ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`),
  ].join('\r\n');
  return request.body ? `${head}\r\n\r\n${request.body}` : head;
}

/** One run of the generator against 127.0.0.1:port. */
export function runOpenLoop(port: number, request: Prepared, plan: OpenLoopPlan): Promise<OpenLoopFigures> {
  const config = JSON.stringify({ port, request: requestText(request), ...plan });
  const [command, ...args] = pinned(CORES.load, [process.execPath, `${ROOT}bench/open-loop-worker.mjs`, config]);
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 1 << 20 }, (error, out, err) => {
      if (error) return reject(new Error(`the load generator failed: ${error.message}\n${err}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!));
    });
  });
}

/**
 * Whether the generator kept its schedule: it noticed at most `latePerMilleAllowed` requests in a thousand more than
 * 1 ms late, and every scheduled request was answered. A run that fails this measured the generator or the
 * machine, not the server. bench/latency.ts allows each run the lateness the machine showed against raw node:http
 * at the same rate (a VM's timer wake-ups make a few ‰ late whatever the server).
 */
export function keptSchedule(figures: OpenLoopFigures, latePerMilleAllowed = 1): { ok: boolean; why: string } {
  const problems = [
    figures.latePerMille > latePerMilleAllowed
      ? `${figures.latePerMille.toFixed(1)} ‰ of requests noticed > 1 ms late (allowed ${latePerMilleAllowed.toFixed(1)}, max ${figures.lateMaxMs.toFixed(1)} ms)`
      : '',
    figures.unanswered > 0 ? `${figures.unanswered} unanswered` : '',
    figures.socketErrors > 0 ? `${figures.socketErrors} socket errors` : '',
    figures.answeredInWindow < figures.scheduledInWindow * 0.999
      ? `${figures.answeredInWindow} of ${figures.scheduledInWindow} answered in the window`
      : '',
  ].filter(Boolean);
  return { ok: problems.length === 0, why: problems.join('; ') };
}
