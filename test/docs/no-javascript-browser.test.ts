/**
 * The reference in Chromium with JavaScript disabled, at 1280 and 390 px: the static reference shows (Redoc's
 * shell does not), and every link of its contents, followed by a click, lands on its target, scrolled into view,
 * with no request answered 404. Screenshots land in docs/screenshots/ (`nojs-*`).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DOCS_PAGES } from '../../scripts/build-docs.ts';
import { NARROW, screenshot, type Stack, startStack } from './browser-kit.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

describe.each(DOCS_PAGES.map((page) => [page.file, page] as const))(
  '%s with JavaScript disabled',
  (_file, docsPage) => {
    it.each([
      ['1280', { width: 1280, height: 900 }],
      ['390', NARROW],
    ] as const)(
      'at %s px: shows the static reference; every contents link lands on its target',
      async (width, viewport) => {
        const context = await stack.browser.newContext({ javaScriptEnabled: false, viewport });
        const page = await context.newPage();
        const bad: string[] = [];
        page.on('response', (response) => {
          if (response.status() >= 400) bad.push(`${response.status()} ${response.url()}`);
        });
        await page.goto(`${stack.server.url}/${docsPage.file}`);
        expect(await page.locator('#redoc').isVisible()).toBe(false);
        await expect.poll(() => page.locator('.vc-static-nav').isVisible()).toBe(true);
        await screenshot(page, `nojs-${docsPage.api}-${width}.png`);

        const links = await page
          .locator('.vc-static-nav a[href^="#"]')
          .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')!));
        expect(links.length).toBeGreaterThan(3);
        for (const href of links) {
          await page.locator(`.vc-static-nav a[href="${href}"]`).click();
          expect(await page.evaluate(() => location.hash)).toBe(href);
          const box = await page.locator(href.replace(/^#(.*)$/, '[id="$1"]')).boundingBox();
          expect(box, `${href} has no visible target`).not.toBeNull();
          // Scrolled to it: its top is on screen (a target near the end of the page may sit lower than the top).
          expect(box!.y, href).toBeGreaterThanOrEqual(-1);
          expect(box!.y, href).toBeLessThan(viewport.height);
        }
        const operation = links.find((href) => href.startsWith('#operation-'))!;
        await page.locator(`.vc-static-nav a[href="${operation}"]`).click();
        await screenshot(page, `nojs-${docsPage.api}-${width}-operation.png`);
        expect(bad).toEqual([]);
        await context.close();
      },
    );
  },
);
