/**
 * The MSW handlers' per-request cost, in process and without sockets, as a vitest suite sees it: `fetch` in a
 * loop under `setupServer`, our TVM handlers against a hand-written MSW handler returning the same shop body.
 * The two take turns (ROUNDS rounds of ITERATIONS requests each, after a warm-up of both). Prints one JSON line:
 * microseconds per request of each, per round. `npm run bench:mock` runs it pinned to one core.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createTvmHandlers, fixtureKey } from '../mock-server/src/msw/index.ts';

const TVM = 'https://api.thevirtualmall.co.uk';
const ROUNDS = Number(process.env.BENCH_RUNS ?? 3);
const ITERATIONS = Number(process.env.MSW_ITERATIONS ?? 3000);
const init = { headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` } };

const ours = setupServer(...createTvmHandlers({ rateLimits: 'headers' }));
ours.listen({ onUnhandledRequest: 'error' });
const shop = await (await fetch(`${TVM}/v1/shop`, init)).json();
ours.close();
const handWritten = setupServer(http.get(`${TVM}/v1/shop`, () => HttpResponse.json(shop)));

async function microsecondsPerRequest(server: ReturnType<typeof setupServer>, iterations: number): Promise<number> {
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const started = performance.now();
    for (let i = 0; i < iterations; i++) {
      const response = await fetch(`${TVM}/v1/shop`, init);
      if (response.status !== 200) throw new Error(`expected 200, got ${response.status}`);
      await response.json();
    }
    return ((performance.now() - started) * 1000) / iterations;
  } finally {
    server.close();
  }
}

await microsecondsPerRequest(ours, ITERATIONS / 2);
await microsecondsPerRequest(handWritten, ITERATIONS / 2);
const result = { ours: [] as number[], handWritten: [] as number[], iterations: ITERATIONS };
for (let round = 0; round < ROUNDS; round++) {
  result.ours.push(await microsecondsPerRequest(ours, ITERATIONS));
  result.handWritten.push(await microsecondsPerRequest(handWritten, ITERATIONS));
}
console.log(JSON.stringify(result));
