/**
 * `virtual-commerce-mock proxy` and `check` from the command line: clear messages for every mistake, the key
 * from the spec's variable, and whole runs as child processes (an HTTPS upstream trusted through
 * NODE_EXTRA_CA_CERTS, the Markdown report written on exit, the probe's exit code and output).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, parseCliOptions } from '../../mock-server/src/cli-options.ts';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { parseCheckOptions, parseProxyOptions } from '../../mock-server/src/proxy/cli.ts';
import { DEVIATIONS, startStandIn, type StandIn } from './stand-in.ts';
import { selfSignedCertificate, type Certificate } from './tls.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const tvmKey = fixtureKey('tvm', 'key_tvm_admin');

describe('proxy and check options', () => {
  it('default to the spec’s hosts, 127.0.0.1 and a port per API', () => {
    expect(parseProxyOptions(['--api', 'tvm'], {})).toEqual({
      command: 'proxy',
      api: 'tvm',
      target: undefined,
      report: undefined,
      ca: undefined,
      timeoutMs: 30_000,
      help: false,
      host: '127.0.0.1',
      port: 4021,
      quiet: false,
    });
    expect(
      parseProxyOptions(
        [
          '--api',
          'mvo',
          '--port',
          '0',
          '--target',
          'https://staging.example.com/base',
          '--report',
          'r.md',
          '--ca',
          'ca.pem',
          '--timeout',
          '500',
        ],
        {},
      ),
    ).toMatchObject({
      api: 'mvo',
      port: 0,
      target: 'https://staging.example.com/base',
      report: 'r.md',
      ca: 'ca.pem',
      timeoutMs: 500,
    });
    expect(parseProxyOptions(['--api', 'tvm', '--record', 'state.json'], {})).toMatchObject({
      api: 'tvm',
      record: 'state.json',
    });
  });

  it('read the key from the variable the spec names', () => {
    expect(parseCheckOptions(['--api', 'tvm'], { TVM_API_KEY: tvmKey })).toMatchObject({
      keyVariable: 'TVM_API_KEY',
      key: tvmKey,
      allowWrites: false,
    });
    expect(parseCheckOptions(['--api', 'mvo', '--allow-writes'], { VIRTUAL_HUB_API_KEY: 'sk_live_x' })).toMatchObject({
      keyVariable: 'VIRTUAL_HUB_API_KEY',
      allowWrites: true,
    });
  });

  it.each([
    [() => parseProxyOptions([], {}), 'proxy: --api must be mvo or tvm, got nothing'],
    [() => parseProxyOptions(['--api', 'both'], {}), 'proxy: --api must be mvo or tvm, got "both"'],
    [
      () => parseProxyOptions(['--api', 'tvm', '--target', 'api.thevirtualmall.co.uk'], {}),
      'proxy: --target must be an http:// or https:// URL, got "api.thevirtualmall.co.uk"',
    ],
    [
      () => parseProxyOptions(['--api', 'tvm', '--port', 'eighty'], {}),
      '--port must be a port number from 0 to 65535, got "eighty"',
    ],
    [
      () => parseProxyOptions(['--api', 'tvm', '--timeout', '0'], {}),
      'proxy: --timeout must be a number of milliseconds, got "0"',
    ],
    [
      () => parseProxyOptions(['--api', 'tvm', '--allow-writes'], {}),
      "proxy: Unknown option '--allow-writes'. Run `virtual-commerce-mock proxy --help` for the options.",
    ],
    [
      () => parseCheckOptions(['--api', 'tvm'], {}),
      'check: set TVM_API_KEY to the key to check with (The Virtual Mall API)',
    ],
    [
      () => parseCheckOptions(['--api', 'mvo'], { TVM_API_KEY: tvmKey }),
      'check: set VIRTUAL_HUB_API_KEY to the key to check with (My Virtual Office API)',
    ],
  ])('%#: rejects a mistake with a clear message', (parse, message) => {
    expect(parse).toThrow(new CliError(message));
  });
});

describe('mock-server/README.md, section "Checking the contract against the real API"', () => {
  const readme = readFileSync(`${ROOT}mock-server/README.md`, 'utf8');
  const start = readme.indexOf('## Checking the contract against the real API');
  const end = readme.indexOf('\n## ', start + 3);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const commands = [
    ...section.matchAll(/^(?:(\w+)=\S+ )?npx virtual-commerce-mock (proxy|check) (.*?)(?:\s+# (.*))?$/gm),
  ];

  it('is where the root README sends its readers', () => {
    expect(start).toBeGreaterThan(-1);
    expect(readFileSync(`${ROOT}README.md`, 'utf8')).toContain(
      '(mock-server/README.md#checking-the-contract-against-the-real-api)',
    );
  });

  it('shows how to start the mock from a recorded file with an option the mock accepts', () => {
    const seeded = /^npx virtual-commerce-mock (--api \w+ --seed (\S+))$/m.exec(section);
    expect(seeded).not.toBeNull();
    expect(parseCliOptions(seeded![1].split(' '), {}).seeds).toEqual([seeded![2]]);
    expect(section).toContain(`--record ${seeded![2]}`);
  });

  it('shows commands that the CLI accepts, with the variable and port it really uses', () => {
    expect(commands.map((match) => match[2])).toEqual(['proxy', 'proxy', 'check', 'check', 'proxy']);
    for (const [, variable, command, args, comment] of commands) {
      if (command === 'proxy') {
        const options = parseProxyOptions(args.split(/\s+/), {});
        expect(comment).toMatch(new RegExp(`^http://${options.host}:${options.port} → `));
      } else {
        expect(parseCheckOptions(args.split(/\s+/), { [variable]: 'a key' }).keyVariable).toBe(variable);
      }
    }
  });
});

/** The CLI as a child process; resolves once `ready` matches a line of its stdout. */
function startCli(args: string[], env: Record<string, string>, ready?: RegExp) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'mock-server/src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = new Promise<RegExpMatchArray>((resolve, reject) => {
    if (!ready) return;
    child.stdout.on('data', () => {
      const match = ready.exec(stdout);
      if (match) resolve(match);
    });
    exited.then(() => reject(new Error(`exited before it was ready:\n${stdout}\n${stderr}`)));
  });
  return { child, started, exited, output: () => ({ stdout, stderr }) };
}

