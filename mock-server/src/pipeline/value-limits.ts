/**
 * What JSON Schema cannot say about a parsed JSON value, found in one walk: numbers that are not finite, and
 * objects and arrays nested deeper than the API's bound (`info.x-max-body-depth`). Request bodies are checked
 * with it (`validation.ts`), and so is every record a state document loads (`state/document.ts`): whatever
 * is stored was once within the bound, so exporting and saving it can never overflow the stack.
 *
 * The walk keeps its own stack instead of recursing, so a value nested 10,000 levels deep cannot overflow
 * it either; it stops descending at the bound, and builds a JSON pointer only for what it reports (the usual
 * body has nothing to report, and a path per value cost more than the walk).
 */
import type { ErrorObject } from 'ajv/dist/2020.js';

/** The keyword of a too-deep problem (Ajv has none): the validation proxy links it to the spec's assumption. */
export const MAX_DEPTH_KEYWORD = 'maxDepth';

/** A value met on the walk, with how it was reached; `depth` counts the objects and arrays it is in, itself included. */
interface Visit {
  item: unknown;
  parent?: Visit;
  key: string;
  depth: number;
}

function pointerOf(visit: Visit): string {
  let path = '';
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent)
    path = `/${at.key.replaceAll('~', '~0').replaceAll('/', '~1')}${path}`;
  return path;
}

const NONE: ErrorObject[] = [];

/**
 * Ajv-shaped problems of a value: each non-finite number (`1e309` is valid JSON that `JSON.parse` turns into
 * `Infinity`, which JSON Schema's `number` accepts and no API can store), and the first object or array
 * nested more than `maxDepth` levels deep (the value itself is level 1). Empty when there is none.
 */
export function valueProblems(value: unknown, maxDepth: number): ErrorObject[] {
  let found: ErrorObject[] | undefined;
  let tooDeep = false;
  const pending: Visit[] = [{ item: value, key: '', depth: 1 }];
  while (pending.length) {
    const visit = pending.pop()!;
    const { item } = visit;
    if (typeof item === 'number') {
      if (!Number.isFinite(item))
        (found ??= []).push({
          keyword: 'type',
          instancePath: pointerOf(visit),
          schemaPath: '#/type',
          params: { type: 'number' },
          message: 'must be a finite number',
        });
    } else if (item && typeof item === 'object') {
      if (visit.depth > maxDepth) {
        // One report is enough: a wide body of deep siblings would otherwise make one problem per sibling.
        if (!tooDeep)
          (found ??= []).push({
            keyword: MAX_DEPTH_KEYWORD,
            instancePath: pointerOf(visit),
            schemaPath: '#',
            params: { limit: maxDepth },
            message: `must NOT be nested more than ${maxDepth} levels deep`,
          });
        tooDeep = true;
        continue;
      }
      for (const key in item) {
        const child = (item as Record<string, unknown>)[key];
        if (typeof child === 'number' || (child && typeof child === 'object'))
          pending.push({ item: child, parent: visit, key, depth: visit.depth + 1 });
      }
    }
  }
  return found ?? NONE;
}
