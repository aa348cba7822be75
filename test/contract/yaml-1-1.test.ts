/**
 * Every YAML description loads the same in a YAML 1.1 loader (js-yaml, PyYAML, SnakeYAML) as in a 1.2 one: no
 * unquoted `2024-01-15T10:30:00.000Z` turning into a date, no `yes` or `on` into a boolean. The bundles are what
 * other teams feed their generators; the sources are what Redocly reads.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = new URL('../../', import.meta.url).pathname;

function yamlFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return name === 'released' ? [] : yamlFiles(path);
    return name.endsWith('.yaml') ? [path] : [];
  });
}

/** Dotted paths of the values where the two loaders disagree. */
function differences(a: unknown, b: unknown, at = '$'): string[] {
  if (a instanceof Date || b instanceof Date) return [`${at}: a date`];
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b))
    return [`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
  if (a && typeof a === 'object') {
    return Object.keys(a).flatMap((key) => differences((a as any)[key], (b as any)?.[key], `${at}.${key}`));
  }
  return a === b ? [] : [`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}

describe('YAML descriptions under a YAML 1.1 loader', () => {
  const files = yamlFiles('openapi');
  it('finds the bundles and the sources', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'openapi/generated/mvo.yaml',
        'openapi/generated/tvm.yaml',
        'openapi/generated/mock.yaml',
        'openapi/tvm/openapi.yaml',
      ]),
    );
  });
  it.each(files)('%s: no dates, no booleans from strings', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const yaml11 = parse(text, { version: '1.1' }); // resolves timestamps to Date, yes/on to true, as js-yaml does
    const yaml12 = parse(text, { version: '1.2' });
    expect(differences(yaml11, yaml12, file)).toEqual([]);
  });
  it('the check sees a date: an unquoted timestamp is caught', () => {
    expect(
      differences(parse('at: 2024-01-15T10:30:00.000Z', { version: '1.1' }), parse('at: 2024-01-15T10:30:00.000Z')),
    ).toEqual(['$.at: a date']);
  });
});
