/** esbuild helpers for the browser tests: bundle for `platform: 'browser'` and list any Node built-in that got in. */
import { builtinModules } from 'node:module';
import { build, type Metafile } from 'esbuild';

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

export interface BrowserBundle {
  code: string;
  metafile: Metafile;
  /** Every Node built-in imported anywhere in the graph, as `importer → module`. */
  nodeImports: string[];
}

export async function bundleForBrowser(
  entry: { file: string } | { contents: string; resolveDir: string },
): Promise<BrowserBundle> {
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.contents, resolveDir: entry.resolveDir, loader: 'ts' } }),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Keep built-ins visible instead of failing, so the test can name them.
    plugins: [
      {
        name: 'report-node-builtins',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) =>
            NODE_BUILTINS.has(args.path) ? { path: args.path, external: true } : undefined,
          );
        },
      },
    ],
  });
  const nodeImports: string[] = [];
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.path.startsWith('node:') || NODE_BUILTINS.has(imported.path))
        nodeImports.push(`${file} → ${imported.path}`);
    }
  }
  return { code: result.outputFiles[0].text, metafile: result.metafile, nodeImports };
}
