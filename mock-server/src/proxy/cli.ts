/**
 * `virtual-commerce-mock proxy` and `virtual-commerce-mock check`: options (pure, so every mistake gets a
 * clear message in tests) and the two commands' lives (start, print, write the report, exit code).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { maskKey } from '../auth/index.ts';
import { CliError, port } from '../cli-options.ts';
import { API_NAMES, apiModel, embeddedSpec, type ApiName } from '../model/index.ts';
import { startProxy, type ValidationProxy } from './forward.ts';
import { runProbe } from './probe.ts';
import { DEFAULT_TIMEOUT_MS, upstreamBase } from './upstream.ts';

import type { ProxyCommand } from './commands.ts';

export { isProxyCommand, PROXY_COMMANDS, type ProxyCommand } from './commands.ts';

const DEFAULT_PORTS: Record<ApiName, number> = { mvo: 4020, tvm: 4021 };

/**
 * The two commands' options, one row each: the flag, HELP's usage and line (per command where they differ), and
 * which commands take it. Each command's parser and HELP are derived from it, so neither lists an option the
 * other lacks.
 */
interface ProxyOptionRow {
  flag: string;
  short?: string;
  /** HELP's placeholder for the value; absent: a switch. */
  value?: string;
  commands: readonly ProxyCommand[];
  /** HELP's text (continuation lines start on a new line), or one per command. */
  help: string | Record<ProxyCommand, string>;
}

const PROXY_OPTIONS: readonly ProxyOptionRow[] = [
  { flag: 'api', value: '<mvo|tvm>', commands: ['proxy', 'check'], help: 'Which API (required)' },
  {
    flag: 'target',
    value: '<url>',
    commands: ['proxy', 'check'],
    help: {
      proxy:
        "Send every request to this origin (and base path) instead of the spec's hosts\n(MVO: creates to api.my-virtual-office.com, the rest to app-api.my-virtual-office.com;\nTVM: api.thevirtualmall.co.uk)",
      check: "Send every request to this origin instead of the spec's hosts",
    },
  },
  {
    flag: 'allow-writes',
    commands: ['check'],
    help: "Also create one item per resource (the spec's examples), read, update and delete it",
  },
  { flag: 'host', value: '<host>', commands: ['proxy'], help: 'Interface to listen on (default 127.0.0.1)' },
  {
    flag: 'port',
    value: '<port>',
    commands: ['proxy'],
    help: `Port (default ${DEFAULT_PORTS.mvo} for MVO, ${DEFAULT_PORTS.tvm} for TVM; 0 picks a free one)`,
  },
  {
    flag: 'report',
    value: '<file.md>',
    commands: ['proxy', 'check'],
    help: {
      proxy: 'Write the Markdown report to this file when the proxy stops (Ctrl-C)',
      check: 'Also write the report to this file',
    },
  },
  {
    flag: 'record',
    value: '<file.json>',
    commands: ['proxy'],
    help: 'Write what the API returned as a state document when the proxy stops: start the mock\nfrom it with --seed <file.json> (each key an account, ids kept, keys as digests only)',
  },
  {
    flag: 'ca',
    value: '<file.pem>',
    commands: ['proxy', 'check'],
    help: 'Also trust this CA for HTTPS upstreams (NODE_EXTRA_CA_CERTS works too)',
  },
  {
    flag: 'timeout',
    value: '<ms>',
    commands: ['proxy', 'check'],
    help: {
      proxy: `How long the upstream may stay silent before the proxy answers 504 (default ${DEFAULT_TIMEOUT_MS})`,
      check: `How long the upstream may stay silent (default ${DEFAULT_TIMEOUT_MS})`,
    },
  },
  { flag: 'quiet', commands: ['proxy'], help: 'No request log' },
  { flag: 'help', short: 'h', commands: ['proxy', 'check'], help: 'This help' },
];

const PROXY_USAGE_WIDTH = 22;

