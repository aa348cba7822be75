/**
 * What `virtual-commerce-mock/msw/browser` adds to a web app's first load: a minimal app importing both handler
 * factories, bundled by esbuild as an app would be (minified, ESM, code splitting so `import()`s become chunks),
 * with msw external (the app pays for msw whichever mock it uses). "First load" is the entry chunk and every chunk
 * it imports statically; "lazy" is what loads later (the API's precompiled request validators on the first
 * validated request, faker's locale and Ajv's compiler on the first `POST /__mock/generate`). Sizes are gzip
 * level 9 bytes. The test (test/browser/msw-bundle.test.ts) measures the packed tarball; `npm run
 * bench:browser-size` the package as built in this checkout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The budget the issue set: what the mock adds to an app's first load, msw excluded. */
export const FIRST_LOAD_BUDGET_GZIP = 60_000;

export interface BrowserSize {
  firstLoadGzip: number;
  lazyGzip: number;
  chunks: { file: string; bytes: number; gzip: number; firstLoad: boolean }[];
}

/** `appDir`: a folder from which `virtual-commerce-mock` resolves (its node_modules, or a parent's). */
export async function browserFirstLoad(appDir: string): Promise<BrowserSize> {
  const outdir = mkdtempSync(join(appDir, '.browser-size-'));
  try {
    const result = await build({
      stdin: {
        contents:
          "import { createMvoHandlers, createTvmHandlers } from 'virtual-commerce-mock/msw/browser';\nexport const handlers = [...createMvoHandlers(), ...createTvmHandlers()];\n",
        resolveDir: appDir,
        loader: 'js',
      },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      write: false,
      outdir,
      metafile: true,
      external: ['msw', 'msw/*'],
      logLevel: 'silent',
    });
    const outputs = result.metafile.outputs;
    const relative = (path: string) => path.slice(path.indexOf(outdir.split('/').pop()!));
    const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint !== undefined)!;
    const firstLoad = new Set<string>();
    const visit = (file: string) => {
      if (firstLoad.has(file)) return;
      firstLoad.add(file);
      for (const imported of outputs[file].imports)
        if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    };
    visit(entry);
    const chunks = result.outputFiles.map((file) => {
      const key = Object.keys(outputs).find((output) => file.path.endsWith(output))!;
      return {
        file: relative(file.path),
        bytes: file.contents.length,
        gzip: gzipSync(file.contents, { level: 9 }).length,
        firstLoad: firstLoad.has(key),
      };
    });
    const sum = (first: boolean) =>
      chunks.filter((chunk) => chunk.firstLoad === first).reduce((total, chunk) => total + chunk.gzip, 0);
    return { firstLoadGzip: sum(true), lazyGzip: sum(false), chunks };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
