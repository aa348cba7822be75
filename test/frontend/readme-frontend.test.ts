/**
 * mock-server/README.md, section "For frontend teams", runs as written: its curl scripts against a TVM mock
 * (only the port changes), each `npx virtual-commerce-mock …` line is a valid command line (the section is
 * written for a project outside this repository: no `npm start`), the seed it writes loads, and its vitest
 * example passes under a nested vitest.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliOptions } from '../../mock-server/src/cli-options.ts';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { readmeExample, runNestedVitest } from '../helpers/readme-examples.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = `${ROOT}mock-server/README.md`;
const text = readFileSync(README, 'utf8');
const section = text.slice(text.indexOf('## For frontend teams'), text.indexOf('\n## MSW'));
const bashBlocks = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]);
const scripts = bashBlocks.filter((block) => block.startsWith('set -e'));
const startLines = bashBlocks
  .filter((block) => !block.startsWith('set -e'))
  .flatMap((block) => block.split('\n'))
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((line) => line.startsWith('npx virtual-commerce-mock '));
/** Async: the mock runs in this process, so a synchronous child would block its event loop. */
const run = promisify(execFile);

mkdirSync(`${ROOT}.tmp`, { recursive: true });
const WORK = mkdtempSync(`${ROOT}.tmp/readme-frontend-`);
let tvm: MockServer;
beforeAll(async () => {
  tvm = await startMockServer({ api: 'tvm', port: 0 });
});
afterAll(async () => {
  await tvm?.close();
  rmSync(WORK, { recursive: true, force: true });
});

const script = (needle: string) => {
  const found = scripts.find((block) => block.includes(needle));
  if (!found) throw new Error(`the section has no script with ${needle}`);
  return found;
};
const runScript = async (block: string) =>
  (await run('bash', ['-c', block.replaceAll('http://127.0.0.1:4011', tvm.url)], { cwd: WORK, timeout: 20_000 }))
    .stdout;

describe('mock-server/README.md, section "For frontend teams"', () => {
  it('shows the CLI flags as valid command lines, run with npx as a project outside this repository would', () => {
    expect(section).not.toContain('npm start --');
    expect(startLines.map((line) => line.split(/\s+/)[2])).toEqual(['--cors', '--api', '--api', '--api']);
    const options = startLines.map((line) => parseCliOptions(line.split(/\s+/).slice(2), {}));
    expect(options[0]).toMatchObject({ cors: ['http://localhost:5173'], corsCredentials: true });
    expect(options[3].randomSeed).toBe(42);
  });

  it('journal: the body filter counts the one POST, the filtered list shows the refused POST and its body, never a whole key', async () => {
    const output = await runScript(script('/__mock/requests?'));
    expect(output).not.toMatch(/tvm_[a-z0-9]{32}/);
    const lines = output.trim().split('\n');
    expect(lines[0]).toBe('"matched":1');
    const journal = JSON.parse(lines.at(-1)!);
    expect(journal.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v1/offers',
        status: 400,
        operation: 'createOffer',
        body: '{}',
      }),
    ]);
    expect(journal.requests[0].headers.authorization).toMatch(/^Bearer tvm_[a-z0-9]{4}…$/);
  });

  it('answers of your choosing: the forced body and header arrive, a body off the schema is refused naming the problem', async () => {
    const output = await runScript(script('"latency": 300'));
    expect(output.trim().split('\n')).toEqual([
      'x-request-id: req_empty',
      '{"success":true,"data":{"items":[],"page":1,"limit":20,"tota',
      "body/body must have required property 'data' (getShop's 200 response); send \\",
    ]);
  });

  it('faults: the connection is reset, then the slow answer arrives', async () => {
    const output = await runScript(script('"fault": "reset"'));
    expect(output).toContain('connection reset, as asked');
    expect(output).toMatch(/slow answer: 200 after [\d.]+s/);
  });

  it('state: exports to a file and puts it back', async () => {
    await runScript(script('/__mock/state'));
    expect(JSON.parse(readFileSync(`${WORK}/tvm-state.json`, 'utf8')).api).toBe('tvm');
  });

  it('seed: the file it writes starts a mock on which its development key works', async () => {
    await runScript(script('tvm-seed.json'));
    const seed = JSON.parse(readFileSync(`${WORK}/tvm-seed.json`, 'utf8'));
    const seeded = await startMockServer({ api: 'tvm', port: 0, seed });
    try {
      const response = await fetch(`${seeded.url}/v1/shop`, {
        headers: { authorization: `Bearer ${seed.keys[0].key}` },
      });
      expect(response.status).toBe(200);
    } finally {
      await seeded.close();
    }
  });

  it('generate: 45 offers page to a last page of 6 (with the seeded one)', async () => {
    // Other scripts created offers on the same mock: start from the seeded one alone.
    await fetch(`${tvm.url}/__mock/reset`, { method: 'POST' });
    const output = await runScript(script('/__mock/generate'));
    const page = JSON.parse(output.trim().split('\n').at(-1)!).data;
    expect([page.page, page.items.length, page.total]).toEqual([3, 6, 46]);
  });

  it('runs the MSW vitest example as written', async () => {
    const code = await readmeExample(README, 'frontend-vitest');
    const result = await runNestedVitest(`${ROOT}.tmp/readme-frontend-vitest/`, 'readme-frontend.test.ts', code);
    expect(result.failures, result.stderr).toEqual([]);
    expect([result.passed, result.total]).toEqual([3, 3]);
  });
});
