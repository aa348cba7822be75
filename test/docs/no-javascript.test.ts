/**
 * The reference without JavaScript, as `curl`, a text browser or a search engine gets it: each page fetched over
 * HTTP from docs/serve.ts holds every operation (its heading, method and path, every sample as written), every
 * in-page link of its contents lands on an element of the page, the error table and the 401/403 bodies are there,
 * the OpenAPI files are served and linked, and the Redoc library is one shared file, cached for good. The pages
 * are built into a temporary folder (never racing another test over docs/dist). Clicking through the contents in
 * Chromium with JavaScript off: test/docs/browser.test.ts.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DocsServer, startDocsServer } from '../../docs/serve.ts';
import { buildDocs, DOCS_PAGES } from '../../scripts/build-docs.ts';
import { operationsOf, specs } from './browser-kit.ts';

let outDir: string;
let server: DocsServer;
const html: Record<string, string> = {};

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
/** What a reader without JavaScript gets: the <noscript> block, the only part of the body then shown. */
const noscript = (page: string) => /<noscript>(<div class="vc-static"[\s\S]*?)<\/noscript>/.exec(page)?.[1] ?? '';

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'docs-no-js-'));
  await buildDocs({ outDir });
  server = await startDocsServer({ port: 0, root: outDir });
  for (const page of DOCS_PAGES) html[page.api] = await (await fetch(`${server.url}/${page.file}`)).text();
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(outDir, { recursive: true, force: true });
});

describe.each(DOCS_PAGES.map((page) => [page.file, page] as const))('%s without JavaScript', (_file, page) => {
  const operations = operationsOf(specs[page.api]);

  it('hides the Redoc shell (its links need JavaScript) and shows the static reference instead', () => {
    expect(html[page.api]).toMatch(/<noscript><style>#redoc \{ display: none !important; \}<\/style><\/noscript>/);
    expect(noscript(html[page.api]).length).toBeGreaterThan(10_000);
  });

  it.each(operations.map((operation) => [operation.operationId, operation] as const))(
    'holds %s: heading, method and path, description, every sample',
    (operationId, { method, path, op }) => {
      const text = noscript(html[page.api]);
      const start = text.indexOf(`<article id="operation-${operationId}"`);
      expect(start, `no article for ${operationId}`).toBeGreaterThan(-1);
      const article = text.slice(start, text.indexOf('</article>', start));
      expect(article).toContain(`<h1>${escapeHtml(op.summary)}</h1>`);
      expect(article).toContain(`<code>${method} ${escapeHtml(path)}</code>`);
      expect(article).toContain('Responses</h2>');
      for (const status of Object.keys(op.responses))
        expect(article).toMatch(new RegExp(`<h3 id="[^"]+">${status}\\b`));
      expect(op['x-codeSamples'].length).toBeGreaterThanOrEqual(page.api === 'mock' ? 1 : 2);
      for (const sample of op['x-codeSamples']) expect(article).toContain(escapeHtml(sample.source));
    },
  );

  it('every link of its contents and text that points into the page lands on an element of the page', () => {
    const text = noscript(html[page.api]);
    const ids = new Set([...text.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]));
    const targets = [...text.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]);
    expect(targets.length).toBeGreaterThan(operations.length);
    expect(targets.filter((target) => !ids.has(target))).toEqual([]);
  });

  it('links its OpenAPI file, which the server sends as YAML', async () => {
    expect(noscript(html[page.api])).toContain(`href="${page.api}.yaml"`);
    const answer = await fetch(`${server.url}/${page.api}.yaml`);
    expect(answer.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(await answer.text()).toContain(`title: ${specs[page.api].info.title}`);
  });
});

describe('errors and authentication without JavaScript', () => {
  it.each(['mvo', 'tvm'] as const)(
    '%s: the error table names the SDK class of every documented error, and the auth section every 401/403 body',
    (api) => {
      const text = noscript(html[api]);
      const table = text.slice(text.indexOf('id="section-errors"'));
      for (const { op } of operationsOf(specs[api])) {
        for (const [status, response] of Object.entries<any>(op.responses)) {
          if (Number(status) < 400) continue;
          const examples = Object.values<any>(resolve(specs[api], response).content['application/json'].examples).map(
            (example) => resolve(specs[api], example).value,
          );
          for (const body of examples) {
            const message = typeof body.error === 'object' ? body.error.message : body.message;
            expect(table).toContain(escapeHtml(message));
            if (status === '401' || status === '403') expect(text).toContain(escapeHtml(JSON.stringify(body)));
          }
        }
      }
      expect(table).toMatch(
        /<td data-label="SDK class \(unwrap\(\)\)"><code>(AuthenticationError|PermissionDeniedError|NotFoundError)<\/code><\/td>/,
      );
    },
  );
});

describe('the Redoc library', () => {
  it('is one file every page loads, cached for good, so a second page costs only its own HTML', async () => {
    const [library] = readdirSync(outDir).filter((name) => /^redoc-[0-9a-f]{16}\.js$/.test(name));
    for (const page of DOCS_PAGES) expect(html[page.api]).toContain(`<script defer src="${library}"></script>`);
    const answer = await fetch(`${server.url}/${library}`, { headers: { 'accept-encoding': 'br' } });
    expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(answer.headers.get('content-encoding')).toBe('br');
  });
});

function resolve(doc: Record<string, any>, value: any): any {
  return value?.$ref
    ? resolve(
        doc,
        value.$ref
          .slice(2)
          .split('/')
          .reduce((node: any, key: string) => node?.[key], doc),
      )
    : value;
}
