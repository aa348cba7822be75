import { describe, expect, it } from 'vitest';
import { KeyStore, maskKey, readCredential, sha256, timingSafeEqual } from '../../mock-server/src/auth/index.ts';
import { FIXTURE_KEYS, fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { apiModel, mintKey } from '../../mock-server/src/model/index.ts';

const mvo = apiModel('mvo');
const tvm = apiModel('tvm');
const key = fixtureKey('mvo', 'key_mvo_active');
const headers = (values: Record<string, string>) => (name: string) => values[name];

describe('readCredential (MVO: X-API-Key or Bearer)', () => {
  it.each([
    ['X-API-Key', { 'x-api-key': key }, key],
    ['Bearer', { authorization: `Bearer ${key}` }, key],
    ['lower-case bearer', { authorization: `bearer ${key}` }, key],
    ['upper-case BEARER', { authorization: `BEARER ${key}` }, key],
    ['several spaces and a tab', { authorization: `Bearer  \t ${key}  ` }, key],
    ['X-API-Key with surrounding spaces', { 'x-api-key': `  ${key} ` }, key],
    ['X-API-Key wins over Bearer', { 'x-api-key': key, authorization: 'Bearer other' }, key],
    ['empty X-API-Key falls back to Bearer', { 'x-api-key': '  ', authorization: `Bearer ${key}` }, key],
  ])('%s → the key', (_label, values, expected) => {
    const credential = readCredential(headers(values), mvo.schemes);
    expect(credential.present && credential.key).toBe(expected);
  });

  it.each([
    ['no header', {}],
    ['Bearer with nothing after it', { authorization: 'Bearer' }],
    ['Bearer and spaces only', { authorization: 'Bearer    ' }],
    ['Basic credentials', { authorization: `Basic ${btoa('user:pass')}` }],
    ['key without scheme', { authorization: key }],
    ['Bearer glued to the key', { authorization: `Bearer${key}` }],
  ])('%s → missing', (_label, values) => {
    expect(readCredential(headers(values), mvo.schemes).present).toBe(false);
  });

  it('TVM reads only Bearer: a key in X-API-Key counts as missing', () => {
    const tvmKey = fixtureKey('tvm', 'key_tvm_admin');
    expect(readCredential(headers({ 'x-api-key': tvmKey }), tvm.schemes).present).toBe(false);
    expect(readCredential(headers({ authorization: `Bearer ${tvmKey}` }), tvm.schemes)).toMatchObject({
      present: true,
      key: tvmKey,
    });
  });
});

describe('maskKey', () => {
  it('shows the prefix and four characters, never the whole key', () => {
    expect(maskKey(key, 'sk_live_')).toBe(`${key.slice(0, 12)}…`);
    expect(maskKey('tvm_abcdefgh', 'tvm_')).toBe('tvm_abcd…');
  });
  it('never shows a short value whole', () => {
    for (const value of ['a', 'ab', 'sk_live_', 'sk_live_abc', 'tvm_x'])
      expect(maskKey(value, 'sk_live_')).not.toBe(value);
  });
});

describe('timingSafeEqual', () => {
  it('answers equality of digests', async () => {
    expect(timingSafeEqual(await sha256('a'), await sha256('a'))).toBe(true);
    expect(timingSafeEqual(await sha256('a'), await sha256('b'))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });

  it('reads every byte even when the first one differs (no short-circuit)', async () => {
    const reads: number[] = [];
    const counting = (bytes: Uint8Array) =>
      new Proxy(bytes, {
        get(target, property) {
          if (typeof property === 'string' && /^\d+$/.test(property)) reads.push(Number(property));
          return Reflect.get(target, property);
        },
      });
    const a = await sha256('first');
    const b = new Uint8Array(a);
    b[0] ^= 0xff;
    timingSafeEqual(counting(a), counting(b));
    const readsWhenFirstDiffers = reads.length;
    reads.length = 0;
    timingSafeEqual(counting(a), counting(new Uint8Array(a)));
    expect(readsWhenFirstDiffers).toBe(64);
    expect(reads.length).toBe(64);
  });
});

describe('KeyStore', () => {
  it('keeps digests, not keys, and finds a key by its digest', async () => {
    const store = await KeyStore.create(mvo, FIXTURE_KEYS.mvo);
    const serialised = JSON.stringify(store.list(), (_k, value) => (value instanceof Uint8Array ? [...value] : value));
    for (const seed of FIXTURE_KEYS.mvo) expect(serialised).not.toContain(seed.key!);
    expect((await store.find(key))?.id).toBe('key_mvo_active');
    expect(await store.find(key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a'))).toBeUndefined();
  });

  it('mints keys in the documented format of each API', () => {
    for (let i = 0; i < 50; i++) {
      expect(mintKey(mvo.keyFormat)).toMatch(/^sk_live_[A-Za-z0-9]{48}$/);
      expect(mintKey(tvm.keyFormat)).toMatch(/^tvm_[a-z0-9]{32}$/);
    }
  });
});

describe('KeyStore digests', () => {
  it('finds the same keys with Web Crypto and with a synchronous node:crypto digest', async () => {
    const { createHash } = await import('node:crypto');
    const web = await KeyStore.create(tvm, FIXTURE_KEYS.tvm);
    const node = await KeyStore.create(tvm, FIXTURE_KEYS.tvm, (text) => createHash('sha256').update(text).digest());
    for (const seed of FIXTURE_KEYS.tvm) {
      expect((await web.find(seed.key!))?.id).toBe(seed.id);
      expect((await node.find(seed.key!))?.id).toBe(seed.id);
    }
    expect(await sha256('abc')).toEqual(new Uint8Array(createHash('sha256').update('abc').digest()));
  });
});
