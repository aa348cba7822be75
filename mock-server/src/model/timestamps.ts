/**
 * `Date#toISOString` remembered for the last millisecond asked: every answer stamps a time (TVM's `meta`, a key's
 * `last_used_at`), and under load many answers share one millisecond. Throws like `toISOString` for an invalid date.
 */
let lastMs = Number.NaN;
let lastIso = '';

export function isoTimestamp(at: Date): string {
  const ms = at.getTime();
  if (ms !== lastMs) {
    lastIso = at.toISOString();
    lastMs = ms;
  }
  return lastIso;
}
