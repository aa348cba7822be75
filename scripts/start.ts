/**
 * `npm start`: the main job. Builds what changed since the last build, then serves the docs (4000), the MVO
 * mock (4010) and the TVM mock (4011) on 127.0.0.1 until Ctrl-C. The mocks run from the built package
 * (mock-server/dist/cli.js, the `virtual-commerce-mock` bin), exactly as `npx virtual-commerce-mock` runs them.
 * `--docs-port` and `--rebuild` are this script's; every other option goes to the mock CLI. Options are checked
 * before anything is built, so `--help` and mistakes answer at once.
 */
import { execFileSync } from 'node:child_process';
import { CliError, cliHelp, parseCliOptions } from '../mock-server/src/cli-options.ts';
import { startDocsServer, type DocsServer } from '../docs/serve.ts';
import { staleBuildReason } from './build-stamp.ts';

const ROOT = new URL('..', import.meta.url).pathname;

const START_HELP = `Usage: npm start -- [options]

Builds what changed since the last build, then serves the docs and both mocks until Ctrl-C.

npm start options:
  --docs-port <port>          Docs port (env DOCS_PORT, default 4000)
  --rebuild                   Build even when nothing changed since the last build

Every other option goes to the mock CLI:

${cliHelp()}`;

interface StartOptions {
  help: boolean;
  rebuild: boolean;
  docsPort: number;
  /** Options for the mock CLI. */
  mockArgs: string[];
}

function fail(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(2);
}

function parseStartOptions(argv: string[], env: Record<string, string | undefined>): StartOptions {
  const options: StartOptions = { help: false, rebuild: false, docsPort: 4000, mockArgs: [] };
  let docsPort = env.DOCS_PORT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--rebuild') options.rebuild = true;
    else if (arg === '--docs-port') docsPort = argv[++i] ?? '';
    else if (arg.startsWith('--docs-port=')) docsPort = arg.slice('--docs-port='.length);
    else options.mockArgs.push(arg);
  }
  if (docsPort !== undefined) {
    if (!/^\d+$/.test(docsPort) || Number(docsPort) > 65535)
      throw new CliError(`--docs-port / DOCS_PORT must be a port number from 0 to 65535, got "${docsPort}"`);
    options.docsPort = Number(docsPort);
  }
  return options;
}

let options: StartOptions;
let host: string;
try {
  options = parseStartOptions(process.argv.slice(2), process.env);
  if (options.help) {
    console.log(START_HELP);
    process.exit(0);
  }
  host = parseCliOptions(options.mockArgs, process.env).host;
} catch (cause) {
  if (cause instanceof CliError) fail(cause.message);
  throw cause;
}

const closers: (() => Promise<void>)[] = [];
const closeAll = () => Promise.all(closers.splice(0).map((close) => close()));

let docs: DocsServer | undefined;
// The docs server reads files per request, so it can take its port before the build: a busy port fails fast.
try {
  const started = await startDocsServer({ host, port: options.docsPort });
  closers.push(() => started.close());
  docs = started;
} catch (cause) {
  const error = cause as NodeJS.ErrnoException;
  fail(
    error.code === 'EADDRINUSE'
      ? `docs port ${options.docsPort} is in use; pick another with --docs-port or DOCS_PORT`
      : `the docs server could not start: ${error.message}`,
  );
}

const stale = options.rebuild ? 'asked to rebuild' : staleBuildReason(ROOT);
if (stale) {
  console.log(`npm start: building (${stale})`);
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    await closeAll();
    fail('the build failed (its output is above); nothing is served');
  }
} else {
  console.log('npm start: nothing changed since the last build (--rebuild builds anyway)');
}

// The built CLI (the bundle the bin runs), imported after the build so it is the current one. Its CliError is
// the bundle's own class, so it comes from the bundle too.
const cli: typeof import('../mock-server/src/cli.ts') = await import(`${ROOT}mock-server/dist/cli.js`);
try {
  const servers = await cli.startFromCli(options.mockArgs, process.env);
  closers.push(...servers.map((server) => () => server.close()));
  if (docs) {
    // The docs show the mocks' real addresses and forward "Try it" requests to them (docs/serve.ts).
    docs.useMocks(Object.fromEntries(servers.map((server) => [server.api, server.url])), servers[0]?.controlToken);
    console.log(`Docs served on ${docs.url}`);
  }
} catch (cause) {
  await closeAll();
  if (cause instanceof cli.CliError) fail(cause.message);
  throw cause;
}

const stop = async () => {
  await closeAll();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
