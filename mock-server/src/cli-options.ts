/**
 * The mock CLI's options: flags first, then environment variables, then defaults. Pure, so tests can
 * check every mistake gets a clear message.
 */
import { parseArgs } from 'node:util';
import type { ApiName } from './model/types.ts';
import { LATENCY_RULE, MAX_LATENCY_MS, parseLatency, type Latency } from './pipeline/latency.ts';
import { DEFAULT_STORE_PREFIX, REDIS_URL_PATTERN, STORE_PREFIX_PATTERN } from './store/redis/names.ts';

export const HELP = `Usage: virtual-commerce-mock [options]
       virtual-commerce-mock proxy --api <mvo|tvm> [options]   validating proxy to the real API (see proxy --help)
       virtual-commerce-mock check --api <mvo|tvm> [options]   read-only probe of the real API (see check --help)

Starts spec-driven mocks of the My Virtual Office (MVO) and The Virtual Mall (TVM) APIs that enforce
their real auth rules (key format, key state, scopes) and answer in each API's own error envelope.

Options:
  --api <mvo|tvm|both>        Which mock(s) to start (default: both)
  --host <host>               Interface to listen on (env MOCK_HOST, default 127.0.0.1). Beyond
                              loopback (0.0.0.0, a LAN address) the control API needs a token
  --control-token <token>     The token control requests must send in X-Mock-Token (env
                              MOCK_CONTROL_TOKEN); made and printed once at start when --host
                              is not loopback and none is given
  --mvo-port <port>           MVO mock port (env MVO_MOCK_PORT, default 4010)
  --tvm-port <port>           TVM mock port (env TVM_MOCK_PORT, default 4011)
  --rate-limits <on|off>      Enforce TVM's per-key limits with 429s, or only send the
                              X-RateLimit-* headers (env MOCK_RATE_LIMITS, default on)
  --stateless                 Answer every request from the spec's examples; by default the
                              mocks keep per-account data (env MOCK_STATELESS=1)
  --latency <ms|min-max>      Delay every API answer, fixed or random in a range, at most
                              ${MAX_LATENCY_MS} ms (env MOCK_LATENCY; per request: X-Mock-Latency header)
  --cors [origin,origin…]     Answer browsers on other origins: every origin, or only those
                              listed (env MOCK_CORS=* or a list). Off by default, on purpose:
                              both APIs' keys are server-side only and the real APIs send no
                              CORS headers, so a page that calls them directly works here and
                              fails in production. Use it for local prototypes; ship a backend.
  --cors-credentials          With --cors: allow credentialed requests (cookies, fetch's
                              credentials: 'include'): Access-Control-Allow-Credentials: true,
                              and the page's origin named instead of * (env MOCK_CORS_CREDENTIALS=1)
  --random-seed <n>           Make ids, slugs and generated data the same run to run: created
                              items' ids included (env MOCK_RANDOM_SEED; default: random)
  --seed <file>               Load a state document (GET /__mock/state) at start and on reset;
                              repeat for MVO and TVM. Keys may be listed whole (hashed on load)
                              (env MOCK_SEED)
  --state-file <path>         Keep keys and data across restarts and crashes: every change is on
                              disk (in <path>.log.<n>) before it is answered, and compacted into
                              <path> in the background and on Ctrl-C / SIGTERM. Its folder is
                              made; one process per file (<path>.lock). An unreadable file or an
                              unwritable folder stops the start; a write that fails later answers
                              503 and is reported (env MOCK_STATE_FILE)
  --fsync                     With --state-file: also flush each change to the disk itself, so it
                              survives a power loss, not only a crash (slower writes; env MOCK_FSYNC=1)
  --store <redis://…>         Keep keys, data, review decisions, rate counters, scenarios and the
                              journal in Redis or Valkey (redis://[user:pass@]host:port[/db]),
                              shared by every replica started on it: a sandbox of several
                              processes behind one address. Redis unreachable: answers 503
                              until it is back (env MOCK_STORE; default: in memory)
  --store-prefix <name>       The sandbox's name in Redis: its keys are <name>:<api>:…, so one
                              Redis holds several sandboxes (env MOCK_STORE_PREFIX, default vcm)
  --quiet                     No request log
  -h, --help                  This help

Each mock also serves its control API under /__mock (mint, list, revoke, delete keys; review TVM
items; force statuses with /__mock/scenarios; reset). It refuses web pages: a Host that is not
loopback or --host, a cross-site Origin not listed by --cors, a body not sent as application/json.
Limits: request head 16 KiB, headers within 10 s, whole request within 30 s, 1,024 connections.
The request log shows a key's prefix and first characters only, never the whole key.`;

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
  if (!/^\d+$/.test(value) || number > 65535) throw new CliError(`${name} must be a port number from 0 to 65535, got "${value}"`);
  return number;
}

