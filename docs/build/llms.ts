/**
 * `llms.txt` (https://llmstxt.org) and one Markdown page per operation, for readers that cannot run the
 * JavaScript of a Redoc page (AI assistants, terminals). Everything is read from the generated descriptions;
 * the pages are written next to the HTML references by scripts/build-docs.ts and served by docs/serve.ts.
 *
 *   llms.txt                 both APIs and the control API, every operation with a one-line description
 *   llms-full.txt            llms.txt followed by every page it links, in one file
 *   {api}/index.md           an API's overview: its description (authentication, errors, assumptions table)
 *   {api}/{operationId}.md   method, path, hosts, header and scope, parameters, body fields with limits,
 *                            every documented response with its examples, the assumptions, curl and SDK samples
 */
import { STATUS_CODES } from 'node:http';
import { resolveRef } from '../../scripts/code-samples.ts';
import { type OperationFacts, operationFacts } from './operations.ts';

// ── Public types ────────────────────────────────────────────────────────────────────────────────────

type Json = Record<string, any>;

export type LlmsApi = { api: string; doc: Json; html: string };

// ── Public functions ────────────────────────────────────────────────────────────────────────────────

/** The Markdown page of one operation, relative to the docs root. */
export const operationPage = (api: string, operationId: string) => `${api}/${operationId}.md`;
export const overviewPage = (api: string) => `${api}/index.md`;

/** Every file (path relative to the docs root → content): llms.txt, the overviews and the operation pages. */
export function llmsFiles(apis: LlmsApi[]): Map<string, string> {
  const files = new Map<string, string>();
  files.set('llms.txt', llmsTxt(apis));
  const full = [
    llmsTxt(apis).replace(/\n+$/, ''),
    '',
    'What follows is every page linked above, in order, each starting with its path.',
  ];
  for (const { api, doc, html } of apis) {
    const pages: [string, string][] = [[overviewPage(api), overviewMarkdown(doc, html)]];
    for (const facts of operationFacts(doc))
      pages.push([operationPage(api, facts.operationId), operationMarkdown(doc, facts)]);
    for (const [path, text] of pages) {
      files.set(path, text);
      // One heading level down, under a heading naming the page, so the whole stays one outline.
      full.push('', `# ${path}`, '', demoteHeadings(text).trimEnd());
    }
  }
  files.set('llms-full.txt', `${full.join('\n')}\n`);
  return files;
}

export function llmsTxt(apis: LlmsApi[]): string {
  const sections = apis.map(({ api, doc, html }) => {
    const lines = operationFacts(doc).map(
      (facts) =>
        `- [${facts.summary}](${operationPage(api, facts.operationId)}): \`${facts.method} ${facts.path}\`. ${oneLine(facts.description)}`,
    );
    return [
      `## ${doc.info.title} (${doc.info.version})`,
      '',
      `${oneLine(doc.info.summary ?? '')} Overview: [${overviewPage(api)}](${overviewPage(api)}); HTML reference: [${html}](${html}).`,
      '',
      ...lines,
    ].join('\n');
  });
  return [
    '# Virtual Commerce APIs',
    '',
    '> Reference for the My Virtual Office (MVO) and The Virtual Mall (TVM) REST APIs, and for the control API of their local mock servers. Generated from the OpenAPI contract; every link is a Markdown page.',
    '',
    'Each operation page gives the method, path and host, the header that carries the key and the scope it needs, the parameters, the body fields with their limits, every documented response with its example, the assumptions this contract makes where the published docs are silent, and a curl and an SDK (TypeScript) sample.',
    '',
    sections.join('\n\n'),
    '',
  ].join('\n');
}

