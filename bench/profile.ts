/**
 * `npx tsx bench/profile.ts [shop|offers|post|soak-tvm|soak-mvo] [seconds]`: the mock as users run it, under
 * `node --cpu-prof`, loaded by wrk at 50 connections (pinned as in `npm run bench:mock`). Prints where the
 * samples went: idle, garbage collection, the heaviest functions by self time, and the heaviest of our own
 * functions by total time. The .cpuprofile is kept in .tmp/ for Chrome DevTools.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fixtureKey } from '../mock-server/src/fixtures/keys.ts';
import { firstAnswerMs, freePort, pinSelf, rawRequest, ROOT } from './lib.ts';
import { startUserPathMock } from './processes.ts';
import { SOAK_MIX } from './soak.ts';
import { runWrk, statusText, type Prepared } from './wrk.ts';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

const admin = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
const MIXES: Record<string, { api: 'mvo' | 'tvm'; mix: Prepared[] }> = {
  shop: { api: 'tvm', mix: [{ method: 'GET', path: '/v1/shop', headers: admin }] },
  offers: { api: 'tvm', mix: [{ method: 'GET', path: '/v1/offers?page=1&limit=20', headers: admin }] },
  post: {
    api: 'tvm',
    mix: [
      {
        method: 'POST',
        path: '/v1/offers',
        headers: { ...admin, 'content-type': 'application/json' },
        body: '{"title":"20% Off Everything","landingUrl":"https://yourshop.com/sale","discountType":"percentage","discountValue":20}',
      },
    ],
  },
  'soak-tvm': { api: 'tvm', mix: SOAK_MIX.tvm },
  'soak-mvo': { api: 'mvo', mix: SOAK_MIX.mvo },
};

const name = process.argv[2] ?? 'shop';
const seconds = Number(process.argv[3] ?? 10);
const { api, mix } = MIXES[name];
const dir = `${ROOT}.tmp/profile-${name}`;
rmSync(dir, { recursive: true, force: true });
pinSelf();

const port = await freePort();
const server = startUserPathMock(api, port, { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
await firstAnswerMs(
  port,
  rawRequest(mix[0].method, mix[0].path, mix[0].headers, mix[0].body),
  performance.now(),
  server.alive,
);
await runWrk(`http://127.0.0.1:${port}`, mix, 50, 3); // warm-up, in the profile too but short
const figures = await runWrk(`http://127.0.0.1:${port}`, mix, 50, seconds);
await server.stop();
console.log(
  `${name}: ${figures.rps.toFixed(0)} req/s, p99 ${figures.p99Ms.toFixed(2)} ms, ${figures.statuses.size ? statusText(figures.statuses) : `${figures.errorStatuses} answers 4xx/5xx`}`,
);

const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
const profile = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as { nodes: Node[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const total = profile.nodes.reduce((sum, n) => sum + n.hitCount, 0);
const percent = (hits: number) => `${((100 * hits) / total).toFixed(1).padStart(5)} %`;
const label = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|src)\//, '$1/').replace(/^node:/, 'node:')}:${n.callFrame.lineNumber + 1}`;

// Where each sample's own function lives: idle, GC, the program, native code (writev…), Node, dependencies, ours.
const categories = new Map<string, number>();
for (const n of profile.nodes) {
  const { functionName, url } = n.callFrame;
  const category = ['(idle)', '(garbage collector)', '(program)'].includes(functionName)
    ? functionName
    : /\/mock-server\/(src|dist)\//.test(url)
      ? 'ours (mock-server)'
      : url.includes('node_modules')
        ? 'dependencies'
        : url.startsWith('node:')
          ? 'Node (node:*)'
          : url === ''
            ? 'native (syscalls, V8 builtins)'
            : url;
  categories.set(category, (categories.get(category) ?? 0) + n.hitCount);
}
console.log('\nBy where the time went:');
for (const [category, hits] of [...categories].sort((a, b) => b[1] - a[1]))
  console.log(`  ${percent(hits)}  ${category}`);

const self = new Map<string, number>();
for (const n of profile.nodes) self.set(label(n), (self.get(label(n)) ?? 0) + n.hitCount);
console.log(`\n${total} samples in ${dir}/${file}\nBy self time:`);
for (const [where, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`  ${percent(hits)}  ${where}`);

// Total (inclusive) time of our own functions: each sample counted once per distinct function on its stack.
const inclusive = new Map<string, number>();
const walk = (n: Node, onStack: Set<string>) => {
  const here = label(n);
  const ours = /\/mock-server\/(src|dist)\//.test(n.callFrame.url);
  const added = ours && !onStack.has(here);
  if (added) onStack.add(here);
  for (const key of onStack) if (n.hitCount) inclusive.set(key, (inclusive.get(key) ?? 0) + n.hitCount);
  for (const child of n.children ?? []) walk(byId.get(child)!, onStack);
  if (added) onStack.delete(here);
};
walk(profile.nodes[0], new Set());
console.log('\nOur functions by total time:');
for (const [where, hits] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`  ${percent(hits)}  ${where}`);
