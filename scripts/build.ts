/**
 * `npm run build`: everything that derives from openapi/, in order. With `--check` (the test command),
 * committed generated files are compared instead of rewritten, so drift fails loudly. A successful build
 * records a fingerprint of its inputs, so `npm start` builds again only when something changed.
 */
import { execFileSync } from 'node:child_process';
import { writeBuildStamp } from './build-stamp.ts';
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
  console.error(
    `build: generated files differ from openapi/: ${drifted.join(', ')}.\nRun \`npm run build\` and commit the result.`,
  );
  process.exit(1);
}
console.log(
  `build: generated files ${check ? 'match the specs' : drifted.length ? `written (${drifted.join(', ')})` : 'already up to date'}`,
);

run('lint openapi/', 'node_modules/.bin/redocly', ['lint', '--format', 'summary']);
// The mock package as published: ESM JavaScript and .d.ts in mock-server/dist (its bin runs dist/cli.js).
// Each package's `build` empties its dist/ first, so a renamed or deleted module never lingers in a tarball.
run('mock package compiled to mock-server/dist', 'npm', ['run', '--silent', 'build', '--workspace', 'mock-server']);
run('SDK compiled to sdk/dist', 'npm', ['run', '--silent', 'build', '--workspace', 'sdk']);
run('docs built into docs/dist', 'node_modules/.bin/tsx', ['scripts/build-docs.ts']);
writeBuildStamp(ROOT);
