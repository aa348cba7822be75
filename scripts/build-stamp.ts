/**
 * Whether the last `npm run build` is still current, so `npm start` can skip a build when nothing changed.
 * A build records a fingerprint of everything it reads (specs, scripts, package sources and manifests, the
 * lockfile); the build is current while that fingerprint is unchanged and every output it made still exists.
 * Contents are hashed, not modification times, so a checkout or `touch` alone does not force a rebuild.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** What the build reads, relative to the repository root. */
export const BUILD_INPUTS = [
  'openapi',
  'scripts',
  'mock-server',
  'sdk',
  'docs',
  'redocly.yaml',
  'package.json',
  'package-lock.json',
  'README.md',
];
/** What the build writes and `npm start` serves or runs. */
export const BUILD_OUTPUTS = [
  'mock-server/dist/cli.js',
  'mock-server/dist/index.js',
  'sdk/dist/mvo/index.js',
  'sdk/dist/tvm/index.js',
  'docs/dist/index.html',
];
/** Names under the inputs that are outputs, caches or copies (`npm pack` copies the root LICENSE into each package). */
const SKIPPED = new Set(['node_modules', 'dist', 'screenshots', '.git', 'LICENSE']);
/** Kept in node_modules: a fresh install (maybe of other dependency versions) means a fresh build. */
const STAMP = 'node_modules/.cache/virtual-commerce/build-stamp.json';

function files(root: string, path: string, found: string[]): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return found;
  if (statSync(full).isDirectory()) {
    for (const name of readdirSync(full).sort()) if (!SKIPPED.has(name)) files(root, join(path, name), found);
  } else {
    found.push(path);
  }
  return found;
}

/** A SHA-256 over the path and content of every file under `inputs` (files or folders, relative to `root`). */
export function fingerprint(root: string, inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const input of inputs) {
    for (const path of files(root, input, []))
      hash
        .update(`${path}\0`)
        .update(readFileSync(join(root, path)))
        .update('\0');
  }
  return hash.digest('hex');
}

/** The fingerprint of every build input under `root`. */
export function buildFingerprint(root: string): string {
  return fingerprint(root, BUILD_INPUTS);
}

/** Records that a build of `root` just succeeded. */
export function writeBuildStamp(root: string): void {
  const stamp = join(root, STAMP);
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${JSON.stringify({ fingerprint: buildFingerprint(root) })}\n`);
}

/** Why `root` needs a build, or `undefined` when the last build is current. */
export function staleBuildReason(root: string): string | undefined {
  const missing = BUILD_OUTPUTS.find((output) => !existsSync(join(root, output)));
  if (missing) return `${missing} does not exist`;
  let recorded: string | undefined;
  try {
    recorded = JSON.parse(readFileSync(join(root, STAMP), 'utf8')).fingerprint;
  } catch {
    return `no build recorded in ${relative(root, join(root, STAMP))}`;
  }
  return recorded === buildFingerprint(root) ? undefined : 'sources changed since the last build';
}