/** Where a mock's port was set, as a message names it: `--tvm-port`, `TVM_MOCK_PORT`, or `the default`. */
function portSource(flag: string | undefined, fromEnv: string | undefined, api: ApiName): string {
  if (flag !== undefined) return `--${api}-port`;
  return fromEnv !== undefined ? `${api.toUpperCase()}_MOCK_PORT` : 'the default';
}

/** `--cors` alone means every origin: parseArgs needs a value, so give it `*`. */
function withCorsValue(argv: string[]): string[] {
  return argv.map((arg, index) => (arg === '--cors' && (index === argv.length - 1 || argv[index + 1].startsWith('-')) ? '--cors=*' : arg));
}

/** `*` (or on/1/true) → every origin; a comma-separated list → those origins, each `scheme://host[:port]`. */
function corsSetting(value: string | undefined): true | string[] | undefined {
  if (value === undefined || value.trim() === '' || ['off', '0', 'false'].includes(value.trim().toLowerCase())) return undefined;
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
      throw new CliError(`--cors / MOCK_CORS: "${origin}" is not an origin; write scheme://host[:port] with no path, e.g. http://localhost:5173`);
    }
    return origin;
  });
}

/** A token goes in a header: printable ASCII without spaces, long enough not to be guessed. */
function controlToken(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[\x21-\x7e]{16,200}$/.test(value)) throw new CliError('--control-token / MOCK_CONTROL_TOKEN must be 16 to 200 printable ASCII characters without spaces');
  return value;
}

