/**
 * @module
 * The one rule for showing an API key, in the SDK's messages and descriptions and in the mock servers' logs and
 * key listings (they use a generated copy of this file, `mock-server/src/generated/mask.ts`): the API's prefix,
 * which is public, then at most {@link VISIBLE_CHARACTERS} characters of the secret part, and never more than
 * half of it, then `…`. `maskKey('tvm_q7rk2wmx…', 'tvm_')` → `tvm_q7rk…`; a short or foreign value shows less.
 * Keep this file free of imports: it is copied as is.
 */

/** Characters of the secret part a masked key shows (the dashboards list keys by their first characters). */
export const VISIBLE_CHARACTERS = 4;

/** `value` as it may appear anywhere a person can read it; `prefix` is the API's key prefix (`sk_live_`, `tvm_`). */
export function maskKey(value: string, prefix = ''): string {
  const known = prefix !== '' && value.startsWith(prefix) ? prefix.length : 0;
  const shown = Math.min(VISIBLE_CHARACTERS, Math.floor((value.length - known) / 2));
  return `${value.slice(0, known + shown)}…`;
}
