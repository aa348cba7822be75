#!/usr/bin/env node
/** `virtual-commerce-mock`: starts the MVO and/or TVM mock servers. See --help. */
import { realpathSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError, cliHelp, parseCliOptions } from './cli-options.ts';
import type { ApiName } from './model/types.ts';
import { createRequestLog } from './request-log.ts';
import { startMockServer, type MockServer } from './node/server.ts';
import { CONTROL_TOKEN_HEADER, listensBeyondLoopback, newControlToken } from './node/control-guard.ts';
import { isProxyCommand } from './proxy/commands.ts';
import { readDocumentFile, StateFileError, type DocumentsByApi } from './node/state-file.ts';
import { FileStore } from './store/file-store.ts';
import { StoreUnavailableError } from './store/store.ts';
import { StateDocumentError, type StateDocument } from './pipeline/pipeline.ts';

/** Re-exported for scripts/start.ts: the bundled CLI has its own copy of the class, so `instanceof` needs this one. */
export { CliError };

/** The `--seed` files' documents by API; two files seeding the same API is a mistake worth stopping for. */
async function readSeeds(paths: readonly string[]): Promise<DocumentsByApi> {
  const seeds: DocumentsByApi = {};
  const from: Partial<Record<ApiName, string>> = {};
  for (const path of paths) {
    for (const [api, document] of Object.entries((await readDocumentFile(path, `--seed ${path}`, 'error'))!)) {
      if (from[api as ApiName])
        throw new CliError(
          `--seed ${path} and --seed ${from[api as ApiName]} both seed the ${api.toUpperCase()} mock; keep one`,
        );
      from[api as ApiName] = path;
      seeds[api as ApiName] = document;
    }
  }
  return seeds;
}

