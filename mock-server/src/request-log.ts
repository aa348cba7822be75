/**
 * The CLI's request log, written without holding up answers. `console.log` per request costs a formatted,
 * immediate write to the terminal or pipe for every answer (measured: a seventh of the mock's CPU under load);
 * here lines are collected and written together, at most every `intervalMs` or once `batchBytes` have gathered,
 * and whatever is left is written when the process exits.
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

export function createRequestLog(stream: Writable, options: RequestLogOptions = {}): RequestLog {
  const { intervalMs = 25, batchBytes = 64 * 1024, maxPendingBytes = 8 * 1024 * 1024 } = options;
  let pending: string[] = [];
  let pendingBytes = 0;
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  let waitingForDrain = false;

  const writeOut = () => {
    if (dropped) {
      pending.push(`[log] ${dropped} lines dropped: the output was not being read`);
      dropped = 0;
    }
    if (!pending.length) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    pendingBytes = 0;
    if (!stream.write(text) && !waitingForDrain) {
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
      pending.push(line);
      pendingBytes += line.length + 1;
      if (pendingBytes >= batchBytes) flush();
      else timer ??= setTimeout(flush, intervalMs).unref();
    },
    flush,
  };
}
