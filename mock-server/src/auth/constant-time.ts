/** Hashing and comparison with Web Crypto only, so the same code runs in Node and in the browser. */
const encoder = new TextEncoder();

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/**
 * Compares two digests without stopping at the first difference: every byte is read whatever the
 * others hold, so the time taken does not tell an attacker how much of a guess was right.
 */
export function timingSafeEqual(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let difference = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) difference |= (a[i % a.length] ?? 0) ^ (b[i % b.length] ?? 0);
  return difference === 0;
}