/** One command's option lines in HELP. */
function optionsHelp(command: ProxyCommand): string {
  return PROXY_OPTIONS.filter((row) => row.commands.includes(command))
    .map((row) => {
      const usage = `${row.short ? `-${row.short}, ` : ''}--${row.flag}${row.value ? ` ${row.value}` : ''}`;
      const help = typeof row.help === 'string' ? row.help : row.help[command];
      return help
        .split('\n')
        .map((line, index) => `  ${(index === 0 ? usage : '').padEnd(PROXY_USAGE_WIDTH)}${line}`)
        .join('\n');
    })
    .join('\n');
}

/** One command's parseArgs configuration, from the same rows. */
function parseConfig(command: ProxyCommand): ParseArgsConfig['options'] {
  return Object.fromEntries(
    PROXY_OPTIONS.filter((row) => row.commands.includes(command)).map((row) => [
      row.flag,
      { type: row.value ? 'string' : 'boolean', ...(row.short && { short: row.short }) },
    ]),
  );
}

export const PROXY_HELP = `Usage: virtual-commerce-mock proxy --api <mvo|tvm> [options]

A validating proxy: forwards every request unchanged to the real API and returns its answer unchanged,
checking each exchange against the contract (openapi/<api>) and the assumptions it rests on.

Options:
${optionsHelp('proxy')}

GET /__proxy/report answers {requests, violations, notes, assumptions, upstreamErrors};
GET /__proxy/report?format=markdown the summary. Keys are forwarded, never recorded: the report and the log
show a key's prefix and first characters only.`;

export const CHECK_HELP = `Usage: virtual-commerce-mock check --api <mvo|tvm> [options]

A read-only probe: sends a short list of requests derived from the spec (every GET with your key; no key,
a malformed key, an unknown route and an out-of-range page on the first GET) to the real API, checks each
answer against the contract, prints the report (Markdown) and exits 1 if anything contradicts it.
The key comes from the spec's variable: VIRTUAL_HUB_API_KEY (MVO) or TVM_API_KEY (TVM).

Options:
${optionsHelp('check')}`;

interface CommonOptions {
  api: ApiName;
  target?: string;
  report?: string;
  /** Path of an extra CA file. */
  ca?: string;
  timeoutMs: number;
  help: boolean;
}

export interface ProxyCliOptions extends CommonOptions {
  command: 'proxy';
  host: string;
  port: number;
  quiet: boolean;
  /** Where to write the recorded state document. */
  record?: string;
}

export interface CheckCliOptions extends CommonOptions {
  command: 'check';
  allowWrites: boolean;
  /** The variable the key was read from (named by the spec), and the key. */
  keyVariable: string;
  key: string;
}

/** What parseArgs gives for a command: each flag's text or switch. */
type ProxyValues = Record<string, string | boolean | undefined>;

function parse(command: ProxyCommand, argv: string[]): ProxyValues {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options: parseConfig(command) })
      .values as ProxyValues;
  } catch (cause) {
    throw new CliError(
      `${command}: ${(cause as Error).message}. Run \`virtual-commerce-mock ${command} --help\` for the options.`,
    );
  }
}

function common(command: ProxyCommand, values: ProxyValues): CommonOptions {
  const help = Boolean(values.help);
  const api = values.api as string | undefined;
  if (!help && !API_NAMES.includes(api as ApiName))
    throw new CliError(`${command}: --api must be mvo or tvm, got ${api === undefined ? 'nothing' : `"${api}"`}`);
  const target = values.target as string | undefined;
  if (target !== undefined && !/^https?:\/\/[^/]/.test(target))
    throw new CliError(`${command}: --target must be an http:// or https:// URL, got "${target}"`);
  const timeout = (values.timeout as string | undefined) ?? String(DEFAULT_TIMEOUT_MS);
  if (!/^[1-9]\d*$/.test(timeout))
    throw new CliError(`${command}: --timeout must be a number of milliseconds, got "${timeout}"`);
  return {
    api: api as ApiName,
    target,
    report: values.report as string | undefined,
    ca: values.ca as string | undefined,
    timeoutMs: Number(timeout),
    help,
  };
}

