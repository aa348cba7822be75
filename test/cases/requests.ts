/**
 * One table of requests, as data, for every implementation of the mocks (Node server, MSW, …):
 * every operation of both APIs × every credential case × a valid and an invalid body where the
 * operation has one, plus routing, body, content-type, `Prefer`, query and control-API cases.
 *
 * A case carries what the request is and, where the contract says so, the status it must get
 * (`expectStatus`), so a parity run cannot pass by both sides failing the same way.
 * Send the cases in order to a mock built with `PARITY_OPTIONS` (frozen clock, extra keys).
 */
import { FIXTURE_KEYS, fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import type { KeySeed } from '../../mock-server/src/auth/index.ts';
import { apiModel, embeddedSpec, type ApiName, type OperationModel } from '../../mock-server/src/model/index.ts';

export interface RequestCase {
  name: string;
  api: ApiName;
  method: string;
  /** Path as sent, params filled in. */
  path: string;
  /** Raw query, without `?`. */
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The status the contract documents for this request, when the case pins one. */
  expectStatus?: number;
}

export interface CredentialCase {
  label: string;
  headers: Record<string, string>;
  /** What this credential gets on an operation it may call: `ok`, or the failure status. */
  outcome: 'ok' | 401 | 403;
}

/** A frozen clock: rate windows, `meta.timestamp` and `last_used_at` are the same on every side. */
export const FROZEN_NOW = '2026-06-01T12:00:30.000Z';

/** A TVM key lacking every offers scope (no fixture does), for missing-scope cases on /v1/offers. */
export const EXTRA_KEYS: Record<ApiName, KeySeed[]> = {
  mvo: [],
  tvm: [
    {
      id: 'key_tvm_content',
      name: 'Content-only key',
      key: `tvm_${'c0ntent0nly0key'.padEnd(32, '0')}`,
      scopes: ['content:read', 'content:write'],
      status: 'active',
      expires_at: null,
    },
  ],
};

/** Options every implementation under comparison is built with: this table checks the spec-example behaviour (stateless). */
export const PARITY_OPTIONS = {
  rateLimits: 'headers' as const,
  stateful: false,
  now: () => new Date(FROZEN_NOW),
};

/** Fixtures plus extra keys: what the Node server gets as `fixtures` (MSW gets `keys: EXTRA_KEYS[api]`). */
export const parityFixtures = (api: ApiName): KeySeed[] => [...FIXTURE_KEYS[api], ...EXTRA_KEYS[api]];

const UNKNOWN_KEYS: Record<ApiName, string> = {
  mvo: `sk_live_${'Unknown0Key'.padEnd(48, 'x')}`,
  tvm: `tvm_${'unknown0key'.padEnd(32, 'z')}`,
};

export const CREDENTIALS: Record<ApiName, CredentialCase[]> = {
  mvo: [
    { label: 'no credential', headers: {}, outcome: 401 },
    { label: 'valid key in X-API-Key', headers: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') }, outcome: 'ok' },
    {
      label: 'valid key as Bearer',
      headers: { authorization: `Bearer ${fixtureKey('mvo', 'key_mvo_staging')}` },
      outcome: 'ok',
    },
    { label: 'malformed key', headers: { 'x-api-key': 'sk_live_short' }, outcome: 401 },
    { label: 'unknown well-formed key', headers: { authorization: `Bearer ${UNKNOWN_KEYS.mvo}` }, outcome: 401 },
    { label: 'revoked key', headers: { 'x-api-key': fixtureKey('mvo', 'key_mvo_revoked') }, outcome: 401 },
    {
      label: 'expired key',
      headers: { authorization: `Bearer ${fixtureKey('mvo', 'key_mvo_expired')}` },
      outcome: 401,
    },
  ],
  tvm: [
    { label: 'no credential', headers: {}, outcome: 401 },
    {
      label: 'admin key as Bearer',
      headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` },
      outcome: 'ok',
    },
    {
      label: 'shop key as Bearer',
      headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_shop')}` },
      outcome: 'ok',
    },
    {
      label: 'valid key in X-API-Key (not read)',
      headers: { 'x-api-key': fixtureKey('tvm', 'key_tvm_admin') },
      outcome: 401,
    },
    { label: 'malformed key', headers: { authorization: 'Bearer tvm_SHORT' }, outcome: 401 },
    { label: 'unknown well-formed key', headers: { authorization: `Bearer ${UNKNOWN_KEYS.tvm}` }, outcome: 401 },
    {
      label: 'disabled key',
      headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_disabled')}` },
      outcome: 403,
    },
    {
      label: 'expired key',
      headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_expired')}` },
      outcome: 403,
    },
  ],
};

/** A key that lacks the operation's scope: the offers-only fixture, or the content-only extra key on offers. */
function missingScopeCredential(op: OperationModel): CredentialCase | undefined {
  if (!op.scopes.length) return undefined;
  const id = op.scopes.some((scope) => scope.startsWith('offers:')) ? 'key_tvm_content' : 'key_tvm_offers';
  const seed = [...FIXTURE_KEYS.tvm, ...EXTRA_KEYS.tvm].find((candidate) => candidate.id === id)!;
  return {
    label: `key without ${op.scopes[0]} (${id})`,
    headers: { authorization: `Bearer ${seed.key}` },
    outcome: 403,
  };
}

function specOperation(op: OperationModel): Record<string, any> {
  const item = embeddedSpec(op.api).paths[op.path];
  return item[op.method.toLowerCase()];
}

/** The path with each parameter set to its spec example (`offer_abc123`, a customer uuid, …). */
function examplePath(op: OperationModel): string {
  const item = embeddedSpec(op.api).paths[op.path];
  const parameters = [...(item.parameters ?? []), ...(specOperation(op).parameters ?? [])];
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const parameter = parameters.find((candidate: any) => candidate.in === 'path' && candidate.name === name);
    const example =
      parameter?.example ?? parameter?.schema?.example ?? parameter?.schema?.examples?.[0] ?? `${name}_example`;
    return encodeURIComponent(String(example));
  });
}

