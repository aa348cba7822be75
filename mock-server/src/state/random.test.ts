import { describe, expect, it } from 'vitest';
import { idSource, seededRandom, slugify } from './random.ts';

describe('slugify', () => {
  it.each([
    ['20% Off Everything', '20-off-everything'],
    ['SAVE15', 'save15'],
    ['  Spring   Collection  ', 'spring-collection'],
    ['Crème brûlée', 'creme-brulee'],
    ['Ünïcödé Straße', 'unicode-stra-e'],
    ['--already--dashed--', 'already-dashed'],
    ['!!!', ''],
    ['', ''],
    ['日本語', ''],
    ['a'.repeat(70), 'a'.repeat(60)],
    [`${'a'.repeat(59)} b`, 'a'.repeat(59)],
  ])('%j → %j', (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });
});

describe('idSource', () => {
  // Unseeded, the UUIDs are the platform's (crypto.randomUUID); seeded, made from the seed: both the same shape.
  it.each([
    ['unseeded', idSource()],
    ['seeded', idSource(seededRandom(7))],
  ])('mints version-4 UUIDs and tokens of [a-z0-9], %s', (_name, ids) => {
    const uuids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const uuid = ids.uuid();
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      uuids.add(uuid);
      expect(ids.token(12)).toMatch(/^[a-z0-9]{12}$/);
    }
    expect(uuids.size).toBe(50);
  });

  it('repeats itself from the same seed, and only then', () => {
    const run = (seed: number) => {
      const ids = idSource(seededRandom(seed));
      return [ids.uuid(), ids.token(8), ids.uuid()];
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });
});
