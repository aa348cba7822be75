/**
 * The mock CLI's options: flags first, then environment variables, then defaults. Pure, so tests can
 * check every mistake gets a clear message.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { ApiName } from './model/types.ts';
import { DEFAULT_LIMITS, MAX_HEAD_BYTES } from './node/transport.ts';
import { CLI_ROWS, cliRow, DEFAULT_PORTS, type Flag, type OptionRow } from './options/table.ts';
import { LATENCY_RULE, parseLatency, type Latency } from './pipeline/latency.ts';
import { REDIS_URL_PATTERN, STORE_PREFIX_PATTERN } from './store/redis/names.ts';

/** HELP's option list, from the options table: usage, then the help wrapped in a column. */
const USAGE_WIDTH = 28;
const HELP_WIDTH = 100;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** A row's usage as HELP shows it: `-h, --help`, `--mvo-port <port>`. */
export function usageOf(row: OptionRow): string {
  return `${row.short ? `-${row.short}, ` : ''}--${row.flag}${row.value ? ` ${row.value}` : ''}`;
}

/** The environment variable as written for people: a switch's with `=1`. */
export function envUsageOf(row: OptionRow): string | undefined {
  return row.env && `${row.env}${row.value ? '' : '=1'}`;
}

function optionsHelp(): string {
  return CLI_ROWS.map((row) => {
    const facts = [row.env && `env ${envUsageOf(row)}`, row.default && `default ${row.default}`]
      .filter(Boolean)
      .join(', ');
    const text = `${row.help}${facts ? ` (${facts})` : ''}${row.details ? `. ${row.details}` : ''}`;
    const lines = wrap(text, HELP_WIDTH - 2 - USAGE_WIDTH);
    return lines.map((line, index) => `  ${(index === 0 ? usageOf(row) : '').padEnd(USAGE_WIDTH)}${line}`).join('\n');
  }).join('\n');
}

/** parseArgs's configuration, from the table: a row with a value placeholder takes a string, the rest are switches. */
const PARSE_OPTIONS: ParseArgsConfig['options'] = Object.fromEntries(
  CLI_ROWS.map((row) => [
    row.flag,
    {
      type: row.value ? 'string' : 'boolean',
      ...(row.short && { short: row.short }),
      ...(row.multiple && { multiple: true }),
    },
  ]),
);

/** What parseArgs gives: each flag's text, switch or list. */
type ParsedValues = Partial<Record<Flag, string | boolean | string[]>>;

/** An environment variable that turns a switch on. */
const SWITCHED_ON = ['1', 'true', 'on'];

/** The CLI's --help text. Made when asked for: Intl's number formatting costs ~10 ms of every start otherwise. */
export function cliHelp(): string {
  return `Usage: virtual-commerce-mock [options]
       virtual-commerce-mock proxy --api <mvo|tvm> [options]   validating proxy to the real API (see proxy --help)
       virtual-commerce-mock check --api <mvo|tvm> [options]   read-only probe of the real API (see check --help)

Starts spec-driven mocks of the My Virtual Office (MVO) and The Virtual Mall (TVM) APIs that enforce
their real auth rules (key format, key state, scopes) and answer in each API's own error envelope.

Options:
${optionsHelp()}

Each mock also serves its control API under /__mock (mint, list, revoke, delete keys; review TVM
items; force statuses with /__mock/scenarios; reset). It refuses web pages: a Host that is not
loopback or --host, a cross-site Origin not listed by --cors, a body not sent as application/json.
Limits: request head ${MAX_HEAD_BYTES / 1024} KiB, headers within ${DEFAULT_LIMITS.headersTimeoutMs / 1000} s, whole request within ${DEFAULT_LIMITS.requestTimeoutMs / 1000} s, ${DEFAULT_LIMITS.maxConnections.toLocaleString('en')} connections.
The request log shows a key's prefix and first characters only, never the whole key.`;
}

