/**
 * Milliseconds from a monotonic clock, for request durations (the log, the journal). In Node the `performance`
 * global loads perf_hooks on first touch (eleven modules, about a millisecond, on the first request's path: the
 * cold start measures it); `process.hrtime` is part of every Node process. Elsewhere (a browser running the MSW
 * handlers) `performance.now()`.
 */
const hrtime = (globalThis as { process?: { hrtime?: { bigint?: () => bigint } } }).process?.hrtime;

export const monotonicMs: () => number = hrtime?.bigint
  ? () => Number(hrtime.bigint!()) / 1e6
  : () => performance.now();
