/**
 * `tsx scripts/write-generated.ts` rewrites every generated file; `--check` only compares and exits 1
 * on drift, naming each file (what CI and the drift test rely on).
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generate } from './generate.ts';

const ROOT = new URL('..', import.meta.url).pathname;

export function driftedFiles(files: Map<string, string>): string[] {
  return [...files]
    .filter(([path, content]) => {
      const full = join(ROOT, path);
      return !existsSync(full) || readFileSync(full, 'utf8') !== content;
    })
    .map(([path]) => path);
}

export async function writeGenerated(check: boolean): Promise<string[]> {
  const files = await generate();
  const drifted = driftedFiles(files);
  if (!check) {
    for (const path of drifted) {
      mkdirSync(dirname(join(ROOT, path)), { recursive: true });
      writeFileSync(join(ROOT, path), files.get(path)!);
    }
  }
  return drifted;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const drifted = await writeGenerated(check);
  if (check && drifted.length) {
    console.error(
      `Generated files differ from the specs: ${drifted.join(', ')}\nRun \`npm run build\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log(
    drifted.length ? `${check ? 'drifted' : 'wrote'}: ${drifted.join(', ')}` : 'generated files are up to date',
  );
}
