/**
 * Prism as the oracle: for every operation, documented status and named example, our mock answers
 * what plain `prism mock` answers from the same spec (given a valid key), body for body. The only
 * difference allowed is the one the spec itself promises: TVM's `meta` is fresh per response.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { apiModel, embeddedSpec, type ApiName, type OperationModel } from '../../mock-server/src/model/index.ts';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { sendChecked } from '../helpers/mock.ts';
import { startPrism, type PrismHandle } from '../helpers/prism.ts';

const AUTH: Record<ApiName, Record<string, string>> = {
  mvo: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') },
  tvm: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` },
};

/** A valid request for the operation, from the spec's own parameter and body examples. */
function exampleRequest(api: ApiName, op: OperationModel): { path: string; init: RequestInit } {
  const item = embeddedSpec(api).paths[op.path];
  const params = [...(item.parameters ?? []), ...(item[op.method.toLowerCase()].parameters ?? [])];
  let path = op.path;
  for (const p of params.filter((p: any) => p.in === 'path'))
    path = path.replace(`{${p.name}}`, encodeURIComponent(String(p.example)));
  const body = item[op.method.toLowerCase()].requestBody?.content?.['application/json'];
  const bodyExample = body ? (Object.values(body.examples ?? {})[0] as any)?.value : undefined;
  return {
    path,
    init: {
      method: op.method,
      headers: { ...AUTH[api], ...(bodyExample ? { 'content-type': 'application/json' } : {}) },
      body: bodyExample ? JSON.stringify(bodyExample) : undefined,
    },
  };
}

function withoutFreshMeta(body: any): any {
  if (body && typeof body === 'object' && body.success === true && body.meta) return { ...body, meta: '<fresh>' };
  return body;
}

const parse = (text: string) => (text ? JSON.parse(text) : undefined);

for (const api of ['mvo', 'tvm'] as const) {
  describe(`${api.toUpperCase()}: our mock answers what Prism answers`, () => {
    let prism: PrismHandle;
    let mock: MockServer;
    beforeAll(async () => {
      [prism, mock] = await Promise.all([
        startPrism(`openapi/generated/${api}.yaml`),
        startMockServer({ api, port: 0, rateLimits: 'headers', stateful: false /* the spec examples, like Prism */ }),
      ]);
    });
    afterAll(async () => {
      await Promise.all([prism?.stop(), mock?.close()]);
    });

    const cases: { op: OperationModel; status: number; example?: string }[] = apiModel(api).operations.flatMap((op) =>
      [...op.responses].flatMap(([status, response]) =>
        response.examples.size
          ? [...response.examples.keys()].map((example) => ({ op, status, example }))
          : [{ op, status }],
      ),
    );

    it.each(cases.map((c) => [`${c.op.operationId} ${c.status}${c.example ? ` ${c.example}` : ''}`, c] as const))(
      '%s',
      async (_name, { op, status, example }) => {
        const { path, init } = exampleRequest(api, op);
        const prefer = example ? `code=${status}, example=${example}` : `code=${status}`;
        const request = { ...init, headers: { ...(init.headers as Record<string, string>), prefer } };
        const [theirs, ours] = await Promise.all([
          fetch(prism.url + path, request),
          sendChecked(api, mock.url, path, request),
        ]);
        const theirText = await theirs.text();
        expect(ours.status).toBe(theirs.status);
        expect(withoutFreshMeta(ours.json)).toEqual(withoutFreshMeta(parse(theirText)));
        if (api === 'tvm' && status < 300 && ours.json) expect(ours.json.meta.requestId).not.toBe('req_abc123');
      },
    );
  });
}