export async function startFromCli(argv: string[], env: Record<string, string | undefined>): Promise<MockServer[]> {
  if (isProxyCommand(argv[0])) {
    const { runProxyCommand } = await import('./proxy/cli.ts'); // the proxy and its validators, only when asked for
    await runProxyCommand(argv, env);
    return [];
  }
  const options = parseCliOptions(argv, env);
  if (options.help) {
    console.log(cliHelp());
    return [];
  }
  let seeds: DocumentsByApi;
  // One durable store for the file, shared by the mocks of this process (it holds the file's lock).
  let opened: Awaited<ReturnType<typeof FileStore.open>> | undefined;
  try {
    seeds = await readSeeds(options.seeds);
    opened = options.stateFile ? await FileStore.open(options.stateFile, { fsync: options.fsync }) : undefined;
  } catch (cause) {
    throw cause instanceof StateFileError ? new CliError(cause.message) : cause;
  }
  // Beyond loopback anyone on the network could drive the control API: a token then, made here unless given.
  const madeToken = options.controlToken === undefined && listensBeyondLoopback(options.host);
  const controlToken = madeToken ? newControlToken() : options.controlToken;
  const { store, recovered: saved } = opened ?? {};
  const servers: MockServer[] = [];
  const stopStarted = async () => {
    await Promise.all(servers.map((server) => server.close()));
    store?.close();
  };
  const requestLog = options.quiet ? undefined : createRequestLog(() => process.stdout);
  for (const api of options.apis) {
    const log = requestLog && ((line: string) => requestLog.write(`[${api}] ${line}`));
    try {
      const { host, rateLimits, stateful, latency, cors, corsCredentials, randomSeed, storePrefix } = options;
      servers.push(
        await startMockServer({
          api,
          host,
          port: options.ports[api],
          rateLimits,
          stateful,
          latency,
          cors,
          corsCredentials,
          randomSeed,
          controlToken,
          seed: seeds[api] as StateDocument | undefined,
          log,
          store: store ?? options.store,
          storePrefix,
        }),
      );
    } catch (cause) {
      await stopStarted();
      const error = cause as NodeJS.ErrnoException;
      throw new CliError(
        error.code === 'EADDRINUSE'
          ? `${api.toUpperCase()} mock: port ${options.ports[api]} (${options.portSources[api] === 'the default' ? 'the default' : `from ${options.portSources[api]}`}) is in use; pick another with --${api}-port or ${api.toUpperCase()}_MOCK_PORT`
          : cause instanceof StateDocumentError
            ? `${api.toUpperCase()} mock: the --seed document is wrong: ${error.message}`
            : cause instanceof StoreUnavailableError
              ? `${api.toUpperCase()} mock: --store: ${error.message}`
              : `${api.toUpperCase()} mock could not start: ${error.message}`,
      );
    }
  }
  if (store) {
    for (const server of servers) {
      const document = saved?.[server.api];
      if (document === undefined) continue;
      try {
        await server.mock.importState(document);
      } catch (cause) {
        await stopStarted();
        throw new CliError(
          `--state-file ${options.stateFile}: the ${server.api.toUpperCase()} document is wrong: ${(cause as Error).message}; the file is left as it is`,
        );
      }
    }
    // From here every change is logged before it is answered.
    store.start(servers.map((server) => ({ api: server.api, exportState: () => server.mock.exportState() })));
    // Closing a server (Ctrl-C, SIGTERM, npm start's stop) writes the whole state and releases the lock.
    for (const server of servers) {
      const close = server.close;
      server.close = async () => {
        await close();
        store.close();
      };
    }
  }
  const health = store?.health();
  for (const server of servers) {
    const extras = [
      options.cors
        ? `CORS for ${options.cors === true ? 'every origin' : options.cors.join(', ')}${options.corsCredentials ? ', with credentials' : ''}`
        : '',
      options.randomSeed === undefined ? '' : `random seed ${options.randomSeed}`,
      store
        ? `state in ${options.stateFile} (${health!.ok ? 'saving' : `NOT SAVING: ${health!.problem}`}: each change on disk before its answer${options.fsync ? ', fsynced' : ''})`
        : '',
      options.store ? `state shared in Redis as sandbox ${options.storePrefix}` : '',
      controlToken ? `control API needs ${CONTROL_TOKEN_HEADER}` : '',
    ].filter(Boolean);
    printLine(
      `${server.api.toUpperCase()} mock listening on ${server.url} (control API: ${server.url}/__mock/keys; rate limits ${options.rateLimits === 'enforce' ? 'enforced' : 'reported only'}; ${options.stateful ? 'stateful' : 'stateless'}${extras.map((extra) => `; ${extra}`).join('')})`,
    );
  }
  // Printed once, for both mocks: the only place a made token is shown.
  if (madeToken)
    console.log(
      `Control API token (send it as ${CONTROL_TOKEN_HEADER}; set your own with --control-token): ${controlToken}`,
    );
  return servers;
}

/**
 * One line on stdout, written at once: Node makes its stdout stream on first touch and `console.log` formats on
 * first use, 3–4 ms of a start that ends at the first answer (the request log makes the stream later, lazily).
 * A stdout that would block (a full non-blocking pipe) takes the line through the stream instead.
 */
function printLine(text: string): void {
  try {
    writeSync(1, `${text}\n`);
  } catch {
    process.stdout.write(`${text}\n`);
  }
}

/** The command: starts the mocks until SIGINT/SIGTERM; a mistake is one line on stderr and exit code 2. */
export async function runCli(
  argv: string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  try {
    const servers = await startFromCli(argv, env);
    const stop = async () => {
      await Promise.all(servers.map((server) => server.close()));
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (cause) {
    console.error(cause instanceof CliError ? `virtual-commerce-mock: ${cause.message}` : cause);
    process.exit(2);
  }
}

/**
 * Whether this module is the program being run (`node dist/cli.js`). argv[1] may be a symlink to this file, so
 * both sides are compared after resolving links. (npm's `virtual-commerce-mock` bin is bin/virtual-commerce-mock.js,
 * which imports this module and calls runCli.)
 */
function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) await runCli();
