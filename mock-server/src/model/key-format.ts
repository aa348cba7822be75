/**
 * Reads a key format such as `^sk_live_[A-Za-z0-9]{48}$` from the spec, so the mock can both check and
 * mint keys without retyping the pattern.
 */
import type { KeyFormat } from './types.ts';

const SHAPE = /^\^([^[\\]*)\[([^\]]+)\]\{(\d+)\}\$$/;

function expandClass(charClass: string): string {
  let out = '';
  for (let i = 0; i < charClass.length; i++) {
    if (charClass[i + 1] === '-' && i + 2 < charClass.length) {
      for (let c = charClass.charCodeAt(i); c <= charClass.charCodeAt(i + 2); c++) out += String.fromCharCode(c);
      i += 2;
    } else out += charClass[i];
  }
  return out;
}

export function parseKeyFormat(pattern: string, prefix: string): KeyFormat {
  const match = SHAPE.exec(pattern);
  if (!match || match[1] !== prefix) {
    throw new Error(`Unsupported key pattern ${pattern}: expected ^<prefix>[<class>]{<length>}$ with prefix ${prefix}`);
  }
  return { prefix, pattern: new RegExp(pattern), alphabet: expandClass(match[2]), length: Number(match[3]) };
}

/** A fresh random key of this format (Web Crypto: runs in Node and browsers). */
export function mintKey(format: KeyFormat): string {
  const bytes = crypto.getRandomValues(new Uint8Array(format.length * 2));
  let body = '';
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % format.alphabet.length);
  for (const byte of bytes) {
    if (byte < limit) body += format.alphabet[byte % format.alphabet.length];
    if (body.length === format.length) return format.prefix + body;
  }
  return mintKey(format);
}
