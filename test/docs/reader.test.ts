/**
 * The docs as a reader meets them in Chromium, at 1440 and 390 px wide: code samples and examples readable (no
 * control over text, no line running past the panel), the assumptions table at full width, the TVM scope table in
 * the Authentication section; "Try it, locally" answering 200, 401 and 403 from the local mock and sending nothing
 * anywhere else; each operation's assumption ids linking to the table; llms.txt and its Markdown pages served.
 * Screenshots (docs/screenshots/): reader-*-1440.png and reader-*-390.png.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  expectOffline,
  heading,
  NARROW,
  openOperation,
  operationById,
  operationsOf,
  pageFor,
  redocReady,
  resolve,
  screenshot,
  showResponseExample,
  specs,
  type Stack,
  startStack,
  visit,
  WIDE,
} from './browser-kit.ts';

// ~40 s on an idle 2-core machine; the limits leave room for a busy one.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 120_000 });

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────────

type Viewport = typeof WIDE;

async function reference(api: 'mvo' | 'tvm' | 'mock', viewport: Viewport) {
  const loaded = await visit(stack, pageFor(api).file, viewport);
  await redocReady(loaded.page);
  return loaded;
}

/**
 * What stands between a reader and the code in every visible code block under `root`: a control (the copy button)
 * drawn over a character, a character drawn past the block's edge, or a block that scrolls sideways. Measured
 * character by character on the rendered page.
 */
function unreadableCode(root: Locator): Promise<string[]> {
  return root.evaluate((element) => {
    const problems: string[] = [];
    const blocks = [...element.querySelectorAll<HTMLElement>('[data-component-name="CodeBlock/CodeBlock"]')];
    for (const block of blocks) {
      const box = block.getBoundingClientRect();
      if (!box.width || !box.height) continue;
      const pre = block.querySelector('pre')!;
      const controls = [...block.querySelectorAll('button')]
        .map((button) => button.getBoundingClientRect())
        .filter((rect) => rect.width);
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      const first = (pre.textContent ?? '').trim().split('\n')[0].slice(0, 40);
      while (walker.nextNode()) {
        const node = walker.currentNode as Text;
        for (let index = 0; index < node.data.length; index++) {
          if (/\s/.test(node.data[index])) continue;
          range.setStart(node, index);
          range.setEnd(node, index + 1);
          for (const rect of range.getClientRects()) {
            if (
              controls.some(
                (control) =>
                  rect.left < control.right &&
                  rect.right > control.left &&
                  rect.top < control.bottom &&
                  rect.bottom > control.top,
              )
            ) {
              problems.push(`"${first}…": a control covers "${node.data[index]}"`);
            }
            if (rect.right > box.right + 0.5)
              problems.push(`"${first}…": "${node.data[index]}" is drawn past the panel's edge`);
          }
        }
      }
      if (pre.scrollWidth > pre.clientWidth + 1)
        problems.push(`"${first}…": scrolls sideways (${pre.scrollWidth} > ${pre.clientWidth})`);
    }
    return [...new Set(problems)];
  });
}

const codeBlockCount = (root: Locator) =>
  root.locator('[data-component-name="CodeBlock/CodeBlock"]').filter({ visible: true }).count();

const tryPanel = (section: Locator, operationId: string) =>
  section.locator(`details.vc-try[data-operation="${operationId}"]`);

/** Sends from an operation's "Try it" panel with the chosen key and waits for the status it shows. */
async function sendFromPanel(
  panel: Locator,
  key?: string,
): Promise<{ status: string; headers: string; body: any; keyNote: string }> {
  if (!(await panel.evaluate((details: HTMLDetailsElement) => details.open))) await panel.locator('summary').click();
  if (key !== undefined) await panel.getByLabel(/^Key/).selectOption(key);
  const before = await panel.locator('.vc-try-status').count();
  await panel.getByRole('button', { name: 'Send to the local mock' }).click();
  if (before) await expect.poll(() => panel.locator('.vc-try-pending').count()).toBe(0);
  await panel.locator('.vc-try-status').waitFor();
  return {
    status: await panel.locator('.vc-try-status').innerText(),
    headers: await panel.locator('.vc-try-headers').innerText(),
    body: JSON.parse(await panel.locator('.vc-try-body').innerText()),
    keyNote: (await panel.locator('.vc-try-key').count()) ? await panel.locator('.vc-try-key').innerText() : '',
  };
}

