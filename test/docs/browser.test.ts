/**
 * The built docs in a real browser: docs/serve.ts serves docs/dist/ on 127.0.0.1, Chromium (playwright-core)
 * opens every page and must see only requests to that origin, our title and logo, every operation of the
 * spec (reached from the sidebar, with its curl and SDK TypeScript samples), the assumptions, the TVM scope
 * table and the documented 401/403 examples. Full-page screenshots land in docs/screenshots/.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { type DocsServer, startDocsServer } from '../../docs/serve.ts';
import { buildDocs, DEFAULT_OUT_DIR, DOCS_PAGES, type DocsApi, type DocsPage, ROOT } from '../../scripts/build-docs.ts';

// ── Fixtures ────────────────────────────────────────────────────────────────────────────────────────

type Json = Record<string, any>;
type Operation = { method: string; path: string; operationId: string; summary: string; tag: string; op: Json };

const CHROMIUM = '/usr/bin/chromium';
// The whole file takes ~55 s on an idle 2-core machine; the limits leave room for a busy one.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 120_000 });
const SCREENSHOTS = join(ROOT, 'docs/screenshots');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const VIEWPORT = { width: 1440, height: 900 };

const specs = Object.fromEntries(
  DOCS_PAGES.map((page) => [page.api, parse(readFileSync(join(ROOT, `openapi/generated/${page.api}.yaml`), 'utf8'))]),
) as Record<DocsApi, Json>;

function resolve(doc: Json, value: any): any {
  if (!value?.$ref) return value;
  return resolve(doc, value.$ref.slice(2).split('/').reduce((node: any, key: string) => node?.[key], doc));
}

function operationsOf(doc: Json): Operation[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const op = item[method];
      return { method: method.toUpperCase(), path, operationId: op.operationId, summary: op.summary, tag: op.tags[0], op };
    }),
  );
}

/** The examples of one response of one operation: the summary Redoc lists and the message it shows. */
function responseExamples(doc: Json, operationId: string, status: string): { summary: string; code?: string; message: string }[] {
  const { op } = operationsOf(doc).find((candidate) => candidate.operationId === operationId)!;
  const media = resolve(doc, op.responses[status]).content['application/json'];
  return Object.values<Json>(media.examples).map((example) => {
    const { summary, value } = resolve(doc, example);
    return { summary, code: value.error?.code, message: typeof value.error === 'object' ? value.error.message : value.message };
  });
}

const curlLine = (op: Json) => op['x-codeSamples'].find((sample: Json) => sample.lang === 'curl').source.split('\n').find((line: string) => line.startsWith('curl '));
const typescriptLine = (op: Json) =>
  op['x-codeSamples'].find((sample: Json) => sample.lang === 'TypeScript').source.split('\n').find((line: string) => line.includes('await client.'));

/** docs/dist is rebuilt when a page is missing or older than what it is built from. */
function docsAreStale(): boolean {
  const outputs = [...DOCS_PAGES.map((page) => page.file), 'index.html'].map((file) => join(DEFAULT_OUT_DIR, file));
  if (!outputs.every((file) => existsSync(file))) return true;
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const inputs = [
    ...DOCS_PAGES.map((page) => join(ROOT, `openapi/generated/${page.api}.yaml`)),
    ...readdirSync(join(ROOT, 'docs/src')).map((file) => join(ROOT, 'docs/src', file)),
  ];
  return inputs.some((file) => statSync(file).mtimeMs > built);
}

let server: DocsServer;
let browser: Browser;