describe('the commands as child processes', () => {
  let certificate: Certificate;
  let secure: StandIn;
  let plain: StandIn;
  beforeAll(async () => {
    certificate = selfSignedCertificate();
    [secure, plain] = await Promise.all([
      startStandIn('tvm', { tls: certificate, deviate: DEVIATIONS.tvm }),
      startStandIn('tvm', { deviate: DEVIATIONS.tvm }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([secure?.close(), plain?.close()]);
    rmSync(certificate.dir, { recursive: true, force: true });
  });

  it('proxy: reaches an HTTPS upstream trusted through NODE_EXTRA_CA_CERTS and writes the report when stopped', async () => {
    const reportFile = join(certificate.dir, 'contract-report.md');
    const cli = startCli(
      ['proxy', '--api', 'tvm', '--target', secure.url, '--port', '0', '--report', reportFile],
      { NODE_EXTRA_CA_CERTS: certificate.certFile },
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    const [, url] = await cli.started;
    const response = await fetch(`${url}/v1/shop`, { headers: { authorization: `Bearer ${tvmKey}` } });
    expect(response.status).toBe(200);
    expect(existsSync(reportFile)).toBe(false);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    const report = readFileSync(reportFile, 'utf8');
    expect(report).toMatch(
      /^# Contract check: The Virtual Mall API\n\n1 exchange checked against the contract .*: 1 violation \(1 kind\), 0 notes\./,
    );
    expect(report).toContain(
      '| 1 | `GET /v1/shop` → 200 (key `tvm_xrbw…`) (getShop) | field | meta.requestId, meta.timestamp |',
    );
    const { stdout, stderr } = cli.output();
    expect(stdout).toMatch(/\[proxy tvm\] GET \/v1\/shop → 200 [\d.]+ms key=tvm_xrbw… 1 violation: field \(TVM-A3\)/);
    expect(`${stdout}${stderr}${report}`).not.toContain(tvmKey);
  });

  it('check: prints the report, exits 1 on a violation, and shows no whole key', async () => {
    const cli = startCli(['check', '--api', 'tvm', '--target', plain.url], { TVM_API_KEY: tvmKey });
    expect(await cli.exited).toBe(1);
    const { stdout, stderr } = cli.output();
    expect(stdout).toMatch(
      /^# Contract check: The Virtual Mall API\n\n11 exchanges checked against the contract .*: 1 violation \(1 kind\), 0 notes\./,
    );
    expect(stderr).toContain(
      `Checking The Virtual Mall API at ${plain.url}, read-only, with the key in TVM_API_KEY (tvm_xrbw…)`,
    );
    expect(stderr).toContain(`  GET ${plain.url}/v1/offers?page=0 → 400 key=tvm_xrbw…`);
    expect(`${stdout}${stderr}`).not.toContain(tvmKey);
  });

  it('check: says which variable to set when the key is missing', async () => {
    const cli = startCli(['check', '--api', 'mvo'], { VIRTUAL_HUB_API_KEY: '' });
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr.trim()).toBe(
      'virtual-commerce-mock: check: set VIRTUAL_HUB_API_KEY to the key to check with (My Virtual Office API)',
    );
  });
});