/** GET /v1/shop from its "Try it" panel with the key it suggests: the panel has named the local mock, the answer is 200. */
async function shopFromTryIt(viewport: Viewport) {
  const loaded = await reference('tvm', viewport);
  const { page } = loaded;
  const panel = tryPanel(await openOperation(page, operationById('tvm', 'getShop')), 'getShop');
  await panel.locator('summary').click();
  await expect.poll(() => panel.locator('.vc-try-note').innerText()).toContain(stack.mocks.tvm.url);
  const ok = await sendFromPanel(panel);
  expect(ok.status).toMatch(/^200 OK/);
  return { loaded, page, panel, ok };
}

// ── Readability at both widths ──────────────────────────────────────────────────────────────────────

describe.each([
  ['1440', WIDE],
  ['390', NARROW],
] as const)('at %s px', (label, viewport) => {
  it('code samples and examples: the copy button never covers code, long lines wrap inside the panel', async () => {
    const loaded = await reference('mvo', viewport);
    const { page } = loaded;
    // The create sample (a long URL on its first line, the line the copy button used to cover).
    const create = await openOperation(page, operationById('mvo', 'createCustomer'));
    await create.locator('.panel-request-samples').scrollIntoViewIfNeeded();
    expect(await codeBlockCount(create)).toBeGreaterThan(0);
    expect(await unreadableCode(create)).toEqual([]);
    await screenshot(page, `reader-code-samples-${label}.png`);

    // The longest 401 message, shown as the response example.
    const get = await openOperation(page, operationById('mvo', 'getCustomer'));
    await showResponseExample(page, get, '401', 'API key missing', 4);
    expect(await get.innerText()).toContain(
      'API key is required. Provide it via X-API-Key header or Authorization Bearer token.',
    );
    expect(await unreadableCode(get)).toEqual([]);
    await screenshot(page, `reader-long-example-${label}.png`);
    // Nothing makes the page itself scroll sideways.
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
    expectOffline(loaded);
    await page.close();
  });

  it('the landing page: its code wraps inside the blocks and it shows the addresses in use', async () => {
    const loaded = await visit(stack, 'index.html', viewport);
    const { page } = loaded;
    await expect.poll(() => page.locator('[data-origin="tvm"]').first().innerText()).toBe(stack.mocks.tvm.url);
    const blocks = await page.locator('pre').evaluateAll((pres) =>
      pres.map((pre) => ({
        text: (pre.textContent ?? '').slice(0, 30),
        sideways: pre.scrollWidth > pre.clientWidth + 1,
      })),
    );
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter((block) => block.sideways)).toEqual([]);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
    await page.locator('#local-servers').scrollIntoViewIfNeeded();
    await screenshot(page, `reader-landing-${label}.png`);
    expectOffline(loaded);
    await page.close();
  });

  it('TVM: the scope table is in the Authentication section, and the assumptions table takes the full width', async () => {
    const loaded = await reference('tvm', viewport);
    const { page } = loaded;
    const authentication = page.locator('[data-section-id="/section/authentication"]');
    // The scope table (headed "Scope"; the documented 401/403 bodies have a table of their own).
    const table = authentication.locator('table').filter({ has: page.locator('th', { hasText: /^Scope$/ }) });
    await table.scrollIntoViewIfNeeded();
    expect(await table.isVisible()).toBe(true);
    for (const scope of Object.keys(specs.tvm.components.securitySchemes.BearerAuth['x-scopes'])) {
      expect(await table.getByText(scope, { exact: true }).first().isVisible(), scope).toBe(true);
    }
    // The table fits its column (cells wrap) instead of running off the page.
    const fits = await table.evaluate(
      (element) => element.getBoundingClientRect().right <= document.documentElement.clientWidth + 0.5,
    );
    expect(fits).toBe(true);
    await screenshot(page, `reader-scopes-${label}.png`);

    const assumptions = page.locator('[data-section-id="/section/assumptions"]');
    await assumptions.locator('table').scrollIntoViewIfNeeded();
    const layout = await page.evaluate(() => {
      const section = document.querySelector('[data-section-id="/section/assumptions"]')!;
      const content = document
        .querySelector('#api-content, [data-component-name="Layout/ThreePanelLayout"]')!
        .getBoundingClientRect();
      const tableBox = section.querySelector('table')!.getBoundingClientRect();
      const rightPanel = section
        .parentElement!.parentElement!.querySelector('[data-testid="right-panel"]')
        ?.getBoundingClientRect();
      const overlapsRightPanel = Boolean(
        rightPanel?.width &&
          tableBox.top < rightPanel.bottom &&
          tableBox.bottom > rightPanel.top &&
          tableBox.right > rightPanel.left,
      );
      return {
        content: content.width,
        table: tableBox.width,
        right: tableBox.right,
        viewport: document.documentElement.clientWidth,
        overlapsRightPanel,
      };
    });
    // Full width: all of the content area but its margins (the old middle column was under half of it).
    expect(layout.table).toBeGreaterThan(layout.content * 0.8);
    expect(layout.right).toBeLessThanOrEqual(layout.viewport + 0.5);
    expect(layout.overlapsRightPanel).toBe(false);
    await screenshot(page, `reader-assumptions-${label}.png`);
    expectOffline(loaded);
    await page.close();
  });

  it('"Try it, locally" answers from the local mock and says so', async () => {
    const { loaded, page, panel, ok } = await shopFromTryIt(viewport);
    expect(await panel.locator('.vc-try-note').innerText()).toMatch(
      /only to your local TVM mock .*Nothing goes to the real API or anywhere else/,
    );
    expect(ok.body.data.slug).toBe('example-store');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, `reader-try-it-${label}.png`);
    expectOffline(loaded);
    await page.close();
  });
});

