import { describe, expect, it } from 'vitest';
import { MAX_LATENCY_MS, parseLatency, pickDelay } from './latency.ts';

describe('parseLatency', () => {
  it('parses fixed values and ranges, and refuses anything else', () => {
    expect(parseLatency('200')).toEqual({ min: 200, max: 200 });
    expect(parseLatency('10-30')).toEqual({ min: 10, max: 30 });
    expect(parseLatency('30-10')).toBeUndefined();
    expect(parseLatency('fast')).toBeUndefined();
  });

  it.each([
    [' 50 ', { min: 50, max: 50 }],
    ['100 - 300', { min: 100, max: 300 }],
    ['0', { min: 0, max: 0 }],
    ['60000', { min: MAX_LATENCY_MS, max: MAX_LATENCY_MS }],
    ['1-60000', { min: 1, max: MAX_LATENCY_MS }],
    ['60001', undefined],
    ['999999', undefined],
    ['1-60001', undefined],
    ['', undefined],
    [null, undefined],
    ['-5', undefined],
    ['1.5', undefined],
    ['1234567', undefined],
    ['10-', undefined],
  ])('%j → %j', (text, expected) => {
    expect(parseLatency(text)).toEqual(expected);
  });
});

describe('pickDelay', () => {
  it('is 0 without latency, the value when fixed, and within a range', () => {
    expect(pickDelay(undefined)).toBe(0);
    expect(pickDelay({ min: 40, max: 40 })).toBe(40);
    for (let i = 0; i < 100; i++) {
      const delay = pickDelay({ min: 10, max: 12 });
      expect([10, 11, 12]).toContain(delay);
    }
  });
});
