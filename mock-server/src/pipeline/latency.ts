/**
 * Simulated latency, fixed or random in a range: from the `latency` option / `--latency`, or one request's
 * `X-Mock-Latency` header (`200` or `100-300`, milliseconds).
 */

/** Latency in ms: a fixed value or a range a random value is picked from. */
export interface Latency {
  min: number;
  max: number;
}

/** The longest delay a header or option may ask for. */
export const MAX_LATENCY_MS = 60_000;

/** `200` or `100-300` (milliseconds); undefined when the text is not one of these. */
export function parseLatency(text: string | null | undefined): Latency | undefined {
  const match = /^\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?$/.exec(text ?? '');
  if (!match) return undefined;
  const min = Math.min(Number(match[1]), MAX_LATENCY_MS);
  const max = Math.min(match[2] === undefined ? min : Number(match[2]), MAX_LATENCY_MS);
  return max < min ? undefined : { min, max };
}

export function pickDelay(latency: Latency | undefined): number {
  if (!latency) return 0;
  return latency.min + Math.floor(Math.random() * (latency.max - latency.min + 1));
}

/** Waits `ms`, or less when `signal` aborts first (a client that gave up need not be waited for). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
