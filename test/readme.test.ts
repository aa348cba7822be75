/**
 * The root README's examples run (its curl commands against the mocks, its TypeScript against the SDK source), and
 * so do the curl scripts of mock-server/BEHAVIOUR.md, the reference it sends readers to.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../mock-server/src/index.ts';

const ROOT = new URL('..', import.meta.url).pathname;
// Async on purpose: the mocks run in this process, so a synchronous child would block their event loop.
const run = promisify(execFile);
const readme = readFileSync(`${ROOT}README.md`, 'utf8');
const behaviour = readFileSync(`${ROOT}mock-server/BEHAVIOUR.md`, 'utf8');
const blocks = (lang: string, text = `${readme}\n${behaviour}`) =>
  [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
/** Blocks starting with `set -e` are scripts (their lines share variables): run whole, each curl with `-f`. */
const isScript = (block: string) => block.startsWith('set -e');
const curlScripts = blocks('bash').filter(isScript);
const curlCommands = blocks('bash')
  .filter((block) => !isScript(block))
  .flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n'))
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((line) => line.startsWith('curl '));

let mvo: MockServer;
let tvm: MockServer;
const keys = { mvo: '', tvm: '' };

beforeAll(async () => {
  [mvo, tvm] = await Promise.all([startMockServer({ api: 'mvo', port: 0 }), startMockServer({ api: 'tvm', port: 0 })]);
  for (const server of [mvo, tvm]) {
    const response = await fetch(`${server.url}/__mock/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"readme"}',
    });
    keys[server.api] = (await response.json()).key;
  }
});
afterAll(async () => {
  await Promise.all([mvo?.close(), tvm?.close()]);
});

/** Only the ports change: the README's commands mint their own keys, as a newcomer's would. */
const localise = (text: string) =>
  text.replaceAll('http://127.0.0.1:4010', mvo.url).replaceAll('http://127.0.0.1:4011', tvm.url);

describe('README', () => {
  it('has curl examples for both mocks', () => {
    expect(curlCommands.length + curlScripts.length).toBeGreaterThanOrEqual(2);
    expect(curlScripts.join('\n')).toContain('$MVO/api/customers');
    expect(curlScripts.join('\n')).toContain('$TVM/v1/shop');
  });

  it('its commands run as written: no placeholder key to replace by hand', () => {
    for (const block of blocks('bash')) expect(block).not.toMatch(/your_api_key_here/);
  });

  it('says that the published examples need the key replaced too, and why a repeated create answers 409', () => {
    expect(readme).toMatch(/`https:\/\/<host>`\s+by the mock's origin, and the placeholder key/);
    expect(readme).toMatch(/answers\s+409 `A customer with this email already exists` when repeated/);
  });

  it.each(curlCommands.map((command) => [command.slice(0, 70), command]))(
    'curl example succeeds: %s',
    async (_label, command) => {
      const status = (
        await run('bash', ['-c', `${localise(command)} -s -o /dev/null -w '%{http_code}'`], { timeout: 10_000 })
      ).stdout;
      expect(Number(status)).toBeGreaterThanOrEqual(200);
      expect(Number(status)).toBeLessThan(300);
    },
  );

  it.each(curlScripts.map((script) => [script.split('\n')[0], script]))(
    'curl script succeeds twice in a row, every call 2xx: %s',
    async (_label, script) => {
      expect(script).toMatch(/curl -fsS/); // -f: a non-2xx answer fails the script
      for (const round of [1, 2]) {
        const { stdout } = await run('bash', ['-c', localise(script)], { timeout: 20_000 }).catch((error) => {
          throw new Error(`round ${round} failed: ${error.stderr || error.message}`);
        });
        if (script.includes('/__mock/review')) {
          // the offer life cycle: the last list shows the created offer active
          const lists = stdout.split('\n').filter((line) => line.includes('"items"'));
          expect(JSON.parse(lists.at(-1)!).data.items[0]).toMatchObject({
            status: 'active',
            title: '20% Off Everything',
          });
          expect(JSON.parse(lists[0]).data.items[0].status).toBe('needs_review');
        }
        if (script.includes('$MVO/api/customers')) expect(stdout).toContain('"email":"john@example.com"');
      }
    },
  );

  it('the TypeScript quick start runs against the mocks and prints what it promises', async () => {
    const [quickStart] = blocks('ts', readme);
    mkdirSync(`${ROOT}.tmp`, { recursive: true });
    const file = `${ROOT}.tmp/readme-quick-start.mts`;
    writeFileSync(
      file,
      localise(quickStart)
        .replaceAll("'virtual-commerce-sdk/", `'${ROOT}sdk/src/`)
        .replace(/(sdk\/src\/\w+)'/g, "$1/index.ts'"),
    );
    for (const round of [1, 2]) {
      // twice: the example cleans up after itself, so it can be run again
      const { stdout: output } = await run(process.execPath, ['--import', 'tsx', file], {
        env: { ...process.env, VIRTUAL_HUB_API_KEY: keys.mvo, TVM_API_KEY: keys.tvm },
        timeout: 30_000,
      });
      expect(output, `round ${round}`).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12} active/);
      expect(output).toContain('Example Store');
      expect(output).toContain('20% Off Everything'); // the seeded offer, reached by iterating the list
    }
  });

  it('lists every fixture key id and no whole key', async () => {
    const { FIXTURE_KEYS } = await import('../mock-server/src/fixtures/keys.ts');
    for (const seed of [...FIXTURE_KEYS.mvo, ...FIXTURE_KEYS.tvm]) {
      expect(readme).toContain(`\`${seed.id}\``);
      expect(readme).not.toContain(seed.key);
    }
  });
});
