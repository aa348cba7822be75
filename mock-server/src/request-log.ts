/**
 * The CLI's request log, written without holding up answers. `console.log` per request costs a formatted,
 * immediate write to the terminal or pipe for every answer (measured: a seventh of the mock's CPU under load);
 * here lines are collected and written together, at most every `intervalMs` or once `batchBytes` have gathered,
 * and whatever is left is written when the process exits.
 *
 * Lines are encoded into a byte buffer as they come, not kept as strings: a string waiting up to `intervalMs`
 * for its batch outlived V8's young generation under load, and the log's whole output was promoted to the old
 * generation and grew the mock's memory by the log's own rate until the next full collection.
 *
 * A reader that stops reading (a paused terminal, a full pipe) must not make the mock hold every line it will
 * ever write: while the stream asks to drain, lines wait, up to `maxPendingBytes`; past that they are counted,
 * not kept, and the count is written as a line of its own once the stream takes data again.
 */
import type { Writable } from 'node:stream';

export interface RequestLogOptions {
  intervalMs?: number;
  batchBytes?: number;
  maxPendingBytes?: number;
}

export interface RequestLog {
  write(line: string): void;
  /** Writes what has gathered now (unless the stream is still draining). */
  flush(): void;
}

const NEWLINE = 10;

/**
 * `output`: the stream, or a function giving it on the first write (`() => process.stdout`: Node makes its stdout
 * stream on first touch, a few milliseconds the CLI need not spend before its first answer).
 */
export function createRequestLog(output: Writable | (() => Writable), options: RequestLogOptions = {}): RequestLog {
  let made: Writable | undefined;
  const streamOf = () => (made ??= typeof output === 'function' ? output() : output);
  const { intervalMs = 25, batchBytes = 64 * 1024, maxPendingBytes = 8 * 1024 * 1024 } = options;
  // Room for a full batch and one more line after it (a request line is at most a few KiB: Node caps headers at 16 KiB).
  const chunkBytes = Math.max(2 * batchBytes, 64 * 1024);
  /** Full buffers waiting for the stream to drain, then the one being filled. */
  let sealed: Buffer[] = [];
  let chunk = Buffer.allocUnsafe(chunkBytes);
  let used = 0;
  let pendingBytes = 0;
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  let waitingForDrain = false;

  const append = (line: string) => {
    // Encoded UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const worst = line.length * 3 + 1;
    if (used + worst > chunk.length) {
      if (used > 0) sealed.push(chunk.subarray(0, used));
      chunk = Buffer.allocUnsafe(Math.max(chunkBytes, worst));
      used = 0;
    }
    const bytes = chunk.write(line, used) + 1;
    chunk[used + bytes - 1] = NEWLINE;
    used += bytes;
    pendingBytes += bytes;
  };

  const writeOut = () => {
    if (dropped) {
      append(`[log] ${dropped} lines dropped: the output was not being read`);
      dropped = 0;
    }
    if (pendingBytes === 0) return;
    if (used > 0) sealed.push(chunk.subarray(0, used));
    const data = sealed.length === 1 ? sealed[0] : Buffer.concat(sealed);
    // The stream owns the written bytes until it has written them: the next lines go into a new buffer.
    sealed = [];
    chunk = Buffer.allocUnsafe(chunkBytes);
    used = 0;
    pendingBytes = 0;
    const stream = streamOf();
    if (!stream.write(data) && !waitingForDrain) {
      waitingForDrain = true;
      stream.once('drain', () => {
        waitingForDrain = false;
        flush();
      });
    }
  };

  function flush(): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (!waitingForDrain) writeOut();
  }

  // Best effort at exit: pipes and terminals take a synchronous write attempt, files are written synchronously.
  process.once('exit', writeOut);

  return {
    write(line) {
      if (pendingBytes > maxPendingBytes) {
        dropped++;
        return;
      }
      append(line);
      if (pendingBytes >= batchBytes) flush();
      else timer ??= setTimeout(flush, intervalMs).unref();
    },
    flush,
  };
}