export function overviewMarkdown(doc: Json, html: string): string {
  const operations = operationFacts(doc).map(
    (facts) => `- [${facts.summary}](${facts.operationId}.md): \`${facts.method} ${facts.path}\``,
  );
  return [
    `# ${doc.info.title} (${doc.info.version})`,
    '',
    ...(doc.info.summary ? [`> ${oneLine(doc.info.summary)}`, ''] : []),
    `Servers: ${(doc.servers ?? []).map((server: Json) => `\`${server.url}\`${server.description ? ` (${server.description})` : ''}`).join(', ')}. HTML reference: [${html}](../${html}). All APIs: [llms.txt](../llms.txt).`,
    '',
    demoteHeadings(doc.info.description ?? '').trim(),
    '',
    '## Operations',
    '',
    ...operations,
    '',
  ].join('\n');
}

export function operationMarkdown(doc: Json, facts: OperationFacts): string {
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);
  push(
    `# ${facts.summary}`,
    '',
    `\`${facts.method} ${facts.path}\` · ${doc.info.title} ${doc.info.version} · operationId \`${facts.operationId}\``,
    '',
  );
  if (facts.description) push(demoteHeadings(facts.description), '');
  push(
    '## Host',
    '',
    ...facts.servers.map(
      (server) => `- \`${server.url}${facts.path}\`${server.description ? ` (${server.description})` : ''}`,
    ),
    '',
  );

  push('## Authentication', '');
  if (!facts.credential) push('No credential: this API needs no key.', '');
  else push(...authenticationLines(doc, facts), '');

  if (facts.parameters.length) {
    push('## Parameters', '', '| Name | In | Type | Required | Limits | Description |', '|---|---|---|---|---|---|');
    for (const param of facts.parameters) {
      const limits = limitsOf(doc, param.schema);
      if (param.example !== undefined) limits.push(`example: \`${JSON.stringify(param.example)}\``);
      push(
        `| \`${param.name}\` | ${param.in} | ${typeOf(doc, param.schema)} | ${param.required ? 'yes' : 'no'} | ${cell(limits.join('; '))} | ${cell(param.description ?? '')} |`,
      );
    }
    push('');
  }

  if (facts.body) {
    push(`## Request body (\`${facts.body.contentType}\`${facts.body.required ? ', required' : ''})`, '');
    const rows = fieldRows(doc, facts.body.schema);
    if (rows.length) {
      push('| Field | Type | Required | Limits | Description |', '|---|---|---|---|---|');
      for (const row of rows)
        push(
          `| \`${row.name}\` | ${row.type} | ${row.required ? 'yes' : 'no'} | ${cell(row.limits.join('; '))} | ${cell(row.description)} |`,
        );
      push('');
    }
    const rules = schemaRules(doc, facts.body.schema);
    if (rules.length) push(...rules.map((rule) => `- ${rule}`), '');
    if (facts.body.example !== undefined)
      push('Example:', '', fence('json', JSON.stringify(facts.body.example, null, 2)), '');
  }

  push('## Responses', '');
  const headers = new Map(
    facts.responses.flatMap((response) => response.headers.map((header) => [header.name, header.description] as const)),
  );
  if (headers.size)
    push(
      'Response headers:',
      '',
      ...[...headers].map(([name, description]) => `- \`${name}\`${description ? `: ${oneLine(description)}` : ''}`),
      '',
    );
  for (const response of facts.responses) {
    push(
      `### ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trimEnd(),
      '',
      response.description || '(no description)',
      '',
    );
    if (response.headers.length)
      push(`Headers: ${response.headers.map((header) => `\`${header.name}\``).join(', ')}.`, '');
    // The fields of a success body (an error body's are the API's envelope, in the overview's error table).
    const fields = response.status.startsWith('2') && response.schema ? fieldRows(doc, response.schema) : [];
    if (fields.length) {
      push('| Field | Type | Always present | Description |', '|---|---|---|---|');
      for (const row of fields)
        push(
          `| \`${row.name}\` | ${row.type} | ${row.required ? 'yes' : 'no'} | ${cell([row.description, ...row.limits].filter(Boolean).join(' '))} |`,
        );
      push('');
    }
    for (const example of response.examples) {
      const label = example.summary ?? example.name;
      push(
        response.examples.length > 1 ? `Example "${label}":` : 'Example:',
        '',
        fence('json', JSON.stringify(example.value, null, 2)),
        '',
      );
    }
  }

  push('## Assumptions', '');
  if (!facts.assumptions.length) push('None: the published docs settle everything this operation does.', '');
  // One line each: the id (linked to its row of the overview's table) and the decision's first sentence.
  for (const assumption of facts.assumptions)
    push(`- [${assumption.id}](index.md#${assumption.id.toLowerCase()}): ${oneLine(assumption.decision)}`);
  if (facts.assumptions.length)
    push('', `What the published docs leave open, and the whole decision: [index.md](index.md#assumptions).`, '');

  push('## Samples', '');
  for (const sample of facts.samples) {
    push(
      `### ${sample.label === 'TypeScript' ? 'TypeScript (SDK)' : sample.label}`,
      '',
      fence(sample.lang === 'curl' ? 'bash' : 'ts', sample.source),
      '',
    );
  }
  return `${out.join('\n').trimEnd()}\n`;
}

