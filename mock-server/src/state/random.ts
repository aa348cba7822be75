/**
 * Where the stateful mocks get their ids and slug suffixes: `Math.random` by default, or a seeded
 * generator so two mocks fed the same requests mint the same ids (the parity tests rely on it).
 */
export type Random = () => number;

/** A small seeded generator (mulberry32): deterministic, not for secrets. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

export interface IdSource {
  /**
   * Whether the ids repeat from run to run (a seeded generator): only then can a new id be one already stored
   * (the same seed replayed in one mock), and is worth checking. Math.random's ids are never checked: 12
   * characters of [a-z0-9] collide once in about 2^31 ids made, a check costs a lookup in the largest map on every create.
   */
  readonly repeatable: boolean;
  /** A version-4 UUID. */
  uuid(): string;
  /** `length` characters of [a-z0-9]. */
  token(length: number): string;
}

export function idSource(random: Random = Math.random): IdSource {
  const pick = (alphabet: string) => alphabet[Math.floor(random() * alphabet.length)];
  // Unseeded, the platform's UUIDs: a quarter of the time of 32 picks (measured 0.25 against 1.1 µs), on every
  // MVO create. Web Crypto has none outside secure contexts (a page served over plain HTTP from another host).
  const platformUuid = random === Math.random ? globalThis.crypto?.randomUUID?.bind(globalThis.crypto) : undefined;
  return {
    repeatable: random !== Math.random,
    uuid() {
      if (platformUuid) return platformUuid();
      let hex = '';
      for (let i = 0; i < 32; i++) hex += i === 12 ? '4' : i === 16 ? HEX[8 + Math.floor(random() * 4)] : pick(HEX);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
    token(length) {
      let text = '';
      for (let i = 0; i < length; i++) text += pick(TOKEN_ALPHABET);
      return text;
    },
  };
}

const NON_ASCII = /[^\x00-\x7f]/;

/** `20% Off Everything` → `20-off-everything`. */
export function slugify(text: string): string {
  // Only text beyond ASCII can carry accents to strip (é → e); most titles are ASCII and skip the Unicode work.
  const plain = NON_ASCII.test(text) ? text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : text;
  return plain
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}