/** The first documented request example of an operation, as JSON text. */
export function validBody(op: OperationModel): string {
  const media = specOperation(op).requestBody.content['application/json'];
  const example = media.example ?? (Object.values(media.examples ?? {}) as { value?: unknown }[])[0]?.value;
  if (example === undefined) throw new Error(`${op.operationId} documents no request example`);
  return JSON.stringify(example);
}

/** A JSON body of the wrong type: every request schema of both APIs is an object. */
export const INVALID_BODY = '[]';
const JSON_HEADERS = { 'content-type': 'application/json' };

function operationCases(api: ApiName): RequestCase[] {
  const cases: RequestCase[] = [];
  for (const op of apiModel(api).operations) {
    const path = examplePath(op);
    const credentials = [...CREDENTIALS[api], ...(api === 'tvm' ? [missingScopeCredential(op)!] : [])];
    for (const credential of credentials) {
      const base = { api, method: op.method, path };
      const authStatus = credential.outcome === 'ok' ? undefined : credential.outcome;
      if (!op.requestBody) {
        cases.push({
          ...base,
          name: `${api} ${op.operationId}, ${credential.label}`,
          headers: credential.headers,
          expectStatus: authStatus ?? op.successStatus,
        });
        continue;
      }
      const headers = { ...credential.headers, ...JSON_HEADERS };
      cases.push({
        ...base,
        name: `${api} ${op.operationId}, ${credential.label}, valid body`,
        headers,
        body: validBody(op),
        expectStatus: authStatus ?? op.successStatus,
      });
      cases.push({
        ...base,
        name: `${api} ${op.operationId}, ${credential.label}, invalid body`,
        headers,
        body: INVALID_BODY,
        expectStatus: authStatus ?? 400,
      });
    }
  }
  return cases;
}

