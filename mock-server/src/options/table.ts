/**
 * The mock's options, one row each: the CLI flag and its environment variable, the property of the programmatic
 * options, which entry points take it, the default and the help. Everything else is derived from this table: the
 * CLI's parser and HELP (cli-options.ts), the option types of `createMock`, `startMockServer` and the MSW handlers
 * (types.ts), and the options table in mock-server/README.md (scripts/generate.ts). A default the specs own (the
 * ports, the latency ceiling) is read from them here, not typed.
 */
import { spec as controlSpec } from '../generated/mock.spec.ts';
import type { ApiName } from '../model/types.ts';
import { MAX_LATENCY_MS } from '../pipeline/latency.ts';
import { DEFAULT_STORE_PREFIX } from '../store/redis/names.ts';
import type { MockOptionTypes } from './types.ts';

/** Where an option is given: the command line, or one of the three programmatic entry points. */
export type Surface = 'cli' | 'createMock' | 'startMockServer' | 'msw';
export const SURFACES: readonly Surface[] = ['cli', 'createMock', 'startMockServer', 'msw'];

export interface OptionRow {
  /** The CLI flag without `--`; absent: not on the command line. */
  readonly flag?: string;
  readonly short?: string;
  /** HELP's placeholder for the flag's value (`<port>`); absent: a switch. */
  readonly value?: string;
  /** May be given more than once (`--seed`). */
  readonly multiple?: boolean;
  /** The environment variable the CLI reads when the flag is not given (a switch's is on with 1, true or on). */
  readonly env?: string;
  /** The property of the programmatic options that says the same. */
  readonly property?: keyof MockOptionTypes;
  readonly surfaces: readonly Surface[];
  /** The CLI's default, as HELP and the README write it. */
  readonly default?: string;
  /** The property's default, when it is written otherwise than the flag's (or the option has no flag). */
  readonly propertyDefault?: string;
  /** One line: what it does. */
  readonly help: string;
  /** More, for HELP and the README, after the line and its environment variable and default. */
  readonly details?: string;
  /** For the README only: what differs when it is given as a property. */
  readonly propertyNote?: string;
}

/** The mocks' default ports: the control spec's `servers` (openapi/mock/), one per API by `x-mock-api`. */
export const DEFAULT_PORTS = Object.fromEntries(
  (controlSpec.servers as { url: string; 'x-mock-api': ApiName }[]).map((server) => [
    server['x-mock-api'],
    Number(new URL(server.url).port),
  ]),
) as Record<ApiName, number>;

const ALL = ['cli', 'createMock', 'startMockServer', 'msw'] as const;
const CODE = ['createMock', 'startMockServer', 'msw'] as const;

