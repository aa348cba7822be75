/**
 * The "Try it" manifest of one reference page: what docs/src/try-it.ts needs to build each operation's panel,
 * read from the generated descriptions. The mint call is the control API's own `createMockKey` operation.
 */
import { type MockApi, MOCK_APIS } from '../src/local-api.ts';
import type { TryItManifest, TryItParameter } from '../src/try-it-manifest.ts';
import { eachOperation } from '../../scripts/code-samples.ts';
import { operationFacts } from './operations.ts';

type Json = Record<string, any>;

const MINT_OPERATION = 'createMockKey';

/** `api` is the page's API; `mockDoc` the control API's description (for the mint call and the mocks' order). */
export function tryItManifest(api: 'mvo' | 'tvm' | 'mock', doc: Json, mockDoc: Json): TryItManifest {
  const mint = eachOperation(mockDoc).find(({ op }) => op.operationId === MINT_OPERATION);
  if (!mint) throw new Error(`try-it: the control API has no ${MINT_OPERATION} operation to mint keys with`);
  const operations: TryItManifest['operations'] = {};
  let scopes: Record<string, string> | undefined;
  for (const facts of operationFacts(doc)) {
    const scheme = facts.credential && doc.components.securitySchemes[facts.credential.schemeName];
    scopes ??= scheme?.['x-scopes'];
    operations[facts.operationId.toLowerCase()] = {
      operationId: facts.operationId,
      method: facts.method,
      path: facts.path,
      summary: facts.summary,
      credential: facts.credential && {
        header: facts.credential.header,
        valuePrefix: facts.credential.valuePrefix,
        scopes: facts.credential.scopes,
      },
      parameters: facts.parameters
        .filter((parameter): parameter is typeof parameter & { in: TryItParameter['in'] } =>
          ['path', 'query', 'header'].includes(parameter.in),
        )
        .map((parameter) => ({
          name: parameter.name,
          in: parameter.in,
          required: parameter.required,
          example: prefill(parameter.in, parameter.required, parameter.example, parameter.schema.default),
          ...(parameter.description ? { description: parameter.description } : {}),
        })),
      ...(facts.body
        ? { body: { contentType: facts.body.contentType, example: JSON.stringify(facts.body.example, null, 2) } }
        : {}),
    };
  }
  return {
    targets: api === 'mock' ? mockServers(mockDoc).map((server) => server.api) : [api],
    mintPath: mint.path,
    ...(scopes ? { scopes } : {}),
    operations,
  };
}

/** Path parameters and required or defaulted query parameters start filled in, as in the code samples. */
function prefill(where: string, required: boolean, example: unknown, fallback: unknown): string {
  if (where === 'path') return example === undefined ? '' : String(example);
  if (!required && fallback === undefined) return '';
  const value = example ?? fallback;
  return value === undefined ? '' : String(value);
}

/** The control API's servers, one per mock, each named in its description ("TVM mock"); the first is the default. */
export function mockServers(mockDoc: Json): { api: MockApi; url: string }[] {
  const servers = (mockDoc.servers ?? []).flatMap((server: Json) => {
    const api = MOCK_APIS.find((name) =>
      String(server.description ?? '')
        .toLowerCase()
        .startsWith(name),
    );
    return api ? [{ api, url: server.url as string }] : [];
  });
  if (servers.length !== MOCK_APIS.length)
    throw new Error(
      `try-it: the control API's servers must name each mock (${MOCK_APIS.join(', ')}) in their description`,
    );
  return servers;
}
