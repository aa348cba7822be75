/**
 * `npm start`'s edges: help and option mistakes answer at once without building or serving, a busy port is one
 * line and exit code 2 (never a stack trace), and a normal start serves the docs and both mocks until SIGTERM.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const start = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync('npm', ['start', '--silent', '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

let busy: Server;
let busyPort: number;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => busy.close());

describe('npm start and the virtual-commerce-mock bin', () => {
  it("run Node without V8 heap flags (one would make V8 refuse the code cache of Node's own modules at every start)", () => {
    const v8Flags = (line: string) => line.split(/\s+/).filter((part) => /^--(max|min|semi|initial)-/.test(part));
    const shebang = readFileSync(`${ROOT}mock-server/bin/virtual-commerce-mock.js`, 'utf8').split('\n', 1)[0];
    const script = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).scripts.start as string;
    expect(shebang).toBe('#!/usr/bin/env node');
    expect(v8Flags(script)).toEqual([]);
  });
});

describe('npm start, before building anything', () => {
  it("--help prints its own options and the mock CLI's, and exits 0", () => {
    const run = start(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm start -- \[options\]/);
    expect(run.stdout).toContain('--docs-port <port>          Docs port (env DOCS_PORT, default 4000)');
    expect(run.stdout).toContain('Usage: virtual-commerce-mock [options]');
    expect(run.stdout + run.stderr).not.toMatch(/build:|building|listening|Docs served/);
  });

  it.each([
    [['--colour'], {}, "npm start: Unknown option '--colour'. Run with --help for the options."],
    [
      ['--docs-port', 'many'],
      {},
      'npm start: --docs-port / DOCS_PORT must be a port number from 0 to 65535, got "many"',
    ],
    [
      [],
      { DOCS_PORT: '70000' },
      'npm start: --docs-port / DOCS_PORT must be a port number from 0 to 65535, got "70000"',
    ],
  ])('%j %j: one line, exit code 2', (args, env, message) => {
    const run = start(args, env);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(message);
    expect(run.stdout).toBe('');
  });

  it('a busy docs port (flag or DOCS_PORT): one line naming both, exit code 2, nothing built', () => {
    for (const run of [start(['--docs-port', String(busyPort)]), start([], { DOCS_PORT: String(busyPort) })]) {
      expect(run.status).toBe(2);
      expect(run.stderr.trim()).toBe(
        `npm start: docs port ${busyPort} is in use; pick another with --docs-port or DOCS_PORT`,
      );
      expect(run.stdout).not.toMatch(/building|listening/);
    }
  });
});

describe('npm start, serving', () => {
  it('a busy mock port after the docs started: one line, exit code 2, no stack trace', () => {
    const run = start(['--docs-port', '0', '--tvm-port', '0', '--mvo-port', String(busyPort)]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `npm start: MVO mock: port ${busyPort} (from --mvo-port) is in use; pick another with --mvo-port or MVO_MOCK_PORT`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 180_000);

  it('serves the docs and both mocks on the ports asked for, and stops on SIGTERM', async () => {
    // The script itself (what `npm start` runs), so the signal reaches it and not npm.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/start.ts', '--docs-port', '0', '--mvo-port', '0', '--tvm-port', '0', '--quiet'],
      { cwd: ROOT },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (/Docs served on/.test(output)) resolve(clearInterval(timer));
          if (child.exitCode !== null) reject(new Error(`npm start exited with ${child.exitCode}:\n${output}`));
        }, 100);
      });
      const docs = /Docs served on (\S+)/.exec(output)![1];
      const mvo = /MVO mock listening on (\S+)/.exec(output)![1];
      const tvm = /TVM mock listening on (\S+)/.exec(output)![1];
      expect((await fetch(`${docs}/`)).status).toBe(200);
      expect((await fetch(`${mvo}/api/customers/1`)).status).toBe(401);
      expect((await fetch(`${tvm}/v1/shop`)).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 180_000);
});
