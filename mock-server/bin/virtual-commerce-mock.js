#!/usr/bin/env -S node --max-semi-space-size=8
// The `virtual-commerce-mock` command (see --help). Plain JavaScript outside dist/, so npm links it even in a checkout
// where nothing is built yet; the command itself is dist/cli.js.
// --max-semi-space-size=8 (MiB): under load V8 grows its young generation to 2 × 16 MiB by default, which took the
// mock past 100 MiB of memory in the soak of `npm run bench:mock`; at 8 it stays near 92 MiB for a few per cent of
// throughput. `npm start` passes the same flag (package.json), and the bench reads it from this line.
try {
  const { runCli } = await import('../dist/cli.js');
  await runCli();
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  console.error('virtual-commerce-mock: dist/cli.js is missing. In the source repository, run `npm run build` first.');
  process.exit(1);
}
