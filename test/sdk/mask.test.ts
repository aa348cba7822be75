/** The key-masking rule, shared by the SDK and (through its generated copy) the mock servers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskKey as mockMaskKey } from '../../mock-server/src/auth/mask.ts';
import { maskKey } from '../../sdk/src/shared/mask.ts';
import { MVO_KEY, TVM_KEY } from './helpers.ts';

describe('maskKey', () => {
  it.each([
    [MVO_KEY, 'sk_live_', 'sk_live_Zq7R…'],
    [TVM_KEY, 'tvm_', 'tvm_q7rk…'],
    ['tvm_abcdefgh', 'tvm_', 'tvm_abcd…'], // 8 secret characters: 4 shown
    ['tvm_abc', 'tvm_', 'tvm_a…'], // never more than half of the secret part
    ['sk_live_', 'sk_live_', 'sk_live_…'],
    [TVM_KEY, 'sk_live_', 'tvm_…'], // not this API's prefix: the whole value is secret, 4 characters at most
    ['hunter2', 'tvm_', 'hun…'],
    ['ab', 'tvm_', 'a…'],
    ['a', 'tvm_', '…'],
    ['', 'tvm_', '…'],
  ])('maskKey(%j, %j) is %j', (value, prefix, masked) => {
    expect(maskKey(value, prefix)).toBe(masked);
  });

  it('never shows more than 4 secret characters, nor half of them, nor the whole value', () => {
    fc.assert(
      fc.property(fc.constantFrom('', 'tvm_', 'sk_live_'), fc.string(), (prefix, secret) => {
        const value = prefix + secret;
        const masked = maskKey(value, prefix);
        const shown = masked.slice(0, -1);
        expect(masked.endsWith('…')).toBe(true);
        expect(value.startsWith(shown)).toBe(true);
        expect(shown.length - prefix.length).toBeLessThanOrEqual(Math.min(4, Math.floor(secret.length / 2)));
        if (secret.length > 0) expect(shown).not.toBe(value);
      }),
    );
  });

  it('the mock servers mask by the same rule', () => {
    for (const [value, prefix] of [
      [MVO_KEY, 'sk_live_'],
      [TVM_KEY, 'tvm_'],
      ['tvm_abc', 'tvm_'],
      ['hunter2', 'sk_live_'],
    ]) {
      expect(mockMaskKey(value, prefix)).toBe(maskKey(value, prefix));
    }
  });
});