const admin = (api: ApiName): Record<string, string> =>
  api === 'mvo'
    ? { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') }
    : { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };

/** Requests around the operations: routing, transport, bodies, `Prefer`, queries, header oddities. */
function edgeCases(api: ApiName): RequestCase[] {
  const ops = apiModel(api).operations;
  const withBody = ops.find((op) => op.requestBody && op.method === 'POST')!;
  const getOne = ops.find((op) => op.method === 'GET' && op.path.includes('{'))!;
  const list = ops.find((op) => op.method === 'GET' && op.parameters.some((p) => p.name === 'limit'));
  const post = { method: withBody.method, path: examplePath(withBody) };
  const get = { method: 'GET', path: examplePath(getOne) };
  const key = admin(api);
  const cases: RequestCase[] = [
    { api, name: `${api} unknown route, no key`, method: 'GET', path: '/nope', expectStatus: 404 },
    {
      api,
      name: `${api} unknown route, valid key`,
      method: 'GET',
      path: '/v2/nothing/here',
      headers: key,
      expectStatus: 404,
    },
    { api, name: `${api} root`, method: 'GET', path: '/', headers: key, expectStatus: 404 },
    {
      api,
      name: `${api} known path, unknown method`,
      method: 'PUT',
      path: api === 'mvo' ? '/api/customers' : '/v1/offers',
      headers: key,
      expectStatus: 404,
    },
    { api, name: `${api} trailing slash`, ...get, path: `${get.path}/`, headers: key },
    {
      api,
      name: `${api} percent-encoded id`,
      ...get,
      path: `${get.path.slice(0, get.path.lastIndexOf('/'))}/%E2%9C%93%20id`,
      headers: key,
      expectStatus: getOne.successStatus,
    },
    { api, name: `${api} HEAD on a GET route`, ...get, method: 'HEAD', headers: key },
    {
      api,
      name: `${api} OPTIONS (CORS preflight shape)`,
      ...get,
      method: 'OPTIONS',
      headers: { origin: 'http://example.test', 'access-control-request-method': 'GET' },
    },
    {
      api,
      name: `${api} bad JSON`,
      ...post,
      headers: { ...key, ...JSON_HEADERS },
      body: '{"first_name": ',
      expectStatus: 400,
    },
    {
      api,
      name: `${api} wrong content type (text/plain)`,
      ...post,
      headers: { ...key, 'content-type': 'text/plain' },
      body: validBody(withBody),
      expectStatus: 400,
    },
    {
      api,
      name: `${api} wrong content type (form)`,
      ...post,
      headers: { ...key, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=2',
      expectStatus: 400,
    },
    {
      api,
      name: `${api} vendor +json content type`,
      ...post,
      headers: { ...key, 'content-type': 'application/vnd.api+json; charset=utf-8' },
      body: validBody(withBody),
      expectStatus: withBody.successStatus,
    },
    {
      api,
      name: `${api} empty body with JSON content type`,
      ...post,
      headers: { ...key, ...JSON_HEADERS },
      body: '',
      expectStatus: 400,
    },
    {
      api,
      name: `${api} body over the limit (ASCII)`,
      ...post,
      headers: { ...key, ...JSON_HEADERS },
      body: `{"x":"${'a'.repeat(1_100_000)}"}`,
      expectStatus: 413,
    },
    {
      api,
      name: `${api} body over the limit in bytes, under it in characters`,
      ...post,
      headers: { ...key, ...JSON_HEADERS },
      body: `{"x":"${'€'.repeat(400_000)}"}`,
      expectStatus: 413,
    },
    {
      api,
      name: `${api} unicode body`,
      ...post,
      headers: { ...key, ...JSON_HEADERS },
      body: JSON.stringify({ ...JSON.parse(validBody(withBody)), note: 'Grüße ✓ 🎉' }),
    },
    { api, name: `${api} Prefer code=404`, ...get, headers: { ...key, prefer: 'code=404' }, expectStatus: 404 },
    { api, name: `${api} Prefer code=429`, ...get, headers: { ...key, prefer: 'code=429' }, expectStatus: 429 },
    {
      api,
      name: `${api} Prefer undocumented code`,
      ...get,
      headers: { ...key, prefer: 'code=418' },
      expectStatus: 400,
    },
    {
      api,
      name: `${api} Prefer unknown example`,
      ...get,
      headers: { ...key, prefer: 'code=401, example=doesNotExist' },
      expectStatus: 400,
    },
    { api, name: `${api} Prefer without a key`, ...get, headers: { prefer: 'code=200' }, expectStatus: 401 },
    {
      api,
      name: `${api} Prefer garbage`,
      ...get,
      headers: { ...key, prefer: 'respond-async, wait=5, code=abc' },
      expectStatus: getOne.successStatus,
    },
    {
      api,
      name: `${api} query string on a route`,
      ...get,
      query: 'expand=all&x=%20y',
      headers: key,
      expectStatus: getOne.successStatus,
    },
    {
      api,
      name: `${api} Basic scheme only`,
      ...get,
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
      expectStatus: 401,
    },
    {
      api,
      name: `${api} Bearer with nothing after it`,
      ...get,
      headers: { authorization: 'Bearer ' },
      expectStatus: 401,
    },
    {
      api,
      name: `${api} lowercase bearer, tab`,
      ...get,
      headers: { authorization: `bearer\t${Object.values(key)[0].replace(/^Bearer /, '')}` },
      expectStatus: getOne.successStatus,
    },
  ];
  if (api === 'mvo') {
    const { 'x-api-key': active } = admin('mvo');
    cases.push(
      {
        api,
        name: 'mvo X-API-Key wins over a valid Bearer',
        ...get,
        headers: { 'x-api-key': 'sk_live_bad', authorization: `Bearer ${active}` },
        expectStatus: 401,
      },
      {
        api,
        name: 'mvo Prefer code=409 on create',
        ...post,
        headers: { ...key, ...JSON_HEADERS, prefer: 'code=409' },
        body: validBody(withBody),
        expectStatus: 409,
      },
      {
        api,
        name: 'mvo Prefer named example',
        ...post,
        headers: { ...key, ...JSON_HEADERS, prefer: 'code=400, example=invalidEmail' },
        body: validBody(withBody),
        expectStatus: 400,
      },
      {
        api,
        name: 'mvo Prefer code=204 on delete',
        method: 'DELETE',
        path: get.path,
        headers: { ...key, prefer: 'code=204' },
        expectStatus: 204,
      },
    );
  }
  if (api === 'tvm' && list) {
    const listPath = examplePath(list);
    cases.push(
      {
        api,
        name: 'tvm list, valid paging',
        method: 'GET',
        path: listPath,
        query: 'page=2&limit=5',
        headers: key,
        expectStatus: 200,
      },
      {
        api,
        name: 'tvm list, limit over 100',
        method: 'GET',
        path: listPath,
        query: 'limit=1000',
        headers: key,
        expectStatus: 400,
      },
      {
        api,
        name: 'tvm list, page 0',
        method: 'GET',
        path: listPath,
        query: 'page=0',
        headers: key,
        expectStatus: 400,
      },
      {
        api,
        name: 'tvm list, bad enum',
        method: 'GET',
        path: listPath,
        query: 'status=bogus',
        headers: key,
        expectStatus: 400,
      },
      {
        api,
        name: 'tvm list, limit not a number, no key',
        method: 'GET',
        path: listPath,
        query: 'limit=abc',
        expectStatus: 401,
      },
      {
        api,
        name: 'tvm Prefer code=404 example=shopNotFound',
        method: 'POST',
        path: '/v1/content',
        headers: { ...key, ...JSON_HEADERS, prefer: 'code=404, example=shopNotFound' },
        body: validBody(ops.find((op) => op.operationId === 'createContent')!),
        expectStatus: 404,
      },
    );
  }
  return cases;
}

/** The control API under `/__mock`; fresh fields (id, key, prefix, created_at, last_used_at) differ per side. */
function controlCases(api: ApiName): RequestCase[] {
  const getOne = apiModel(api).operations.find((op) => op.method === 'GET' && op.path.includes('{'))!;
  const revokedStatus = api === 'mvo' ? 'revoked' : 'disabled';
  const firstFixture = FIXTURE_KEYS[api][0].id!;
  return [
    { api, name: `${api} control: list keys`, method: 'GET', path: '/__mock/keys', expectStatus: 200 },
    {
      api,
      name: `${api} control: create key`,
      method: 'POST',
      path: '/__mock/keys',
      headers: JSON_HEADERS,
      body: JSON.stringify({ name: 'Parity key', ...(api === 'tvm' ? { scopes: ['offers:read'] } : {}) }),
      expectStatus: 201,
    },
    {
      api,
      name: `${api} control: create key without a name`,
      method: 'POST',
      path: '/__mock/keys',
      headers: JSON_HEADERS,
      body: '{}',
      expectStatus: 400,
    },
    {
      api,
      name: `${api} control: create key, bad JSON`,
      method: 'POST',
      path: '/__mock/keys',
      headers: JSON_HEADERS,
      body: '{',
      expectStatus: 400,
    },
    { api, name: `${api} control: create key, no body`, method: 'POST', path: '/__mock/keys', expectStatus: 400 },
    {
      api,
      name: `${api} control: create key with the other API's status`,
      method: 'POST',
      path: '/__mock/keys',
      headers: JSON_HEADERS,
      body: JSON.stringify({ name: 'x', status: api === 'mvo' ? 'disabled' : 'revoked' }),
      expectStatus: 400,
    },
    {
      api,
      name: `${api} control: ${revokedStatus} a fixture`,
      method: 'PATCH',
      path: `/__mock/keys/${firstFixture}`,
      headers: JSON_HEADERS,
      body: JSON.stringify({ status: revokedStatus }),
      expectStatus: 200,
    },
    {
      api,
      name: `${api} control: the ${revokedStatus} fixture now fails`,
      method: 'GET',
      path: examplePath(getOne),
      headers: admin(api),
      expectStatus: api === 'tvm' ? 403 : 401,
    },
    {
      api,
      name: `${api} control: update unknown key`,
      method: 'PATCH',
      path: '/__mock/keys/key_nope',
      headers: JSON_HEADERS,
      body: JSON.stringify({ status: 'active' }),
      expectStatus: 404,
    },
    {
      api,
      name: `${api} control: delete unknown key`,
      method: 'DELETE',
      path: '/__mock/keys/key_nope',
      expectStatus: 404,
    },
    { api, name: `${api} control: unknown control route`, method: 'GET', path: '/__mock/nothing', expectStatus: 404 },
    {
      api,
      name: `${api} control: delete a fixture`,
      method: 'DELETE',
      path: `/__mock/keys/${FIXTURE_KEYS[api][1].id}`,
      expectStatus: 204,
    },
    { api, name: `${api} control: reset`, method: 'POST', path: '/__mock/reset', expectStatus: 204 },
    { api, name: `${api} control: list after reset`, method: 'GET', path: '/__mock/keys', expectStatus: 200 },
  ];
}

/** Every case, in the order to send them (operations, then edges, then the control API, which changes state last). */
export const REQUEST_CASES: Record<ApiName, RequestCase[]> = {
  mvo: [...operationCases('mvo'), ...edgeCases('mvo'), ...controlCases('mvo')],
  tvm: [...operationCases('tvm'), ...edgeCases('tvm'), ...controlCases('tvm')],
};

/** `?query` for a case, empty when it has none. */
export const searchOf = (c: RequestCase) => (c.query === undefined ? '' : `?${c.query}`);
