/**
 * The consumer matrix's shared parts: the two packages packed once (per content of the packages, shared by the
 * parallel test files), fresh temporary projects that install them from the tarballs like an outside user would
 * (`npm install <tarball>`, with `--prefer-offline` against the one npm cache), the mock started from an installed
 * tarball with `npx virtual-commerce-mock`, and the matrix's results written to test-results/consumers/.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fingerprint } from '../../scripts/build-stamp.ts';
import { type PACKAGE_DIRS, packPackages, type PackedPackage } from '../../scripts/release-pack.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const FIXTURES = join(ROOT, 'test/consumers/fixtures');
/** Versions of the third-party packages consumers add, as this repository pins them (one home: package-lock.json). */
export const PINNED = Object.fromEntries(
  ['msw', 'vitest', '@types/node', 'typescript'].map((name) => [
    name,
    JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string,
  ]),
) as Record<'msw' | 'vitest' | '@types/node' | 'typescript', string>;

/** Per checkout, so parallel checkouts on one machine never clean up each other's projects. */
const WORK = join(
  process.env.TMPDIR || tmpdir(),
  'virtual-commerce-consumers',
  createHash('sha256').update(ROOT).digest('hex').slice(0, 8),
);
const RESULTS = join(ROOT, 'test-results/consumers');
const NPM_ENV = {
  ...process.env,
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

export type Tarball = PackedPackage;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = NPM_ENV): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
    maxBuffer: 32 * 1024 * 1024,
  });
}

/**
 * Both packages packed as `npm run release:pack` packs them (`npm pack`; prepack builds dist/). Keyed by the packages' content, so one run of
 * the matrix packs once however many test files ask, and a later run with unchanged packages packs nothing.
 */
export function packedTarballs(): Record<keyof typeof PACKAGE_DIRS, Tarball> {
  const key = fingerprint(ROOT, ['sdk', 'mock-server', 'LICENSE']).slice(0, 16);
  const dir = join(WORK, 'packs', key);
  const manifest = join(dir, 'packed.json');
  const lock = `${dir}.lock`;
  mkdirSync(join(WORK, 'packs'), { recursive: true });
  for (let waited = 0; !existsSync(manifest); waited += 200) {
    try {
      mkdirSync(lock);
    } catch {
      // Another test file is packing; a lock older than 5 minutes belongs to a run that died.
      if (waited > 300_000 || (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000))
        rmSync(lock, { recursive: true, force: true });
      sleep(200);
      continue;
    }
    try {
      for (const old of readdirSync(join(WORK, 'packs')))
        if (!old.startsWith(key)) rmSync(join(WORK, 'packs', old), { recursive: true, force: true });
      const packed = packPackages(dir);
      writeFileSync(manifest, JSON.stringify(packed));
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return JSON.parse(readFileSync(manifest, 'utf8'));
}

export interface Project {
  dir: string;
  /** Wall time of `npm install`, in ms. */
  installMs: number;
  remove(): void;
}

/**
 * A fresh project in a temporary folder: `package.json` (ESM), the given files, then one `npm install` of the
 * tarballs and `extra` packages (pinned names such as `msw@2.15.0`).
 */
export function createProject(
  name: string,
  packages: { tarballs: (keyof typeof PACKAGE_DIRS)[]; extra?: string[]; files?: Record<string, string> },
): Project {
  const tarballs = packedTarballs();
  mkdirSync(WORK, { recursive: true });
  const dir = mkdtempSync(join(WORK, `${name}-`));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }, null, 2)}\n`,
  );
  for (const [path, content] of Object.entries(packages.files ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const started = performance.now();
  sh(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...packages.tarballs.map((pkg) => tarballs[pkg].file),
      ...(packages.extra ?? []),
    ],
    dir,
  );
  return {
    dir,
    installMs: Math.round(performance.now() - started),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fixture file's text (test/consumers/fixtures/). */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export interface RunningMock {
  mvo: string;
  tvm: string;
  /** Everything the mock printed. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts both mocks on free ports with `npx virtual-commerce-mock` in `project`, on the Node found at `nodeBin`. */
export async function startInstalledMock(
  project: string,
  nodeBin = process.execPath,
  args: string[] = [],
): Promise<RunningMock> {
  const child: ChildProcess = spawn(
    'npx',
    ['virtual-commerce-mock', '--mvo-port', '0', '--tvm-port', '0', '--quiet', ...args],
    {
      cwd: project,
      env: { ...NPM_ENV, PATH: `${dirname(nodeBin)}:${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  };
  const urls = await new Promise<{ mvo: string; tvm: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mock did not start within 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const mvo = /MVO mock listening on (\S+)/.exec(output)?.[1];
      const tvm = /TVM mock listening on (\S+)/.exec(output)?.[1];
      if (mvo && tvm) {
        clearTimeout(timer);
        resolve({ mvo, tvm });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the mock exited with ${code}:\n${output}`));
    });
  });
  return { ...urls, output: () => output, stop };
}

export interface MatrixRow {
  row: string;
  runtime: string;
  installMs?: number;
  result: 'pass' | 'fail';
  detail?: string;
}

/** Adds rows to test-results/consumers/<file>.json (the matrix the closing report quotes). */
export function recordRows(file: string, rows: MatrixRow[]): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `${file}.json`), `${JSON.stringify(rows, null, 2)}\n`);
}
