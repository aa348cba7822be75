/** The ```ts blocks of sdk/README.md, in order (shared by the README run test and the pack test). */
import { readFileSync } from 'node:fs';

export function readmeBlocks(): string[] {
  const readme = readFileSync(new URL('../../sdk/README.md', import.meta.url), 'utf8');
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}
