import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonChunks } from './json-chunks.ts';

describe('jsonChunks', () => {
  it('joins to exactly what JSON.stringify writes, whatever the depth and chunk size', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 64 }),
        (value, depth, size) => {
          expect([...jsonChunks(value, depth, size)].join('')).toBe(JSON.stringify(value));
        },
      ),
    );
  });

  it('leaves out what JSON.stringify leaves out, and writes undefined array items as null', () => {
    const value = { a: undefined, b: () => 1, c: [undefined, 1], d: { e: undefined }, f: new Date(0) };
    expect([...jsonChunks(value, 5, 1 << 20)].join('')).toBe(JSON.stringify(value));
  });

  it('cuts a large document into pieces of about the size asked for', () => {
    const records = Array.from({ length: 2000 }, (_, i) => ({ id: `offer_${i}`, title: 'x'.repeat(100) }));
    const chunks = [...jsonChunks({ tvm: { accounts: { default: { offers: records } } } }, 5, 16_384)];
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeLessThan(16_384 + 200);
    expect(JSON.parse(chunks.join('')).tvm.accounts.default.offers).toEqual(records);
  });
});
