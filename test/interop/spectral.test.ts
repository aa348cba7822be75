/**
 * Spectral's OpenAPI rules (`spectral:oas`) over the bundled descriptions, run as a user would with the
 * repository's `.spectral.yaml`: no result at any severity. Its exceptions are few, each says why, and
 * each must still be needed: run without them, Spectral reports exactly what they switch off.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const SPECS = ['mvo', 'tvm', 'mock'].map((api) => `openapi/generated/${api}.yaml`);

interface SpectralResult {
  code: string;
  path: string[];
  source: string;
  message: string;
}

async function spectral(ruleset?: string): Promise<SpectralResult[]> {
  const args = [
    'lint',
    ...SPECS,
    '--format',
    'json',
    '--fail-severity',
    'hint',
    '--quiet',
    ...(ruleset ? ['--ruleset', ruleset] : []),
  ];
  // Spectral exits non-zero when it reports anything; the JSON on stdout is what is judged.
  const { stdout } = await run(`${ROOT}node_modules/.bin/spectral`, args, { cwd: ROOT }).catch((error) => error);
  return JSON.parse(stdout);
}

const rulesetText = readFileSync(`${ROOT}.spectral.yaml`, 'utf8');
const ruleset = parseDocument(rulesetText);
const overrides = (ruleset.toJS().overrides ?? []) as { files: string[]; rules: Record<string, string> }[];

describe.concurrent('Spectral (spectral:oas)', () => {
  it('reports nothing on the bundled descriptions with the repository ruleset', async () => {
    const results = await spectral();
    expect(results.map((r) => `${r.source.replace(ROOT, '')} ${r.code} ${r.path.join('.')}: ${r.message}`)).toEqual([]);
  }, 60_000);

  it('the ruleset is spectral:oas itself, plus exceptions that each switch rules off and say why', () => {
    expect(ruleset.toJS().extends).toEqual(['spectral:oas']);
    expect(Object.keys(ruleset.toJS())).toEqual(['extends', 'overrides']);
    expect(overrides.length).toBeGreaterThan(0);
    const lines = rulesetText.split('\n');
    const starts = lines.flatMap((line, i) => (/^\s*- files:/.test(line) ? [i] : []));
    expect(starts).toHaveLength(overrides.length);
    for (const [n, start] of starts.entries()) {
      let first = start;
      while (first > 0 && /^\s*#/.test(lines[first - 1])) first--;
      const why = lines
        .slice(first, start)
        .map((line) => line.replace(/^\s*#\s?/, ''))
        .join(' ');
      expect(why, `exception ${JSON.stringify(overrides[n])} needs a "why:" comment`).toMatch(/^why: \S.{60,}/);
      expect(Object.values(overrides[n].rules).every((severity) => severity === 'off')).toBe(true);
    }
  });

  it('every exception is still needed, and covers only what it names', async () => {
    mkdirSync(`${ROOT}.tmp`, { recursive: true });
    const plain = `${ROOT}.tmp/spectral-without-exceptions.yaml`;
    writeFileSync(plain, 'extends:\n  - spectral:oas\n');
    const results = await spectral(plain);
    const covers = (override: (typeof overrides)[number], result: SpectralResult) =>
      override.rules[result.code] === 'off' &&
      override.files.some((entry) => {
        const [file, pointer = ''] = entry.split('#');
        const prefix = pointer.split('/').filter(Boolean);
        return result.source === `${ROOT}${file}` && prefix.every((part, i) => result.path[i] === part);
      });
    expect(results.filter((result) => !overrides.some((o) => covers(o, result)))).toEqual([]);
    for (const override of overrides)
      expect(
        results.some((result) => covers(override, result)),
        JSON.stringify(override),
      ).toBe(true);
  }, 60_000);
});
