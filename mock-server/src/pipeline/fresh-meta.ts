/**
 * TVM's fresh `meta`, made cheaply: it is on every success answer's path.
 * - The timestamp: `isoTimestamp` (one `toISOString` per millisecond, not per answer).
 * - The request id: `req_` and 16 random hex digits, drawn from a pool of random bytes refilled 4 KiB at a time
 *   (one `getRandomValues` call per 512 ids, instead of a UUID minted, stripped and cut per answer).
 * Web APIs only: the MSW handlers run this in browsers too.
 */
import { isoTimestamp } from '../model/timestamps.ts';

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const pool = new Uint8Array(4096);
let used = pool.length;

/** 16 random lowercase hex digits. */
export function randomHex16(): string {
  if (used + 8 > pool.length) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  const b = pool;
  const i = used;
  used += 8;
  return (
    HEX_BYTES[b[i]] +
    HEX_BYTES[b[i + 1]] +
    HEX_BYTES[b[i + 2]] +
    HEX_BYTES[b[i + 3]] +
    HEX_BYTES[b[i + 4]] +
    HEX_BYTES[b[i + 5]] +
    HEX_BYTES[b[i + 6]] +
    HEX_BYTES[b[i + 7]]
  );
}

/** `{"requestId":"req_…","timestamp":"…"}` as JSON text (both values need no escaping). */
export function freshMeta(at: Date): string {
  return `{"requestId":"req_${randomHex16()}","timestamp":"${isoTimestamp(at)}"}`;
}
