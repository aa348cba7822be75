/**
 * State documents on disk: `--seed` files and the document of a `--state-file` (kept by store/file-store.ts).
 * A file holds one mock's document (`{"api": "tvm", …}`, what `GET /__mock/state` answers) or both, by API
 * (`{"mvo": {…}, "tvm": {…}}`, what a state file holds). A file that exists but cannot be read or parsed stops
 * the start and is never written.
 */
import { readFile } from 'node:fs/promises';
import { API_NAMES, type ApiName } from '../model/types.ts';
import type { DocumentsByApi } from '../store/patch.ts';

export type { DocumentsByApi } from '../store/patch.ts';

/** A file that cannot be used, with what to do about it. */
export class StateFileError extends Error {}

/**
 * The documents a file holds, by API; undefined when it does not exist and `missing` is `'ok'`.
 * `label` names the file in messages (`--seed seed.json`).
 */
export async function readDocumentFile(
  path: string,
  label: string,
  missing: 'ok' | 'error',
): Promise<DocumentsByApi | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const error = cause as NodeJS.ErrnoException;
    if (error.code === 'ENOENT' && missing === 'ok') return undefined;
    throw new StateFileError(`${label} cannot be read (${error.code ?? error.message}); it is left as it is`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new StateFileError(
      `${label} is not JSON (${(cause as Error).message}); it is left as it is: fix it or move it away`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new StateFileError(`${label} must hold a JSON object (a state document); it is left as it is`);
  const object = parsed as Record<string, unknown>;
  if (typeof object.api === 'string') return { [object.api]: object };
  const unknown = Object.keys(object).filter((name) => !API_NAMES.includes(name as ApiName));
  if (unknown.length) {
    throw new StateFileError(
      `${label} must be one state document ({"api": …}) or documents by API ({"mvo": …, "tvm": …}); it has ${unknown.join(', ')}; it is left as it is`,
    );
  }
  return object as DocumentsByApi;
}
