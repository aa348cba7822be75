/**
 * Simulated latency, fixed or random in a range: from the `latency` option / `--latency`, one request's
 * `X-Mock-Latency` header (`200` or `100-300`, milliseconds), or a scenario's `latency`.
 */
import { spec as controlSpec } from '../generated/mock.spec.ts';

/** Latency in ms: a fixed value or a range a random value is picked from. */
export interface Latency {
  min: number;
  max: number;
}

/** The longest delay anything may ask for: the control API's `ScenarioLatency` maximum (openapi/mock/), 60,000 ms. */
export const MAX_LATENCY_MS: number = controlSpec.components.schemas.ScenarioLatency.maximum;

/** What a latency text must be, for messages. */
export const LATENCY_RULE = `milliseconds (200) or a range (100-300), at most ${MAX_LATENCY_MS}`;

/** `200` or `100-300` (milliseconds, at most MAX_LATENCY_MS); undefined when the text is not one of these. */
export function parseLatency(text: string | null | undefined): Latency | undefined {
  const match = /^\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?$/.exec(text ?? '');
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  return max < min || max > MAX_LATENCY_MS ? undefined : { min, max };
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