// ── Private types ───────────────────────────────────────────────────────────────────────────────────

type FieldRow = { name: string; type: string; required: boolean; limits: string[]; description: string };

// ── Private functions ───────────────────────────────────────────────────────────────────────────────

function authenticationLines(doc: Json, facts: OperationFacts): string[] {
  const credential = facts.credential!;
  const scheme = doc.components.securitySchemes[credential.schemeName];
  const placeholder = scheme.bearerFormat ?? resolveRef(doc, scheme['x-key-format'])?.description;
  const lines = [
    `Header: \`${credential.header}: ${credential.valuePrefix}<key>\`${placeholder ? ` (key: ${oneLine(placeholder)})` : ''}.`,
  ];
  const alternatives = credential.alternatives.map((other) => `\`${other.header}: ${other.valuePrefix}<key>\``);
  if (alternatives.length) lines.push(`Also accepted: ${alternatives.join(', ')}.`);
  if (credential.scopes.length) {
    const admin = scheme['x-admin-scope'];
    lines.push(
      `Required scope: ${credential.scopes.map((scope) => `\`${scope}\``).join(' or ')}${admin ? ` (an admin key's \`${admin}\` grants every scope)` : ''}.`,
    );
  }
  const statuses = facts.responses.map((response) => response.status);
  const answers = [
    statuses.includes('401') && 'a missing or invalid key answers 401',
    statuses.includes('403') && 'a key that may not call this operation answers 403',
  ].filter(Boolean);
  if (answers.length) lines.push(`${capitalise(answers.join('; '))} (examples under Responses).`);
  return lines;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The first sentence of a Markdown text, on one line. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/(?<!\b(?:e\.g|i\.e))[.!?](?=\s+[A-Z]|$)/);
  return end === -1 ? flat : flat.slice(0, end + 1);
}

const cell = (text: string) => text.replace(/\s+/g, ' ').replaceAll('|', '\\|').trim();

const fence = (lang: string, source: string) => `\`\`\`${lang}\n${source}\n\`\`\``;

/** An embedded description's headings go one level down, under the page's own `#` and `##`. */
const demoteHeadings = (markdown: string) => markdown.replace(/^(#{1,5}) /gm, '$1# ');

/** The schema with `allOf` parts merged (properties, required and limits), `$ref`s followed. */
function merged(doc: Json, raw: unknown): Json {
  const schema = resolveRef(doc, raw) ?? {};
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map((part: unknown) => merged(doc, part));
  const { allOf: _allOf, ...own } = schema;
  return Object.assign({}, ...parts, own, {
    properties: Object.assign({}, ...parts.map((part: Json) => part.properties ?? {}), own.properties ?? {}),
    required: [...parts.flatMap((part: Json) => part.required ?? []), ...(own.required ?? [])],
  });
}

function typeOf(doc: Json, raw: unknown): string {
  const schema = merged(doc, raw);
  const alternatives = schema.oneOf ?? schema.anyOf;
  // Alternatives that only narrow the schema's own type (`type: string` + `anyOf: [{format: date}, …]`) keep it.
  if (alternatives && !schema.type) return alternatives.map((part: unknown) => typeOf(doc, part)).join(' or ');
  const types: string[] = Array.isArray(schema.type)
    ? schema.type
    : schema.type
      ? [schema.type]
      : schema.properties
        ? ['object']
        : [];
  return types.map((type) => (type === 'array' ? `array of ${typeOf(doc, schema.items)}` : type)).join(' or ') || 'any';
}

/** What a value must satisfy, in words: format, length, range, pattern, allowed values, default. */
function limitsOf(doc: Json, raw: unknown): string[] {
  const schema = merged(doc, raw);
  const limits: string[] = [];
  if (schema.format) limits.push(`format ${schema.format}`);
  if (schema.minLength !== undefined)
    limits.push(`at least ${schema.minLength} character${schema.minLength === 1 ? '' : 's'}`);
  if (schema.maxLength !== undefined) limits.push(`at most ${schema.maxLength} characters`);
  if (schema.minimum !== undefined) limits.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) limits.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) limits.push(`≤ ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) limits.push(`< ${schema.exclusiveMaximum}`);
  if (schema.minItems !== undefined) limits.push(`at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
  if (schema.maxItems !== undefined) limits.push(`at most ${schema.maxItems} items`);
  if (schema.minProperties !== undefined)
    limits.push(`at least ${schema.minProperties} field${schema.minProperties === 1 ? '' : 's'}`);
  if (schema.pattern) limits.push(`pattern \`${schema.pattern}\``);
  if (schema.enum)
    limits.push(`one of ${schema.enum.map((value: unknown) => `\`${JSON.stringify(value)}\``).join(', ')}`);
  if (schema.const !== undefined) limits.push(`always \`${JSON.stringify(schema.const)}\``);
  if (schema.default !== undefined) limits.push(`default \`${JSON.stringify(schema.default)}\``);
  const alternatives = (schema.oneOf ?? schema.anyOf ?? []).map((part: unknown) => ({
    type: typeOf(doc, part),
    limits: limitsOf(doc, part),
  }));
  const described = alternatives.filter((part: { limits: string[] }) => part.limits.length);
  if (described.length) {
    const words = described.map((part: { type: string; limits: string[] }) =>
      part.type === 'any' ? part.limits.join(', ') : `${part.type}: ${part.limits.join(', ')}`,
    );
    limits.push(`either ${words.join(' or ')}`);
  }
  return limits;
}

