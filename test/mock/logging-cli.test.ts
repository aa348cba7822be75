/** The request log (one concise line, key masked) and the CLI's handling of its options. */
import { freePort } from '../../scripts/free-port.ts';
import { describe, expect, it } from 'vitest';
import { CliError, parseCliOptions } from '../../mock-server/src/cli-options.ts';
import { FIXTURE_KEYS } from '../../mock-server/src/fixtures/keys.ts';
import { startFromCli } from '../../mock-server/src/cli.ts';
import { json, useMock } from '../helpers/mock.ts';

describe('request log', () => {
  const mock = useMock('mvo', { stateful: false });
  it('writes one line per request with method, path, status, time and the masked key, never the whole key', async () => {
    const keys = FIXTURE_KEYS.mvo.map((seed) => seed.key!);
    for (const key of keys) await mock.send('/api/customers/1', { headers: { authorization: `Bearer ${key}` } });
    const minted = await mock.send('/__mock/keys', { method: 'POST', ...json({ name: 'log' }) });
    await mock.send('/api/customers', {
      method: 'POST',
      ...json({ first_name: 'J' }, { 'x-api-key': minted.json.key }),
    });
    const joined = mock.logs.join('\n');
    for (const key of [...keys, minted.json.key]) expect(joined).not.toContain(key);
    expect(mock.logs[0]).toMatch(new RegExp(`^GET /api/customers/1 200 \\d+\\.\\dms key=${keys[0].slice(0, 12)}…$`));
    expect(mock.logs.at(-1)).toMatch(/^POST \/api\/customers 400 [\d.]+ms key=sk_live_\w{4}…$/);
  });
});

