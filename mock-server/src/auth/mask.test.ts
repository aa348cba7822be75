import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../fixtures/keys.ts';
import { echoed, ECHO_MAX_CHARACTERS, maskKeysIn } from './mask.ts';

const mvoKey = fixtureKey('mvo', 'key_mvo_active');
const tvmKey = fixtureKey('tvm', 'key_tvm_admin');

describe('maskKeysIn', () => {
  it("masks either API's keys wherever they stand, by the one rule", () => {
    expect(maskKeysIn(`/v1/${tvmKey}/x?api_key=${mvoKey}&b=1`)).toBe(
      `/v1/${tvmKey.slice(0, 8)}…/x?api_key=${mvoKey.slice(0, 12)}…&b=1`,
    );
  });

  it('masks a key cut short, run on into key characters, or followed by another key', () => {
    expect(maskKeysIn(mvoKey.slice(0, 30))).toBe(`${mvoKey.slice(0, 12)}…`);
    expect(maskKeysIn(`${mvoKey}x`)).toBe(`${mvoKey.slice(0, 12)}…`);
    expect(maskKeysIn(`${tvmKey}${tvmKey}`)).toBe(`${tvmKey.slice(0, 8)}…${tvmKey.slice(0, 8)}…`);
  });

  it('leaves text without a key as it is', () => {
    for (const text of ['/v1/offers/offer_abc123', 'limit=5&page=2', '/api/customers', 'sk_live_', 'tvm_'])
      expect(maskKeysIn(text)).toBe(text);
  });
});

describe('echoed', () => {
  it('bounds a quoted value and masks its keys', () => {
    expect(echoed('x'.repeat(5000))).toBe(`${'x'.repeat(ECHO_MAX_CHARACTERS)}…`);
    expect(echoed(`text/${mvoKey}`)).toBe(`text/${mvoKey.slice(0, 12)}…`);
  });
});
