/**
 * mock-server/BEHAVIOUR.md's plain `prism mock` commands work on the bundled descriptions, and each thing the README says
 * Prism then does not enforce is true, so teams choosing between Prism and these mocks choose knowingly.
 * Also holds assumption MVO-A8 against a schema-following validator: a non-UUID customer id is not a 422.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { embeddedSpec } from '../../mock-server/src/model/index.ts';
import { startPrism, type PrismHandle } from '../helpers/prism.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const readme = readFileSync(`${ROOT}mock-server/BEHAVIOUR.md`, 'utf8');
const section = readme.slice(
  readme.indexOf('## Plain Prism instead of these mocks'),
  readme.indexOf('## Mock-only behaviour'),
);
const commands = [...section.matchAll(/^npx prism mock -p (\d+) (openapi\/generated\/(\w+)\.yaml)$/gm)].map(
  ([, port, file, api]) => ({ port, file, api }),
);

const CUSTOMER = '/api/customers/550e8400-e29b-41d4-a716-446655440000';
const JSON_BODY = { 'content-type': 'application/json' };
const mvoExample = (status: string, name: string) =>
  embeddedSpec('mvo').paths['/api/customers'].post.responses[status].content['application/json'].examples[name].value;

let mvo: PrismHandle;
let tvm: PrismHandle;

beforeAll(async () => {
  const file = (api: string) => commands.find((c) => c.api === api)!.file;
  [mvo, tvm] = await Promise.all([startPrism(file('mvo')), startPrism(file('tvm'))]);
}, 60_000);
afterAll(async () => {
  await Promise.all([mvo?.stop(), tvm?.stop()]);
});

it('the README shows one plain `prism mock` command per API, on the bundled descriptions', () => {
  expect(commands.map((c) => c.api).sort()).toEqual(['mvo', 'tvm']);
  expect(new Set(commands.map((c) => c.port)).size).toBe(2);
});

describe('what Prism does', () => {
  it('checks that a credential is present, answering the first documented 401 example', async () => {
    const answer = await fetch(`${mvo.url}${CUSTOMER}`);
    expect([answer.status, await answer.json()]).toEqual([
      401,
      {
        error: 'Unauthorized',
        message: 'API key is required. Provide it via X-API-Key header or Authorization Bearer token.',
      },
    ]);
  });
});

describe('what Prism does not enforce (as the README lists it)', () => {
  it.each([
    ['a malformed key', 'not-a-key'],
    ['a revoked key', fixtureKey('mvo', 'key_mvo_revoked')],
    ['an expired key', fixtureKey('mvo', 'key_mvo_expired')],
  ])('key format and state: MVO accepts %s', async (_label, key) => {
    expect((await fetch(`${mvo.url}${CUSTOMER}`, { headers: { 'x-api-key': key } })).status).toBe(200);
  });

  it.each([
    ['a malformed Bearer token', 'Bearer x'],
    ['a disabled key', `Bearer ${fixtureKey('tvm', 'key_tvm_disabled')}`],
  ])('key format and state: TVM accepts %s', async (_label, authorization) => {
    expect((await fetch(`${tvm.url}/v1/shop`, { headers: { authorization } })).status).toBe(200);
  });

  it('TVM scopes: a read-only key creates an offer', async () => {
    const answer = await fetch(`${tvm.url}/v1/offers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_readonly')}`, ...JSON_BODY },
      body: JSON.stringify({ title: 'Scope-free' }),
    });
    expect(answer.status).toBe(201);
  });

  it('rate limits: X-RateLimit-* are the example values on every answer', async () => {
    const headers = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_shop')}` };
    const remaining = await Promise.all(
      [1, 2, 3].map(async () => (await fetch(`${tvm.url}/v1/shop`, { headers })).headers.get('x-ratelimit-remaining')),
    );
    expect(remaining).toEqual(['45', '45', '45']);
  });

  it("the APIs' own errors: an invalid e-mail answers the first 400 example, about a missing e-mail", async () => {
    const answer = await fetch(`${mvo.url}/api/customers`, {
      method: 'POST',
      headers: { 'x-api-key': 'any', ...JSON_BODY },
      body: JSON.stringify({ first_name: 'J', last_name: 'D', email: 'not-an-email' }),
    });
    expect([answer.status, await answer.json()]).toEqual([400, mvoExample('400', 'missingEmail')]);
  });

  it("the APIs' own errors: an unknown route answers Prism's problem+json, not the API's envelope", async () => {
    const answer = await fetch(`${mvo.url}/api/orders`, { headers: { 'x-api-key': 'any' } });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });

  it('state: nothing is stored, no 404 for an unknown id, no 409 for a repeated e-mail', async () => {
    const create = () =>
      fetch(`${mvo.url}/api/customers`, {
        method: 'POST',
        headers: { 'x-api-key': 'any', ...JSON_BODY },
        body: JSON.stringify({ first_name: 'Ada', last_name: 'L', email: 'ada@example.com' }),
      });
    const [first, second] = [await create(), await create()];
    expect([first.status, second.status]).toEqual([201, 201]);
    expect((await first.json()).email).not.toBe('ada@example.com'); // the example customer, not what was sent
    const unknown = await fetch(`${mvo.url}/api/customers/00000000-0000-4000-8000-000000000000`, {
      headers: { 'x-api-key': 'any' },
    });
    expect([unknown.status, (await unknown.json()).id]).toEqual([200, '550e8400-e29b-41d4-a716-446655440000']);
  });
});

describe('MVO-A8 under a schema-following validator', () => {
  it('a non-UUID customer id passes validation (no 422), so the documented 404 can be answered', async () => {
    const headers = { 'x-api-key': 'any' };
    expect((await fetch(`${mvo.url}/api/customers/not-a-uuid`, { headers })).status).toBe(200);
    const notFound = await fetch(`${mvo.url}/api/customers/not-a-uuid`, {
      headers: { ...headers, prefer: 'code=404' },
    });
    expect([notFound.status, await notFound.json()]).toEqual([
      404,
      { error: 'Not Found', message: 'Customer not found' },
    ]);
  });
});