/** Rules of the body as a whole that no single field carries (`minProperties`, `additionalProperties: false`). */
function schemaRules(doc: Json, raw: unknown): string[] {
  const schema = merged(doc, raw);
  const rules: string[] = [];
  if (schema.minProperties !== undefined)
    rules.push(`Send at least ${schema.minProperties} field${schema.minProperties === 1 ? '' : 's'}.`);
  if (schema.additionalProperties === false) rules.push('Fields not listed here are refused.');
  return rules;
}

/** One row per field, nested objects and arrays of objects as dotted names (`address_data.city`, `items[].id`). */
function fieldRows(doc: Json, raw: unknown, prefix = '', depth = 0): FieldRow[] {
  const schema = merged(doc, raw);
  if (depth > 4) return [];
  const required: string[] = schema.required ?? [];
  return Object.entries<Json>(schema.properties ?? {}).flatMap(([name, rawProperty]) => {
    const property = merged(doc, rawProperty);
    const row: FieldRow = {
      name: `${prefix}${name}`,
      type: typeOf(doc, property),
      required: required.includes(name),
      limits: limitsOf(doc, property),
      description: property.description ?? '',
    };
    // An object (or an object-or-null written as oneOf) lists its fields; an array of objects its items' fields.
    const object = [
      property,
      ...(property.oneOf ?? property.anyOf ?? []).map((part: unknown) => merged(doc, part)),
    ].find((candidate) => candidate.properties);
    const items = property.items ? merged(doc, property.items) : undefined;
    if (object) return [row, ...fieldRows(doc, object, `${prefix}${name}.`, depth + 1)];
    if (items?.properties) return [row, ...fieldRows(doc, items, `${prefix}${name}[].`, depth + 1)];
    return [row];
  });
}
