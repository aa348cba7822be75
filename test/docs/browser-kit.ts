/**
 * What the docs' browser tests share: the docs built into a temporary folder and served by docs/serve.ts with
 * both mocks behind it (as `npm start` does), Chromium, page visits that record every request leaving the docs'
 * origin, and Redoc navigation. Screenshots land in docs/screenshots/ (ignored by git).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { type DocsServer, startDocsServer } from '../../docs/serve.ts';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { buildDocs, DOCS_PAGES, type DocsApi, ROOT } from '../../scripts/build-docs.ts';
import { escapeRegExp } from '../../mock-server/src/shared/escape-reg-exp.ts';

export type Json = Record<string, any>;
export type Operation = { method: string; path: string; operationId: string; summary: string; tag: string; op: Json };
export type Visit = { page: Page; foreign: string[]; failed: string[]; badStatus: string[]; pageErrors: string[] };
export type Stack = {
  server: DocsServer;
  mocks: { mvo: MockServer; tvm: MockServer };
  browser: Browser;
  outDir: string;
  close(): Promise<void>;
};

export const SCREENSHOTS = join(ROOT, 'docs/screenshots');
export const WIDE = { width: 1440, height: 900 };
export const NARROW = { width: 390, height: 844 };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export const specs = Object.fromEntries(
  DOCS_PAGES.map((page) => [page.api, parse(readFileSync(join(ROOT, `openapi/generated/${page.api}.yaml`), 'utf8'))]),
) as Record<DocsApi, Json>;

export const pageFor = (api: DocsApi) => DOCS_PAGES.find((docsPage) => docsPage.api === api)!;

export function resolve(doc: Json, value: any): any {
  if (!value?.$ref) return value;
  return resolve(
    doc,
    value.$ref
      .slice(2)
      .split('/')
      .reduce((node: any, key: string) => node?.[key], doc),
  );
}

export function operationsOf(doc: Json): Operation[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const op = item[method];
      return {
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        summary: op.summary,
        tag: op.tags[0],
        op,
      };
    }),
  );
}

export const operationById = (api: DocsApi, operationId: string) =>
  operationsOf(specs[api]).find((operation) => operation.operationId === operationId)!;

/** Builds the docs into a temporary folder (never racing another test file over docs/dist) and serves them with both mocks. */
export async function startStack(): Promise<Stack> {
  const outDir = mkdtempSync(join(tmpdir(), 'docs-browser-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const [, mvo, tvm] = await Promise.all([
    buildDocs({ outDir }),
    startMockServer({ api: 'mvo', port: 0 }),
    startMockServer({ api: 'tvm', port: 0 }),
  ]);
  const server = await startDocsServer({ port: 0, root: outDir, mocks: { mvo: mvo.url, tvm: tvm.url } });
  const browser = await launchChromium();
  return {
    server,
    mocks: { mvo, tvm },
    browser,
    outDir,
    close: async () => {
      await browser.close();
      await Promise.all([server.close(), mvo.close(), tvm.close()]);
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** data: and about: stay in the page; blob: URLs belong to the origin inside them; nothing else may leave it. */
function isLocal(origin: string, url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('about:')) return true;
  const inner = url.startsWith('blob:') ? url.slice('blob:'.length) : url;
  return new URL(inner).origin === origin;
}

export async function visit(stack: Stack, file: string, viewport = WIDE): Promise<Visit> {
  const page = await stack.browser.newPage({ viewport, reducedMotion: 'reduce' });
  // Waits end when the page does what they wait for; only the test's hang guard (vitest.config.ts) ends them otherwise.
  page.setDefaultTimeout(0);
  const result: Visit = { page, foreign: [], failed: [], badStatus: [], pageErrors: [] };
  page.on('request', (request) => {
    if (!isLocal(stack.server.url, request.url())) result.foreign.push(request.url());
  });
  page.on('requestfailed', (request) => result.failed.push(`${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    // The "Try it" panel's answers are the mock's, 4xx included; everything else must succeed.
    if (response.status() >= 400 && !new URL(response.url()).pathname.startsWith('/__try/'))
      result.badStatus.push(`${response.status()} ${response.url()}`);
  });
  page.on('pageerror', (error) => result.pageErrors.push(error.message));
  await page.goto(`${stack.server.url}/${file}`, { waitUntil: 'networkidle' });
  return result;
}

export function expectOffline(visit: Visit) {
  expect(visit.foreign, 'requests to another host').toEqual([]);
  expect(visit.failed, 'failed requests').toEqual([]);
  expect(visit.badStatus, 'error responses').toEqual([]);
  expect(visit.pageErrors, 'page errors').toEqual([]);
}

/** Waits until Redoc has hydrated: the sidebar search stops saying "Loading...". (A narrow page hides the sidebar.) */
export async function redocReady(page: Page) {
  await page.locator('[data-component-name="Menu/Menu"]').first().waitFor({ state: 'attached' });
  await page.waitForFunction(() => !document.body.innerText.includes('Loading...'));
}

/** The page's rendered text (what a reader can see: hidden elements and script contents excluded). */
export const visibleText = (page: Page) => page.locator('body').innerText();

/** A Redoc heading by its text (its accessible name also holds the "link to …" anchor, so not by role name). */
export const heading = (scope: Page | Locator, text: string) =>
  scope
    .locator('h1, h2, h3')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) })
    .first();

/** Opens an operation from the sidebar (expanding its tag first; on a narrow page, the menu first) and returns its section. */
export async function openOperation(page: Page, operation: Operation): Promise<Locator> {
  const id = operation.operationId.toLowerCase();
  const section = page.locator(`[id$="/${id}"]`).first();
  const menu = page.locator('[data-component-name="Menu/Menu"]').first();
  if (!(await menu.isVisible())) {
    // Narrow layout: the sidebar is behind a floating menu button; the hash takes us there instead.
    await page.evaluate((target) => (location.hash = target), `tag/${operation.tag.toLowerCase()}/operation/${id}`);
  } else {
    const item = menu.getByText(operation.summary, { exact: true });
    if (!(await item.isVisible())) await menu.getByText(operation.tag, { exact: true }).click();
    await item.click();
  }
  await page.waitForFunction((suffix) => location.hash.endsWith(suffix), `/${id}`);
  await heading(section, operation.summary).waitFor({ state: 'visible' });
  return section;
}

export const responsePanel = (section: Locator) =>
  section
    .locator('[data-component-name="Panel/Panel"]')
    .filter({ hasText: /^Response/ })
    .first();

/** Shows one response example in an operation's right-hand "Response" panel and returns the panel's text. */
export async function showResponseExample(
  page: Page,
  section: Locator,
  status: string,
  exampleSummary: string,
  exampleCount: number,
): Promise<string> {
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

/** A page screenshot in docs/screenshots/: the viewport, or the whole page grown to the document's height. */
export async function screenshot(page: Page, file: string, { full = false } = {}) {
  if (!full) return void (await page.screenshot({ path: join(SCREENSHOTS, file) }));
  // Redoc scrolls inside its own layout with a sticky, viewport-high sidebar, so a plain full-page capture shows
  // the sidebar on the first screen only: the viewport is grown to the document's height for the picture instead.
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => Math.max(document.documentElement.scrollHeight, document.body.scrollHeight));
  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(height, viewport.height), 12_000) });
  await page.screenshot({ path: join(SCREENSHOTS, file), fullPage: true });
  await page.setViewportSize(viewport);
}
