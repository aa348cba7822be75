/**
 * Every example the specs document works against a fresh stateful mock: each operation, sent with its
 * documented path parameters, query values and (each of its) request bodies as written, answers its
 * documented success status. A reader who copies an example from the docs gets what the docs promise, not a
 * 404 because the example names an id the mock never seeded. The control API's examples are held to the
 * same rule on the mock its docs target (its first server, the TVM mock).
 */
import { describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/index.ts';
import { spec as controlSpec } from '../../mock-server/src/generated/mock.spec.ts';
import { embeddedSpec, type ApiName } from '../../mock-server/src/model/index.ts';
import { useHandledMock, type HandledMock } from '../helpers/mock.ts';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

interface ExampleRequest {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  expected: number;
}

/** A parameter's documented example: `example`, else the first of `examples`; undefined when it has none. */
function parameterExample(parameter: Json): unknown {
  if (parameter.example !== undefined) return parameter.example;
  const first = Object.values<Json>(parameter.examples ?? {})[0];
  return first?.value;
}

/**
 * The named request-body examples of an operation (`example` counts as one named `example`). With `mockApi`, only
 * those written for that mock (a control-API example naming another in `x-mock-api` is that one's; the docs'
 * samples run it there: test/docs/code-samples.test.ts).
 */
function bodyExamples(op: Json, mockApi?: string): [string, unknown][] {
  const media = op.requestBody?.content?.['application/json'];
  if (!media) return [];
  if (media.examples) {
    return Object.entries<Json>(media.examples)
      .filter(([, example]) => !mockApi || (example['x-mock-api'] ?? mockApi) === mockApi)
      .map(([name, example]) => [name, example.value]);
  }
  return media.example === undefined ? [] : [['example', media.example]];
}

/** One request per body example (one when the operation takes no body), built from the spec alone. */
export function exampleRequests(doc: Json, mockApi?: string): ExampleRequest[] {
  const requests: ExampleRequest[] = [];
  for (const [template, item] of Object.entries<Json>(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters: Json[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      let path = template;
      for (const parameter of parameters.filter((p) => p.in === 'path')) {
        const value = parameterExample(parameter);
        if (value === undefined)
          throw new Error(`${op.operationId}: the path parameter ${parameter.name} documents no example`);
        path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(value)));
      }
      const query = new URLSearchParams();
      for (const parameter of parameters.filter((p) => p.in === 'query')) {
        const value = parameterExample(parameter);
        if (value !== undefined) query.set(parameter.name, String(value));
      }
      const target = query.size ? `${path}?${query}` : path;
      const expected = Number(Object.keys(op.responses).find((status) => /^2\d\d$/.test(status)));
      const bodies = bodyExamples(op, mockApi);
      if (op.requestBody?.required && !bodies.length)
        throw new Error(`${op.operationId}: its required request body documents no example`);
      const name = `${op.operationId}: ${method.toUpperCase()} ${target}`;
      if (!bodies.length) requests.push({ name, method: method.toUpperCase(), path: target, expected });
      for (const [example, body] of bodies)
        requests.push({
          name: `${name} with the body example "${example}"`,
          method: method.toUpperCase(),
          path: target,
          body,
          expected,
        });
    }
  }
  return requests;
}

/** Sends one documented request to the mock, freshly reset, with a key that may call anything. */
async function sendFresh(mock: HandledMock, request: ExampleRequest, credential: Record<string, string>) {
  expect((await mock.send('/__mock/reset', { method: 'POST' })).status).toBe(204);
  const headers: Record<string, string> = { ...credential };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  return mock.send(request.path, {
    method: request.method,
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
}

const CREDENTIALS: Record<ApiName, Record<string, string>> = {
  mvo: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') },
  tvm: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` },
};

describe.each(['mvo', 'tvm'] as const)(
  '%s: every documented example, sent to a fresh stateful mock, gets its success status',
  (api) => {
    const mock = useHandledMock(api);
    const requests = exampleRequests(embeddedSpec(api));

    it('covers every operation', () => {
      const operations = Object.values<Json>(embeddedSpec(api).paths).flatMap((item) =>
        METHODS.filter((m) => item[m]).map((m) => item[m].operationId),
      );
      expect(new Set(requests.map((request) => request.name.split(':')[0]))).toEqual(new Set(operations));
    });

    it.each(requests.map((request) => [request.name, request] as const))('%s', async (_name, request) => {
      const answer = await sendFresh(mock, request, CREDENTIALS[api]);
      expect(answer.status, answer.text).toBe(request.expected);
    });
  },
);

describe('control API: every documented example, sent to a fresh TVM mock, gets its success status', () => {
  const mock = useHandledMock('tvm');
  it.each(exampleRequests(controlSpec, 'tvm').map((request) => [request.name, request] as const))(
    '%s',
    async (_name, request) => {
      const answer = await sendFresh(mock, request, {});
      expect(answer.status, answer.text).toBe(request.expected);
    },
  );
});
