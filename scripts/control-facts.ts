/**
 * The control API (openapi/mock/) states exactly what each mock enforces, and some of that is a fact of the
 * mocked API: its scopes, the key states it documents answers for, the error statuses its operations document.
 * Those facts live once, in openapi/mvo/ and openapi/tvm/: a schema of openapi/mock/ marked
 * `x-enum-from: {api, fact}` gets its `enum` from that API's (dereferenced) description when the bundles are
 * built. Read from the descriptions alone: the build does not load the mock it builds the spec for (only the
 * constant vocabulary of failure kinds, which has no imports).
 */
import { KEY_STATE_FAILURES } from '../mock-server/src/auth/failure-kinds.ts';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

const operationsOf = (doc: Json): Json[] =>
  Object.values<Json>(doc.paths ?? {}).flatMap((item) =>
    METHODS.filter((method) => item[method]).map((method) => item[method]),
  );

/** The failures the API's 401/403 examples document (`x-auth-failures`). */
function documentedFailures(doc: Json): Set<string> {
  const failures = new Set<string>();
  for (const op of operationsOf(doc)) {
    for (const status of ['401', '403']) {
      for (const example of Object.values<Json>(
        op.responses?.[status]?.content?.['application/json']?.examples ?? {},
      )) {
        for (const failure of example['x-auth-failures'] ?? []) failures.add(failure);
      }
    }
  }
  return failures;
}

const FACTS: Record<string, (doc: Json) => (string | number)[]> = {
  scopes: (doc) =>
    Object.values<Json>(doc.components?.securitySchemes ?? {}).flatMap((scheme) =>
      Object.keys(scheme['x-scopes'] ?? {}),
    ),
  'key-statuses': (doc) => ['active', ...KEY_STATE_FAILURES.filter((status) => documentedFailures(doc).has(status))],
  'error-statuses': (doc) =>
    [
      ...new Set(
        operationsOf(doc).flatMap((op) =>
          Object.keys(op.responses ?? {})
            .filter((code) => /^\d{3}$/.test(code))
            .map(Number),
        ),
      ),
    ]
      .filter((status) => status >= 400)
      .sort((a, b) => a - b),
};

/** Fills every `x-enum-from` schema of a control-API document (bundled or dereferenced) in place. */
export function fillControlEnums(controlDoc: Json, apiDocs: Record<string, Json>): void {
  const pending: unknown[] = [controlDoc];
  while (pending.length) {
    const value = pending.pop();
    if (!value || typeof value !== 'object') continue;
    const from = (value as Json)['x-enum-from'];
    if (from) {
      if (!apiDocs[from.api]) throw new Error(`openapi/mock/: x-enum-from names an unknown API "${from.api}"`);
      const fact = FACTS[from.fact];
      if (!fact)
        throw new Error(
          `openapi/mock/: x-enum-from names an unknown fact "${from.fact}" (known: ${Object.keys(FACTS).join(', ')})`,
        );
      (value as Json).enum = fact(apiDocs[from.api]);
    }
    pending.push(...Object.values(value));
  }
}
