/**
 * The package as integrators get it: `npm pack` sdk/ (prepack builds dist/; the consumer matrix's harness packs
 * once for every test file), check the tarball holds only dist/ and the package documents, install it into a
 * fresh project, type-check a consumer of both entry points and every README ts block with `tsc --strict`, then
 * run the consumer with node (stub fetch, no network).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedTarballs } from '../consumers/harness.ts';
import { readmeBlocks } from './readme-blocks.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const TSC = join(ROOT, 'node_modules/.bin/tsc');
const dir = mkdtempSync(join(tmpdir(), 'sdk-pack-'));
const project = join(dir, 'consumer');
let files: string[] = [];
let tarball = '';

const sh = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

const CONSUMER = `
import { createMvoClient, isAuthError, ConfigurationError, type MvoClient } from 'virtual-commerce-sdk/mvo';
import { createTvmClient, type TvmError } from 'virtual-commerce-sdk/tvm';

const seen: string[] = [];
const fetch = async (request: Request): Promise<Response> => {
  seen.push(\`\${request.method} \${request.url} \${request.headers.get('x-api-key') ? 'x-api-key' : request.headers.get('authorization')?.split(' ')[0]}\`);
  const body = request.url.endsWith('/v1/shop')
    ? { success: true, data: { id: 'shop_1', slug: 's', name: 'Packed Shop', teaser: null, description: null, primaryDomain: null, domains: [], logoUrl: null, isActive: true }, meta: { requestId: 'req_1', timestamp: '2026-02-06T12:00:00Z' } }
    : { error: 'Unauthorized', message: 'Invalid API key' };
  return new Response(JSON.stringify(body), { status: request.url.endsWith('/v1/shop') ? 200 : 401, headers: { 'content-type': 'application/json' } });
};

const mvo: MvoClient = createMvoClient({ apiKey: 'sk_live_' + 'Ab1'.repeat(16), fetch });
const created = await mvo.POST('/api/customers', { body: { first_name: 'John', last_name: 'Doe', email: 'john@example.com' } });
// @ts-expect-error email is required: proves the published types are the spec's, not any
void (() => mvo.POST('/api/customers', { body: { first_name: 'John', last_name: 'Doe' } }));
const authFailed: boolean = created.error ? isAuthError(created.error) : false;

const tvm = createTvmClient({ apiKey: 'tvm_' + 'ab12'.repeat(8), fetch });
const { data, error } = await tvm.GET('/v1/shop');
const failure: TvmError | undefined = error;

let configError = '';
try { createTvmClient({ apiKey: 'sk_live_' + 'Ab1'.repeat(16), fetch }); } catch (e) { if (e instanceof ConfigurationError) configError = e.message; }

console.log(JSON.stringify({ seen, authFailed, shop: data?.data.name, failure: failure ?? null, configError, inspected: JSON.stringify(mvo) }));
`;

beforeAll(() => {
  ({ file: tarball, files } = packedTarballs().sdk);
  sh('mkdir', ['-p', project], dir);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], project);
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
        types: ['node'],
        outDir: 'out',
        skipLibCheck: false,
      },
      include: ['*.ts'],
    }),
  );
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('holds only dist/, README.md, CHANGELOG.md, LICENSE and package.json, with both entry points built', () => {
    expect(files.filter((path) => !path.startsWith('dist/')).sort()).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'package.json',
    ]);
    for (const entry of ['dist/mvo/index.js', 'dist/mvo/index.d.ts', 'dist/tvm/index.js', 'dist/tvm/index.d.ts'])
      expect(files).toContain(entry);
    expect(files.some((path) => path.includes('.test.') || path.endsWith('.tsbuildinfo'))).toBe(false);
  });

  it('installed into a fresh project: a consumer of both entry points compiles with tsc --strict and runs with node', () => {
    writeFileSync(join(project, 'consumer.ts'), CONSUMER);
    sh(TSC, ['-p', 'tsconfig.json'], project);
    const result = JSON.parse(sh(process.execPath, ['out/consumer.js'], project).trim());
    expect(result.seen).toEqual([
      'POST https://api.my-virtual-office.com/api/customers x-api-key',
      'GET https://api.thevirtualmall.co.uk/v1/shop Bearer',
    ]);
    expect(result.authFailed).toBe(true);
    expect(result.shop).toBe('Packed Shop');
    expect(result.failure).toBeNull();
    expect(result.configError).toContain('createMvoClient()');
    expect(result.inspected).toContain('sk_live_Ab1A…');
    expect(result.inspected).not.toContain('Ab1'.repeat(16));
  });

  it('every README ts block type-checks against the installed package (tsc --strict)', () => {
    const blocks = readmeBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    rmSync(join(project, 'consumer.ts'), { force: true });
    for (const [index, block] of blocks.entries())
      writeFileSync(join(project, `readme-${index}.ts`), `${block}\nexport {};\n`);
    try {
      sh(TSC, ['-p', 'tsconfig.json', '--noEmit'], project);
    } catch (error) {
      throw new Error(`README blocks do not type-check:\n${(error as { stdout?: string }).stdout ?? error}`);
    }
    expect(readFileSync(join(project, 'node_modules/virtual-commerce-sdk/package.json'), 'utf8')).toContain('"./mvo"');
  });

  it('passes publint (run on the tarball, so nothing is packed twice)', () => {
    expect(sh(`${ROOT}node_modules/.bin/publint`, ['run', tarball, '--pack', 'false'], dir)).toContain('All good!');
  });

  it('passes @arethetypeswrong/cli as an ESM-only package: every counted resolution is green', () => {
    // attw exits non-zero on any problem, which makes `sh` throw and the test fail.
    const report = sh(`${ROOT}node_modules/.bin/attw`, [tarball, '--profile', 'esm-only', '--format', 'ascii'], dir);
    for (const entry of ['virtual-commerce-sdk/mvo', 'virtual-commerce-sdk/tvm'])
      expect(report).toContain(`"${entry}"`);
    // The ESM-only profile ignores node10 and CJS resolution; the ones that count must all be green.
    const counted = report.split('\n').filter((line) => /^(node16 \(from ESM\)|bundler):/.test(line));
    expect(counted.length).toBeGreaterThanOrEqual(4);
    for (const line of counted) expect(line).toContain('🟢');
  });
});