beforeAll(async () => {
  if (docsAreStale()) await buildDocs();
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await startDocsServer({ port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  // The three references load side by side; each test then works on its own page.
  await Promise.all(DOCS_PAGES.map((docsPage) => redocPage(docsPage)));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────────

type Visit = { page: Page; foreign: string[]; failed: string[]; badStatus: string[]; pageErrors: string[] };

/** data: and about: stay in the page; blob: URLs belong to the origin inside them; nothing else may leave it. */
function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('about:')) return true;
  const inner = url.startsWith('blob:') ? url.slice('blob:'.length) : url;
  return new URL(inner).origin === server.url;
}

async function visit(file: string): Promise<Visit> {
  const page = await browser.newPage({ viewport: VIEWPORT, reducedMotion: 'reduce' });
  const result: Visit = { page, foreign: [], failed: [], badStatus: [], pageErrors: [] };
  page.on('request', (request) => {
    if (!isLocal(request.url())) result.foreign.push(request.url());
  });
  page.on('requestfailed', (request) => result.failed.push(`${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400) result.badStatus.push(`${response.status()} ${response.url()}`);
  });
  page.on('pageerror', (error) => result.pageErrors.push(error.message));
  await page.goto(`${server.url}/${file}`, { waitUntil: 'networkidle' });
  return result;
}

/**
 * Redoc scrolls inside its own layout with a sticky, viewport-high sidebar, so a plain full-page capture shows
 * the sidebar on the first screen only: the viewport is grown to the document's height for the picture instead.
 */
async function fullPageScreenshot(page: Page, file: string) {
  const height = await page.evaluate(() => Math.max(document.documentElement.scrollHeight, document.body.scrollHeight));
  await page.setViewportSize({ width: VIEWPORT.width, height: Math.min(Math.max(height, VIEWPORT.height), 12_000) });
  await page.screenshot({ path: join(SCREENSHOTS, file), fullPage: true });
  await page.setViewportSize(VIEWPORT);
}

const redocVisits = new Map<DocsApi, Promise<Visit>>();

/** One page load per reference, shared by its tests (in file order): loaded, hydrated, screenshotted once. */
function redocPage(docsPage: DocsPage): Promise<Visit> {
  if (!redocVisits.has(docsPage.api)) {
    redocVisits.set(
      docsPage.api,
      (async () => {
        const loaded = await visit(docsPage.file);
        await redocReady(loaded.page);
        await fullPageScreenshot(loaded.page, `${docsPage.api}.png`);
        return loaded;
      })(),
    );
  }
  return redocVisits.get(docsPage.api)!;
}

const pageFor = (api: DocsApi) => DOCS_PAGES.find((docsPage) => docsPage.api === api)!;

/** Waits until Redoc has hydrated: the sidebar search stops saying "Loading...". */
async function redocReady(page: Page) {
  await page.locator('[data-component-name="Menu/Menu"]').first().waitFor();
  await page.waitForFunction(() => !document.body.innerText.includes('Loading...'), undefined, { timeout: 15_000 });
}

function expectOffline(visit: Visit) {
  expect(visit.foreign, 'requests to another host').toEqual([]);
  expect(visit.failed, 'failed requests').toEqual([]);
  expect(visit.badStatus, 'error responses').toEqual([]);
  expect(visit.pageErrors, 'page errors').toEqual([]);
}

/** The page's rendered text (what a reader can see: hidden elements and script contents excluded). */
const visibleText = (page: Page) => page.locator('body').innerText();

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A Redoc heading by its text (its accessible name also holds the "link to …" anchor, so not by role name). */
const heading = (scope: Page | Locator, text: string) =>
  scope.locator('h1, h2, h3').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) }).first();

/** Opens an operation from the sidebar (expanding its tag first) and returns its section. */
async function openOperation(page: Page, operation: Operation): Promise<Locator> {
  const menu = page.locator('[data-component-name="Menu/Menu"]').first();
  const item = menu.getByText(operation.summary, { exact: true });
  if (!(await item.isVisible())) await menu.getByText(operation.tag, { exact: true }).click();
  await item.click();
  const id = operation.operationId.toLowerCase();
  await page.waitForFunction((suffix) => location.hash.endsWith(suffix), `/${id}`);
  const section = page.locator(`[id$="/${id}"]`).first();
  await heading(section, operation.summary).waitFor({ state: 'visible', timeout: 5_000 });
  return section;
}

const responsePanel = (section: Locator) => section.locator('[data-component-name="Panel/Panel"]').filter({ hasText: /^Response/ }).first();

/** Shows one response example in an operation's right-hand "Response" panel and returns the panel's text. */
async function showResponseExample(page: Page, section: Locator, status: string, exampleSummary: string, exampleCount: number): Promise<string> {
  const panel = responsePanel(section);
  await panel.scrollIntoViewIfNeeded();
  await panel.getByRole('button', { name: status, exact: true }).click();
  if (exampleCount > 1) {
    await panel.locator('[data-component-name="Dropdown/Dropdown"]').first().click();
    await page.getByRole('menuitem', { name: exampleSummary, exact: true }).filter({ visible: true }).first().click();
  }
  // With one example Redoc shows no picker (and no summary): the caller checks the example's text.
  if (exampleCount > 1) await expect.poll(() => panel.innerText()).toContain(exampleSummary);
  return panel.innerText();
}

// ── Tests ───────────────────────────────────────────────────────────────────────────────────────────

describe('landing page', () => {
  it('links the three references and says which key goes where, how to run the mocks and install the SDK', async () => {
    const landing = await visit('index.html');
    const { page } = landing;
    await page.screenshot({ path: join(SCREENSHOTS, 'index.png'), fullPage: true });
    expectOffline(landing);
    expect(await page.title()).toBe('Virtual Commerce API docs');

    for (const docsPage of DOCS_PAGES) {
      const card = page.locator(`a[href="${docsPage.file}"]`).first();
      expect(await card.isVisible()).toBe(true);
      expect(await card.locator('img').getAttribute('alt')).toBe(docsPage.logoAlt);
      expect(await card.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      expect((await fetch(`${server.url}/${docsPage.file}`, { method: 'HEAD' })).status).toBe(200);
    }
    const text = await visibleText(page);
    for (const fact of [
      'X-API-Key: sk_live_…',
      'Authorization: Bearer sk_live_…',
      'Authorization: Bearer tvm_…',
      'npm start',
      'http://127.0.0.1:4010',
      'http://127.0.0.1:4011',
      'http://127.0.0.1:4000',
      'npm install virtual-commerce-sdk',
      "import { createMvoClient } from 'virtual-commerce-sdk/mvo';",
      "import { createTvmClient } from 'virtual-commerce-sdk/tvm';",
      ...Object.keys(specs.tvm.components.securitySchemes.BearerAuth['x-scopes']),
    ]) {
      expect(text, fact).toContain(fact);
    }
    await page.close();
  });
});

describe.each(DOCS_PAGES.map((docsPage) => [docsPage.api, docsPage] as [DocsApi, DocsPage]))('%s reference', (api, docsPage) => {
  const doc = specs[api];
  const operations = operationsOf(doc);

  it('loads offline with our title, logo and the assumptions', async () => {
    const loaded = await redocPage(docsPage);
    const { page } = loaded;
    expectOffline(loaded);

    expect(await page.title()).toBe(docsPage.title);
    const logo = page.locator('[data-component-name="SidebarLogo/SidebarLogo"] img').first();
    expect(await logo.getAttribute('alt')).toBe(docsPage.logoAlt);
    expect(await logo.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await heading(page, `${doc.info.title} (${doc.info.version})`).isVisible()).toBe(true);

    const text = await visibleText(page);
    const assumptions = (doc.info['x-assumptions'] ?? []) as { id: string; decision: string }[];
    if (api !== 'mock') expect(assumptions.length).toBeGreaterThan(0);
    if (assumptions.length) {
      expect(await heading(page, 'Assumptions').isVisible()).toBe(true);
      for (const { id } of assumptions) expect(text, id).toContain(id);
    }
    if (api === 'mvo') {
      // Both credential placements, as the description states them.
      expect(text).toContain('X-API-Key: sk_live_…');
      expect(text).toContain('Authorization: Bearer sk_live_…');
    }
  });

  it(`shows every operation (${operations.length}) from the sidebar, with its curl and TypeScript samples`, async () => {
    const loaded = await redocPage(docsPage);
    const { page } = loaded;
    expect(operations.length).toBeGreaterThan(0);
    // curl is the default language: the first operation shows it; the mock API has nothing else.
    const first = await openOperation(page, operations[0]);
    expect(await first.innerText(), `${operations[0].operationId}: curl sample`).toContain(curlLine(operations[0].op));
    if (api !== 'mock') {
      // The language choice is global: switch once, then every operation must show its SDK call.
      await first.locator('[data-component-name="Dropdown/Dropdown"]').filter({ hasText: /^curl$/ }).first().click();
      await page.getByRole('menuitem', { name: 'TypeScript', exact: true }).filter({ visible: true }).first().click();
    }
    for (const operation of operations) {
      const section = await openOperation(page, operation);
      const sample = api === 'mock' ? curlLine(operation.op) : typescriptLine(operation.op);
      // The operation's request sample: a visible code block holding the line (cheaper than the section's innerText).
      await section.locator('[data-component-name="CodeBlock/CodeBlock"]').filter({ hasText: sample }).first().waitFor({ state: 'visible', timeout: 5_000 });
    }
    expectOffline(loaded);
  });
});

describe('authentication in the rendered references', () => {
  it('TVM: the scope table, 401 UNAUTHORIZED and 403 FORBIDDEN (missing scope) examples', async () => {
    const doc = specs.tvm;
    const loaded = await redocPage(pageFor('tvm'));
    const { page } = loaded;
    const createOffer = operationsOf(doc).find((operation) => operation.operationId === 'createOffer')!;
    const section = await openOperation(page, createOffer);

    await section.getByText('View security details').first().click();
    const scopes = Object.entries<string>(doc.components.securitySchemes.BearerAuth['x-scopes']);
    await expect.poll(() => visibleText(page)).toContain('Required by');
    const withScopes = await visibleText(page);
    for (const [scope, grants] of scopes) {
      expect(withScopes, scope).toContain(scope);
      expect(withScopes, grants).toContain(grants);
    }
    await page.keyboard.press('Escape');

    const unauthorized = responseExamples(doc, 'createOffer', '401');
    expect(unauthorized.map((example) => example.message)).toContain('Invalid or missing API key');
    for (const example of unauthorized) {
      await showResponseExample(page, section, '401', example.summary, unauthorized.length);
      await expect.poll(() => responsePanel(section).innerText()).toContain(example.message);
      expect(await responsePanel(section).innerText()).toContain('"UNAUTHORIZED"');
    }
    const forbidden = responseExamples(doc, 'createOffer', '403');
    const missingScope = forbidden.find((example) => example.message === 'Missing required scope: offers:write');
    expect(missingScope).toBeDefined();
    const shown = await showResponseExample(page, section, '403', missingScope!.summary, forbidden.length);
    expect(shown).toContain('"FORBIDDEN"');
    expect(shown).toContain('Missing required scope: offers:write');
    await page.screenshot({ path: join(SCREENSHOTS, 'tvm-operation.png') });
    expectOffline(loaded);
  });

  it('MVO: both credential placements on an operation and the four 401 messages', async () => {
    const doc = specs.mvo;
    const loaded = await redocPage(pageFor('mvo'));
    const { page } = loaded;
    const getCustomer = operationsOf(doc).find((operation) => operation.operationId === 'getCustomer')!;
    const section = await openOperation(page, getCustomer);
    const securityText = await section.locator('[data-component-name="Panel/Panel"]').filter({ hasText: /^Security/ }).first().innerText();
    expect(securityText).toContain('ApiKeyHeader');
    expect(securityText).toContain('BearerAuth');

    const unauthorized = responseExamples(doc, 'getCustomer', '401');
    expect(unauthorized).toHaveLength(4);
    for (const example of unauthorized) {
      const shown = await showResponseExample(page, section, '401', example.summary, unauthorized.length);
      expect(shown).toContain('"Unauthorized"');
      expect(shown).toContain(example.message);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'mvo-operation.png') });
    expectOffline(loaded);
  });
});
