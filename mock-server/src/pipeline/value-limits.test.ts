import { describe, expect, it } from 'vitest';
import { MAX_DEPTH_KEYWORD, valueProblems } from './value-limits.ts';

/** An array nested `levels` deep: `nested(1)` is `[]`, `nested(3)` is `[[[]]]`. */
const nested = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));
const LIMIT = 32;
const deepProblems = (value: unknown) =>
  valueProblems(value, LIMIT).filter((error) => error.keyword === MAX_DEPTH_KEYWORD);

describe('the nesting bound (the value itself is level 1)', () => {
  it('accepts a value nested exactly to the bound, refuses one level more', () => {
    expect(valueProblems(nested(LIMIT), LIMIT)).toEqual([]);
    expect(valueProblems(nested(LIMIT + 1), LIMIT)).toEqual([
      {
        keyword: MAX_DEPTH_KEYWORD,
        instancePath: `${'/0'.repeat(LIMIT)}`,
        schemaPath: '#',
        params: { limit: LIMIT },
        message: 'must NOT be nested more than 32 levels deep',
      },
    ]);
  });

  it('counts objects and arrays alike, and names the first value too deep by its escaped JSON pointer', () => {
    const body = { address_data: { 'a/b': nested(LIMIT - 2) } }; // 1 + 1 + (LIMIT - 2): exactly the bound
    expect(valueProblems(body, LIMIT)).toEqual([]);
    const over = { address_data: { 'a/b': nested(LIMIT - 1) } };
    expect(deepProblems(over).map((error) => error.instancePath)).toEqual([
      `/address_data/a~1b${'/0'.repeat(LIMIT - 2)}`,
    ]);
  });

  it('scalars are not levels: a string or number at the bound is fine', () => {
    const arrays = nested(LIMIT) as unknown[][];
    let innermost: unknown[] = arrays;
    while (innermost.length) innermost = innermost[0] as unknown[];
    innermost.push('text', 1, null, true);
    expect(valueProblems(arrays, LIMIT)).toEqual([]);
  });

  it('walks 100,000 levels without overflowing the stack, and reports once for many deep siblings', () => {
    expect(deepProblems(nested(100_000))).toHaveLength(1);
    expect(deepProblems({ a: nested(50), b: nested(50), c: [nested(40), nested(40)] })).toHaveLength(1);
  });

  it('reports non-finite numbers in the same walk, beside the depth', () => {
    const problems = valueProblems({ n: Infinity, deep: nested(LIMIT) }, LIMIT);
    expect(problems.map((error) => [error.keyword, error.instancePath])).toEqual([
      [MAX_DEPTH_KEYWORD, `/deep${'/0'.repeat(LIMIT - 1)}`],
      ['type', '/n'],
    ]);
  });
});
