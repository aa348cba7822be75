/**
 * The mock's options table (mock-server/src/options/table.ts) is the one place options are stated: every row is
 * in HELP and in the README's table, HELP lists nothing else, the CLI reads every flag and every environment
 * variable the table names, and each programmatic entry point takes exactly the properties the table gives it.
 */
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CliError, cliHelp, envUsageOf, parseCliOptions, usageOf } from '../../mock-server/src/cli-options.ts';
import { CHECK_HELP, PROXY_HELP, parseCheckOptions, parseProxyOptions } from '../../mock-server/src/proxy/cli.ts';
import { FIXTURE_KEYS } from '../../mock-server/src/fixtures/keys.ts';
import { createMock, type MockServerOptions, startMockServer } from '../../mock-server/src/index.ts';
import { createMswMock, type MswHandlerOptions } from '../../mock-server/src/msw/index.ts';
import { CLI_ROWS, type Flag, ROWS, SURFACES, type Surface } from '../../mock-server/src/options/table.ts';
import type { MockOptionTypes, PropertiesOf } from '../../mock-server/src/options/types.ts';
import type { MockOptions } from '../../mock-server/src/pipeline/pipeline.ts';
import { seededRandom } from '../../mock-server/src/state/random.ts';
import { MemoryStore } from '../../mock-server/src/store/store.ts';
import { OPTIONS_HEADER, optionsTable, SURFACE_NAMES } from '../../scripts/options-table.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/** A value for each flag that differs from its default (a switch: given), and anything else the flag needs. */
const FLAG_SAMPLES: Record<Flag, { value?: string; with?: string[] }> = {
  api: { value: 'tvm' },
  host: { value: '0.0.0.0' },
  'control-token': { value: 'a-token-of-twenty-chars' },
  'mvo-port': { value: '5010' },
  'tvm-port': { value: '5011' },
  'rate-limits': { value: 'off' },
  stateless: {},
  latency: { value: '100-300' },
  cors: { value: 'http://localhost:5173' },
  'cors-credentials': { with: ['--cors'] },
  'random-seed': { value: '42' },
  seed: { value: 'state.json' },
  'state-file': { value: '.mock/state.json' },
  fsync: {},
  store: { value: 'redis://127.0.0.1:6379' },
  'store-prefix': { value: 'team-a' },
  quiet: {},
  help: {},
};

/** HELP's option lines: the usage at the start of each (`  --host <host>   …`, `  -h, --help   …`). */
function helpUsages(): string[] {
  const help = cliHelp();
  const options = help.slice(help.indexOf('\nOptions:\n'), help.indexOf('\n\n', help.indexOf('\nOptions:\n') + 1));
  return [...options.matchAll(/^ {2}((?:-\w, )?--\S+(?: \S+)?)(?= {2})/gm)].map((match) => match[1]);
}

describe('the options table', () => {
  it('is complete in HELP: every flag with its environment variable and default, and nothing outside the table', () => {
    expect(helpUsages()).toEqual(CLI_ROWS.map(usageOf));
    const flat = cliHelp().replace(/\s+/g, ' ');
    for (const row of CLI_ROWS) {
      if (row.env) expect(flat, row.flag).toContain(`env ${envUsageOf(row)}`);
      if (row.default) expect(flat, row.flag).toContain(`default ${row.default}`);
    }
    // No environment variable in HELP that no row names.
    const named = new Set(CLI_ROWS.map((row) => row.env));
    for (const [variable] of cliHelp().matchAll(/\b(?:MOCK|MVO_MOCK|TVM_MOCK)_[A-Z_]+\b/g))
      expect(named, variable).toContain(variable);
  });

  it('is the table of OPTIONS.md (generated, linked from the README), a row each', () => {
    const document = readFileSync(`${ROOT}mock-server/OPTIONS.md`, 'utf8');
    expect(document.startsWith(OPTIONS_HEADER)).toBe(true);
    expect(readFileSync(`${ROOT}mock-server/README.md`, 'utf8')).toContain('[OPTIONS.md](OPTIONS.md)');
    const between = document.slice(document.indexOf('| Flag |')).trim();
    expect(between).toBe(optionsTable());
    const lines = between.split('\n').slice(2);
    expect(lines).toHaveLength(ROWS.length);
    ROWS.forEach((row, index) => {
      const cells = lines[index].split(/(?<!\\)\|/).map((cell) => cell.trim());
      if (row.flag) expect(cells[1].replaceAll('\\|', '|')).toBe(`\`${usageOf(row)}\``);
      if (row.env) expect(cells[2]).toBe(`\`${envUsageOf(row)}\``);
      if (row.property) expect(cells[3]).toBe(`\`${row.property}\``);
      expect(cells[4].split(', ')).toEqual(
        SURFACES.filter((surface) => row.surfaces.includes(surface)).map((surface) => SURFACE_NAMES[surface]),
      );
    });
  });

  it('names a flag for every CLI row and a property for every programmatic one', () => {
    for (const row of ROWS) {
      expect(row.surfaces.includes('cli'), JSON.stringify(row)).toBe(row.flag !== undefined);
      expect(
        row.surfaces.some((surface) => surface !== 'cli'),
        JSON.stringify(row),
      ).toBe(row.property !== undefined);
    }
  });

  it.each(CLI_ROWS.map((row) => [row.flag, row] as const))(
    '--%s: the CLI reads the flag, and its environment variable alike',
    (flag, row) => {
      const sample = FLAG_SAMPLES[flag];
      const argv = [...(sample.with ?? []), `--${flag}`, ...(sample.value === undefined ? [] : [sample.value])];
      const byFlag = parseCliOptions(argv, {});
      expect(byFlag).not.toEqual(parseCliOptions(sample.with ?? [], {}));
      if (!row.env) return;
      const byEnv = parseCliOptions(sample.with ?? [], { [row.env]: sample.value ?? '1' });
      // Only where a port came from differs: messages name the flag or the variable.
      expect({ ...byEnv, portSources: undefined }).toEqual({ ...byFlag, portSources: undefined });
    },
  );
});

