/**
 * `tsx scripts/build-docs.ts`: self-contained Redoc pages for MVO, TVM and the mock control API in docs/dist/,
 * a hand-made landing page, and `llms.txt` with one Markdown page per operation (docs/build/llms.ts).
 * Input is openapi/generated/*.yaml (already decorated: assumptions table, code samples). For the pages this
 * script adds our logo (`x-logo`, an inlined SVG), the TVM scope catalogue inside the Authentication section,
 * each operation's assumption ids (docs/build/assumptions.ts), and its script (docs/src/reference-page.ts: the
 * "Try it, locally" panels, table labels for narrow screens), bundled with esbuild and inlined with the "Try it"
 * manifest; it renders with `redocly build-docs --inlineBundle`
 * through docs/src/template.hbs (theme, favicon, CSP).
 *
 * Offline by construction: the one external request Redoc's inlined bundle still makes (the "API docs by
 * Redocly" attribution image on cdn.redoc.ly) is pointed at an inlined SVG, and the build fails if any
 * cdn.redoc.ly reference, web font or external <script src>/<link href> is left in a page.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { assumptionsByOperation } from '../docs/build/assumptions.ts';
import { llmsFiles } from '../docs/build/llms.ts';
import { staticReference } from '../docs/build/static-reference.ts';
import { mockServers, tryItManifest } from '../docs/build/try-it.ts';
import { DEFAULT_DOCS_PORT } from '../docs/serve.ts';
import { MANIFEST_ELEMENT_ID } from '../docs/src/try-it-manifest.ts';
import { eachOperation } from './code-samples.ts';
import { scopesTable } from './generate.ts';

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
const FORBIDDEN_IN_OUTPUT = [
  /cdn\.redoc\.ly/,
  /fonts\.(googleapis|gstatic)\.com/,
  /<script[^>]+src=["']https?:/i,
  /<link[^>]+href=["']https?:/i,
];

// ── Public functions ────────────────────────────────────────────────────────────────────────────────

export const svgDataUri = (svg: string) => `data:image/svg+xml;base64,${Buffer.from(svg.trim()).toString('base64')}`;

export const readSvg = (name: string) => readFileSync(join(SRC, name), 'utf8');

export const generatedDescription = (api: DocsApi): Json =>
  parse(readFileSync(join(ROOT, `openapi/generated/${api}.yaml`), 'utf8'));

/**
 * The generated description as the reference page shows it: our logo, the TVM scope catalogue at the end of the
 * Authentication section (where its prose says it is), and under each operation the assumptions that affect it.
 */
export function docsDescription(page: DocsPage): Json {
  const doc = generatedDescription(page.api);
  doc.info['x-logo'] = { url: svgDataUri(readSvg(`logo-${page.api}.svg`)), altText: page.logoAlt, href: 'index.html' };
  if (Object.values<Json>(doc.components?.securitySchemes ?? {}).some((scheme) => scheme['x-scopes'])) {
    doc.info.description = withScopeCatalogue(doc.info.description, scopesTable(doc));
  }
  const assumptions = assumptionsByOperation(doc);
  for (const { op } of eachOperation(doc)) {
    const affecting = assumptions.get(op.operationId) ?? [];
    if (affecting.length) op.description = `${(op.description ?? '').trimEnd()}\n\n${assumptionLinks(affecting)}\n`;
  }
  return doc;
}

