/**
 * `tsx scripts/build-docs.ts`: self-contained Redoc pages for MVO, TVM and the mock control API in docs/dist/,
 * plus a hand-made landing page. Input is openapi/generated/*.yaml (already decorated: assumptions, scope
 * table, code samples); this script only adds our logo (`x-logo`, an inlined SVG) and renders with
 * `redocly build-docs --inlineBundle` through docs/src/template.hbs (theme, favicon, CSP).
 *
 * Offline by construction: the one external request Redoc's inlined bundle still makes (the "API docs by
 * Redocly" attribution image on cdn.redoc.ly) is pointed at an inlined SVG, and the build fails if any
 * cdn.redoc.ly reference, web font or external <script src>/<link href> is left in a page.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

// ── Public types and values ─────────────────────────────────────────────────────────────────────────

export type DocsApi = 'mvo' | 'tvm' | 'mock';

export type DocsPage = {
  api: DocsApi;
  /** File name in docs/dist/. */
  file: string;
  /** The HTML <title>. */
  title: string;
  /** The logo's alt text (Redoc shows it if the image cannot be drawn). */
  logoAlt: string;
};

export const DOCS_PAGES: readonly DocsPage[] = [
  { api: 'mvo', file: 'mvo.html', title: 'My Virtual Office API reference', logoAlt: 'My Virtual Office API logo' },
  { api: 'tvm', file: 'tvm.html', title: 'The Virtual Mall API reference', logoAlt: 'The Virtual Mall API logo' },
  { api: 'mock', file: 'mock.html', title: 'Mock control API reference', logoAlt: 'Mock control API logo' },
];

export const ROOT = new URL('..', import.meta.url).pathname;
export const DEFAULT_OUT_DIR = join(ROOT, 'docs/dist');

// ── Private values ──────────────────────────────────────────────────────────────────────────────────

type Json = Record<string, any>;

const SRC = join(ROOT, 'docs/src');
const REDOCLY = join(ROOT, 'node_modules/.bin/redocly');
const run = promisify(execFile);

/** Redoc's attribution image URLs (in the inlined bundle) and the inlined SVGs that replace them. */
const ATTRIBUTION_IMAGES: Record<string, string> = {
  'https://cdn.redoc.ly/redoc/logo-mini-full.svg': 'attribution-full.svg',
  'https://cdn.redoc.ly/redoc/logo-mini.svg': 'attribution-mini.svg',
};

/**
 * Strings that must not survive in a page: they would make the browser leave the docs' host on load.
 * (The bundle also names icon sets on cdn.redocly.com; they are fetched only for icons a config asks for,
 * which ours does not, and test/docs/browser.test.ts checks every request a real page load makes.)
 */
