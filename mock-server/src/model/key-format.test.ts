import { describe, expect, it } from 'vitest';
import { mintKey, parseKeyFormat } from './key-format.ts';

describe('parseKeyFormat: one pattern serves checking and minting', () => {
  it.each([
    ['^sk_live_[A-Za-z0-9]{48}$', 'sk_live_', 62, 48],
    ['^tvm_[a-z0-9]{32}$', 'tvm_', 36, 32],
    ['^k_[ab]{3}$', 'k_', 2, 3],
  ])('%s → prefix %s, %i characters, %i after it', (pattern, prefix, alphabetSize, length) => {
    const format = parseKeyFormat(pattern, prefix);
    expect([format.prefix, format.alphabet.length, format.length]).toEqual([prefix, alphabetSize, length]);
    expect(format.pattern.source).toBe(pattern);
  });

  it.each([
    ['a pattern of another shape', '^sk_live_\\w+$', 'sk_live_'],
    ['a prefix the pattern does not start with', '^tvm_[a-z0-9]{32}$', 'sk_'],
    ['no anchors', 'tvm_[a-z0-9]{32}', 'tvm_'],
    ['two character classes', '^tvm_[a-z]{2}[0-9]{30}$', 'tvm_'],
  ])('refuses %s, at start-up, saying what it supports', (_label, pattern, prefix) => {
    expect(() => parseKeyFormat(pattern, prefix)).toThrow(
      /Unsupported key pattern .*expected \^<prefix>\[<class>\]\{<length>\}\$/,
    );
  });
});

describe('mintKey', () => {
  it.each([
    ['^sk_live_[A-Za-z0-9]{48}$', 'sk_live_'],
    ['^tvm_[a-z0-9]{32}$', 'tvm_'],
  ])('mints keys its own pattern accepts (%s), each different', (pattern, prefix) => {
    const format = parseKeyFormat(pattern, prefix);
    const keys = Array.from({ length: 50 }, () => mintKey(format));
    for (const key of keys) expect(key).toMatch(format.pattern);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('uses every character of the class', () => {
    const format = parseKeyFormat('^k_[abc]{30}$', 'k_');
    const seen = new Set(Array.from({ length: 20 }, () => mintKey(format).slice(2)).join(''));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
  });
});
