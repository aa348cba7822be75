/**
 * `npm start`: the main job. Builds everything from the specs, then serves the MVO mock (4010), the
 * TVM mock (4011) and the docs (4000) on 127.0.0.1 until Ctrl-C. Flags after `--` go to the mock CLI
 * (`npm start -- --rate-limits off`); MOCK_RATE_LIMITS=off in the environment does the same.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startFromCli } from '../mock-server/src/cli.ts';
import { CliError } from '../mock-server/src/cli-options.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const DOCS_PORT = Number(process.env.DOCS_PORT ?? 4000);

execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: ROOT, stdio: 'inherit' });

const closers: (() => Promise<void>)[] = [];
try {
  const servers = await startFromCli(process.argv.slice(2), process.env);
  closers.push(...servers.map((server) => () => server.close()));
  if (existsSync(`${ROOT}docs/serve.ts`)) {
    const { startDocsServer } = await import('../docs/serve.ts');
    // The docs show the mocks' real addresses and forward "Try it" requests to them (docs/serve.ts).
    const mocks = Object.fromEntries(servers.map((server) => [server.api, server.url]));
    const docs = await startDocsServer({ host: process.env.MOCK_HOST ?? '127.0.0.1', port: DOCS_PORT, mocks });
    closers.push(() => docs.close());
    console.log(`Docs served on ${docs.url}`);
  }
} catch (cause) {
  await Promise.all(closers.map((close) => close()));
  console.error(cause instanceof CliError ? `npm start: ${cause.message}` : cause);
  process.exit(2);
}

const stop = async () => {
  await Promise.all(closers.map((close) => close()));
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
