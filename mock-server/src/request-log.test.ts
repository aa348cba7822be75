import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRequestLog } from './request-log.ts';

/** A stream that records each write; `stalled` keeps every write pending, like a pipe nobody reads. */
function sink(options: { stalled?: boolean; highWaterMark?: number } = {}) {
  const writes: string[] = [];
  const held: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16_384,
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString());
      if (options.stalled) held.push(done);
      else done();
    },
  });
  return {
    stream,
    writes,
    release: () => {
      for (const done of held.splice(0)) done();
    },
  };
}

describe('request log', () => {
  afterEach(() => vi.useRealTimers());

  it('writes the lines of one interval together, in order, with nothing lost', () => {
    vi.useFakeTimers();
    const { stream, writes } = sink();
    const log = createRequestLog(stream, { intervalMs: 25 });
    for (let i = 0; i < 100; i++) log.write(`GET /v1/shop 200 0.${i % 10}ms key=tvm_ab12…`);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(25);
    expect(writes).toHaveLength(1);
    expect(writes[0].split('\n').slice(0, -1)).toEqual(
      Array.from({ length: 100 }, (_, i) => `GET /v1/shop 200 0.${i % 10}ms key=tvm_ab12…`),
    );
  });

  it('asks for a stream given as a function only when it first writes, and once', () => {
    vi.useFakeTimers();
    const { stream, writes } = sink();
    let asked = 0;
    const log = createRequestLog(
      () => {
        asked++;
        return stream;
      },
      { intervalMs: 25 },
    );
    log.flush();
    expect(asked).toBe(0); // nothing to write: no stream made (the CLI's stdout is made after its first answer)
    log.write('GET /v1/shop 200 0.4ms');
    expect(asked).toBe(0);
    vi.advanceTimersByTime(25);
    log.write('GET /v1/shop 200 0.3ms');
    log.flush();
    expect(asked).toBe(1);
    expect(writes.join('')).toBe('GET /v1/shop 200 0.4ms\nGET /v1/shop 200 0.3ms\n');
  });

  it('writes at once when a batch is full, and on flush()', () => {
    vi.useFakeTimers();
    const { stream, writes } = sink();
    const log = createRequestLog(stream, { batchBytes: 20 });
    log.write('0123456789');
    expect(writes).toEqual([]);
    log.write('abcdefghij');
    expect(writes).toEqual(['0123456789\nabcdefghij\n']);
    log.write('last');
    log.flush();
    expect(writes).toEqual(['0123456789\nabcdefghij\n', 'last\n']);
  });

  it('keeps lines intact whatever their characters and length, one after another', () => {
    vi.useFakeTimers();
    const { stream, writes } = sink();
    const log = createRequestLog(stream, { batchBytes: 64 });
    const lines = [
      'GET /v1/offers?q=café 200 0.1ms key=-',
      'GET /ünïcödé/😀 404 0.1ms key=-',
      `GET /${'x'.repeat(200_000)} 431 0.0ms key=-`,
      'last',
    ];
    for (const line of lines) log.write(line);
    log.flush();
    expect(writes.join('')).toBe(`${lines.join('\n')}\n`);
  });

  it('holds lines while the stream drains, then writes them; past the bound it counts them instead', async () => {
    const { stream, writes, release } = sink({ stalled: true, highWaterMark: 4 });
    const log = createRequestLog(stream, { maxPendingBytes: 30 });
    log.write('first');
    log.flush(); // the stream is now over its mark and asks to drain
    for (const line of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q'])
      log.write(`line ${line}`);
    log.flush();
    expect(writes).toEqual(['first\n']);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(writes[1].split('\n')).toEqual([
      'line a',
      'line b',
      'line c',
      'line d',
      'line e',
      '[log] 12 lines dropped: the output was not being read',
      '',
    ]);
  });
});
