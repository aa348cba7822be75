/** Reading HTTP messages for validation: header readers and bodies kept up to a limit, decompressed if need be. */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { HeaderReader } from '../auth/index.ts';

const utf8 = new TextDecoder();

/** The first `limit` bytes of a stream, or nothing once it has grown past them. */
export class Kept {
  #chunks: Buffer[] = [];
  #size = 0;
  constructor(readonly limit: number) {}

  add(chunk: Buffer): void {
    if (this.#size > this.limit) return;
    this.#size += chunk.length;
    if (this.#size > this.limit) this.#chunks = [];
    else this.#chunks.push(chunk);
  }

  get bytes(): Buffer | undefined {
    return this.#size > this.limit ? undefined : Buffer.concat(this.#chunks);
  }
}

/** A body as text: decompressed as its Content-Encoding says (at most `limit` bytes), else undefined. */
export function decodeBody(
  bytes: Buffer | undefined,
  encoding: string | null | undefined,
  limit: number,
): string | undefined {
  if (!bytes) return undefined;
  try {
    switch ((encoding ?? 'identity').trim().toLowerCase()) {
      case 'identity':
      case '':
        return utf8.decode(bytes);
      case 'gzip':
      case 'x-gzip':
        return utf8.decode(gunzipSync(bytes, { maxOutputLength: limit }));
      case 'deflate':
        return utf8.decode(inflateSync(bytes, { maxOutputLength: limit }));
      case 'br':
        return utf8.decode(brotliDecompressSync(bytes, { maxOutputLength: limit }));
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/**
 * Headers from raw lines (name, value, name, value…), a repeated one joined with `, ` as Fetch joins it (Node's
 * `message.headers` keeps only the first `Authorization`, which would hide a second, conflicting credential).
 */
export function rawHeaderReader(rawHeaders: readonly string[]): HeaderReader {
  return (name) => {
    let value: string | undefined;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      if (rawHeaders[i].toLowerCase() === name)
        value = value === undefined ? rawHeaders[i + 1] : `${value}, ${rawHeaders[i + 1]}`;
    }
    return value;
  };
}