const FORBIDDEN_IN_OUTPUT = [/cdn\.redoc\.ly/, /fonts\.(googleapis|gstatic)\.com/, /<script[^>]+src=["']https?:/i, /<link[^>]+href=["']https?:/i];

// ── Public functions ────────────────────────────────────────────────────────────────────────────────

export const svgDataUri = (svg: string) => `data:image/svg+xml;base64,${Buffer.from(svg.trim()).toString('base64')}`;

export const readSvg = (name: string) => readFileSync(join(SRC, name), 'utf8');

/** The generated description with our logo set; everything else is as generated. */
export function docsDescription(page: DocsPage): Json {
  const doc = parse(readFileSync(join(ROOT, `openapi/generated/${page.api}.yaml`), 'utf8'));
  doc.info['x-logo'] = { url: svgDataUri(readSvg(`logo-${page.api}.svg`)), altText: page.logoAlt, href: 'index.html' };
  return doc;
}

/** Builds every page into `outDir` (docs/dist by default). Returns the files written, in build order. */
export async function buildDocs({ outDir = DEFAULT_OUT_DIR }: { outDir?: string } = {}): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'build-docs-'));
  try {
    const docs = DOCS_PAGES.map((page) => ({ page, doc: docsDescription(page) }));
    await Promise.all(docs.map(({ page, doc }) => renderPage(page, doc, work, outDir)));
    writeFileSync(join(outDir, 'index.html'), landingPage(docs));
    return [...DOCS_PAGES.map((page) => join(outDir, page.file)), join(outDir, 'index.html')];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ── Private functions ───────────────────────────────────────────────────────────────────────────────

async function renderPage(page: DocsPage, doc: Json, work: string, outDir: string): Promise<void> {
  const input = join(work, `${page.api}.json`);
  const output = join(outDir, page.file);
  writeFileSync(input, JSON.stringify(doc));
  await run(
    REDOCLY,
    [
      'build-docs', input,
      '--inlineBundle',
      '--output', output,
      '--template', join(SRC, 'template.hbs'),
      '--title', page.title,
      `--templateOptions.api=${page.api}`,
      `--templateOptions.favicon=${faviconFor(page.api)}`,
    ],
    { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, maxBuffer: 16 * 1024 * 1024 },
  );
  writeFileSync(output, offline(readFileSync(output, 'utf8'), page.file));
}

/** Points the attribution images at inlined SVGs and refuses a page that would still leave the host. */
function offline(html: string, file: string): string {
  let result = html;
  for (const [url, svg] of Object.entries(ATTRIBUTION_IMAGES)) result = result.replaceAll(url, svgDataUri(readSvg(svg)));
  for (const pattern of FORBIDDEN_IN_OUTPUT) {
    const hit = pattern.exec(result);
    if (hit) throw new Error(`build-docs: ${file} still references an external resource (${hit[0]}); the page would not work offline.`);
  }
  return result;
}

/** The favicon is the logo's square mark: the first <rect> of the logo SVG and what is drawn on it. */
function faviconFor(api: DocsApi): string {
  const svg = readSvg(`logo-${api}.svg`).replace(/<text[\s\S]*?<\/text>/g, '').replace(/width="240" height="56" viewBox="0 0 240 56"/, 'width="56" height="56" viewBox="0 0 56 56"');
  return svgDataUri(svg);
}

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

function countOperations(doc: Json): number {
  return Object.values<Json>(doc.paths ?? {}).reduce(
    (sum, item) => sum + Object.values<Json>(item).filter((op) => op && typeof op === 'object' && 'operationId' in op).length,
    0,
  );
}

/** docs/src/index.html with `{{api.field}}` placeholders filled from the descriptions. */
function landingPage(docs: { page: DocsPage; doc: Json }[]): string {
  const values: Record<string, string> = { favicon: faviconFor('mvo') };
  for (const { page, doc } of docs) {
    values[`${page.api}.logo`] = doc.info['x-logo'].url;
    values[`${page.api}.title`] = escapeHtml(doc.info.title);
    values[`${page.api}.summary`] = escapeHtml(doc.info.summary ?? '');
    values[`${page.api}.version`] = escapeHtml(doc.info.version);
    values[`${page.api}.operations`] = String(countOperations(doc));
    const scopes = doc.components?.securitySchemes?.BearerAuth?.['x-scopes'];
    if (scopes) {
      values[`${page.api}.scopes`] = Object.entries<string>(scopes)
        .map(([scope, grants]) => `<code title="${escapeHtml(grants)}">${escapeHtml(scope)}</code>`)
        .join(' ');
    }
  }
  const template = readFileSync(join(SRC, 'index.html'), 'utf8');
  return template.replace(/\{\{([a-z]+(?:\.[a-z]+)?)\}\}/g, (match, key: string) => {
    if (!(key in values)) throw new Error(`build-docs: docs/src/index.html uses an unknown placeholder ${match}`);
    return values[key];
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const files = await buildDocs();
  console.log(`build-docs: ${files.map((file) => file.replace(ROOT, '')).join(', ')} (${Math.round(performance.now() - started)} ms)`);
}
