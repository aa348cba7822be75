/**
 * The reference as plain HTML, for readers without JavaScript (text browsers, `curl | less`, search engines,
 * locked-down browsers): the Markdown pages of docs/build/llms.ts (the overview and one page per operation)
 * rendered with markdown-it into one document with its own table of contents and in-page anchors. The
 * reference page puts it in a <noscript> element, so Redoc's page is unchanged when JavaScript runs, and its
 * head hides Redoc's server-rendered shell (whose sidebar links need JavaScript) when it does not.
 *
 * Nothing is written twice: the HTML is the Markdown pages, rendered; only links between them become anchors.
 *
 * Anchors: `#overview`, a section of the overview `#section-<slug>` (`#section-errors`), an assumption
 * `#assumption-<id>` (`#assumption-tvm-a21`), an operation `#operation-<operationId>`.
 */
import MarkdownIt from 'markdown-it';
import { URL_LIKE } from '../src/whole-urls.ts';
import { operationFacts } from './operations.ts';
import { operationPage, overviewPage } from './llms.ts';

type Json = Record<string, any>;

export const operationAnchor = (operationId: string) => `operation-${operationId}`;
export const sectionAnchor = (heading: string) => `section-${slug(heading)}`;
export const assumptionAnchor = (id: string) => `assumption-${id.toLowerCase()}`;

/** The static reference of one API: a <nav> and an <article> per Markdown page, headings with unique ids. */
export function staticReference(api: string, doc: Json, markdown: Map<string, string>, html: string): string {
  const operations = operationFacts(doc);
  const overview = markdown.get(overviewPage(api));
  if (!overview) throw new Error(`static reference: no ${overviewPage(api)}`);
  // The overview's own sections (the description's, one level down under the page title) and its operation list.
  const sections = [...overview.matchAll(/^#{2,3} (.+)$/gm)].map(([, heading]) => heading);
  const byTag = new Map<string, typeof operations>();
  for (const facts of operations)
    byTag.set(facts.tag ?? 'Operations', [...(byTag.get(facts.tag ?? 'Operations') ?? []), facts]);
  const nav = [
    `<nav class="vc-static-nav" aria-label="Contents"><p><a href="index.html">All APIs</a> · <a href="${escapeHtml(`${api}.yaml`)}">OpenAPI file (${escapeHtml(api)}.yaml)</a> · <a href="llms.txt">llms.txt</a></p><ul>`,
    `<li><a href="#overview">${escapeHtml(doc.info.title)}</a><ul>${sections.map((heading) => `<li><a href="#${sectionAnchor(heading)}">${inline(heading)}</a></li>`).join('')}</ul></li>`,
    ...[...byTag].map(
      ([tag, list]) =>
        `<li>${escapeHtml(tag)}<ul>${list.map((facts) => `<li><a href="#${operationAnchor(facts.operationId)}"><code>${facts.method}</code> ${escapeHtml(facts.summary)}</a></li>`).join('')}</ul></li>`,
    ),
    '</ul></nav>',
  ].join('');
  const articles = [
    article('overview', render(api, overview, 'section-', true)),
    ...operations.map((facts) => {
      const page = markdown.get(operationPage(api, facts.operationId));
      if (!page) throw new Error(`static reference: no ${operationPage(api, facts.operationId)}`);
      return article(
        operationAnchor(facts.operationId),
        render(api, page, `${operationAnchor(facts.operationId)}-`, false),
      );
    }),
  ];
  return `<div class="vc-static" data-api="${escapeHtml(api)}" data-html="${escapeHtml(html)}">${nav}<main class="vc-static-main">${articles.join('\n')}</main></div>`;
}

// ── Private functions ───────────────────────────────────────────────────────────────────────────────

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]+>|[`*_]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
}

const article = (id: string, body: string) => `<article id="${id}" class="vc-static-article">${body}</article>`;

const inlineRenderer = new MarkdownIt({ html: false, linkify: false });
const inline = (text: string) => inlineRenderer.renderInline(text);

/**
 * One Markdown page as HTML. Headings get ids: the overview's second-level ones `section-<slug>`, others
 * `<prefix><slug>`; the first-level heading is the article's own. Links to other pages of the same API become
 * in-page anchors; links to the docs root (`../llms.txt`) lose their `../`.
 */
function render(api: string, markdown: string, prefix: string, isOverview: boolean): string {
  const md = new MarkdownIt({ html: false, linkify: false });
  const seen = new Map<string, number>();
  md.core.ruler.push('vc-anchors', (state) => {
    // Each table cell carries its column's name, for the one-card-per-row layout of narrow screens (template.hbs).
    let labels: string[] = [];
    let column = 0;
    for (const [index, token] of state.tokens.entries()) {
      if (token.type === 'thead_open') labels = [];
      if (token.type === 'th_open') labels.push(state.tokens[index + 1].content.replace(/[`*]/g, ''));
      if (token.type === 'tr_open') column = 0;
      if (token.type === 'td_open') token.attrSet('data-label', labels[column++] ?? '');
      if (token.type === 'heading_open' && token.tag !== 'h1') {
        const text = state.tokens[index + 1].content;
        const base =
          isOverview && (token.tag === 'h2' || token.tag === 'h3') ? sectionAnchor(text) : `${prefix}${slug(text)}`;
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        token.attrSet('id', count ? `${base}-${count + 1}` : base);
      }
      for (const child of token.children ?? []) {
        if (child.type === 'link_open') child.attrSet('href', localHref(api, child.attrGet('href') ?? ''));
      }
    }
  });
  // An assumption row gets its own anchor: the first cell of a table whose text is an assumption id.
  return (
    md
      .render(markdown)
      .replace(
        /<td( data-label="[^"]*")>([A-Z]+-A\d+)<\/td>/g,
        (_cell, label: string, id: string) => `<td${label} id="${assumptionAnchor(id)}">${id}</td>`,
      )
      // As the pages' script does with JavaScript: a URL in inline code stays whole (template.hbs, `.vc-url`).
      .replace(/<code>([^<]{1,48})<\/code>/g, (whole, text: string) =>
        URL_LIKE.test(text) ? `<code class="vc-url">${text}</code>` : whole,
      )
  );
}

function localHref(api: string, href: string): string {
  if (/^[a-z]+:/i.test(href) || href.startsWith('#')) return href;
  const [path, hash] = href.split('#');
  if (path === 'index.md' || (path === '' && hash)) {
    if (!hash) return '#overview';
    if (/^[a-z]+-a\d+$/.test(hash)) return `#${assumptionAnchor(hash)}`;
    return `#${sectionAnchor(hash)}`;
  }
  const page = /^([A-Za-z0-9]+)\.md$/.exec(path);
  if (page) return `#${operationAnchor(page[1])}`;
  return path.startsWith('../') ? href.slice(3) : `${api}/${href}`;
}