// ── Try it, locally ─────────────────────────────────────────────────────────────────────────────────

describe('"Try it, locally"', () => {
  it('TVM: 200 with a key minted for the scope, 401 without a key, 403 with a key lacking the scope', async () => {
    const mintedKeys = async () =>
      (
        (await (await fetch(`${stack.mocks.tvm.url}/__mock/keys`)).json()).keys as {
          id: string;
          name: string;
          scopes: string[];
        }[]
      ).filter((key) => key.name.startsWith('Docs "Try it"'));
    const before = new Set((await mintedKeys()).map((key) => key.id));
    const { loaded, page, panel, ok } = await shopFromTryIt(WIDE);
    expect(ok.headers).toMatch(/^x-ratelimit-limit: \d+$/m);
    expect(ok.keyNote).toMatch(
      /^Key key_\w+ \(tvm_\w{4}…\), minted on the local mock with scope shops:read; kept in this page only\.$/,
    );

    const unauthorized = await sendFromPanel(panel, '');
    expect(unauthorized.status).toMatch(/^401 Unauthorized/);
    expect(unauthorized.body).toEqual({
      success: false,
      error: { code: 'UNAUTHORIZED', message: 'Invalid or missing API key' },
    });

    const forbidden = await sendFromPanel(panel, 'offers:read');
    expect(forbidden.status).toMatch(/^403 Forbidden/);
    expect(forbidden.body).toEqual({
      success: false,
      error: { code: 'FORBIDDEN', message: 'Missing required scope: shops:read' },
    });

    // Two keys were minted on the local mock, one per scope tried, and the page never shows one whole.
    const minted = (await mintedKeys()).filter((key) => !before.has(key.id));
    expect(minted.map((key) => key.scopes)).toEqual([['shops:read'], ['offers:read']]);
    expect(await panel.innerText()).not.toMatch(/tvm_[a-z0-9]{32}/);
    await screenshot(page, 'reader-try-it-403-1440.png');
    expectOffline(loaded);
    await page.close();
  });

  it('TVM: parameters and body start from the examples and can be edited (create, then read back)', async () => {
    const loaded = await reference('tvm', WIDE);
    const { page } = loaded;
    const create = await openOperation(page, operationById('tvm', 'createOffer'));
    const createPanel = tryPanel(create, 'createOffer');
    await createPanel.locator('summary').click();
    const body = createPanel.getByLabel(/^Body/);
    const examples = resolve(specs.tvm, operationById('tvm', 'createOffer').op.requestBody).content['application/json']
      .examples;
    expect(JSON.parse(await body.inputValue())).toEqual(resolve(specs.tvm, Object.values(examples)[0]).value);
    await body.fill(JSON.stringify({ title: 'Tried from the docs' }));
    const created = await sendFromPanel(createPanel);
    expect(created.status).toMatch(/^201 Created/);
    expect(created.body.data).toMatchObject({ title: 'Tried from the docs', status: 'needs_review' });

    const get = await openOperation(page, operationById('tvm', 'getOffer'));
    const getPanel = tryPanel(get, 'getOffer');
    await getPanel.locator('summary').click();
    const id = getPanel.getByLabel(/^id \(path, required\)/);
    expect(await id.inputValue()).not.toBe('');
    await id.fill(created.body.data.id);
    const read = await sendFromPanel(getPanel);
    expect(read.status).toMatch(/^200 OK/);
    expect(read.body.data.title).toBe('Tried from the docs');
    expectOffline(loaded);
    await page.close();
  });

  it('MVO: a minted key reads the example customer; the control API page sends to the mock it names', async () => {
    const mvo = await reference('mvo', WIDE);
    const section = await openOperation(mvo.page, operationById('mvo', 'getCustomer'));
    const read = await sendFromPanel(tryPanel(section, 'getCustomer'));
    expect(read.status).toMatch(/^200 OK/);
    expect(read.keyNote).toMatch(
      /^Key key_\w+ \(sk_live_\w{4}…\), minted on the local mock; kept in this page only\.$/,
    );
    expectOffline(mvo);
    await mvo.page.close();

    const mock = await reference('mock', WIDE);
    const keys = await openOperation(mock.page, operationById('mock', 'listMockKeys'));
    const panel = tryPanel(keys, 'listMockKeys');
    await panel.locator('summary').click();
    await panel.getByLabel('Mock').selectOption('mvo');
    const listed = await sendFromPanel(panel);
    expect(listed.status).toMatch(/^200 OK/);
    expect(listed.body.keys.map((key: { id: string }) => key.id)).toContain('key_mvo_active');
    expectOffline(mock);
    await mock.page.close();
  });
});