describe('CLI options', () => {
  it('defaults to both mocks on 127.0.0.1:4010/4011 with rate limits enforced', () => {
    expect(parseCliOptions([], {})).toEqual({
      apis: ['mvo', 'tvm'],
      host: '127.0.0.1',
      ports: { mvo: 4010, tvm: 4011 },
      portSources: { mvo: 'the default', tvm: 'the default' },
      rateLimits: 'enforce',
      stateful: true,
      corsCredentials: false,
      seeds: [],
      fsync: false,
      storePrefix: 'vcm',
      quiet: false,
      help: false,
    });
  });
  it('takes --fsync, or MOCK_FSYNC=1', () => {
    expect([
      parseCliOptions(['--fsync'], {}).fsync,
      parseCliOptions([], { MOCK_FSYNC: '1' }).fsync,
      parseCliOptions([], { MOCK_FSYNC: '0' }).fsync,
    ]).toEqual([true, true, false]);
  });
  it('takes --stateless and --latency (fixed or a range), or their environment variables', () => {
    expect(parseCliOptions(['--stateless', '--latency', '100-300'], {})).toMatchObject({
      stateful: false,
      latency: { min: 100, max: 300 },
    });
    expect(parseCliOptions([], { MOCK_STATELESS: '1', MOCK_LATENCY: '50' })).toMatchObject({
      stateful: false,
      latency: { min: 50, max: 50 },
    });
    expect(parseCliOptions([], {}).latency).toBeUndefined();
  });
  it('takes flags over environment variables', () => {
    const options = parseCliOptions(['--api', 'tvm', '--tvm-port', '5011', '--rate-limits', 'off'], {
      TVM_MOCK_PORT: '6011',
      MOCK_RATE_LIMITS: 'on',
      MOCK_HOST: '0.0.0.0',
    });
    expect(options).toMatchObject({ apis: ['tvm'], host: '0.0.0.0', ports: { tvm: 5011 }, rateLimits: 'headers' });
    expect(parseCliOptions([], { MOCK_RATE_LIMITS: 'off' }).rateLimits).toBe('headers');
  });
  it.each([
    [['--api', 'both2'], '--api must be mvo, tvm or both, got "both2"'],
    [['--mvo-port', '99999'], '--mvo-port / MVO_MOCK_PORT must be a port number from 0 to 65535, got "99999"'],
    [['--rate-limits', 'maybe'], '--rate-limits / MOCK_RATE_LIMITS must be on or off, got "maybe"'],
    [
      ['--latency', 'soon'],
      '--latency / MOCK_LATENCY must be milliseconds (200) or a range (100-300), at most 60000, got "soon"',
    ],
    [
      ['--latency', '60001'],
      '--latency / MOCK_LATENCY must be milliseconds (200) or a range (100-300), at most 60000, got "60001"',
    ],
    [
      ['--latency', '300-100'],
      '--latency / MOCK_LATENCY must be milliseconds (200) or a range (100-300), at most 60000, got "300-100"',
    ],
    [['--colour'], "Unknown option '--colour'. Run with --help for the options."],
    [
      ['--mvo-port', '5150', '--tvm-port', '5150'],
      '--mvo-port and --tvm-port are both 5150: the MVO and TVM mocks need a port each; change one, or start one with --api',
    ],
    [
      ['--cors-credentials'],
      '--cors-credentials / MOCK_CORS_CREDENTIALS needs --cors (which origins may send credentials)',
    ],
    [
      ['--random-seed', 'abc'],
      '--random-seed / MOCK_RANDOM_SEED must be a whole number from 0 to 4294967295, got "abc"',
    ],
    [
      ['--random-seed', '4294967296'],
      '--random-seed / MOCK_RANDOM_SEED must be a whole number from 0 to 4294967295, got "4294967296"',
    ],
    // The password of a URL that is not Redis's is not repeated either.
    [
      ['--store', 'http://user:secret@host:6379'],
      '--store / MOCK_STORE must be a Redis URL, redis://[user:pass@]host:port[/db] (or rediss://), got "http://…@host:6379"',
    ],
    [
      ['--store', 'redis://h:6379', '--state-file', 'x.json'],
      '--store and --state-file both say where the state is kept; use one (a sandbox on Redis persists through Redis)',
    ],
    [
      ['--store', 'redis://h:6379', '--store-prefix', 'my sandbox'],
      '--store-prefix / MOCK_STORE_PREFIX must be letters, digits, ".", "_", "-" or ":", got "my sandbox"',
    ],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseCliOptions(argv, {})).toThrow(new CliError(message));
  });
  it('ends a message parseArgs ends with a full stop with one full stop, not two', () => {
    expect(() => parseCliOptions(['--api', '--quiet'], {})).toThrow(
      /use '--api=-XYZ'\. Run with --help for the options\.$/,
    );
    expect(() => parseCliOptions(['--api', '--quiet'], {})).not.toThrow(/\.\./);
  });
  it('names the environment variable when two mocks would share a port through it', () => {
    expect(() => parseCliOptions(['--tvm-port', '5150'], { MVO_MOCK_PORT: '5150' })).toThrow(
      new CliError(
        'MVO_MOCK_PORT and --tvm-port are both 5150: the MVO and TVM mocks need a port each; change one, or start one with --api',
      ),
    );
    expect(parseCliOptions(['--api', 'tvm', '--mvo-port', '5150', '--tvm-port', '5150'], {}).ports.tvm).toBe(5150);
  });
  it('takes --random-seed / MOCK_RANDOM_SEED and --cors-credentials / MOCK_CORS_CREDENTIALS', () => {
    expect(parseCliOptions(['--random-seed', '42'], {}).randomSeed).toBe(42);
    expect(parseCliOptions([], { MOCK_RANDOM_SEED: '7' }).randomSeed).toBe(7);
    expect(parseCliOptions([], {}).randomSeed).toBeUndefined();
    expect(parseCliOptions(['--cors', '--cors-credentials'], {})).toMatchObject({ cors: true, corsCredentials: true });
    expect(parseCliOptions(['--cors'], { MOCK_CORS_CREDENTIALS: '1' }).corsCredentials).toBe(true);
  });
  it('takes --store and --store-prefix, or MOCK_STORE and MOCK_STORE_PREFIX', () => {
    expect(parseCliOptions(['--store', 'redis://:pw@10.0.0.5:6380/2', '--store-prefix', 'team-a'], {})).toMatchObject({
      store: 'redis://:pw@10.0.0.5:6380/2',
      storePrefix: 'team-a',
    });
    expect(parseCliOptions([], { MOCK_STORE: 'rediss://cache:6379', MOCK_STORE_PREFIX: 'ci' })).toMatchObject({
      store: 'rediss://cache:6379',
      storePrefix: 'ci',
    });
  });
  it('stops the start when the --store Redis is unreachable, saying where without the password', async () => {
    const port = await freePort();
    const started = startFromCli(
      ['--api', 'mvo', '--mvo-port', '0', '--quiet', '--store', `redis://user:s3cret@127.0.0.1:${port}`],
      {},
    );
    await expect(started).rejects.toThrow(
      new CliError(
        `MVO mock: --store: Redis at 127.0.0.1:${port} is unreachable (connect ECONNREFUSED 127.0.0.1:${port})`,
      ),
    );
  });
  it('says which port is taken and starts nothing', async () => {
    const [first] = await startFromCli(['--api', 'mvo', '--mvo-port', '0', '--quiet'], {});
    try {
      await expect(startFromCli(['--api', 'mvo', '--mvo-port', String(first.port), '--quiet'], {})).rejects.toThrow(
        `MVO mock: port ${first.port} (from --mvo-port) is in use; pick another with --mvo-port or MVO_MOCK_PORT`,
      );
      // A port from the environment is named by its variable.
      await expect(startFromCli(['--api', 'mvo', '--quiet'], { MVO_MOCK_PORT: String(first.port) })).rejects.toThrow(
        `MVO mock: port ${first.port} (from MVO_MOCK_PORT) is in use; pick another with --mvo-port or MVO_MOCK_PORT`,
      );
    } finally {
      await first.close();
    }
  });
});
