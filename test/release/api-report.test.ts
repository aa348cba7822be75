/**
 * The API report (scripts/api-report.ts): each package's committed api-report.md is what its source exports
 * today, so a change to the public TypeScript cannot land unseen; and the report shows such a change.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiReport, apiReports, driftedReports, entryPoints } from '../../scripts/api-report.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

// Both packages from one TypeScript program, once for the file.
let reports: Record<string, string> | undefined;
const current = () => (reports ??= apiReports());

describe('API report', () => {
  it("the committed reports match both packages' public TypeScript (else: npx tsx scripts/api-report.ts --write)", () => {
    expect(driftedReports(current())).toEqual([]);
  }, 120_000);

  it('covers every entry point a package exports, and the root Mock is the narrow one', () => {
    expect(entryPoints('mock-server').map(([subpath]) => subpath)).toEqual(['.', './msw', './msw/browser']);
    const report = current()['mock-server'];
    for (const subpath of ['', '/msw', '/msw/browser'])
      expect(report).toContain(`## virtual-commerce-mock${subpath}\n`);
    const root = report.slice(0, report.indexOf('## virtual-commerce-mock/msw'));
    const exported = root.slice(0, root.indexOf('Reachable from these exports'));
    const mock = exported.slice(
      exported.indexOf('interface Mock {'),
      exported.indexOf('}', exported.indexOf('interface Mock {')),
    );
    expect(mock).toContain('handle(request: MockRequest): Promise<MockResponse>;');
    for (const internal of ['model:', 'dialect:', 'store:', 'scenarios:', 'journal:'])
      expect(mock).not.toContain(internal);
  }, 120_000);

  it('shows a change to an exported type', () => {
    // A package of its own, under the repository so that it resolves the same TypeScript and @types.
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, '.tmp', 'api-report-'));
    mkdirSync(join(dir, 'src'));
    try {
      const write = (text: string) => writeFileSync(join(dir, 'src', 'src.ts'), text);
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'p', exports: { '.': { types: './dist/src.d.ts' } } }),
      );
      write(
        'export interface Options { retries: number }\nexport function make(options: Options): string { return String(options.retries); }\n',
      );
      const before = apiReport(dir);
      write(
        'export interface Options { retries?: number; timeoutMs: number }\nexport function make(options: Options): string { return String(options.retries); }\n',
      );
      const after = apiReport(dir);
      expect(before).toContain('  retries: number;');
      expect(after).toContain('  retries?: number | undefined;\n  timeoutMs: number;');
      expect(after).not.toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
