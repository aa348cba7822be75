/**
 * The frontend team's path outside this repository, with msw installed beside the mock package from its tarball:
 * plain .mjs with msw/node (no TypeScript loader, no bundler), and a browser app bundled with esbuild that runs
 * `virtual-commerce-mock/msw/browser` in MSW's service worker (copied by `npx msw init`) in Chromium.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../browser/bundle.ts';
import { createProject, fixture, PINNED, recordRows, sh, type MatrixRow, type Project } from './harness.ts';

let project: Project;
const rows: MatrixRow[] = [];

beforeAll(() => {
  project = createProject('msw', {
    tarballs: ['mock'],
    extra: [`msw@${PINNED.msw}`],
    files: {
      'msw-node.mjs': fixture('msw-node.mjs'),
      'src/app.ts': fixture('browser-app.ts'),
      'public/index.html': fixture('browser-app.html'),
    },
  });
}, 180_000);

afterAll(() => {
  recordRows('msw', rows);
  project?.remove();
});

describe('virtual-commerce-mock/msw with msw/node, from plain .mjs', () => {
  it('answers on the real hosts: 200, 403 for a missing scope, 401 without a key, MVO 401 for a revoked key', () => {
    const result = JSON.parse(sh(process.execPath, ['msw-node.mjs'], project.dir));
    expect(result.shop).toMatchObject({ status: 200, body: { success: true, data: { slug: 'example-store' } } });
    expect(result.missingScope).toEqual({
      status: 403,
      body: { success: false, error: { code: 'FORBIDDEN', message: 'Missing required scope: shops:read' } },
    });
    expect(result.noKey).toMatchObject({ status: 401, body: { success: false, error: { code: 'UNAUTHORIZED' } } });
    expect(result.customer).toMatchObject({ status: 200, body: { id: '550e8400-e29b-41d4-a716-446655440000' } });
    expect(result.revoked).toEqual({
      status: 401,
      body: { error: 'Unauthorized', message: 'API key has been revoked' },
    });
    rows.push({
      row: 'plain .mjs, virtual-commerce-mock/msw + msw/node',
      runtime: `node ${process.versions.node}`,
      installMs: project.installMs,
      result: 'pass',
    });
  });
});

describe('virtual-commerce-mock/msw/browser in Chromium', () => {
  let server: Server;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    sh('npx', ['msw', 'init', 'public', '--no-save'], project.dir);
    const bundle = await bundleForBrowser({ file: join(project.dir, 'src/app.ts') });
    expect(bundle.nodeImports).toEqual([]);
    const files: Record<string, { type: string; body: string | Buffer }> = {
      '/': { type: 'text/html; charset=utf-8', body: readFileSync(join(project.dir, 'public/index.html')) },
      '/app.js': { type: 'text/javascript; charset=utf-8', body: bundle.code },
      '/mockServiceWorker.js': {
        type: 'text/javascript; charset=utf-8',
        body: readFileSync(join(project.dir, 'public/mockServiceWorker.js')),
      },
    };
    server = createServer((req, res) => {
      const file = files[new URL(req.url ?? '/', 'http://x').pathname];
      if (!file)
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not served: the worker should have answered');
      else res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('the service worker answers the documented 200, 403 and 401', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/`);
    await page.waitForSelector('body[data-answers]', { state: 'attached', timeout: 0 });
    expect(errors).toEqual([]);
    expect(JSON.parse((await page.getAttribute('body', 'data-answers'))!)).toEqual([
      { name: 'admin key', status: 200, code: 'example-store' },
      { name: 'key without shops:read', status: 403, code: 'FORBIDDEN' },
      { name: 'no key', status: 401, code: 'UNAUTHORIZED' },
    ]);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
      `${origin}/mockServiceWorker.js`,
    );
    rows.push({
      row: 'browser app (esbuild) with virtual-commerce-mock/msw/browser + service worker',
      runtime: `chromium ${browser.version()}`,
      installMs: project.installMs,
      result: 'pass',
    });
  }, 90_000);
});
