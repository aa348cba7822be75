/**
 * `npm run build`: everything that derives from openapi/, in order. With `--check` (the test command),
 * committed generated files are compared instead of rewritten, so drift fails loudly.
 */
import { execFileSync } from 'node:child_process';
import { writeGenerated } from './write-generated.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');

function run(label: string, command: string, args: string[]) {
  const started = performance.now();
  execFileSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, REDOCLY_TELEMETRY: 'off' } });
  console.log(`build: ${label} (${Math.round(performance.now() - started)} ms)`);
}

const drifted = await writeGenerated(check);
if (check && drifted.length) {
  console.error(`build: generated files differ from openapi/: ${drifted.join(', ')}.\nRun \`npm run build\` and commit the result.`);
  process.exit(1);
}
console.log(`build: generated files ${check ? 'match the specs' : drifted.length ? `written (${drifted.join(', ')})` : 'already up to date'}`);

run('lint openapi/', 'node_modules/.bin/redocly', ['lint', '--format', 'summary']);
// One self-contained file: the mock starts without a TypeScript loader (cold start, `npm run bench:mock`).
run('mock CLI bundled to mock-server/dist/cli.mjs', 'node_modules/.bin/esbuild', [
  'mock-server/src/cli.ts',
  '--bundle',
  '--platform=node',
  '--format=esm',
  '--target=node20',
  '--outfile=mock-server/dist/cli.mjs',
  '--log-level=warning',
  "--banner:js=import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
]);
run('SDK compiled to sdk/dist', 'node_modules/.bin/tsc', ['-p', 'sdk/tsconfig.build.json']);
run('docs built into docs/dist', 'node_modules/.bin/tsx', ['scripts/build-docs.ts']);
