/**
 * `npm run bench:browser-size`: what `virtual-commerce-mock/msw/browser` adds to a web app's first load (gzip, msw
 * excluded), as built in this checkout (mock-server/dist, reached through the workspace's node_modules link).
 * Prints one line per chunk and a JSON line; `npm run bench:mock` prints the figure in its table too.
 */
import { existsSync } from 'node:fs';
import { browserFirstLoad, FIRST_LOAD_BUDGET_GZIP } from '../scripts/browser-size.ts';
import { ROOT } from './lib.ts';

if (!existsSync(`${ROOT}mock-server/dist/msw/browser.js`)) {
  console.error('bench:browser-size measures the built package: run `npm run build` first');
  process.exit(1);
}
const size = await browserFirstLoad(ROOT);
for (const chunk of size.chunks)
  console.log(
    `${chunk.firstLoad ? 'first load' : 'lazy      '}  ${String(chunk.gzip).padStart(7)} B gzip  ${String(chunk.bytes).padStart(8)} B  ${chunk.file}`,
  );
console.log(
  `virtual-commerce-mock/msw/browser adds ${(size.firstLoadGzip / 1000).toFixed(1)} kB gzip to the first load (budget ${FIRST_LOAD_BUDGET_GZIP / 1000} kB), ${(size.lazyGzip / 1000).toFixed(1)} kB later`,
);
console.log(
  JSON.stringify({ firstLoadGzip: size.firstLoadGzip, lazyGzip: size.lazyGzip, budget: FIRST_LOAD_BUDGET_GZIP }),
);
