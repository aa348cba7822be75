/**
 * The two package READMEs are read where the package is (npm's page, node_modules/): every relative link must
 * resolve to a file the packed package holds (`npm pack --dry-run --json` in the package's folder), a file of
 * the repository is named by a link to it on GitHub (which must exist here), and no bare code span points into
 * the repository as if it were in the package (`src/…`, `test/…`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness.ts';

const REPOSITORY = 'https://github.com/virtual-commerce/virtual-commerce-contracts';
const REPOSITORY_PATH = /^(?:\.\.\/)*(?:src|test|scripts|openapi|bench|docs|mock-server|sdk)\//;

/** The files `npm pack` would put in the package (its `files`, package.json, README, …), without running its scripts. */
function packedFiles(dir: string): Set<string> {
  const [report] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: join(ROOT, dir),
      encoding: 'utf8',
    }),
  );
  return new Set((report.files as { path: string }[]).map((file) => file.path));
}

/** The README without fenced code: links and code spans in prose only. */
const prose = (text: string) => text.replace(/```[\s\S]*?```/g, '');

describe.each(['mock-server', 'sdk'])('%s/README.md', (dir) => {
  const text = prose(readFileSync(join(ROOT, dir, 'README.md'), 'utf8'));
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);

  it('resolves every relative link inside the packed package', () => {
    const files = packedFiles(dir);
    expect(files.has('README.md')).toBe(true);
    const relative = links.filter((link) => !/^[a-z][a-z0-9+.-]*:/i.test(link) && !link.startsWith('#'));
    const missing = relative
      .map((link) => link.split('#')[0].replace(/^\.\//, ''))
      .filter(
        (path) =>
          path !== '' && !files.has(path) && ![...files].some((file) => file.startsWith(`${path.replace(/\/$/, '')}/`)),
      );
    expect(
      missing,
      `links to files the package does not hold (packed: ${[...files].filter((file) => !file.startsWith('dist/')).join(', ')})`,
    ).toEqual([]);
  });

  it('names repository files by links to them on GitHub, each of which exists', () => {
    const repositoryLinks = links.filter((link) => link.startsWith(`${REPOSITORY}/`));
    for (const link of repositoryLinks) {
      const path = /^https:\/\/github\.com\/[^/]+\/[^/]+\/(?:blob|tree)\/main\/(.+)$/.exec(link.split('#')[0])?.[1];
      if (path === undefined) continue; // the issues page and the like
      expect(existsSync(join(ROOT, path)), link).toBe(true);
    }
    // A code span that names a repository path must be a link's text (`[`src/…`](https://github.com/…)`).
    const bare = [...text.matchAll(/(\[)?`([^`\n]+)`/g)]
      .filter((match) => !match[1] && REPOSITORY_PATH.test(match[2]))
      .map((match) => match[2]);
    expect(bare, 'repository paths shown as if they were in the package').toEqual([]);
  });
});
