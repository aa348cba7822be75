/**
 * TypeScript consumers of both packages installed from their tarballs, under the settings strict projects use:
 * `strict`, `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess` and `skipLibCheck: false` (so our .d.ts
 * files are checked too), with `moduleResolution` node16, nodenext and bundler, plus a browser project (DOM only,
 * no Node types) for `virtual-commerce-mock/msw/browser` and one with msw/node. tsc must report no error at all,
 * neither in the consumers nor in any declaration file they load.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProject, FIXTURES, PINNED, recordRows, ROOT, type MatrixRow, type Project } from './harness.ts';

const STRICT = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  noEmit: true,
  target: 'ES2022',
};
const NODE = { lib: ['ES2022'], types: ['node'] };
const SERVER_FILES = ['sdk-consumer.ts', 'mock-consumer.ts'];
/** Each setting: compiler options and the consumer files (test/consumers/fixtures/) it compiles. */
const SETTINGS: Record<string, { compilerOptions: Record<string, unknown>; files: string[] }> = {
  node16: {
    compilerOptions: { ...STRICT, ...NODE, module: 'node16', moduleResolution: 'node16' },
    files: SERVER_FILES,
  },
  nodenext: {
    compilerOptions: { ...STRICT, ...NODE, module: 'nodenext', moduleResolution: 'nodenext' },
    files: SERVER_FILES,
  },
  bundler: {
    compilerOptions: { ...STRICT, ...NODE, module: 'preserve', moduleResolution: 'bundler' },
    files: SERVER_FILES,
  },
  // msw's own declarations use Fetch and DOM event types, so projects that use msw add the DOM lib.
  'nodenext with msw/node (DOM lib)': {
    compilerOptions: {
      ...STRICT,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      types: ['node'],
    },
    files: ['msw-consumer.ts'],
  },
  'bundler for the browser (DOM lib, no Node types)': {
    compilerOptions: {
      ...STRICT,
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      types: [],
    },
    files: ['browser-app.ts'],
  },
};
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const run = promisify(execFile);
let project: Project;
/** tsc's output per setting; the settings are checked in parallel. */
const outputs = new Map<string, Promise<string>>();
const rows: MatrixRow[] = [];

beforeAll(() => {
  project = createProject('typescript', {
    tarballs: ['sdk', 'mock'],
    extra: [`msw@${PINNED.msw}`, `@types/node@${PINNED['@types/node']}`],
  });
  for (const file of new Set(Object.values(SETTINGS).flatMap((setting) => setting.files)))
    copyFileSync(join(FIXTURES, file), join(project.dir, file));
  Object.entries(SETTINGS).forEach(([name, setting], index) => {
    writeFileSync(join(project.dir, `tsconfig.${index}.json`), JSON.stringify(setting, null, 2));
    const checked = run(process.execPath, [TSC, '-p', `tsconfig.${index}.json`, '--pretty', 'false'], {
      cwd: project.dir,
      encoding: 'utf8',
    }).then(
      ({ stdout }) => stdout,
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    outputs.set(name, checked);
  });
}, 180_000);

afterAll(() => {
  recordRows('typescript', rows);
  project?.remove();
});

it.each(Object.keys(SETTINGS))(
  `TypeScript ${PINNED.typescript}, moduleResolution %s, strict + exactOptionalPropertyTypes + noUncheckedIndexedAccess, skipLibCheck false: no error`,
  async (name) => {
    expect((await outputs.get(name)!).trim()).toBe('');
    rows.push({
      row: `TypeScript consumer (${name})`,
      runtime: `tsc ${PINNED.typescript}`,
      installMs: project.installMs,
      result: 'pass',
    });
  },
  180_000,
);
