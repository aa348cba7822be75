/**
 * Every relative link and every repository path the READMEs, CONTRIBUTING.md and ASSUMPTIONS.md name exists, so a
 * reader who follows one lands somewhere. A link's `#anchor` must name a heading or an `<a id>` of its target.
 * A path under a package's `dist/` (built, not committed) must have its source under `src/` (tsc maps one to the
 * other), so `mock-server/dist/cli.mjs` is caught although no build ran.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const SKIP_DIRS = new Set(['node_modules', '.git', '.tmp', 'release', 'dist', 'generated']);

/** The documents readers are sent to: every README.md in the repository, and the root's CONTRIBUTING and ASSUMPTIONS. */
function documents(dir = ROOT): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (!SKIP_DIRS.has(name) && !name.startsWith('.')) found.push(...documents(full));
    } else if (
      name === 'README.md' ||
      (dir === ROOT && ['CONTRIBUTING.md', 'ASSUMPTIONS.md'].includes(name)) ||
      name === 'BEHAVIOUR.md'
    ) {
      found.push(relative(ROOT, full));
    }
  }
  return found;
}

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');

function anchors(file: string): Set<string> {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  const ids = new Set<string>();
  for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) ids.add(slug(heading));
  for (const [, id] of text.matchAll(/<a id="([^"]+)"/g)) ids.add(id);
  return ids;
}

const TOP_LEVEL = ['src', 'openapi', 'sdk', 'mock-server', 'docs', 'test', 'bench', 'scripts', '.ci'];

/** Folders the build writes and git ignores (`docs/dist/`): named by the docs, present once built. */
const IGNORED = readFileSync(join(ROOT, '.gitignore'), 'utf8')
  .split('\n')
  .filter((line) => line.endsWith('/'));

/** A built file's source: `<pkg>/dist/x.js` or `.d.ts` → `<pkg>/src/x.ts`. */
function existsOrBuiltFrom(path: string): boolean {
  const built = /^(sdk|mock-server)\/dist\/(.*)$/.exec(path);
  if (built)
    return (
      built[2] === '' ||
      (/\.(js|d\.ts)$/.test(built[2]) &&
        existsSync(join(ROOT, built[1], 'src', built[2].replace(/\.(js|d\.ts)$/, '.ts'))))
    );
  return existsSync(join(ROOT, path)) || IGNORED.some((folder) => path.startsWith(folder));
}

/** Code spans that name a file or folder of the repository: they start with a top-level folder and hold no placeholder. */
function namedPaths(text: string): string[] {
  const spans = [...text.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\s]+)`/g)].map((match) => match[1]);
  return spans.filter(
    (span) =>
      TOP_LEVEL.some((top) => span.startsWith(`${top}/`)) && !/[<>*{}…]|\.\.\./.test(span) && !span.includes('://'),
  );
}

const docs = documents();

describe('links and paths in the READMEs, CONTRIBUTING.md and ASSUMPTIONS.md', () => {
  it('finds the documents', () => {
    expect(docs).toEqual(
      expect.arrayContaining([
        'README.md',
        'CONTRIBUTING.md',
        'ASSUMPTIONS.md',
        'sdk/README.md',
        'mock-server/README.md',
        'docs/README.md',
      ]),
    );
  });

  it.each(docs)('%s: every relative link lands on a file, and on a heading or anchor there', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue;
      const [path, anchor] = target.split('#');
      const resolved = path ? relative(ROOT, join(ROOT, dirname(file), path)) : file;
      if (!existsSync(join(ROOT, resolved))) broken.push(`${target} (no ${resolved})`);
      else if (anchor && resolved.endsWith('.md') && !anchors(resolved).has(anchor))
        broken.push(`${target} (no #${anchor} in ${resolved})`);
    }
    expect(broken).toEqual([]);
  });

  it.each(docs)('%s: every repository path it names exists', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const missing = namedPaths(text).filter((path) => {
      const clean = path.replace(/[.,;:]$/, '').replace(/#.*$/, '');
      // A path in a package's README may be relative to the package (`src/pipeline/`).
      return !existsOrBuiltFrom(clean) && !existsOrBuiltFrom(join(dirname(file), clean));
    });
    expect(missing).toEqual([]);
  });

  it('catches a path that does not exist (the check itself can fail)', () => {
    expect(
      namedPaths('see `mock-server/dist/cli.mjs` and `test/release/no-such-gate.test.ts`').filter(
        (path) => !existsOrBuiltFrom(path),
      ),
    ).toEqual(['mock-server/dist/cli.mjs', 'test/release/no-such-gate.test.ts']);
    expect(existsOrBuiltFrom('mock-server/dist/cli.js')).toBe(true);
  });
});
