#!/usr/bin/env -S node --max-semi-space-size=8
// The `virtual-commerce-mock` command (see --help). Plain JavaScript outside dist/, so npm links it even in a checkout
// where nothing is built yet; the command itself is dist/cli.js, the one-file bundle of src/cli.ts that the package's
// build makes (its lazily loaded parts, the proxy and the Redis store, in dist/cli-chunks/).
// --max-semi-space-size=8 (MiB): under load V8 grows its young generation to 2 × 16 MiB by default, which took the
// mock past 100 MiB of memory in the soak of `npm run bench:mock`; at 8 it stays near 92 MiB for a few per cent of
// throughput. `npm start` passes the same flag (package.json), and the bench reads it from this line.
// On Node ≥ 22.1 the compiled code of the bundle is cached on disk between starts (module.enableCompileCache, in
// the OS's temporary folder); older Nodes have no such cache and start as before.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
try {
  const { runCli } = await import('../dist/cli.js');
  await runCli();
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  console.error('virtual-commerce-mock: dist/cli.js is missing. In the source repository, run `npm run build` first.');
  process.exit(1);
}