// ── Assumption links and llms.txt ───────────────────────────────────────────────────────────────────

describe('assumptions under each operation', () => {
  it('an id links to its row of the assumptions table', async () => {
    const loaded = await reference('tvm', WIDE);
    const { page } = loaded;
    const section = await openOperation(page, operationById('tvm', 'updateShop'));
    const link = section.getByRole('link', { name: 'TVM-A12', exact: true });
    expect(await link.getAttribute('title')).toContain('PUT is a partial update');
    expect(await section.getByRole('link', { name: 'TVM-A6', exact: true }).count()).toBe(0);
    await link.click();
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/?section\/assumptions$/);
    await expect.poll(() => heading(page, 'Assumptions').isVisible()).toBe(true);
    await expect
      .poll(() =>
        page
          .locator('[data-section-id="/section/assumptions"] table')
          .getByText('TVM-A12', { exact: true })
          .isVisible(),
      )
      .toBe(true);
    // It lands on the row, not the table's top: the row is marked and on screen.
    const row = page.locator('[data-section-id="/section/assumptions"] tr.vc-target');
    await expect.poll(() => row.locator('td').first().innerText()).toBe('TVM-A12');
    await expect
      .poll(() =>
        row.evaluate((element) => {
          const box = element.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
    await screenshot(page, 'reader-assumption-row-1440.png');
    expectOffline(loaded);
    await page.close();
  });
});

describe('llms.txt and the Markdown pages', () => {
  it('are in the built docs folder and served as text: every link of llms.txt answers Markdown', async () => {
    const { page, ...visitLog } = await visit(stack, 'llms.txt');
    const text = await page.locator('body').innerText();
    expect(text).toMatch(/^# Virtual Commerce APIs/);
    const links = [...text.matchAll(/\]\(([^)]+\.md)\)/g)].map((match) => match[1]);
    const operationCount = (['mvo', 'tvm', 'mock'] as const).reduce(
      (sum, api) => sum + operationsOf(specs[api]).length,
      0,
    );
    expect(new Set(links).size).toBe(operationCount + 3);
    for (const link of links) expect(existsSync(join(stack.outDir, link)), link).toBe(true);
    // Fetched by the page itself, as a reader's tool would follow the links.
    const answers = await page.evaluate(
      (paths) =>
        Promise.all(
          paths.map(async (path) => {
            const response = await fetch(path);
            return {
              path,
              status: response.status,
              type: response.headers.get('content-type'),
              start: (await response.text()).slice(0, 2),
            };
          }),
        ),
      [...new Set(links)],
    );
    for (const answer of answers)
      expect(answer, answer.path).toMatchObject({ status: 200, type: 'text/markdown; charset=utf-8', start: '# ' });
    expectOffline({ page, ...visitLog });
    await page.close();
  });
});
