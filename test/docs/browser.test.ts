/**
 * The built docs in a real browser: docs/serve.ts serves them on 127.0.0.1 with both mocks behind it, Chromium
 * (playwright-core) opens every page and must see only requests to that origin, our title and logo, every
 * operation of the spec (reached from the sidebar, with its curl and SDK samples and its "Try it" panel), the
 * assumptions, the TVM scope table and the documented 401/403 examples. Screenshots land in docs/screenshots/.
 * test/docs/reader.test.ts covers readability at 1440 and 390 px, "Try it" and llms.txt.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DOCS_PAGES, type DocsApi, type DocsPage } from '../../scripts/build-docs.ts';
import {
  expectOffline,
  heading,
  type Json,
  openOperation,
  operationsOf,
  pageFor,
  redocReady,
  resolve,
  responsePanel,
  screenshot,
  showResponseExample,
  specs,
  type Stack,
  startStack,
  visibleText,
  visit,
  type Visit,
} from './browser-kit.ts';

// The whole file takes ~60 s on an idle 2-core machine; the limits leave room for a busy one.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 120_000 });

/** The examples of one response of one operation: the summary Redoc lists and the message it shows. */
function responseExamples(
  doc: Json,
  operationId: string,
  status: string,
): { summary: string; code?: string; message: string }[] {
  const { op } = operationsOf(doc).find((candidate) => candidate.operationId === operationId)!;
  const media = resolve(doc, op.responses[status]).content['application/json'];
  return Object.values<Json>(media.examples).map((example) => {
    const { summary, value } = resolve(doc, example);
    return {
      summary,
      code: value.error?.code,
      message: typeof value.error === 'object' ? value.error.message : value.message,
    };
  });
}

/** A sample's curl line as the served page shows it: the docs server names the live mocks, not the built 4010 / 4011. */
const curlLine = (op: Json) =>
  op['x-codeSamples']
    .find((sample: Json) => sample.lang === 'curl')
    .source.split('\n')
    .find((line: string) => line.startsWith('curl '))
    .replace(/127\.0\.0\.1:4010(?!\d)/g, new URL(stack.mocks.mvo.url).host)
    .replace(/127\.0\.0\.1:4011(?!\d)/g, new URL(stack.mocks.tvm.url).host);
const typescriptLine = (op: Json) =>
  op['x-codeSamples']
    .find((sample: Json) => sample.lang === 'TypeScript')
    .source.split('\n')
    .find((line: string) => /(unwrap\(|for await \(const item of )client\./.test(line));

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  // The three references load side by side; each test then works on its own page.
  await Promise.all(DOCS_PAGES.map((docsPage) => redocPage(docsPage)));
});

afterAll(async () => {
  await stack?.close();
});

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────────

const redocVisits = new Map<DocsApi, Promise<Visit>>();

/** One page load per reference, shared by its tests (in file order): loaded, hydrated, screenshotted once. */
function redocPage(docsPage: DocsPage): Promise<Visit> {
  if (!redocVisits.has(docsPage.api)) {
    redocVisits.set(
      docsPage.api,
      (async () => {
        const loaded = await visit(stack, docsPage.file);
        await redocReady(loaded.page);
        await screenshot(loaded.page, `${docsPage.api}.png`, { full: true });
        return loaded;
      })(),
    );
  }
  return redocVisits.get(docsPage.api)!;
}

// ── Tests ───────────────────────────────────────────────────────────────────────────────────────────