export interface CliOptions {
  apis: ApiName[];
  host: string;
  ports: Record<ApiName, number>;
  rateLimits: 'enforce' | 'headers';
  stateful: boolean;
  latency?: Latency;
  /** `true`: every origin; a list: those origins; absent: no CORS. */
  cors?: true | string[];
  /** `--cors-credentials`: Access-Control-Allow-Credentials, the origin named instead of `*`. */
  corsCredentials: boolean;
  /** `--random-seed`: ids, slugs and generated data repeatable run to run. */
  randomSeed?: number;
  /** Where each port came from, for messages: the flag, or the environment variable. */
  portSources: Record<ApiName, string>;
  /** State documents to load at start (`--seed`, repeatable). */
  seeds: string[];
  stateFile?: string;
  /** `--control-token` / MOCK_CONTROL_TOKEN. */
  controlToken?: string;
  /** fsync the state file's log after each change (`--fsync`). */
  fsync: boolean;
  /** A Redis URL (`--store`): state shared by the sandbox's replicas. */
  store?: string;
  storePrefix: string;
  quiet: boolean;
  help: boolean;
}

export class CliError extends Error {}

export function port(value: string, name: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > 65535)
    throw new CliError(`${name} must be a port number from 0 to 65535, got "${value}"`);
  return number;
}

/** Where a mock's port was set, as a message names it: `--tvm-port`, `TVM_MOCK_PORT`, or `the default`. */
function portSource(flag: string | undefined, fromEnv: string | undefined, api: ApiName): string {
  if (flag !== undefined) return `--${api}-port`;
  return fromEnv !== undefined ? cliRow(`${api}-port`).env! : 'the default';
}

/** `--cors` alone means every origin: parseArgs needs a value, so give it `*`. */
function withCorsValue(argv: string[]): string[] {
  return argv.map((arg, index) =>
    arg === '--cors' && (index === argv.length - 1 || argv[index + 1].startsWith('-')) ? '--cors=*' : arg,
  );
}

/** `*` (or on/1/true) → every origin; a comma-separated list → those origins, each `scheme://host[:port]`. */
function corsSetting(value: string | undefined): true | string[] | undefined {
  if (value === undefined || value.trim() === '' || ['off', '0', 'false'].includes(value.trim().toLowerCase()))
    return undefined;
  if (['*', 'on', '1', 'true'].includes(value.trim().toLowerCase())) return true;
  return value.split(',').map((item) => {
    const origin = item.trim();
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new CliError(
        `--cors / MOCK_CORS: "${origin}" is not an origin; write scheme://host[:port] with no path, e.g. http://localhost:5173`,
      );
    }
    return origin;
  });
}

/** A token goes in a header: printable ASCII without spaces, long enough not to be guessed. */
function controlToken(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[\x21-\x7e]{16,200}$/.test(value))
    throw new CliError(
      '--control-token / MOCK_CONTROL_TOKEN must be 16 to 200 printable ASCII characters without spaces',
    );
  return value;
}

