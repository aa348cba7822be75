/**
 * The MSW handlers in a real browser: a page bundled with esbuild starts the service worker with the
 * TVM handlers and calls GET /v1/shop; Chromium (playwright-core) must show the mock's answers.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleForBrowser } from './bundle.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const SCREENSHOT = here('../../test-results/msw-browser.png');

let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  const bundle = await bundleForBrowser({ file: here('fixtures/msw-page.ts') });
  expect(bundle.nodeImports).toEqual([]);
  const files: Record<string, { type: string; body: string | Buffer }> = {
    '/': { type: 'text/html; charset=utf-8', body: await readFile(here('fixtures/msw-page.html')) },
    '/page.js': { type: 'text/javascript; charset=utf-8', body: bundle.code },
    // The worker script of the installed msw, so it always matches the library version.
    '/mockServiceWorker.js': {
      type: 'text/javascript; charset=utf-8',
      body: await readFile(here('../../node_modules/msw/lib/mockServiceWorker.js')),
    },
  };
  server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not served: the worker should have answered');
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

it('serves GET /v1/shop from the service worker: 200, 403 missing scope, 401', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 360 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-done]', { timeout: 0 }); // the page's own signal; the hang guard is vitest's
  expect(await page.getAttribute('body', 'data-error')).toBeNull();
  expect(pageErrors).toEqual([]);

  const rows = await page.$$eval('tbody tr', (trs) =>
    trs.map((tr) => ({
      case: (tr as HTMLElement).dataset.case,
      status: tr.querySelector('.status')!.textContent,
      code: tr.querySelector('.code')!.textContent,
      message: tr.querySelector('.message')!.textContent,
    })),
  );
  expect(rows).toEqual([
    { case: 'admin', status: '200', code: 'OK', message: 'shop example-store, limit 60' },
    { case: 'offers', status: '403', code: 'FORBIDDEN', message: 'Missing required scope: shops:read' },
    { case: 'none', status: '401', code: 'UNAUTHORIZED', message: 'Invalid or missing API key' },
    { case: 'real-host', status: '200', code: 'OK', message: 'shop example-store, limit 60' },
  ]);
  // The worker, not the static server, answered: the page is controlled by mockServiceWorker.js.
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
    `${origin}/mockServiceWorker.js`,
  );

  await mkdir(here('../../test-results'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
});
