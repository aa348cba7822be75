/**
 * docs/build/llms.ts: llms.txt links every operation of the three descriptions to its Markdown page, and each
 * page carries what the issue asks of it, checked against the spec (not against the generator's own helpers).
 */
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { llmsFiles } from '../../docs/build/llms.ts';

type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const load = (api: string): Json =>
  parse(readFileSync(new URL(`../../openapi/generated/${api}.yaml`, import.meta.url), 'utf8'));
const apis = ['mvo', 'tvm', 'mock'].map((api) => ({ api, doc: load(api), html: `${api}.html` }));
const files = llmsFiles(apis);
const llms = files.get('llms.txt')!;

function resolve(doc: Json, value: any): any {
  return value?.$ref
    ? resolve(
        doc,
        value.$ref
          .slice(2)
          .split('/')
          .reduce((node: any, key: string) => node?.[key], doc),
      )
    : value;
}

const operations = apis.flatMap(({ api, doc }) =>
  Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      api,
      doc,
      path,
      item,
      method: method.toUpperCase(),
      op: item[method] as Json,
    })),
  ),
);

describe('llms-full.txt', () => {
  it('is llms.txt followed by every page it links, each under its path', () => {
    const full = files.get('llms-full.txt')!;
    expect(full.startsWith(llms.trimEnd())).toBe(true);
    for (const path of files.keys()) if (path.endsWith('.md')) expect(full).toContain(`\n# ${path}\n`);
  });
});

describe('llms.txt', () => {
  it('starts as llmstxt.org asks: a title and a summary quote', () => {
    expect(llms).toMatch(/^# .+\n\n> .+/);
  });

  it('has a section per API, linking its overview and its HTML reference', () => {
    for (const { api, doc } of apis) {
      expect(llms).toContain(`## ${doc.info.title} (${doc.info.version})`);
      expect(llms).toContain(`(${api}/index.md)`);
      expect(llms).toContain(`(${api}.html)`);
    }
  });

  it.each(operations.map((operation) => [`${operation.api} ${operation.op.operationId}`, operation] as const))(
    'lists %s with a one-line description and its page',
    (_, { api, method, path, op }) => {
      const line = llms
        .split('\n')
        .find((candidate) => candidate.startsWith(`- [${op.summary}](${api}/${op.operationId}.md)`));
      expect(line).toBeDefined();
      expect(line).toContain(`\`${method} ${path}\``);
      expect(line!.length).toBeGreaterThan(
        `- [${op.summary}](${api}/${op.operationId}.md): \`${method} ${path}\`. `.length,
      );
      expect(files.has(`${api}/${op.operationId}.md`)).toBe(true);
    },
  );

  it('links nothing that is not generated', () => {
    for (const [, target] of llms.matchAll(/\]\(([^)]+)\)/g))
      expect(files.has(target) || target.endsWith('.html'), target).toBe(true);
  });
});

describe.each(operations.map((operation) => [`${operation.api} ${operation.op.operationId}`, operation] as const))(
  '%s.md',
  (_, { api, doc, path, item, method, op }) => {
    const page = files.get(`${api}/${op.operationId}.md`)!;

    it('names the method, path and every host', () => {
      expect(page).toContain(`\`${method} ${path}\``);
      for (const server of op.servers ?? item.servers ?? doc.servers)
        expect(page).toContain(`\`${server.url}${path}\``);
    });

    it('says which header carries the key and which scope is needed', () => {
      const requirement = (op.security ?? doc.security ?? [])[0];
      if (!requirement || !Object.keys(requirement).length) return expect(page).toContain('No credential');
      const [schemeName, scopes] = Object.entries<string[]>(requirement)[0];
      const scheme = doc.components.securitySchemes[schemeName];
      expect(page).toContain(scheme.type === 'http' ? '`Authorization: Bearer <key>`' : `\`${scheme.name}: <key>\``);
      for (const scope of scopes) expect(page).toContain(`Required scope: \`${scope}\``);
    });

    it('lists the parameters and the body fields with their limits', () => {
      for (const raw of op.parameters ?? []) expect(page).toContain(`| \`${resolve(doc, raw).name}\` |`);
      const schema = resolve(doc, resolve(doc, op.requestBody)?.content?.['application/json']?.schema);
      for (const [name, rawProperty] of Object.entries<Json>(schema?.properties ?? {})) {
        const property = resolve(doc, rawProperty);
        const row = page.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
        expect(row, name).toBeDefined();
        if (property.maxLength !== undefined) expect(row).toContain(`at most ${property.maxLength} characters`);
        if (property.minimum !== undefined) expect(row).toContain(`≥ ${property.minimum}`);
        for (const value of property.enum ?? []) expect(row).toContain(`\`${JSON.stringify(value)}\``);
      }
    });

    it('shows every documented response with every example', () => {
      for (const [status, raw] of Object.entries<Json>(op.responses)) {
        expect(page).toContain(`### ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd());
        const media = resolve(doc, raw).content?.['application/json'];
        for (const example of Object.values<Json>(media?.examples ?? {}))
          expect(page).toContain(JSON.stringify(resolve(doc, example).value, null, 2));
      }
    });

    it('carries the code samples as they are in the spec', () => {
      for (const sample of op['x-codeSamples']) expect(page).toContain(sample.source);
    });

    it('lists the assumptions the operation cites, one line each: the id, linked to its row, and the decision', () => {
      const texts = JSON.stringify({ ...op, 'x-codeSamples': undefined });
      const section = page.slice(page.indexOf('## Assumptions'), page.indexOf('## Samples'));
      for (const assumption of doc.info['x-assumptions'] ?? []) {
        if (!new RegExp(`${assumption.id}(?![0-9])`).test(texts)) continue;
        const line = section
          .split('\n')
          .find((candidate) => candidate.startsWith(`- [${assumption.id}](index.md#${assumption.id.toLowerCase()}): `));
        expect(line, assumption.id).toBeDefined();
        expect(assumption.decision.replace(/\s+/g, ' ')).toContain(line!.slice(line!.indexOf('): ') + 3, -1));
      }
      // Short: the assumptions no longer fill a third of the page or more (they took 36–51 % of it).
      expect(section.length).toBeLessThan(page.length / 3);
    });

    it('lists the fields of each success body', () => {
      for (const [status, raw] of Object.entries<Json>(op.responses)) {
        const schema = resolve(doc, resolve(doc, raw).content?.['application/json']?.schema);
        if (!status.startsWith('2') || !schema?.properties) continue;
        for (const name of Object.keys(schema.properties)) expect(page).toContain(`| \`${name}\` |`);
      }
    });
  },
);
