import { describe, expect, it } from 'vitest';
import { isoTimestamp } from '../model/timestamps.ts';
import { freshMeta, randomHex16 } from './fresh-meta.ts';

describe('fresh meta', () => {
  it('mints request ids of 16 hex digits, none repeated across refills of the random pool', () => {
    const ids = Array.from({ length: 2000 }, randomHex16);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is JSON with the request id and the time of the answer', () => {
    const at = new Date('2026-03-01T12:00:00.123Z');
    expect(JSON.parse(freshMeta(at))).toEqual({
      requestId: expect.stringMatching(/^req_[0-9a-f]{16}$/),
      timestamp: '2026-03-01T12:00:00.123Z',
    });
  });

  it('stamps each millisecond as toISOString does, and refuses an invalid date as it does', () => {
    for (const text of [
      '2026-03-01T12:00:00.123Z',
      '2026-03-01T12:00:00.124Z',
      '2026-03-01T12:00:00.124Z',
      '1999-12-31T23:59:59.999Z',
    ]) {
      expect(isoTimestamp(new Date(text))).toBe(text);
    }
    expect(() => isoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});
