#!/usr/bin/env -S npx tsx
/** `virtual-commerce-mock`: starts the MVO and/or TVM mock servers. See --help. */
import { CliError, HELP, parseCliOptions } from './cli-options.ts';
import { createRequestLog } from './request-log.ts';
import { startMockServer, type MockServer } from './node/server.ts';

export async function startFromCli(argv: string[], env: Record<string, string | undefined>): Promise<MockServer[]> {
  const options = parseCliOptions(argv, env);
  if (options.help) {
    console.log(HELP);
    return [];
  }
  const servers: MockServer[] = [];
  const requestLog = options.quiet ? undefined : createRequestLog(process.stdout);
  for (const api of options.apis) {
    const log = requestLog && ((line: string) => requestLog.write(`[${api}] ${line}`));
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

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const servers = await startFromCli(process.argv.slice(2), process.env);
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
