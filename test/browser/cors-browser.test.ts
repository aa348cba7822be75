/**
 * CORS in a real browser: a page on one origin calls the Node mock on another. With `--cors <the page's
 * origin>` Chromium lets the page read the answer and its X-RateLimit-* headers; without `--cors`, or with a
 * list that leaves the page's origin out, Chromium refuses (fetch rejects) and the request never reaches the API.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureKey, startMockServer, type MockServer } from '../../mock-server/src/index.ts';

const KEY = fixtureKey('tvm', 'key_tvm_admin');

let pageServer: Server;
let pageOrigin: string;
let browser: Browser;
let page: Page;
const mocks: MockServer[] = [];

beforeAll(async () => {
  pageServer = createServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>app</title><p>a frontend app</p>'),
  );
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${pageOrigin}/`);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(mocks.map((mock) => mock.close()));
  await new Promise((resolve) => pageServer?.close(resolve));
});

async function mockWith(cors: true | string[] | undefined): Promise<MockServer> {
  const mock = await startMockServer({ api: 'tvm', port: 0, cors });
  mocks.push(mock);
  return mock;
}

/** What the page sees when it calls the mock with its key (a preflighted request: Authorization is not safelisted). */
function callFromPage(mockUrl: string) {
  return page.evaluate(
    async ({ url, key }) => {
      try {
        const response = await fetch(`${url}/v1/shop`, { headers: { Authorization: `Bearer ${key}` } });
        return {
          status: response.status,
          remaining: response.headers.get('x-ratelimit-remaining'),
          slug: (await response.json()).data.slug as string,
        };
      } catch (error) {
        return { error: String(error) };
      }
    },
    { url: mockUrl, key: KEY },
  );
}

describe('a page on another origin', () => {
  it('reads the answer and the rate-limit headers when the mock runs with --cors <its origin>', async () => {
    const mock = await mockWith([pageOrigin]);
    expect(await callFromPage(mock.url)).toEqual({
      status: 200,
      remaining: expect.stringMatching(/^\d+$/),
      slug: 'example-store',
    });
    expect(mock.mock.requests().map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'GET /v1/shop 200',
    ]);
  });

  it('is refused by the browser when the mock runs without --cors', async () => {
    const mock = await mockWith(undefined);
    expect(await callFromPage(mock.url)).toEqual({ error: expect.stringContaining('Failed to fetch') });
    // Only the browser's preflight arrived (an unknown route); the GET itself was never sent.
    expect(mock.mock.requests().map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'OPTIONS /v1/shop 404',
    ]);
  });

  it('is refused when --cors lists other origins only', async () => {
    const mock = await mockWith(['http://localhost:5173']);
    expect(await callFromPage(mock.url)).toEqual({ error: expect.stringContaining('Failed to fetch') });
    expect(mock.mock.requests()).toEqual([]);
  });
});
