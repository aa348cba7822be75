#!/usr/bin/env node
/** `virtual-commerce-mock`: starts the MVO and/or TVM mock servers. See --help. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError, HELP, parseCliOptions } from './cli-options.ts';
import { startMockServer, type MockServer } from './node/server.ts';
import { isProxyCommand, runProxyCommand } from './proxy/cli.ts';

export async function startFromCli(argv: string[], env: Record<string, string | undefined>): Promise<MockServer[]> {
  if (isProxyCommand(argv[0])) {
    await runProxyCommand(argv, env);
    return [];
  }
  const options = parseCliOptions(argv, env);
  if (options.help) {
    console.log(HELP);
    return [];
  }
  const servers: MockServer[] = [];
  for (const api of options.apis) {
    const log = options.quiet ? undefined : (line: string) => console.log(`[${api}] ${line}`);
    try {
      servers.push(await startMockServer({ api, host: options.host, port: options.ports[api], rateLimits: options.rateLimits, stateful: options.stateful, latency: options.latency, log }));
    } catch (cause) {
      await Promise.all(servers.map((server) => server.close()));
      const error = cause as NodeJS.ErrnoException;
      throw new CliError(
        error.code === 'EADDRINUSE'
          ? `${api.toUpperCase()} mock: port ${options.ports[api]} is in use; pick another with --${api}-port`
          : `${api.toUpperCase()} mock could not start: ${error.message}`,
      );
    }
  }
  for (const server of servers) {
    console.log(`${server.api.toUpperCase()} mock listening on ${server.url} (control API: ${server.url}/__mock/keys; rate limits ${options.rateLimits === 'enforce' ? 'enforced' : 'reported only'}; ${options.stateful ? 'stateful' : 'stateless'})`);
  }
  return servers;
}

/** The command: starts the mocks until SIGINT/SIGTERM; a mistake is one line on stderr and exit code 2. */
export async function runCli(argv: string[] = process.argv.slice(2), env: Record<string, string | undefined> = process.env): Promise<void> {
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
