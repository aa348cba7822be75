/**
 * Hostile requests, as data, for test/hardening/hostile.test.ts. Every case must get a 4xx in the API's own
 * envelope (MVO `{error, message}`, TVM `{success: false, error: {code, message}}`; the control API answers
 * `{error, message}` on both), never a 5xx and never a hang, and the mock must answer a valid request after it.
 *
 * - `fetch` cases are sent to the Node mock server (real socket) and through the MSW handlers (same Request).
 *   Where the transport differs, `expect` names each side's status: Node's HTTP parser refuses headers over
 *   16 KiB with 431 and unknown methods with 400 before the pipeline sees them; MSW has no such limits, so the
 *   pipeline answers (401, 404…). Fetch normalises `..` and `%2e%2e` in paths, so MSW sees the normalised path.
 * - `raw` cases are bytes on a `node:net` socket (Node only): bad request lines, invalid header bytes,
 *   duplicate header lines, broken framing — what fetch refuses to send.
 */
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import type { ApiName } from '../../mock-server/src/model/index.ts';

export type Target = 'node' | 'msw';

interface BaseCase {
  name: string;
  api: ApiName;
  /** One status for every target, or one per target. */
  expect: number | Record<Target, number>;
}

export interface FetchCase extends BaseCase {
  kind: 'fetch';
  method: string;
  /** Path and query as passed to fetch. */
  path: string;
  /** Pairs, so a name may repeat (fetch joins repeats with `, `, as `Headers.append` does). */
  headers?: [string, string][];
  /** Text, or bytes (bytes carry no implicit Content-Type). */
  body?: string | Uint8Array;
}

export interface RawCase extends BaseCase {
  kind: 'raw';
  /** Bytes sent as is (latin1: one char, one byte), then the socket is half-closed. */
  bytes: string;
}

export type HostileCase = FetchCase | RawCase;

export const KEYS = {
  mvo: fixtureKey('mvo', 'key_mvo_active'),
  mvoRevoked: fixtureKey('mvo', 'key_mvo_revoked'),
  tvm: fixtureKey('tvm', 'key_tvm_admin'),
  tvmReadonly: fixtureKey('tvm', 'key_tvm_readonly'),
  tvmDisabled: fixtureKey('tvm', 'key_tvm_disabled'),
};

/** A valid request per API, sent after every case: the mock must still answer it with 200. */
export const VALID_REQUEST: Record<ApiName, { path: string; headers: Record<string, string> }> = {
  mvo: { path: '/api/customers/550e8400-e29b-41d4-a716-446655440000', headers: { 'x-api-key': KEYS.mvo } },
  tvm: { path: '/v1/shop', headers: { authorization: `Bearer ${KEYS.tvm}` } },
};

const CUSTOMER = '/api/customers';
const CUSTOMER_ID = '/api/customers/550e8400-e29b-41d4-a716-446655440000';
const MIB = 1_048_576;
const JSON_TYPE: [string, string] = ['content-type', 'application/json'];
const mvoKey: [string, string] = ['x-api-key', KEYS.mvo];
const tvmBearer: [string, string] = ['authorization', `Bearer ${KEYS.tvm}`];
const validCustomer = { first_name: 'John', last_name: 'Doe', email: 'john@example.com' };

/** One character changed, dropped or added, keeping the key's prefix. */
const changeLast = (key: string) => key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
const deepArray = '['.repeat(10_000) + ']'.repeat(10_000);
const deepObject = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
/** 5,000 levels in about 10 KB, where a schema lets any JSON through (an unknown member): only the nesting bound stops it. */
const deepArray5k = '['.repeat(5_000) + ']'.repeat(5_000);
const manyHeaders = (count: number, size: number): [string, string][] =>
  Array.from({ length: count }, (_, i) => [`x-filler-${i}`, 'v'.repeat(size)]);
const hugeQuery = 'a'.repeat(70 * 1024);

