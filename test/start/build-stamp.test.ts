/** When `npm start` may skip the build: a fingerprint of the build's inputs, recorded by each build. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BUILD_OUTPUTS, staleBuildReason, writeBuildStamp } from '../../scripts/build-stamp.ts';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'build-stamp-'));
  write('openapi/mvo/openapi.yaml', 'openapi: 3.1.0\n');
  write('mock-server/src/cli.ts', 'export {};\n');
  for (const output of BUILD_OUTPUTS) write(output, 'built\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('asks for a build when none was recorded', () => {
  expect(staleBuildReason(root)).toBe('no build recorded in node_modules/.cache/virtual-commerce/build-stamp.json');
});

it('is current after a build, also when files were only touched', () => {
  writeBuildStamp(root);
  utimesSync(join(root, 'openapi/mvo/openapi.yaml'), new Date(), new Date(Date.now() + 60_000));
  expect(staleBuildReason(root)).toBeUndefined();
});

it('ignores outputs, dependencies and the LICENSE copies npm pack makes', () => {
  writeBuildStamp(root);
  write('mock-server/dist/extra.js', 'x');
  write('mock-server/node_modules/x/index.js', 'x');
  write('sdk/LICENSE', 'MIT');
  expect(staleBuildReason(root)).toBeUndefined();
});

it.each([
  ['a spec changes', () => write('openapi/mvo/openapi.yaml', 'openapi: 3.1.1\n')],
  ['a source file is added', () => write('sdk/src/new.ts', 'export {};\n')],
  ['the lockfile changes', () => write('package-lock.json', '{}')],
])('asks for a build when %s', (_name, change) => {
  writeBuildStamp(root);
  change();
  expect(staleBuildReason(root)).toBe('sources changed since the last build');
});

it('asks for a build when an output is missing', () => {
  writeBuildStamp(root);
  rmSync(join(root, 'docs/dist/index.html'));
  expect(staleBuildReason(root)).toBe('docs/dist/index.html does not exist');
});