export function parseProxyOptions(argv: string[], env: Record<string, string | undefined>): ProxyCliOptions {
  const values = parse('proxy', argv);
  const options = common('proxy', values);
  return {
    command: 'proxy',
    ...options,
    host: (values.host as string | undefined) ?? env.MOCK_HOST ?? '127.0.0.1',
    port: values.port === undefined ? (DEFAULT_PORTS[options.api] ?? 0) : port(values.port as string, '--port'),
    quiet: Boolean(values.quiet),
    ...(values.record !== undefined && { record: values.record as string }),
  };
}

export function parseCheckOptions(argv: string[], env: Record<string, string | undefined>): CheckCliOptions {
  const values = parse('check', argv);
  const options = common('check', values);
  const keyVariable = options.help ? '' : (embeddedSpec(options.api).info['x-api-key-env-var'] as string);
  const key = options.help ? '' : (env[keyVariable]?.trim() ?? '');
  if (!options.help && !key)
    throw new CliError(`check: set ${keyVariable} to the key to check with (${apiModel(options.api).title})`);
  return { command: 'check', ...options, allowWrites: Boolean(values['allow-writes']), keyVariable, key };
}

function readCa(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new CliError(`--ca: cannot read ${path}: ${(cause as Error).message}`);
  }
}

/** Where requests go, as a sentence part: the target, or the spec's hosts. */
function destination(api: ApiName, target: string | undefined): string {
  return target ?? [...new Set(apiModel(api).operations.map((op) => upstreamBase(api, op)))].join(' and ');
}

async function runProxy(options: ProxyCliOptions): Promise<void> {
  const log = options.quiet ? undefined : (line: string) => console.log(`[proxy ${options.api}] ${line}`);
  let proxy: ValidationProxy;
  try {
    proxy = await startProxy({
      api: options.api,
      target: options.target,
      host: options.host,
      port: options.port,
      ca: readCa(options.ca),
      timeoutMs: options.timeoutMs,
      log,
      record: options.record,
    });
  } catch (cause) {
    const error = cause as NodeJS.ErrnoException;
    throw new CliError(
      error.code === 'EADDRINUSE'
        ? `proxy: port ${options.port} is in use; pick another with --port`
        : `proxy could not start: ${error.message}`,
    );
  }
  console.log(
    `${options.api.toUpperCase()} validation proxy listening on ${proxy.url}, forwarding to ${destination(options.api, options.target)} (report: ${proxy.url}/__proxy/report)`,
  );
  const report = options.report;
  if (report) {
    // Written synchronously on exit, however the process is stopped (Ctrl-C, SIGTERM, process.exit).
    process.once('exit', () => {
      writeFileSync(report, proxy.markdown());
      console.error(`Report written to ${report}`);
    });
  }
  const record = options.record;
  if (record) {
    process.once('exit', () => {
      proxy.writeRecord();
      console.error(`Recorded state written to ${record} (start the mock with --seed ${record})`);
    });
  }
  const stop = () => process.exit(0);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function runCheck(options: CheckCliOptions): Promise<void> {
  const mode = options.allowWrites ? 'reads and writes (each item created is deleted again)' : 'read-only';
  console.error(
    `Checking ${apiModel(options.api).title} at ${destination(options.api, options.target)}, ${mode}, with the key in ${options.keyVariable} (${maskKey(options.key, apiModel(options.api).keyFormat.prefix)})`,
  );
  const result = await runProbe({
    api: options.api,
    key: options.key,
    target: options.target,
    allowWrites: options.allowWrites,
    ca: readCa(options.ca),
    timeoutMs: options.timeoutMs,
    log: (line) => console.error(`  ${line}`),
  });
  console.log(result.markdown);
  if (options.report) writeFileSync(options.report, result.markdown);
  const { report } = result;
  process.exitCode = report.violationCount || report.upstreamErrors.length || result.leftBehind.length ? 1 : 0;
}

/** Runs `proxy …` or `check …` (argv starts with the command word). */
export async function runProxyCommand(argv: string[], env: Record<string, string | undefined>): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'proxy') {
    const options = parseProxyOptions(rest, env);
    if (options.help) console.log(PROXY_HELP);
    else await runProxy(options);
  } else {
    const options = parseCheckOptions(rest, env);
    if (options.help) console.log(CHECK_HELP);
    else await runCheck(options);
  }
}
