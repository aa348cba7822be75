import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pathPattern } from './path-pattern.ts';

/** The reference: what the pattern means, as the regular expression it used to be turned into. */
function reference(glob: string, path: string): boolean {
  return new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  ).test(path);
}

describe('pathPattern', () => {
  it.each([
    ['/v1/offers', '/v1/offers', true],
    ['/v1/offers', '/v1/offers/1', false],
    ['/v1/offers*', '/v1/offers', true],
    ['/v1/offers*', '/v1/offers/offer_1', true],
    ['*', '', true],
    ['**', '/x', true],
    ['/v1/*/1', '/v1/a/b/1', true],
    ['/v1/*/1', '/v1/1', false],
    // The first and last pieces may not overlap: `/a*a` needs two a's.
    ['/a*a', '/a', false],
    ['a*b*a', 'aba', true],
    ['a*b*a', 'ab', false],
    ['/v1/a.b+(c)', '/v1/aXb+(c)', false],
  ])('%s against %s: %s', (glob, path, expected) => {
    expect(pathPattern(glob).test(path)).toBe(expected);
    expect(reference(glob, path)).toBe(expected);
  });

  it('agrees with the regular expression it replaces, on small patterns and paths', () => {
    const text = (chars: string[]) =>
      fc.array(fc.constantFrom(...chars), { maxLength: 12 }).map((list) => list.join(''));
    fc.assert(
      fc.property(text(['a', 'b', '/', '*', '.']), text(['a', 'b', '/', '.']), (glob, path) => {
        expect(pathPattern(glob).test(path)).toBe(reference(glob, path));
      }),
      { numRuns: 5000 },
    );
  });

  it('answers a pattern that makes a backtracking regex explode, on long paths, without going back', () => {
    // With the regex, one of these took minutes: every placement of seven stars over 3,000 characters.
    const hostile = pathPattern('/*a*a*a*a*a*a*b');
    expect(hostile.test(`/${'a'.repeat(3000)}`)).toBe(false);
    expect(hostile.test(`/${'a'.repeat(100_000)}`)).toBe(false);
    expect(hostile.test(`/${'a'.repeat(100_000)}b`)).toBe(true);
    const many = pathPattern(`/${'*a'.repeat(200)}*b`);
    expect(many.test(`/${'a'.repeat(50_000)}`)).toBe(false);
  });
});