describe('the entry points take exactly the properties the table gives them', () => {
  it('in their types', () => {
    expectTypeOf<keyof MockOptions>().toEqualTypeOf<PropertiesOf<'createMock'>>();
    expectTypeOf<keyof MockServerOptions>().toEqualTypeOf<PropertiesOf<'startMockServer'>>();
    expectTypeOf<keyof MswHandlerOptions>().toEqualTypeOf<PropertiesOf<'msw'>>();
  });

  /** A value for each property (with what it needs besides), accepted where the table says. */
  const samples = async (): Promise<Record<keyof MockOptionTypes, Partial<MockOptionTypes>>> => {
    const seed = await (await createMock('tvm')).exportState();
    return {
      api: { api: 'tvm' },
      host: { host: '127.0.0.1' },
      port: { port: 0 },
      controlToken: { controlToken: 'a-token-of-twenty-chars' },
      rateLimits: { rateLimits: 'headers' },
      stateful: { stateful: false },
      latency: { latency: '0-1' },
      cors: { cors: true },
      corsCredentials: { cors: ['http://localhost:5173'], corsCredentials: true },
      randomSeed: { randomSeed: 7 },
      random: { random: seededRandom(7) },
      seed: { seed },
      store: { store: new MemoryStore() },
      storePrefix: { storePrefix: 'team-a' },
      fixtures: { fixtures: FIXTURE_KEYS.tvm },
      keys: { keys: [{ name: 'extra' }] },
      baseUrl: { baseUrl: 'http://localhost:5173/tvm' },
      now: { now: () => new Date() },
      digest: { digest: (text) => hash('sha256', text, 'buffer') },
      log: { log: () => {} },
      journalSize: { journalSize: 0 },
      limits: { limits: { maxConnections: 10 } },
    };
  };

  const start: Record<Exclude<Surface, 'cli'>, (options: Partial<MockOptionTypes>) => Promise<unknown>> = {
    createMock: (options) => createMock('tvm', options as MockOptions),
    startMockServer: async (options) =>
      (await startMockServer({ api: 'tvm', port: 0, ...(options as Partial<MockServerOptions>) })).close(),
    msw: (options) => createMswMock('tvm', options as MswHandlerOptions).ready(),
  };

  it('at run time: each surface starts with each of its properties', async () => {
    const values = await samples();
    for (const row of ROWS) {
      if (!row.property) continue;
      for (const surface of row.surfaces) {
        if (surface === 'cli') continue;
        await expect(start[surface](values[row.property]), `${surface} ${row.property}`).resolves.not.toThrow();
      }
    }
  });

  it('MSW passes its mock options on: journalSize 0 keeps no request', async () => {
    const msw = createMswMock('tvm', { journalSize: 0 });
    const mock = await msw.ready();
    await mock.handle({ method: 'GET', path: '/v1/shop', query: '', headers: () => undefined });
    expect(await msw.requests()).toEqual([]);
  });
});

describe("the proxy's and the probe's options", () => {
  /** Each command's HELP option lines, as usage and value (`--port <port>`, `-h, --help`). */
  const usages = (help: string) =>
    [...help.slice(help.indexOf('\nOptions:\n')).matchAll(/^ {2}(?:-\w, )?--([\w-]+)(?: (\S+))?(?= {2})/gm)].map(
      (match) => ({ flag: match[1], value: match[2] }),
    );
  const samples: Record<string, string> = {
    '<mvo|tvm>': 'tvm',
    '<url>': 'https://staging.example',
    '<host>': '127.0.0.1',
    '<port>': '0',
    '<ms>': '1000',
  };

  it.each([
    ['proxy', PROXY_HELP, (argv: string[]) => parseProxyOptions(argv, {})],
    [
      'check',
      CHECK_HELP,
      (argv: string[]) => parseCheckOptions(argv, { TVM_API_KEY: 'tvm_x', VIRTUAL_HUB_API_KEY: 'sk_live_x' }),
    ],
  ] as const)('%s takes every option its HELP lists, and only those', (command, help, parse) => {
    const listed = usages(help);
    expect(listed.map((option) => option.flag)).toContain('api');
    for (const { flag, value } of listed) {
      const argv = [
        ...(flag === 'api' ? [] : ['--api', 'tvm']),
        `--${flag}`,
        ...(value ? [samples[value] ?? 'file'] : []),
      ];
      expect(() => parse(argv), `${command} --${flag}`).not.toThrow();
    }
    const other = command === 'proxy' ? 'allow-writes' : 'port';
    expect(listed.map((option) => option.flag)).not.toContain(other);
    expect(() => parse(['--api', 'tvm', `--${other}`, ...(other === 'port' ? ['0'] : [])])).toThrow(CliError);
  });
});
