#!/usr/bin/env node
// The `virtual-commerce-mock` command (see --help). Plain JavaScript outside dist/, so npm links it even in a checkout
// where nothing is built yet; the command itself is dist/cli.js, the one-file bundle of src/cli.ts that the package's
// build makes (its lazily loaded parts, the proxy and the Redis store, in dist/cli-chunks/).
// No V8 flags on the first line: any heap flag (such as --max-semi-space-size) makes V8 refuse the code cache Node
// ships for its own modules, which then compile at start (measured: 35–45 ms more to the first answer, a third of
// the whole start). README, "Memory", says how to bound the young generation for long runs under load.
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
