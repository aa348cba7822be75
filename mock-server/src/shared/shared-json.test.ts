import { describe, expect, it } from 'vitest';
import { spec as tvmSpec } from '../generated/tvm.spec.ts';
import { inflate, shareRepeats } from './shared-json.ts';

const roundTrip = (value: unknown) => inflate(JSON.parse(JSON.stringify(shareRepeats(value))));

describe('shareRepeats and inflate', () => {
  it('give back the same JSON, for scalars, arrays and nested repeats', () => {
    const part = { type: 'string', format: 'date-time', maxLength: 64 };
    const cases: unknown[] = [
      null,
      'text',
      42,
      [],
      {},
      { a: part, b: [part, { nested: part }], c: { deeper: { again: [part, part] } } },
      [
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
      ],
    ];
    for (const value of cases) expect(roundTrip(value)).toEqual(value);
  });

  it('write a repeated part once and share one object for it', () => {
    const part = { type: 'string', format: 'date-time', maxLength: 64 };
    const encoded = shareRepeats({ one: part, two: part, three: { inner: part } });
    expect(encoded.shared).toHaveLength(1);
    const doc = inflate<Record<string, any>>(JSON.parse(JSON.stringify(encoded)));
    expect(doc.one).toBe(doc.two);
    expect(doc.three.inner).toBe(doc.one);
  });

  it('refuse a document that already holds the marker', () => {
    expect(() => shareRepeats({ a: { $shared: 1 } })).toThrow(/\$shared/);
  });

  it('round-trip the embedded TVM description (the build writes it this way)', () => {
    const text = JSON.stringify(tvmSpec);
    const encoded = JSON.stringify(shareRepeats(tvmSpec));
    expect(encoded.length).toBeLessThan(text.length / 3);
    expect(JSON.stringify(inflate(JSON.parse(encoded)))).toBe(text);
  });
});
