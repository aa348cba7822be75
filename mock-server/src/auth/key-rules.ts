/**
 * What a key may be, beyond its schema: a status the API knows (MVO revokes, TVM disables) and scopes from the
 * API's catalogue (none for MVO). One rule for the control API's key routes and for state documents.
 */
import type { ApiModel } from '../model/types.ts';

/** The problem with a key's status or scopes, in the control API's wording (`<where>/status must be …`), if any. */
export function keyRuleProblem(
  model: ApiModel,
  statuses: readonly string[],
  key: { status?: string; scopes?: readonly string[] },
  where = 'body',
): string | undefined {
  const catalogue = Object.keys(model.scopes);
  if (key.status !== undefined && !statuses.includes(key.status)) {
    return `${where}/status must be one of: ${statuses.join(', ')} for ${model.title} keys`;
  }
  if (key.scopes !== undefined) {
    if (!catalogue.length) return `${where}/scopes must be absent: ${model.title} keys have no scopes`;
    const unknown = key.scopes.filter((scope) => !catalogue.includes(scope));
    if (unknown.length)
      return `${where}/scopes has unknown scope ${unknown.join(', ')}; known: ${catalogue.join(', ')}`;
  }
  return undefined;
}
