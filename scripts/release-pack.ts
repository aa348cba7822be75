/**
 * `npm run release:pack`: everything a release hands out, in release/ (or `--out <dir>`):
 *
 * - virtual-commerce-sdk-<version>.tgz and virtual-commerce-mock-<version>.tgz, exactly what `npm publish` would
 *   upload (`npm pack`; each package's prepack builds its dist/), installable today with `npm install <file>`;
 * - docs/, the built reference (self-contained HTML pages, no server code: any static host serves it), and the same
 *   folder as virtual-commerce-docs-<version>.tar.gz;
 * - SHA256SUMS for the three files.
 *
 * The two packages are released together with one version; the script refuses to pack differing versions.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { staleBuildReason } from './build-stamp.ts';

const ROOT = new URL('..', import.meta.url).pathname;
export const PACKAGE_DIRS = { sdk: 'sdk', mock: 'mock-server' } as const;

export interface PackedPackage {
  file: string;
  /** Paths inside the package, as `npm pack` lists them. */
  files: string[];
  size: number;
}

export interface Release {
  version: string;
  packages: Record<keyof typeof PACKAGE_DIRS, PackedPackage>;
  docsDir: string;
  docsArchive: string;
}

/** The version both packages share. */
export function releaseVersion(root = ROOT): string {
  const versions = Object.values(PACKAGE_DIRS).map(
    (dir) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).version as string,
  );
  if (new Set(versions).size !== 1)
    throw new Error(`the packages are released together and need one version, got ${versions.join(' and ')}`);
  return versions[0];
}

/** `npm pack` of both packages into `outDir`. */
export function packPackages(outDir: string): Record<keyof typeof PACKAGE_DIRS, PackedPackage> {
  mkdirSync(outDir, { recursive: true });
  const packed = {} as Record<keyof typeof PACKAGE_DIRS, PackedPackage>;
  for (const [name, dir] of Object.entries(PACKAGE_DIRS) as [keyof typeof PACKAGE_DIRS, string][]) {
    const output = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
      cwd: join(ROOT, dir),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    // prepack's own output may precede npm's JSON.
    const [result] = JSON.parse(output.slice(output.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const file = join(outDir, result.filename);
    packed[name] = { file, files: result.files.map((entry) => entry.path), size: statSync(file).size };
  }
  return packed;
}

/** Copies the built docs to `outDir/docs/` and archives that folder as `outDir/virtual-commerce-docs-<version>.tar.gz`. */
export function packDocs(outDir: string, version: string): { docsDir: string; docsArchive: string } {
  const docsDir = join(outDir, 'docs');
  rmSync(docsDir, { recursive: true, force: true });
  cpSync(join(ROOT, 'docs/dist'), docsDir, { recursive: true });
  const docsArchive = join(outDir, `virtual-commerce-docs-${version}.tar.gz`);
  execFileSync('tar', ['-czf', docsArchive, '-C', outDir, 'docs']);
  return { docsDir, docsArchive };
}

/** Writes the release into `outDir`; `packages` skips packing (tests pass tarballs they already made). */
export function releasePack(outDir: string, packages?: Release['packages']): Release {
  const version = releaseVersion();
  mkdirSync(outDir, { recursive: true });
  const packed = packages ?? packPackages(outDir);
  const docs = packDocs(outDir, version);
  const sums = [packed.sdk.file, packed.mock.file, docs.docsArchive].map(
    (file) => `${createHash('sha256').update(readFileSync(file)).digest('hex')}  ${basename(file)}`,
  );
  writeFileSync(join(outDir, 'SHA256SUMS'), `${sums.join('\n')}\n`);
  return { version, packages: packed, ...docs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outIndex = process.argv.indexOf('--out');
  const outDir = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(ROOT, 'release'));
  const stale = staleBuildReason(ROOT);
  if (stale) {
    console.log(`release:pack: building first (${stale})`);
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build.ts')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  const release = releasePack(outDir);
  const kB = (file: string) => `${(statSync(file).size / 1024).toFixed(1)} kB`;
  console.log(`release:pack: ${release.version} in ${outDir}`);
  for (const file of [release.packages.sdk.file, release.packages.mock.file, release.docsArchive])
    console.log(`  ${basename(file).padEnd(40)} ${kB(file)}`);
  console.log(`  docs/ (static: serve it from any web server, or open docs/index.html)`);
  console.log('Install a package from its file: npm install ./virtual-commerce-sdk-<version>.tgz');
}
