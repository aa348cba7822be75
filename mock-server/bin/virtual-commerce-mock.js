#!/usr/bin/env node
// The `virtual-commerce-mock` command (see --help). Plain JavaScript outside dist/, so npm links it even in a checkout
// where nothing is built yet; the command itself is dist/cli.js.
try {
  const { runCli } = await import('../dist/cli.js');
  await runCli();
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  console.error('virtual-commerce-mock: dist/cli.js is missing. In the source repository, run `npm run build` first.');
  process.exit(1);
}