export const OPTIONS = [
  {
    flag: 'api',
    value: '<mvo|tvm|both>',
    property: 'api',
    surfaces: ['cli', 'startMockServer'],
    default: 'both',
    propertyDefault: 'required',
    help: 'Which mock(s) to start',
  },
  {
    flag: 'host',
    value: '<host>',
    env: 'MOCK_HOST',
    property: 'host',
    surfaces: ['cli', 'startMockServer'],
    default: '127.0.0.1',
    help: 'Interface to listen on',
    details: 'Beyond loopback (0.0.0.0, a LAN address) the control API needs a token',
  },
  {
    flag: 'control-token',
    value: '<token>',
    env: 'MOCK_CONTROL_TOKEN',
    property: 'controlToken',
    surfaces: ['cli', 'startMockServer'],
    help: 'The token control requests must send in X-Mock-Token',
    details: 'The CLI makes one and prints it once at start when --host is not loopback and none is given',
  },
  {
    flag: 'mvo-port',
    value: '<port>',
    env: 'MVO_MOCK_PORT',
    surfaces: ['cli'],
    default: String(DEFAULT_PORTS.mvo),
    help: 'MVO mock port',
  },
  {
    flag: 'tvm-port',
    value: '<port>',
    env: 'TVM_MOCK_PORT',
    surfaces: ['cli'],
    default: String(DEFAULT_PORTS.tvm),
    help: 'TVM mock port',
  },
  {
    property: 'port',
    surfaces: ['startMockServer'],
    propertyDefault: '0 (a free port)',
    help: 'The port to listen on',
  },
  {
    flag: 'rate-limits',
    value: '<on|off>',
    env: 'MOCK_RATE_LIMITS',
    property: 'rateLimits',
    surfaces: ALL,
    default: 'on',
    propertyDefault: "'enforce'",
    help: "Enforce TVM's per-key limits with 429s, or only send the X-RateLimit-* headers",
    propertyNote: "'enforce' or 'headers' (MVO: keys' own limits are then ignored)",
  },
  {
    flag: 'stateless',
    env: 'MOCK_STATELESS',
    property: 'stateful',
    surfaces: ALL,
    propertyDefault: 'true',
    help: "Answer every request from the spec's examples; by default the mocks keep per-account data",
    propertyNote: '`stateful: false` answers from the examples',
  },
  {
    flag: 'latency',
    value: '<ms|min-max>',
    env: 'MOCK_LATENCY',
    property: 'latency',
    surfaces: ALL,
    help: `Delay every API answer, fixed or random in a range, at most ${MAX_LATENCY_MS} ms`,
    details: 'Per request: the X-Mock-Latency header',
    propertyNote: "ms, 'min-max' or { min, max }; more than the most throws",
  },
  {
    flag: 'cors',
    value: '[origin,origin…]',
    env: 'MOCK_CORS',
    property: 'cors',
    surfaces: ['cli', 'startMockServer'],
    help: 'Answer browsers on other origins: every origin, or only those listed',
    details:
      "MOCK_CORS takes * or a list. Off by default, on purpose: both APIs' keys are server-side only and the real APIs send no CORS headers, so a page that calls them directly works here and fails in production. Use it for local prototypes; ship a backend",
  },
  {
    flag: 'cors-credentials',
    env: 'MOCK_CORS_CREDENTIALS',
    property: 'corsCredentials',
    surfaces: ['cli', 'startMockServer'],
    help: "With --cors: allow credentialed requests, such as cookies or fetch's credentials: 'include'",
    details: "Access-Control-Allow-Credentials: true, and the page's origin named instead of *",
  },
  {
    flag: 'random-seed',
    value: '<n>',
    env: 'MOCK_RANDOM_SEED',
    property: 'randomSeed',
    surfaces: ALL,
    default: 'random',
    help: "Make ids, slugs and generated data the same run to run: created items' ids included",
    propertyNote: '`random` wins when both are given',
  },
  {
    property: 'random',
    surfaces: CODE,
    propertyDefault: 'Math.random',
    help: 'Where ids and slug suffixes come from; seededRandom(n) makes them repeatable',
  },
  {
    flag: 'seed',
    value: '<file>',
    multiple: true,
    env: 'MOCK_SEED',
    property: 'seed',
    surfaces: ALL,
    help: 'Load a state document (GET /__mock/state) at start and on reset',
    details: 'Repeat for MVO and TVM. Keys may be listed whole (hashed on load)',
    propertyNote: 'the document itself, not a file',
  },
  {
    flag: 'state-file',
    value: '<path>',
    env: 'MOCK_STATE_FILE',
    surfaces: ['cli'],
    help: 'Keep keys and data across restarts and crashes',
    details:
      'Every change is on disk (in <path>.log.<n>) before it is answered, and compacted into <path> in the background and on Ctrl-C / SIGTERM. Its folder is made; one process per file (<path>.lock). An unreadable file or an unwritable folder stops the start; a write that fails later answers 503 and is reported',
  },
  {
    flag: 'fsync',
    env: 'MOCK_FSYNC',
    surfaces: ['cli'],
    help: 'With --state-file: also flush each change to the disk itself, so it survives a power loss, not only a crash',
    details: 'Slower writes',
  },
  {
    flag: 'store',
    value: '<redis://…>',
    env: 'MOCK_STORE',
    property: 'store',
    surfaces: ['cli', 'createMock', 'startMockServer'],
    default: 'in memory',
    help: 'Keep keys, data, review decisions, rate counters, scenarios and the journal in Redis or Valkey',
    details:
      'A URL redis://[user:pass@]host:port[/db] (or rediss://), shared by every replica started on it: a sandbox of several processes behind one address. Redis unreachable: answers 503 until it is back',
    propertyNote: 'a Redis URL (startMockServer only) or a StateStore',
  },
  {
    flag: 'store-prefix',
    value: '<name>',
    env: 'MOCK_STORE_PREFIX',
    property: 'storePrefix',
    surfaces: ['cli', 'startMockServer'],
    default: DEFAULT_STORE_PREFIX,
    help: "The sandbox's name in Redis: its keys are <name>:<api>:…, so one Redis holds several sandboxes",
  },
  {
    property: 'fixtures',
    surfaces: CODE,
    propertyDefault: 'the documented fixture keys',
    help: 'Keys loaded at start and on reset: replaces the fixtures entirely',
  },
  {
    property: 'keys',
    surfaces: ['msw'],
    help: 'Keys added to the fixtures ({ id?, name, key?, scopes?, status?, expires_at? }); POST /__mock/reset keeps them',
  },
  {
    property: 'baseUrl',
    surfaces: ['msw'],
    propertyDefault: "the spec's servers",
    help: 'Where the handlers answer: a URL or a list. A path in it (http://localhost:5173/tvm) is stripped before routing',
  },
  {
    property: 'now',
    surfaces: CODE,
    propertyDefault: 'the system clock',
    help: 'A clock, for expiry and rate-window tests',
  },
  {
    property: 'digest',
    surfaces: ['createMock', 'startMockServer'],
    propertyDefault: 'Web Crypto SHA-256',
    help: 'How keys are hashed (the Node server passes a synchronous one)',
  },
  {
    property: 'log',
    surfaces: ['createMock', 'startMockServer'],
    help: 'Receives one line per request (method, path, status, time, the masked key); silent when omitted',
  },
  { flag: 'quiet', surfaces: ['cli'], help: 'No request log' },
  {
    property: 'journalSize',
    surfaces: CODE,
    propertyDefault: '1000',
    help: 'How many requests the journal keeps (requests(), GET /__mock/requests); 0 keeps none',
  },
  {
    property: 'limits',
    surfaces: ['startMockServer'],
    help: 'Header and request timeouts and the connection cap: { headersTimeoutMs, requestTimeoutMs, maxConnections }',
  },
  { flag: 'help', short: 'h', surfaces: ['cli'], help: 'This help' },
] as const satisfies readonly OptionRow[];

/** A CLI flag of the table (without `--`). */
export type Flag = Extract<(typeof OPTIONS)[number], { flag: string }>['flag'];

/** The table as plain rows (its literal types are for the derived option types only). */
export const ROWS: readonly OptionRow[] = OPTIONS;
export const CLI_ROWS: readonly (OptionRow & { flag: Flag })[] = ROWS.filter(
  (row): row is OptionRow & { flag: Flag } => row.flag !== undefined,
);

/** A flag's row. */
export function cliRow(flag: Flag): OptionRow & { flag: Flag } {
  return CLI_ROWS.find((row) => row.flag === flag)!;
}