describe('landing page', () => {
  it('links the three references and says which key goes where, how to run the mocks and install the SDK', async () => {
    const landing = await visit(stack, 'index.html');
    const { page } = landing;
    // The addresses are those the docs server reports, filled in after load.
    await expect.poll(() => page.locator('[data-origin="tvm"]').first().innerText()).toBe(stack.mocks.tvm.url);
    await screenshot(page, 'index.png', { full: true });
    expectOffline(landing);
    expect(await page.title()).toBe('Virtual Commerce API docs');

    for (const docsPage of DOCS_PAGES) {
      const card = page.locator(`a[href="${docsPage.file}"]`).first();
      expect(await card.isVisible()).toBe(true);
      expect(await card.locator('img').getAttribute('alt')).toBe(docsPage.logoAlt);
      expect(await card.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(
        true,
      );
      expect((await fetch(`${stack.server.url}/${docsPage.file}`, { method: 'HEAD' })).status).toBe(200);
    }
    const text = await visibleText(page);
    for (const fact of [
      'X-API-Key: sk_live_…',
      'Authorization: Bearer sk_live_…',
      'Authorization: Bearer tvm_…',
      'npm start',
      'npm install virtual-commerce-sdk',
      "import { createMvoClient } from 'virtual-commerce-sdk/mvo';",
      "import { createTvmClient } from 'virtual-commerce-sdk/tvm';",
      'llms.txt',
      ...Object.keys(specs.tvm.components.securitySchemes.BearerAuth['x-scopes']),
    ]) {
      expect(text, fact).toContain(fact);
    }
    await page.close();
  });

  it('shows the ports the mocks and the docs actually run on, not the defaults', async () => {
    const { page } = await visit(stack, 'index.html');
    const list = page.locator('#local-servers');
    await expect.poll(() => list.innerText()).toContain(stack.mocks.mvo.url);
    const text = await list.innerText();
    expect(text).toContain(`MVO mock: ${stack.mocks.mvo.url}`);
    expect(text).toContain(`TVM mock: ${stack.mocks.tvm.url}`);
    expect(text).toContain(`These docs: ${stack.server.url}`);
    expect(await page.locator('pre').filter({ hasText: '/__mock/keys' }).innerText()).toContain(
      `curl -X POST ${stack.mocks.tvm.url}/__mock/keys`,
    );
    expect(await page.locator('#local-servers-status').innerText()).toMatch(/run on now/);
    // The static file itself holds npm start's defaults, for a copy opened without the docs server.
    const built = readFileSync(join(stack.outDir, 'index.html'), 'utf8');
    for (const server of specs.mock.servers)
      expect(built).toContain(`data-origin="${server.description.slice(0, 3).toLowerCase()}">${server.url}<`);
    await page.close();
  });
});

describe.each(DOCS_PAGES.map((docsPage) => [docsPage.api, docsPage] as [DocsApi, DocsPage]))(
  '%s reference',
  (api, docsPage) => {
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
      expect(await first.innerText(), `${operations[0].operationId}: curl sample`).toContain(
        curlLine(operations[0].op),
      );
      if (api !== 'mock') {
        // The language choice is global: switch once, then every operation must show its SDK call.
        await first
          .locator('[data-component-name="Dropdown/Dropdown"]')
          .filter({ hasText: /^curl$/ })
          .first()
          .click();
        await page.getByRole('menuitem', { name: 'TypeScript', exact: true }).filter({ visible: true }).first().click();
      }
      const assumptionIds = (doc.info['x-assumptions'] ?? []).map((assumption: Json) => assumption.id);
      for (const operation of operations) {
        const section = await openOperation(page, operation);
        const sample = api === 'mock' ? curlLine(operation.op) : typescriptLine(operation.op);
        // The operation's request sample: a visible code block holding the line (cheaper than the section's innerText).
        await section
          .locator('[data-component-name="CodeBlock/CodeBlock"]')
          .filter({ hasText: sample })
          .first()
          .waitFor({ state: 'visible' });
        // Its "Try it" panel, right under the samples.
        await section
          .locator(`details.vc-try[data-operation="${operation.operationId}"] summary`)
          .filter({ hasText: 'Try it, locally' })
          .waitFor({ state: 'visible' });
        // The assumptions that affect it, each linking to the table.
        if (assumptionIds.length) {
          const links = section.locator('a[href="#section/assumptions"]');
          const linked = await links.allInnerTexts();
          expect(linked.length, `${operation.operationId}: assumption links`).toBeGreaterThan(0);
          for (const id of linked) expect(assumptionIds, `${operation.operationId}: ${id}`).toContain(id);
        }
      }
      expectOffline(loaded);
    });
  },
);

describe('authentication in the rendered references', () => {
  it('TVM: the Authentication section shows the scope catalogue as a table: scope, what it grants, the operations needing it', async () => {
    const doc = specs.tvm;
    const { page } = await redocPage(pageFor('tvm'));
    const section = page.locator('[data-section-id="/section/authentication"]');
    await section.scrollIntoViewIfNeeded();
    // The section's scope table (the one headed "Scope"; the documented 401/403 bodies have a table of their own).
    const scopeTable = section.locator('table').filter({ has: page.locator('th', { hasText: /^Scope$/ }) });
    const rows = await scopeTable
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim())),
      );
    const scheme = doc.components.securitySchemes.BearerAuth;
    expect(rows.map((row) => row[0])).toEqual(Object.keys(scheme['x-scopes']));
    for (const [scope, grants, requiredBy] of rows) {
      expect(grants, scope).toBe(scheme['x-scopes'][scope]);
      const needing = operationsOf(doc).filter((operation) =>
        (operation.op.security ?? []).some((requirement: Json) => requirement.BearerAuth?.includes(scope)),
      );
      if (scope === scheme['x-admin-scope']) expect(requiredBy).toMatch(/every operation/);
      else
        for (const operation of needing) expect(requiredBy, scope).toContain(`${operation.method} ${operation.path}`);
      expect(await section.getByText(scope, { exact: true }).first().isVisible(), scope).toBe(true);
    }
    await screenshot(page, 'tvm-authentication-1440.png');
  });

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
    await screenshot(page, 'tvm-operation.png');
    expectOffline(loaded);
  });

  it('MVO: both credential placements on an operation and the four 401 messages', async () => {
    const doc = specs.mvo;
    const loaded = await redocPage(pageFor('mvo'));
    const { page } = loaded;
    const getCustomer = operationsOf(doc).find((operation) => operation.operationId === 'getCustomer')!;
    const section = await openOperation(page, getCustomer);
    const securityText = await section
      .locator('[data-component-name="Panel/Panel"]')
      .filter({ hasText: /^Security/ })
      .first()
      .innerText();
    expect(securityText).toContain('ApiKeyHeader');
    expect(securityText).toContain('BearerAuth');

    const unauthorized = responseExamples(doc, 'getCustomer', '401');
    expect(unauthorized).toHaveLength(4);
    for (const example of unauthorized) {
      const shown = await showResponseExample(page, section, '401', example.summary, unauthorized.length);
      expect(shown).toContain('"Unauthorized"');
      expect(shown).toContain(example.message);
    }
    await screenshot(page, 'mvo-operation.png');
    expectOffline(loaded);
  });
});
