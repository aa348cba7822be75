/**
 * `npm run lint`: the checks that run no code: `biome ci` (the formatter's check and the linter, biome.jsonc),
 * `redocly lint` of the three descriptions (the rules in redocly.yaml) and `tsc --noEmit` over the whole tree
 * (strict). All run; the exit code says whether any failed. `npm run format` rewrites files in the formatter's
 * style. `npm test` covers redocly and tsc too (test/contract/spec.test.ts also fails on lint warnings; vitest
 * type-checks).
 */
import { spawnSync } from 'node:child_process';

const ROOT = new URL('..', import.meta.url).pathname;

const checks: [label: string, command: string, args: string[]][] = [
  ['biome ci (format check and lint)', 'node_modules/.bin/biome', ['ci', '.']],
  ['redocly lint (mvo, tvm, mock)', 'node_modules/.bin/redocly', ['lint']],
  ['tsc --noEmit', 'node_modules/.bin/tsc', ['--noEmit', '-p', '.']],
];

let failed = 0;
for (const [label, command, args] of checks) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  const ok = result.status === 0;
  if (!ok) failed++;
  console.log(`lint: ${label} ${ok ? 'passed' : 'FAILED'}`);
}
process.exit(failed ? 1 : 0);