/** Builds every page into `outDir` (docs/dist by default). Returns the files written, in build order. */
export async function buildDocs({ outDir = DEFAULT_OUT_DIR }: { outDir?: string } = {}): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'build-docs-'));
  try {
    const docs = DOCS_PAGES.map((page) => ({ page, doc: docsDescription(page) }));
    const [pageScript, landingScript] = await Promise.all([bundle('reference-page.ts'), bundle('landing.ts')]);
    const mockDoc = generatedDescription('mock');
    const llms = llmsFiles(
      DOCS_PAGES.map((page) => ({ api: page.api, doc: generatedDescription(page.api), html: page.file })),
    );
    const bundles = await Promise.all(
      docs.map(({ page, doc }) =>
        renderPage(page, doc, work, outDir, {
          scripts: pageScripts(tryItManifest(page.api, generatedDescription(page.api), mockDoc), pageScript),
          noscript: staticReference(page.api, generatedDescription(page.api), llms, page.file),
        }),
      ),
    );
    const redocFile = writeSharedBundle(outDir, bundles);
    writeFileSync(join(outDir, 'index.html'), landingPage(docs, mockDoc, landingScript));
    for (const [path, content] of llms) {
      mkdirSync(dirname(join(outDir, path)), { recursive: true });
      writeFileSync(join(outDir, path), content);
    }
    // The OpenAPI files themselves, next to the pages that link to them (`/mvo.yaml`).
    const specs = DOCS_PAGES.map((page) => join(outDir, `${page.api}.yaml`));
    for (const page of DOCS_PAGES)
      writeFileSync(join(outDir, `${page.api}.yaml`), readFileSync(join(ROOT, `openapi/generated/${page.api}.yaml`)));
    return [
      ...DOCS_PAGES.map((page) => join(outDir, page.file)),
      redocFile,
      ...specs,
      join(outDir, 'index.html'),
      ...[...llms.keys()].map((path) => join(outDir, path)),
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ── Private functions ───────────────────────────────────────────────────────────────────────────────

/** The TVM Authentication section's prose points to the scope catalogue: the table goes at the section's end. */
function withScopeCatalogue(description: string, table: string): string {
  const start = description.search(/^## Authentication\s*$/m);
  if (start === -1)
    throw new Error('build-docs: the description has scopes but no "## Authentication" section to show them in');
  const next = description.slice(start + 1).search(/^## /m);
  const end = next === -1 ? description.length : start + 1 + next;
  // No heading of its own: Redoc would make it a section of its own, outside Authentication.
  return `${description.slice(0, end).trimEnd()}\n\n**The scope catalogue:**\n\n${table}\n\n${description.slice(end)}`;
}

/** One line under an operation: each assumption id links to the table, its decision in the link's title. */
function assumptionLinks(assumptions: { id: string; decision: string }[]): string {
  const title = (text: string) => text.replaceAll('`', '').replaceAll('"', "'").replace(/\s+/g, ' ');
  return `**Assumptions:** ${assumptions.map(({ id, decision }) => `[${id}](#section/assumptions "${title(decision)}")`).join(', ')} (where the published docs are silent; see the table).`;
}

/** A browser script of docs/src, bundled into one IIFE (no module loader, no request of its own). */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(SRC, entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text.trim();
}

/** JSON inside a <script> element: `<` escaped so no text of the spec can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

/** A script's text inlined in a <script> element (it must not close the element early). */
const inlineScript = (script: string) => script.replaceAll('</script', '<\\/script');

function pageScripts(manifest: unknown, script: string): string {
  return `<script type="application/json" id="${MANIFEST_ELEMENT_ID}">${scriptJson(manifest)}</script>\n<script>${inlineScript(script)}</script>`;
}

/**
 * Renders one page with Redoc, then takes Redoc's library out of it (the same for every page, so the browser
 * fetches and caches it once: see `writeSharedBundle`), and adds our scripts and the static reference for readers
 * without JavaScript. Returns the library's text.
 */
async function renderPage(
  page: DocsPage,
  doc: Json,
  work: string,
  outDir: string,
  { scripts, noscript }: { scripts: string; noscript: string },
): Promise<string> {
  const input = join(work, `${page.api}.json`);
  const output = join(outDir, page.file);
  writeFileSync(input, JSON.stringify(doc));
  await run(
    REDOCLY,
    [
      'build-docs',
      input,
      '--inlineBundle',
      '--output',
      output,
      '--template',
      join(SRC, 'template.hbs'),
      '--title',
      page.title,
      `--templateOptions.api=${page.api}`,
      `--templateOptions.favicon=${faviconFor(page.api)}`,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const { html, library } = withoutLibrary(offline(readFileSync(output, 'utf8'), page.file), page.file);
  // The last </body>: Redoc's inlined bundle holds the string too.
  const end = html.lastIndexOf('</body>');
  if (end === -1) throw new Error(`build-docs: ${page.file} has no </body> to put our script before`);
  writeFileSync(output, `${html.slice(0, end)}<noscript>${noscript}</noscript>\n${scripts}\n${html.slice(end)}`);
  return library;
}

/** Redoc's inlined library ends its module script with this export; what follows is the page's own state. */
const LIBRARY_EXPORT = 'export{RedocStandalone,hydrate,init};';
/** The global the shared file sets: a classic script, so the pages also work opened from disk (file://). */
const LIBRARY_GLOBAL = '__vcRedoc';
const LIBRARY_PLACEHOLDER = '__VC_REDOC_FILE__';

/**
 * Splits Redoc's inlined module script into the library (returned, to be written once for all pages) and the
 * page's definition and options, which now take `hydrate` from the shared file's global.
 */
function withoutLibrary(html: string, file: string): { html: string; library: string } {
  const start = html.indexOf('<script type="module">');
  const exported = html.indexOf(LIBRARY_EXPORT, start);
  if (start === -1 || exported === -1)
    throw new Error(
      `build-docs: ${file}: Redoc's inlined library (ending in ${LIBRARY_EXPORT}) was not found; did Redoc's output change?`,
    );
  const code = html.slice(start + '<script type="module">'.length, exported);
  const declaration = 'const{RedocStandalone,hydrate,init}=';
  if (!code.includes(declaration))
    throw new Error(`build-docs: ${file}: Redoc's library no longer starts with ${declaration}`);
  // A classic script cannot say `import.meta`; the two places that do only build a Node or web worker's URL.
  const library = code
    .replace(declaration, `window.${LIBRARY_GLOBAL}=`)
    .replace(/(?<!["'`])import\.meta\.(url|dirname)/g, '({url:location.href,dirname:""}).$1');
  const page = `<script defer src="${LIBRARY_PLACEHOLDER}"></script>\n<script type="module">const{hydrate}=window.${LIBRARY_GLOBAL};`;
  return { html: `${html.slice(0, start)}${page}${html.slice(exported + LIBRARY_EXPORT.length)}`, library };
}

/** Writes Redoc's library once, named by its hash (so it may be cached for good), and points each page at it. */
function writeSharedBundle(outDir: string, libraries: string[]): string {
  if (new Set(libraries).size !== 1)
    throw new Error("build-docs: Redoc's library differs between pages; it cannot be shared");
  const name = `redoc-${createHash('sha256').update(libraries[0]).digest('hex').slice(0, 16)}.js`;
  for (const stale of readdirSync(outDir).filter((entry) => /^redoc-[0-9a-f]{16}\.js$/.test(entry) && entry !== name))
    rmSync(join(outDir, stale));
  writeFileSync(join(outDir, name), libraries[0]);
  for (const page of DOCS_PAGES) {
    const path = join(outDir, page.file);
    writeFileSync(path, readFileSync(path, 'utf8').replace(LIBRARY_PLACEHOLDER, name));
  }
  return join(outDir, name);
}

/** Points the attribution images at inlined SVGs and refuses a page that would still leave the host. */
function offline(html: string, file: string): string {
  let result = html;
  for (const [url, svg] of Object.entries(ATTRIBUTION_IMAGES))
    result = result.replaceAll(url, svgDataUri(readSvg(svg)));
  for (const pattern of FORBIDDEN_IN_OUTPUT) {
    const hit = pattern.exec(result);
    if (hit)
      throw new Error(
        `build-docs: ${file} still references an external resource (${hit[0]}); the page would not work offline.`,
      );
  }
  return result;
}

/** The favicon is the logo's square mark: the first <rect> of the logo SVG and what is drawn on it. */
function faviconFor(api: DocsApi): string {
  const svg = readSvg(`logo-${api}.svg`)
    .replace(/<text[\s\S]*?<\/text>/g, '')
    .replace(/width="240" height="56" viewBox="0 0 240 56"/, 'width="56" height="56" viewBox="0 0 56 56"');
  return svgDataUri(svg);
}

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

function countOperations(doc: Json): number {
  return Object.values<Json>(doc.paths ?? {}).reduce(
    (sum, item) =>
      sum + Object.values<Json>(item).filter((op) => op && typeof op === 'object' && 'operationId' in op).length,
    0,
  );
}

/**
 * docs/src/index.html with `{{api.field}}` placeholders filled from the descriptions. The addresses start as
 * `npm start`'s defaults (the mocks' from the control API's servers); its script (allowed by a CSP hash) shows
 * the ones the docs server reports.
 */
function landingPage(docs: { page: DocsPage; doc: Json }[], mockDoc: Json, script: string): string {
  const landingScript = inlineScript(script);
  const values: Record<string, string> = {
    favicon: faviconFor('mvo'),
    'landing.script': landingScript,
    'landing.hash': `sha256-${createHash('sha256').update(landingScript).digest('base64')}`,
    'origin.docs': `http://127.0.0.1:${DEFAULT_DOCS_PORT}`,
  };
  for (const { api, url } of mockServers(mockDoc)) values[`origin.${api}`] = url;
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
  const markdown = files.filter((file) => file.endsWith('.md')).length;
  const others = files.filter((file) => !file.endsWith('.md')).map((file) => file.replace(`${DEFAULT_OUT_DIR}/`, ''));
  console.log(
    `build-docs: docs/dist/ ${others.join(', ')} and ${markdown} Markdown pages (${Math.round(performance.now() - started)} ms)`,
  );
}
