/**
 * The docs name the mocks that answer: built with the documented defaults (127.0.0.1:4010 and :4011, the control
 * API's `servers`), served by docs/serve.ts with mocks on other ports, every page a reader copies from (the Redoc
 * pages, their no-JavaScript HTML, llms-full.txt and the Markdown pages) names the live ports instead, and a
 * control-API sample copied from a served page reaches its mock. The OpenAPI files stay as built. The pages are
 * built into a temporary folder; the server starts without mocks and is told of them later, as `npm start` does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DocsServer, startDocsServer } from '../../docs/serve.ts';
import { type MockServer, startMockServer } from '../../mock-server/src/index.ts';
import { buildDocs } from '../../scripts/build-docs.ts';

let outDir: string;
let docs: DocsServer;
let mvo: MockServer;
let tvm: MockServer;
const before: Record<string, string> = {};

/** The served text of a file (fetch asks for br/gzip and decodes it: the compressed bodies are checked too). */
const served = async (file: string) => (await fetch(`${docs.url}/${file}`)).text();
/** A built default address, not the first digits of a longer port. */
const DEFAULTS = /127\.0\.0\.1:401[01](?!\d)/g;
const hostOf = (server: MockServer) => new URL(server.url).host;
/** What a reader without JavaScript sees: the <noscript> blocks. */
const noscript = (page: string) =>
  [...page.matchAll(/<noscript>([\s\S]*?)<\/noscript>/g)].map((match) => match[1]).join('\n');

const PAGES = [
  'mock.html',
  'mvo.html',
  'tvm.html',
  'index.html',
  'llms-full.txt',
  'mock/listMockKeys.md',
  'mock/createMockKey.md',
  'tvm/getShop.md',
  'mvo/getCustomer.md',
];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'docs-live-ports-'));
  await buildDocs({ outDir });
  docs = await startDocsServer({ port: 0, root: outDir });
  for (const file of PAGES) before[file] = await served(file);
  [mvo, tvm] = await Promise.all([startMockServer({ api: 'mvo', port: 0 }), startMockServer({ api: 'tvm', port: 0 })]);
  docs.useMocks({ mvo: mvo.url, tvm: tvm.url });
}, 180_000);

afterAll(async () => {
  await Promise.all([docs?.close(), mvo?.close(), tvm?.close()]);
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('docs served with the mocks on other ports', () => {
  it('the mocks run elsewhere than the documented defaults (else this test proves nothing)', () => {
    expect([hostOf(mvo), hostOf(tvm)]).not.toContain('127.0.0.1:4010');
    expect([hostOf(mvo), hostOf(tvm)]).not.toContain('127.0.0.1:4011');
  });

  it('before the mocks are known, the pages show the documented defaults, as built', () => {
    for (const file of PAGES) expect(before[file], file).toBe(readFileSync(join(outDir, file), 'utf8'));
    expect(before['mock.html']).toContain("curl -X GET 'http://127.0.0.1:4010/__mock/keys'");
  });

  it.each(PAGES)('%s names the live ports and none of the defaults', async (file) => {
    const text = await served(file);
    expect(text.match(DEFAULTS) ?? [], file).toEqual([]);
    // the same page as built, but for the mocks' addresses
    const built = readFileSync(join(outDir, file), 'utf8');
    expect(text).toBe(
      built.replaceAll(/127\.0\.0\.1:4010(?!\d)/g, hostOf(mvo)).replaceAll(/127\.0\.0\.1:4011(?!\d)/g, hostOf(tvm)),
    );
  });

  it('the control-API samples name each mock with its own live port, in the Redoc page and without JavaScript', async () => {
    const page = await served('mock.html');
    for (const part of [page, noscript(page)]) {
      expect(part).toContain(`http://${hostOf(mvo)}/__mock/keys`);
      expect(part).toContain(`http://${hostOf(tvm)}/__mock/keys`);
    }
    const llms = await served('mock/listMockKeys.md');
    expect(llms).toContain(`# MVO mock\ncurl -X GET 'http://${hostOf(mvo)}/__mock/keys'`);
    expect(llms).toContain(`# TVM mock\ncurl -X GET 'http://${hostOf(tvm)}/__mock/keys'`);
  });

  it('the SDK samples name the live mock in their base-URL comment', async () => {
    expect(await served('tvm.html')).toContain(`(http://${hostOf(tvm)})`);
    expect(await served('mvo.html')).toContain(`(http://${hostOf(mvo)})`);
  });

  it('a control-API sample copied from a served page reaches its mock', async () => {
    const urls = [...(await served('mock/listMockKeys.md')).matchAll(/curl -X GET '([^']+)'/g)].map(
      (match) => match[1],
    );
    expect(urls).toEqual([`${tvm.url}/__mock/keys`, `${mvo.url}/__mock/keys`]);
    for (const url of urls) expect((await fetch(url)).status, url).toBe(200);
  });

  it('the OpenAPI files stay as built (the documented defaults)', async () => {
    for (const file of ['mock.yaml', 'mvo.yaml', 'tvm.yaml'])
      expect(await served(file), file).toBe(readFileSync(join(outDir, file), 'utf8'));
    expect(await served('mock.yaml')).toContain('http://127.0.0.1:4010');
  });
});