export function parseCliOptions(argv: string[], env: Record<string, string | undefined>): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: withCorsValue(argv),
      strict: true,
      allowPositionals: false,
      options: {
        api: { type: 'string' },
        host: { type: 'string' },
        'mvo-port': { type: 'string' },
        'tvm-port': { type: 'string' },
        'rate-limits': { type: 'string' },
        stateless: { type: 'boolean' },
        latency: { type: 'string' },
        cors: { type: 'string' },
        'cors-credentials': { type: 'boolean' },
        'random-seed': { type: 'string' },
        seed: { type: 'string', multiple: true },
        'state-file': { type: 'string' },
        'control-token': { type: 'string' },
        fsync: { type: 'boolean' },
        store: { type: 'string' },
        'store-prefix': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (cause) {
    // parseArgs's own messages may end with a full stop already.
    throw new CliError(`${(cause as Error).message.replace(/\.+$/, '')}. Run with --help for the options.`);
  }
  const api = parsed.api ?? 'both';
  if (!['mvo', 'tvm', 'both'].includes(api)) throw new CliError(`--api must be mvo, tvm or both, got "${api}"`);
  const rateLimits = (parsed['rate-limits'] ?? env.MOCK_RATE_LIMITS ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(rateLimits)) throw new CliError(`--rate-limits / MOCK_RATE_LIMITS must be on or off, got "${rateLimits}"`);
  const latencyText = parsed.latency ?? env.MOCK_LATENCY;
  const latency = latencyText === undefined || latencyText === '' ? undefined : parseLatency(latencyText);
  if (latencyText && !latency) throw new CliError(`--latency / MOCK_LATENCY must be ${LATENCY_RULE}, got "${latencyText}"`);
  const store = parsed.store ?? (env.MOCK_STORE || undefined);
  if (store !== undefined && !REDIS_URL_PATTERN.test(store)) throw new CliError(`--store / MOCK_STORE must be a Redis URL, redis://[user:pass@]host:port[/db] (or rediss://), got "${store.replace(/\/\/[^@/]*@/, '//…@')}"`);
  const stateFile = parsed['state-file'] ?? (env.MOCK_STATE_FILE || undefined);
  if (store !== undefined && stateFile !== undefined) throw new CliError('--store and --state-file both say where the state is kept; use one (a sandbox on Redis persists through Redis)');
  const storePrefix = parsed['store-prefix'] ?? (env.MOCK_STORE_PREFIX || DEFAULT_STORE_PREFIX);
  if (!STORE_PREFIX_PATTERN.test(storePrefix)) throw new CliError(`--store-prefix / MOCK_STORE_PREFIX must be letters, digits, ".", "_", "-" or ":", got "${storePrefix}"`);
  const apis: ApiName[] = api === 'both' ? ['mvo', 'tvm'] : [api as ApiName];
  const portSources = { mvo: portSource(parsed['mvo-port'], env.MVO_MOCK_PORT, 'mvo'), tvm: portSource(parsed['tvm-port'], env.TVM_MOCK_PORT, 'tvm') };
  const ports = {
    mvo: port(parsed['mvo-port'] ?? env.MVO_MOCK_PORT ?? '4010', '--mvo-port / MVO_MOCK_PORT'),
    tvm: port(parsed['tvm-port'] ?? env.TVM_MOCK_PORT ?? '4011', '--tvm-port / TVM_MOCK_PORT'),
  };
  if (apis.length === 2 && ports.mvo === ports.tvm && ports.mvo !== 0) {
    throw new CliError(`${portSources.mvo} and ${portSources.tvm} are both ${ports.mvo}: the MVO and TVM mocks need a port each; change one, or start one with --api`);
  }
  const cors = corsSetting(parsed.cors ?? env.MOCK_CORS);
  const corsCredentials = Boolean(parsed['cors-credentials']) || ['1', 'true', 'on'].includes((env.MOCK_CORS_CREDENTIALS ?? '').toLowerCase());
  if (corsCredentials && !cors) throw new CliError('--cors-credentials / MOCK_CORS_CREDENTIALS needs --cors (which origins may send credentials)');
  const randomSeedText = parsed['random-seed'] ?? (env.MOCK_RANDOM_SEED || undefined);
  if (randomSeedText !== undefined && !(/^\d{1,10}$/.test(randomSeedText) && Number(randomSeedText) <= 0xffffffff)) {
    throw new CliError(`--random-seed / MOCK_RANDOM_SEED must be a whole number from 0 to 4294967295, got "${randomSeedText}"`);
  }
  return {
    apis,
    host: parsed.host ?? env.MOCK_HOST ?? '127.0.0.1',
    ports,
    portSources,
    corsCredentials,
    randomSeed: randomSeedText === undefined ? undefined : Number(randomSeedText),
    rateLimits: rateLimits === 'on' ? 'enforce' : 'headers',
    stateful: !(parsed.stateless || ['1', 'true', 'on'].includes((env.MOCK_STATELESS ?? '').toLowerCase())),
    latency,
    cors,
    seeds: parsed.seed ?? (env.MOCK_SEED ? [env.MOCK_SEED] : []),
    controlToken: controlToken(parsed['control-token'] ?? (env.MOCK_CONTROL_TOKEN || undefined)),
    fsync: Boolean(parsed.fsync) || ['1', 'true', 'on'].includes((env.MOCK_FSYNC ?? '').toLowerCase()),
    stateFile,
    store,
    storePrefix,
    quiet: Boolean(parsed.quiet),
    help: Boolean(parsed.help),
  };
}