const mvoPost = (
  name: string,
  body: string | Uint8Array,
  expect: HostileCase['expect'],
  headers: [string, string][] = [mvoKey, JSON_TYPE],
): FetchCase => ({ kind: 'fetch', api: 'mvo', name, method: 'POST', path: CUSTOMER, headers, body, expect });
const tvmPost = (
  name: string,
  body: string | Uint8Array,
  expect: HostileCase['expect'],
  headers: [string, string][] = [tvmBearer, JSON_TYPE],
): FetchCase => ({ kind: 'fetch', api: 'tvm', name, method: 'POST', path: '/v1/offers', headers, body, expect });
const get = (
  api: ApiName,
  name: string,
  path: string,
  headers: [string, string][],
  expect: HostileCase['expect'],
  method = 'GET',
): FetchCase => ({ kind: 'fetch', api, name, method, path, headers, expect });

// ---------------------------------------------------------------------------------------------
// MVO through fetch (Node server and MSW)

const MVO_FETCH: FetchCase[] = [
  // Malformed and truncated JSON, odd JSON values
  mvoPost('truncated JSON', '{"first_name":"Jo', 400),
  mvoPost('JSON with single quotes and bare names', "{first_name: 'John'}", 400),
  // A leading BOM is dropped, as Fetch's Request.text() and Fastify's JSON parser drop it; the body is then validated.
  mvoPost(
    'a byte-order mark before JSON lacking the email',
    `\uFEFF${JSON.stringify({ first_name: 'John', last_name: 'Doe' })}`,
    400,
  ),
  mvoPost('invalid UTF-8 bytes as the body', new Uint8Array([0xff, 0xfe, 0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 400),
  mvoPost('JSON null', 'null', 400),
  mvoPost('a JSON array', '[]', 400),
  mvoPost('a JSON string', '"john@example.com"', 400),
  mvoPost('an empty body sent as JSON', '', 400),
  // Content types
  mvoPost('valid JSON sent as text/plain', JSON.stringify(validCustomer), 400, [
    mvoKey,
    ['content-type', 'text/plain'],
  ]),
  mvoPost('valid JSON sent with no Content-Type', new TextEncoder().encode(JSON.stringify(validCustomer)), 400, [
    mvoKey,
  ]),
  mvoPost('XML as application/xml', '<customer><first_name>John</first_name></customer>', 400, [
    mvoKey,
    ['content-type', 'application/xml'],
  ]),
  mvoPost('a form body labelled JSON', 'first_name=John&last_name=Doe', 400),
  mvoPost(
    'multipart/form-data',
    '--x\r\nContent-Disposition: form-data; name="first_name"\r\n\r\nJohn\r\n--x--\r\n',
    400,
    [mvoKey, ['content-type', 'multipart/form-data; boundary=x']],
  ),
  mvoPost('two Content-Types, JSON and text', JSON.stringify(validCustomer), 400, [
    mvoKey,
    JSON_TYPE,
    ['content-type', 'text/plain'],
  ]),
  // Sizes
  mvoPost('a body over 1 MiB', JSON.stringify({ ...validCustomer, first_name: 'J'.repeat(MIB) }), 413),
  mvoPost('a body over 1 MiB and no key', 'x'.repeat(MIB + 10), 401, [JSON_TYPE]),
  get('mvo', 'one X-API-Key of 20 KiB', CUSTOMER_ID, [['x-api-key', `sk_live_${'A'.repeat(20 * 1024)}`]], {
    node: 431,
    msw: 401,
  }),
  get('mvo', '200 small headers and no key', CUSTOMER_ID, manyHeaders(200, 8), 401),
  get('mvo', '200 headers of 100 bytes (20 KiB)', CUSTOMER_ID, manyHeaders(200, 100), { node: 431, msw: 401 }),
  get('mvo', 'a query string over 64 KiB', `${CUSTOMER_ID}?q=${hugeQuery}`, [], { node: 431, msw: 401 }),
  // Duplicate and conflicting credentials
  get('mvo', 'two X-API-Key headers, both the valid key', CUSTOMER_ID, [mvoKey, mvoKey], 401),
  get(
    'mvo',
    'two X-API-Key headers, valid and unknown',
    CUSTOMER_ID,
    [mvoKey, ['x-api-key', changeLast(KEYS.mvo)]],
    401,
  ),
  get(
    'mvo',
    'X-API-Key revoked, Bearer valid (X-API-Key wins, no fallback)',
    CUSTOMER_ID,
    [
      ['x-api-key', KEYS.mvoRevoked],
      ['authorization', `Bearer ${KEYS.mvo}`],
    ],
    401,
  ),
  get(
    'mvo',
    'X-API-Key malformed, Bearer valid',
    CUSTOMER_ID,
    [
      ['x-api-key', 'sk_live_nope'],
      ['authorization', `Bearer ${KEYS.mvo}`],
    ],
    401,
  ),
  get(
    'mvo',
    'two Bearer credentials in one Authorization',
    CUSTOMER_ID,
    [
      ['authorization', `Bearer ${KEYS.mvo}`],
      ['authorization', `Bearer ${KEYS.mvoRevoked}`],
    ],
    401,
  ),
  // Bearer variations
  get('mvo', '"Bearer" with nothing after it', CUSTOMER_ID, [['authorization', 'Bearer']], 401),
  get('mvo', '"Bearer" and tabs only', CUSTOMER_ID, [['authorization', 'Bearer\t\t']], 401),
  get(
    'mvo',
    '"bEaReR" with extra spaces and an unknown key',
    CUSTOMER_ID,
    [['authorization', `bEaReR    ${changeLast(KEYS.mvo)}`]],
    401,
  ),
  get(
    'mvo',
    'a tab inside the key',
    CUSTOMER_ID,
    [['authorization', `Bearer ${KEYS.mvo.slice(0, 20)}\t${KEYS.mvo.slice(20)}`]],
    401,
  ),
  get('mvo', '"Token" scheme with the valid key', CUSTOMER_ID, [['authorization', `Token ${KEYS.mvo}`]], 401),
  // Near-valid keys
  get('mvo', 'key differing in its last character', CUSTOMER_ID, [['x-api-key', changeLast(KEYS.mvo)]], 401),
  get('mvo', 'key one character shorter', CUSTOMER_ID, [['x-api-key', KEYS.mvo.slice(0, -1)]], 401),
  get('mvo', 'key one character longer', CUSTOMER_ID, [['x-api-key', `${KEYS.mvo}x`]], 401),
  get(
    'mvo',
    'key with a Latin-1 byte in place of a character',
    CUSTOMER_ID,
    [['x-api-key', `${KEYS.mvo.slice(0, -1)}é`]],
    401,
  ),
  get('mvo', 'key in upper case', CUSTOMER_ID, [['x-api-key', KEYS.mvo.toUpperCase()]], 401),
  // HTTP trims spaces and tabs around a value, nothing else: a no-break space (0xA0) is part of the key.
  get('mvo', 'the valid key followed by a no-break space', CUSTOMER_ID, [['x-api-key', `${KEYS.mvo}\u00a0`]], 401),
  get(
    'mvo',
    'Bearer, a no-break space, then the valid key',
    CUSTOMER_ID,
    [['authorization', `Bearer \u00a0${KEYS.mvo}`]],
    401,
  ),
  get('mvo', 'a TVM key', CUSTOMER_ID, [['x-api-key', KEYS.tvm]], 401),
  // Paths
  get('mvo', 'path traversal (fetch normalises it to /etc/passwd)', '/api/customers/../../etc/passwd', [mvoKey], 404),
  get(
    'mvo',
    'an encoded slash joining two segments',
    `/api/customers%2F550e8400-e29b-41d4-a716-446655440000`,
    [mvoKey],
    404,
  ),
  get('mvo', 'non-ASCII in the path', '/api/cüstömers/☃', [mvoKey], 404),
  get('mvo', 'an encoded NUL in the path', '/api/%00customers', [mvoKey], 404),
  get('mvo', 'an invalid percent-escape in the path', '/api/%zzcustomers', [mvoKey], 404),
  get('mvo', 'a path segment of 8 KiB', `/api/${'c'.repeat(8 * 1024)}`, [mvoKey], 404),
  // Methods
  get('mvo', 'PROPFIND', CUSTOMER, [mvoKey], 404, 'PROPFIND'),
  get('mvo', 'BREW (not an HTTP method Node knows)', CUSTOMER, [mvoKey], { node: 400, msw: 404 }, 'BREW'),
  // JSON shapes
  mvoPost('JSON nested 10,000 levels deep (arrays)', deepArray, 400),
  mvoPost(
    'JSON nested 10,000 levels deep in a field',
    `{"first_name":${deepObject},"last_name":"Doe","email":"john@example.com"}`,
    400,
  ),
  mvoPost('prototype pollution through __proto__', '{"__proto__":{"admin":true}}', 400),
  mvoPost('prototype pollution through constructor.prototype', '{"constructor":{"prototype":{"admin":true}}}', 400),
  mvoPost(
    'an address holding an unknown member nested 5,000 levels deep',
    `{"first_name":"John","last_name":"Doe","email":"deep@example.com","address_data":{"street":"x","extra":${deepArray5k}}}`,
    400,
  ),
  mvoPost('1e309 where a string goes', '{"first_name":1e309,"last_name":"Doe","email":"john@example.com"}', 400),
  mvoPost(
    'duplicate JSON keys, the last one invalid (the last one wins, as in JSON.parse)',
    '{"email":"john@example.com","first_name":"John","last_name":"Doe","email":"not an email"}',
    400,
  ),
];

// ---------------------------------------------------------------------------------------------
// TVM through fetch (Node server and MSW)

const TVM_FETCH: FetchCase[] = [
  tvmPost('truncated JSON', '{"title":"20% off', 400),
  tvmPost('JSON with a trailing comma', '{"title":"x",}', 400),
  tvmPost('JSON null', 'null', 400),
  tvmPost('an empty body sent as JSON', '', 400),
  tvmPost('valid JSON sent as text/plain', '{"title":"x"}', 400, [tvmBearer, ['content-type', 'text/plain']]),
  tvmPost('valid JSON sent with no Content-Type', new TextEncoder().encode('{"title":"x"}'), 400, [tvmBearer]),
  tvmPost('application/x-www-form-urlencoded', 'title=x', 400, [
    tvmBearer,
    ['content-type', 'application/x-www-form-urlencoded'],
  ]),
  tvmPost('a body over 1 MiB', JSON.stringify({ title: 'T'.repeat(MIB) }), 413),
  tvmPost('a body over 1 MiB from a key without offers:write', JSON.stringify({ title: 'T'.repeat(MIB) }), 403, [
    ['authorization', `Bearer ${KEYS.tvmReadonly}`],
    JSON_TYPE,
  ]),
  tvmPost('JSON nested 10,000 levels deep', deepObject, 400),
  tvmPost('JSON nested 10,000 levels deep in a field', `{"title":"x","description":${deepArray}}`, 400),
  tvmPost('an unknown member nested 5,000 levels deep', `{"title":"x","extra":${deepArray5k}}`, 400),
  tvmPost('prototype pollution through __proto__', '{"__proto__":{"admin":true},"title":""}', 400),
  tvmPost(
    'prototype pollution through constructor.prototype',
    '{"constructor":{"prototype":{"isAdmin":true}},"title":1}',
    400,
  ),
  tvmPost('1e309 as a number (Infinity)', '{"title":"x","discountValue":1e309}', 400),
  tvmPost('-1e309 as a number (-Infinity)', '{"title":"x","minSpend":-1e309}', 400),
  tvmPost('duplicate JSON keys, the last one invalid', '{"title":"x","title":""}', 400),
  get('tvm', 'one Authorization of 20 KiB', '/v1/shop', [['authorization', `Bearer tvm_${'a'.repeat(20 * 1024)}`]], {
    node: 431,
    msw: 401,
  }),
  get('tvm', '200 small headers and no key', '/v1/shop', manyHeaders(200, 8), 401),
  get('tvm', '200 headers of 100 bytes (20 KiB), no key', '/v1/shop', manyHeaders(200, 100), { node: 431, msw: 401 }),
  get('tvm', 'a query string over 64 KiB', `/v1/offers?page=${hugeQuery}`, [tvmBearer], { node: 431, msw: 400 }),
  get('tvm', 'page=1e309', '/v1/offers?page=1e309', [tvmBearer], 400),
  get(
    'tvm',
    '__proto__ in the query and a bad limit',
    '/v1/offers?__proto__[admin]=1&constructor=x&limit=-1',
    [tvmBearer],
    400,
  ),
  // A repeated scalar parameter: validation and the handler once read different values (the last, the first).
  get('tvm', 'limit repeated, over the maximum then valid', '/v1/offers?limit=1000&limit=5', [tvmBearer], 400),
  get('tvm', 'page repeated, 0 then 1', '/v1/offers?page=0&page=1', [tvmBearer], 400),
  get('tvm', 'page repeated, not a number then 1', '/v1/offers?page=abc&page=1', [tvmBearer], 400),
  get('tvm', 'limit repeated, both valid', '/v1/offers?limit=5&limit=6', [tvmBearer], 400),
  {
    kind: 'fetch',
    api: 'mvo',
    name: 'control API: a journal limit repeated',
    method: 'GET',
    path: '/__mock/requests?limit=1&limit=2',
    expect: 400,
  },
  get(
    'tvm',
    'two Authorization headers, valid and unknown',
    '/v1/shop',
    [tvmBearer, ['authorization', `Bearer ${changeLast(KEYS.tvm)}`]],
    401,
  ),
  get('tvm', 'two Authorization headers, both valid', '/v1/shop', [tvmBearer, tvmBearer], 401),
  get('tvm', 'the valid key in X-API-Key only', '/v1/shop', [['x-api-key', KEYS.tvm]], 401),
  get('tvm', '"Bearer" with nothing after it', '/v1/shop', [['authorization', 'Bearer ']], 401),
  get('tvm', '"Bearer" and a tab only', '/v1/shop', [['authorization', 'Bearer\t']], 401),
  get(
    'tvm',
    '"BeArEr" with spaces and an unknown key',
    '/v1/shop',
    [['authorization', `BeArEr   ${changeLast(KEYS.tvm)}`]],
    401,
  ),
  get('tvm', '"Bearer:" with a colon', '/v1/shop', [['authorization', `Bearer: ${KEYS.tvm}`]], 401),
  get(
    'tvm',
    'key differing in its last character',
    '/v1/shop',
    [['authorization', `Bearer ${changeLast(KEYS.tvm)}`]],
    401,
  ),
  get('tvm', 'key one character shorter', '/v1/shop', [['authorization', `Bearer ${KEYS.tvm.slice(0, -1)}`]], 401),
  get('tvm', 'key one character longer', '/v1/shop', [['authorization', `Bearer ${KEYS.tvm}0`]], 401),
  get(
    'tvm',
    'the valid key followed by a no-break space',
    '/v1/shop',
    [['authorization', `Bearer ${KEYS.tvm}\u00a0`]],
    401,
  ),
  get('tvm', 'key with a Latin-1 byte', '/v1/shop', [['authorization', `Bearer ${KEYS.tvm.slice(0, -1)}ÿ`]], 401),
  get('tvm', 'an MVO key', '/v1/shop', [['authorization', `Bearer ${KEYS.mvo}`]], 401),
  get('tvm', 'a disabled key', '/v1/shop', [['authorization', `Bearer ${KEYS.tvmDisabled}`]], 403),
  get('tvm', 'path traversal with %2e%2e (fetch normalises it to /shop)', '/v1/%2e%2e/shop', [tvmBearer], 404),
  get('tvm', 'an encoded slash joining two segments', '/v1/offers%2Foffer_abc123', [tvmBearer], 404),
  get('tvm', 'an encoded slash inside an id, no key', '/v1/offers/a%2Fb', [], 401),
  get('tvm', 'non-ASCII in the path', '/v1/shöp', [tvmBearer], 404),
  get('tvm', 'PROPFIND', '/v1/shop', [tvmBearer], 404, 'PROPFIND'),
  get('tvm', 'BREW', '/v1/shop', [tvmBearer], { node: 400, msw: 404 }, 'BREW'),
  // The control API
  {
    kind: 'fetch',
    api: 'tvm',
    name: 'control API: truncated JSON',
    method: 'POST',
    path: '/__mock/keys',
    headers: [JSON_TYPE],
    body: '{"name":',
    expect: 400,
  },
  {
    kind: 'fetch',
    api: 'tvm',
    name: 'control API: __proto__ instead of a name',
    method: 'POST',
    path: '/__mock/keys',
    headers: [JSON_TYPE],
    body: '{"__proto__":{"name":"x","scopes":["*"]}}',
    expect: 400,
  },
  {
    kind: 'fetch',
    api: 'mvo',
    name: 'control API: JSON nested 10,000 levels deep',
    method: 'POST',
    path: '/__mock/keys',
    headers: [JSON_TYPE],
    body: deepObject,
    expect: 400,
  },
  {
    kind: 'fetch',
    api: 'mvo',
    name: 'control API: a name over 1 MiB',
    method: 'POST',
    path: '/__mock/keys',
    headers: [JSON_TYPE],
    body: JSON.stringify({ name: 'n'.repeat(MIB) }),
    expect: 413,
  },
  // A browser sends these to any origin without a preflight: a page must not mint a key with them.
  {
    kind: 'fetch',
    api: 'tvm',
    name: 'control API: a valid key request sent as text/plain',
    method: 'POST',
    path: '/__mock/keys',
    headers: [['content-type', 'text/plain']],
    body: '{"name":"from a web page","scopes":["*"]}',
    expect: 400,
  },
  {
    kind: 'fetch',
    api: 'mvo',
    name: 'control API: a scenario sent as a form',
    method: 'POST',
    path: '/__mock/scenarios',
    headers: [['content-type', 'application/x-www-form-urlencoded']],
    body: '{"fault":"hang","path":"/*"}',
    expect: 400,
  },
  {
    kind: 'fetch',
    api: 'mvo',
    name: 'control API: traversal in a key id',
    method: 'PATCH',
    path: '/__mock/keys/..%2F..%2Freset',
    headers: [JSON_TYPE],
    body: '{"status":"revoked"}',
    expect: 404,
  },
];

// ---------------------------------------------------------------------------------------------
// Raw bytes on a socket (Node only)

const request = (head: string, body = '') => `${head}\r\n\r\n${body}`;
const lines = (...parts: string[]) => parts.join('\r\n');
const rawGet = (target: string, ...headers: string[]) =>
  request(lines(`GET ${target} HTTP/1.1`, 'Host: mock', 'Connection: close', ...headers));
const auth = (api: ApiName) => (api === 'mvo' ? `X-API-Key: ${KEYS.mvo}` : `Authorization: Bearer ${KEYS.tvm}`);
const raw = (api: ApiName, name: string, bytes: string, expect: number): RawCase => ({
  kind: 'raw',
  api,
  name,
  bytes,
  expect,
});
const utf8AsLatin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const customerPost = (...headers: string[]) =>
  lines('POST /api/customers HTTP/1.1', 'Host: mock', 'Connection: close', `X-API-Key: ${KEYS.mvo}`, ...headers);
const customerBody = JSON.stringify(validCustomer);

/** A control request as a web page's browser would send it: the Host and Origin lines are the point. */
const pageBody = '{"name":"from a page"}';
const controlPost = (path: string, ...headers: string[]) =>
  request(
    lines(
      `POST ${path} HTTP/1.1`,
      'Connection: close',
      'Content-Type: application/json',
      `Content-Length: ${pageBody.length}`,
      ...headers,
    ),
    pageBody,
  );

const RAW: RawCase[] = [
  // The control API refuses what a web page can send it (mock-server/src/node/control-guard.ts).
  raw(
    'tvm',
    'control API: a foreign Host (DNS rebinding)',
    controlPost('/__mock/keys', 'Host: rebind.evil.example:4011'),
    403,
  ),
  raw(
    'mvo',
    'control API: a cross-site Origin',
    controlPost('/__mock/keys', 'Host: 127.0.0.1:4010', 'Origin: https://evil.example'),
    403,
  ),
  raw(
    'tvm',
    'control API: Sec-Fetch-Site cross-site, no Origin',
    controlPost('/__mock/reset', 'Host: localhost:4011', 'Sec-Fetch-Site: cross-site'),
    403,
  ),
  raw(
    'mvo',
    'control API: Origin null (a sandboxed page)',
    controlPost('/__mock/keys', 'Host: 127.0.0.1:4010', 'Origin: null'),
    403,
  ),
  raw('mvo', 'literal path traversal', rawGet('/api/customers/../../etc/passwd', auth('mvo')), 404),
  raw('tvm', 'literal %2e%2e in the path', rawGet('/v1/%2e%2e/shop', auth('tvm')), 404),
  raw('tvm', 'literal ../ back into a real route', rawGet('/v1/offers/../shop', auth('tvm')), 404),
  raw('tvm', 'raw UTF-8 bytes in the path', rawGet(utf8AsLatin1('/v1/shöp'), auth('tvm')), 400),
  raw('tvm', 'a control byte in the path', rawGet('/v1/\x01shop', auth('tvm')), 400),
  raw(
    'tvm',
    'a control byte in the Authorization value',
    rawGet('/v1/shop', `Authorization: Bearer \x01${KEYS.tvm}`),
    400,
  ),
  raw('mvo', 'a NUL byte in X-API-Key', rawGet(CUSTOMER_ID, `X-API-Key: ${KEYS.mvo}\x00`), 400),
  raw('mvo', 'a bare CR inside a header value', rawGet(CUSTOMER_ID, `X-API-Key: sk_live_\rX-Other: 1`), 400),
  raw(
    'tvm',
    'a Latin-1 byte in the Authorization value',
    rawGet('/v1/shop', `Authorization: Bearer \xe9${KEYS.tvm}`),
    401,
  ),
  raw(
    'tvm',
    'two Authorization lines, valid then unknown',
    rawGet('/v1/shop', auth('tvm'), `Authorization: Bearer ${changeLast(KEYS.tvm)}`),
    401,
  ),
  raw(
    'mvo',
    'two Authorization lines, valid then revoked',
    rawGet(CUSTOMER_ID, `Authorization: Bearer ${KEYS.mvo}`, `Authorization: Bearer ${KEYS.mvoRevoked}`),
    401,
  ),
  raw('mvo', 'two X-API-Key lines', rawGet(CUSTOMER_ID, auth('mvo'), auth('mvo')), 401),
  raw(
    'mvo',
    'two Content-Type lines, JSON then text',
    request(
      customerPost(
        'Content-Type: application/json',
        'Content-Type: text/plain',
        `Content-Length: ${customerBody.length}`,
      ),
      customerBody,
    ),
    400,
  ),
  raw('tvm', 'a header of 20 KiB', rawGet('/v1/shop', auth('tvm'), `X-Big: ${'a'.repeat(20 * 1024)}`), 431),
  raw(
    'tvm',
    '200 headers of 100 bytes',
    rawGet('/v1/shop', auth('tvm'), ...manyHeaders(200, 100).map(([n, v]) => `${n}: ${v}`)),
    431,
  ),
  // Node's own limit counts names and values only: 1,000 short lines (about 20 KB as sent) passed it.
  raw(
    'tvm',
    '1,000 short header lines (about 20 KB)',
    rawGet('/v1/shop', auth('tvm'), ...Array.from({ length: 1_000 }, (_, i) => `x${i}: ${'v'.repeat(12)}`)),
    431,
  ),
  raw('tvm', 'an Expect other than 100-continue', rawGet('/v1/shop', auth('tvm'), 'Expect: foo'), 417),
  raw(
    'mvo',
    'CONNECT',
    request(lines('CONNECT api.my-virtual-office.com:443 HTTP/1.1', 'Host: api.my-virtual-office.com:443')),
    405,
  ),
  raw('mvo', 'a request line over 64 KiB', rawGet(`${CUSTOMER_ID}?q=${hugeQuery}`, auth('mvo')), 431),
  raw('tvm', 'an unknown method', request(lines('BREW /v1/shop HTTP/1.1', 'Host: mock', 'Connection: close')), 400),
  raw(
    'tvm',
    'a lower-case method',
    request(lines('get /v1/shop HTTP/1.1', 'Host: mock', 'Connection: close', auth('tvm'))),
    400,
  ),
  raw('tvm', 'a garbage request line', request('GARBAGE'), 400),
  raw('mvo', 'binary bytes', '\x00\x01\x02\xff\xfe\r\n\r\n', 400),
  raw('tvm', 'an HTTP/2 preface on HTTP/1.1', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400),
  raw('mvo', 'HTTP/7.0', request(lines(`GET ${CUSTOMER_ID} HTTP/7.0`, 'Host: mock', auth('mvo'))), 400),
  raw(
    'mvo',
    'no Host header (HTTP/1.1)',
    request(lines(`GET ${CUSTOMER_ID} HTTP/1.1`, 'Connection: close', auth('mvo'))),
    400,
  ),
  raw('tvm', 'a folded header (obs-fold)', rawGet('/v1/shop', 'Authorization: Bearer', ` ${KEYS.tvm}`), 400),
  raw('tvm', 'a space before the colon', rawGet('/v1/shop', `Authorization : Bearer ${KEYS.tvm}`), 400),
  raw('tvm', 'a header name with a bracket', rawGet('/v1/shop', auth('tvm'), 'X-Ke(y: 1'), 400),
  raw('tvm', 'LF-only line endings', `GET /v1/shop HTTP/1.1\nHost: mock\nConnection: close\n${auth('tvm')}\n\n`, 400),
  raw(
    'mvo',
    'two different Content-Lengths',
    request(customerPost('Content-Type: application/json', 'Content-Length: 2', 'Content-Length: 3'), '{}'),
    400,
  ),
  raw(
    'mvo',
    'Content-Length and Transfer-Encoding together',
    request(
      customerPost('Content-Type: application/json', 'Content-Length: 5', 'Transfer-Encoding: chunked'),
      '0\r\n\r\n',
    ),
    400,
  ),
  raw(
    'mvo',
    'a negative Content-Length',
    request(customerPost('Content-Type: application/json', 'Content-Length: -1'), '{}'),
    400,
  ),
  raw(
    'mvo',
    'an absurd Content-Length',
    request(customerPost('Content-Type: application/json', 'Content-Length: 99999999999999999999999'), '{}'),
    400,
  ),
  raw(
    'mvo',
    'an invalid chunk size',
    request(customerPost('Content-Type: application/json', 'Transfer-Encoding: chunked'), 'ZZ\r\n{}\r\n0\r\n\r\n'),
    400,
  ),
  raw(
    'mvo',
    'a body cut short, then the client half-closes',
    request(customerPost('Content-Type: application/json', 'Content-Length: 100'), '{"first_name":'),
    400,
  ),
  raw(
    'mvo',
    'a chunked body over 1 MiB',
    request(
      customerPost('Content-Type: application/json', 'Transfer-Encoding: chunked'),
      `${(MIB + 2).toString(16)}\r\n"${'x'.repeat(MIB)}"\r\n0\r\n\r\n`,
    ),
    413,
  ),
  raw(
    'tvm',
    'an unknown Transfer-Encoding',
    request(
      lines(
        'POST /v1/offers HTTP/1.1',
        'Host: mock',
        'Connection: close',
        auth('tvm'),
        'Content-Type: application/json',
        'Transfer-Encoding: gzip, chunked',
      ),
      '0\r\n\r\n',
    ),
    400,
  ),
];

export const HOSTILE_CASES: HostileCase[] = [...MVO_FETCH, ...TVM_FETCH, ...RAW];

export function expectedStatus(c: HostileCase, target: Target): number {
  return typeof c.expect === 'number' ? c.expect : c.expect[target];
}