export function parseCliOptions(argv: string[], env: Record<string, string | undefined>): CliOptions {
  let values: ParsedValues;
  try {
    values = parseArgs({ args: withCorsValue(argv), strict: true, allowPositionals: false, options: PARSE_OPTIONS })
      .values as ParsedValues;
  } catch (cause) {
    // parseArgs's own messages may end with a full stop already.
    throw new CliError(`${(cause as Error).message.replace(/\.+$/, '')}. Run with --help for the options.`);
  }
  /** A flag's text, as given on the command line. */
  const flagged = (flag: Flag) => values[flag] as string | undefined;
  /** The environment variable the table names for a flag. */
  const fromEnv = (flag: Flag) => env[cliRow(flag).env!];
  /** The flag's text, else its environment variable's (an empty one too). */
  const given = (flag: Flag) => flagged(flag) ?? fromEnv(flag);
  /** The flag's text, else its environment variable's when that is not empty. */
  const givenNonEmpty = (flag: Flag) => flagged(flag) ?? (fromEnv(flag) || undefined);
  /** A switch: the flag, or its environment variable set to 1, true or on. */
  const switched = (flag: Flag) => Boolean(values[flag]) || SWITCHED_ON.includes((fromEnv(flag) ?? '').toLowerCase());
  /** How messages name an option: `--latency / MOCK_LATENCY`. */
  const label = (flag: Flag) => `--${flag} / ${cliRow(flag).env}`;
  const defaultOf = (flag: Flag) => cliRow(flag).default!;

  const api = flagged('api') ?? defaultOf('api');
  if (!['mvo', 'tvm', 'both'].includes(api)) throw new CliError(`--api must be mvo, tvm or both, got "${api}"`);
  const rateLimits = (given('rate-limits') ?? defaultOf('rate-limits')).toLowerCase();
  if (!['on', 'off'].includes(rateLimits))
    throw new CliError(`${label('rate-limits')} must be on or off, got "${rateLimits}"`);
  const latencyText = given('latency');
  const latency = latencyText === undefined || latencyText === '' ? undefined : parseLatency(latencyText);
  if (latencyText && !latency) throw new CliError(`${label('latency')} must be ${LATENCY_RULE}, got "${latencyText}"`);
  const store = givenNonEmpty('store');
  if (store !== undefined && !REDIS_URL_PATTERN.test(store)) {
    throw new CliError(
      `${label('store')} must be a Redis URL, redis://[user:pass@]host:port[/db] (or rediss://), got "${store.replace(/\/\/[^@/]*@/, '//…@')}"`,
    );
  }
  const stateFile = givenNonEmpty('state-file');
  if (store !== undefined && stateFile !== undefined)
    throw new CliError(
      '--store and --state-file both say where the state is kept; use one (a sandbox on Redis persists through Redis)',
    );
  const storePrefix = givenNonEmpty('store-prefix') ?? defaultOf('store-prefix');
  if (!STORE_PREFIX_PATTERN.test(storePrefix))
    throw new CliError(`${label('store-prefix')} must be letters, digits, ".", "_", "-" or ":", got "${storePrefix}"`);
  const apis: ApiName[] = api === 'both' ? ['mvo', 'tvm'] : [api as ApiName];
  const portSources = {
    mvo: portSource(flagged('mvo-port'), fromEnv('mvo-port'), 'mvo'),
    tvm: portSource(flagged('tvm-port'), fromEnv('tvm-port'), 'tvm'),
  };
  const ports = {
    mvo: port(given('mvo-port') ?? String(DEFAULT_PORTS.mvo), label('mvo-port')),
    tvm: port(given('tvm-port') ?? String(DEFAULT_PORTS.tvm), label('tvm-port')),
  };
  if (apis.length === 2 && ports.mvo === ports.tvm && ports.mvo !== 0) {
    throw new CliError(
      `${portSources.mvo} and ${portSources.tvm} are both ${ports.mvo}: the MVO and TVM mocks need a port each; change one, or start one with --api`,
    );
  }
  const cors = corsSetting(given('cors'));
  const corsCredentials = switched('cors-credentials');
  if (corsCredentials && !cors)
    throw new CliError(`${label('cors-credentials')} needs --cors (which origins may send credentials)`);
  const randomSeedText = givenNonEmpty('random-seed');
  if (randomSeedText !== undefined && !(/^\d{1,10}$/.test(randomSeedText) && Number(randomSeedText) <= 0xffffffff)) {
    throw new CliError(`${label('random-seed')} must be a whole number from 0 to 4294967295, got "${randomSeedText}"`);
  }
  const seedFromEnv = fromEnv('seed');
  return {
    apis,
    host: given('host') ?? defaultOf('host'),
    ports,
    portSources,
    corsCredentials,
    randomSeed: randomSeedText === undefined ? undefined : Number(randomSeedText),
    rateLimits: rateLimits === 'on' ? 'enforce' : 'headers',
    stateful: !switched('stateless'),
    latency,
    cors,
    seeds: (values.seed as string[] | undefined) ?? (seedFromEnv ? [seedFromEnv] : []),
    controlToken: controlToken(givenNonEmpty('control-token')),
    fsync: switched('fsync'),
    stateFile,
    store,
    storePrefix,
    quiet: Boolean(values.quiet),
    help: Boolean(values.help),
  };
}
