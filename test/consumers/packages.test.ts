/**
 * Both packages as `npm pack` makes them: only built JavaScript, declarations and the package documents;
 * publint, @arethetypeswrong/cli and `npm publish --dry-run` clean. Then the mock package alone (no SDK, no msw)
 * installed into a fresh project: its bin runs under plain Node through npm's .bin link.
 */
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProject,
  packedTarballs,
  recordRows,
  ROOT,
  sh,
  startInstalledMock,
  type Project,
  type Tarball,
} from './harness.ts';

let tarballs: Record<'sdk' | 'mock', Tarball>;
let project: Project;

beforeAll(() => {
  tarballs = packedTarballs();
  project = createProject('mock-cli', { tarballs: ['mock'] });
}, 180_000);

afterAll(() => {
  recordRows('packages', [
    { row: 'tarball sizes (bytes)', runtime: `sdk ${tarballs?.sdk.size}, mock ${tarballs?.mock.size}`, result: 'pass' },
    {
      row: 'mock CLI from its tarball, no msw (npx virtual-commerce-mock)',
      runtime: `node ${process.versions.node}`,
      installMs: project?.installMs,
      result: 'pass',
    },
  ]);
  project?.remove();
});

describe('the packed tarballs', () => {
  it.each(['sdk', 'mock'] as const)(
    '%s holds only dist/ JavaScript and declarations, the package documents (and the mock its bin)',
    (name) => {
      const { files } = tarballs[name];
      const documents = ['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'];
      expect(files.filter((path) => !path.startsWith('dist/')).sort()).toEqual(
        (name === 'mock' ? ['bin/virtual-commerce-mock.js', 'OPTIONS.md', ...documents] : documents).sort(),
      );
      expect(files.filter((path) => path.startsWith('dist/') && !/\.(js|d\.ts)$/.test(path))).toEqual([]);
      expect(files.filter((path) => /\.test\.|\.test-d\./.test(path))).toEqual([]);
    },
  );

  it('the mock package has every entry point built, and a plain JavaScript bin', () => {
    for (const entry of ['index', 'msw/index', 'msw/browser', 'cli']) {
      expect(tarballs.mock.files).toContain(`dist/${entry}.js`);
      expect(tarballs.mock.files).toContain(`dist/${entry}.d.ts`);
    }
    // Plain Node: no loader and no flags (a V8 heap flag would cost every start Node's own code cache).
    expect(readFileSync(join(ROOT, 'mock-server/bin/virtual-commerce-mock.js'), 'utf8')).toMatch(
      /^#!\/usr\/bin\/env node\n/,
    );
  });

  it('the bin, in a checkout where nothing is built yet, says to build instead of a stack trace', () => {
    const checkout = mkdtempSync(join(tmpdir(), 'unbuilt-'));
    try {
      mkdirSync(join(checkout, 'bin'));
      copyFileSync(
        join(ROOT, 'mock-server/bin/virtual-commerce-mock.js'),
        join(checkout, 'bin/virtual-commerce-mock.js'),
      );
      writeFileSync(join(checkout, 'package.json'), '{"type": "module"}');
      const run = spawnSync(process.execPath, ['bin/virtual-commerce-mock.js', '--help'], {
        cwd: checkout,
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe(
        'virtual-commerce-mock: dist/cli.js is missing. In the source repository, run `npm run build` first.',
      );
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });

  it('the mock package passes publint', () => {
    expect(sh(`${ROOT}node_modules/.bin/publint`, ['run', tarballs.mock.file, '--pack', 'false'], ROOT)).toContain(
      'All good!',
    );
  });

  it('the mock package passes @arethetypeswrong/cli as an ESM-only package', () => {
    // attw exits non-zero on any problem, which makes `sh` throw.
    const report = sh(
      `${ROOT}node_modules/.bin/attw`,
      [tarballs.mock.file, '--profile', 'esm-only', '--format', 'ascii'],
      ROOT,
    );
    for (const entry of ['virtual-commerce-mock', 'virtual-commerce-mock/msw', 'virtual-commerce-mock/msw/browser'])
      expect(report).toContain(`"${entry}"`);
    const counted = report.split('\n').filter((line) => /^(node16 \(from ESM\)|bundler):/.test(line));
    expect(counted.length).toBeGreaterThanOrEqual(6);
    for (const line of counted) expect(line).toContain('🟢');
  });

  it.each(['sdk', 'mock'] as const)(
    '%s: npm publish --dry-run has nothing to warn about but the missing login',
    (name) => {
      const run = spawnSync('npm', ['publish', '--dry-run', tarballs[name].file], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, npm_config_update_notifier: 'false' },
      });
      expect(run.status).toBe(0);
      const warnings = run.stderr
        .split('\n')
        .filter((line) => /^npm (warn|error|ERR)/i.test(line) && !/requires you to be logged in/.test(line));
      expect(warnings).toEqual([]);
      expect(run.stdout + run.stderr).toContain(`+ virtual-commerce-${name}@`);
    },
  );
});

describe('virtual-commerce-mock installed from its tarball (no SDK, no msw)', () => {
  it('installs no msw: the CLI does not need its optional peer', () => {
    expect(existsSync(join(project.dir, 'node_modules/virtual-commerce-mock'))).toBe(true);
    expect(existsSync(join(project.dir, 'node_modules/msw'))).toBe(false);
  });

  it('`npx virtual-commerce-mock --help` prints the usage and exits 0', () => {
    const run = spawnSync('npx', ['virtual-commerce-mock', '--help'], { cwd: project.dir, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: virtual-commerce-mock \[options\]/);
    expect(run.stdout).toContain('--tvm-port <port>');
  });

  it('`npx virtual-commerce-mock` serves both mocks with the fixture keys on plain Node', async () => {
    const { fixtureKey } = await import(
      pathToFileURL(createRequire(join(project.dir, 'package.json')).resolve('virtual-commerce-mock')).href
    );
    const mock = await startInstalledMock(project.dir);
    try {
      const shop = await fetch(`${mock.tvm}/v1/shop`, {
        headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` },
      });
      expect(shop.status).toBe(200);
      expect((await shop.json()).data.slug).toBe('example-store');
      const customers = await fetch(`${mock.mvo}/api/customers/550e8400-e29b-41d4-a716-446655440000`, {
        headers: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') },
      });
      expect(customers.status).toBe(200);
    } finally {
      await mock.stop();
    }
  });

  it('a busy port: one line on stderr naming the port and the flag, exit code 2, no stack trace', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const run = spawnSync('npx', ['virtual-commerce-mock', '--api', 'tvm', '--tvm-port', String(port)], {
        cwd: project.dir,
        encoding: 'utf8',
      });
      expect(run.status).toBe(2);
      expect(run.stderr.trim()).toBe(
        `virtual-commerce-mock: TVM mock: port ${port} (from --tvm-port) is in use; pick another with --tvm-port or TVM_MOCK_PORT`,
      );
      expect(run.stdout).toBe('');
    } finally {
      busy.close();
    }
  });
});
