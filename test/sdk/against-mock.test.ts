/**
 * The SDK against the real mock servers (mock-server/), over HTTP with the global fetch: a minted key
 * succeeds, an unknown well-formed key gets the API's typed 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../mock-server/src/index.ts';
import { createMvoClient, isAuthError as isMvoAuthError } from '../../sdk/src/mvo/index.ts';
import { createTvmClient, isAuthError as isTvmAuthError } from '../../sdk/src/tvm/index.ts';
import { facts as mvoFacts } from '../../sdk/src/mvo/generated/facts.ts';
import { facts as tvmFacts } from '../../sdk/src/tvm/generated/facts.ts';

let mvoServer: MockServer;
let tvmServer: MockServer;

async function mintKey(server: MockServer, body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${server.url}/__mock/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

beforeAll(async () => {
  [mvoServer, tvmServer] = await Promise.all([
    startMockServer({ api: 'mvo', port: 0 }),
    startMockServer({ api: 'tvm', port: 0 }),
  ]);
});
afterAll(async () => {
  await Promise.all([mvoServer?.close(), tvmServer?.close()]);
});

describe('MVO mock', () => {
  it('a minted key creates and reads a customer (X-API-Key and Bearer)', async () => {
    const apiKey = await mintKey(mvoServer, { name: 'sdk test' });
    for (const authHeader of ['x-api-key', 'bearer'] as const) {
      const client = createMvoClient({ apiKey, baseUrl: mvoServer.url, authHeader });
      const email = `john.${authHeader}@example.com`;
      const created = await client.POST('/api/customers', { body: { first_name: 'John', last_name: 'Doe', email } });
      expect(created.error).toBeUndefined();
      expect(created.response.status).toBe(201);
      expect(created.data?.email).toMatch(/@/); // the mock answers the spec's example
      const read = await client.GET('/api/customers/{id}', { params: { path: { id: created.data!.id } } });
      expect(read.error).toBeUndefined();
      expect(read.response.status).toBe(200);
      expect(typeof read.data?.id).toBe('string');
    }
  });

  it('an unknown well-formed key: typed 401 and isAuthError', async () => {
    const client = createMvoClient({ apiKey: `${mvoFacts.keyPrefix}${'N0tKn0wn'.repeat(6)}`, baseUrl: mvoServer.url });
    const { data, error, response } = await client.POST('/api/customers', {
      body: { first_name: 'John', last_name: 'Doe', email: 'john@example.com' },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(401);
    expect(error?.error).toBe('Unauthorized');
    expect(typeof error?.message).toBe('string');
    expect(isMvoAuthError(error)).toBe(true);
  });
});

describe('TVM mock', () => {
  it('a minted admin key gets the shop', async () => {
    const apiKey = await mintKey(tvmServer, { name: 'sdk test', scopes: ['*'] });
    const { data, error, response } = await createTvmClient({ apiKey, baseUrl: tvmServer.url }).GET('/v1/shop');
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.success).toBe(true);
    expect(typeof data?.data.name).toBe('string');
  });

  it('an unknown well-formed key: typed 401 UNAUTHORIZED and isAuthError', async () => {
    const client = createTvmClient({ apiKey: `${tvmFacts.keyPrefix}${'n0tkn0wn'.repeat(4)}`, baseUrl: tvmServer.url });
    const { error, response } = await client.GET('/v1/shop');
    expect(response.status).toBe(401);
    expect(error?.success).toBe(false);
    expect(error?.error.code).toBe('UNAUTHORIZED');
    expect(isTvmAuthError(error)).toBe(true);
  });

  it('a key without the scope: typed 403 FORBIDDEN', async () => {
    const apiKey = await mintKey(tvmServer, { name: 'reader', scopes: ['shops:read'] });
    const { error, response } = await createTvmClient({ apiKey, baseUrl: tvmServer.url }).POST('/v1/offers', {
      body: { title: '20% off' },
    });
    expect(response.status).toBe(403);
    expect(error?.error.code).toBe('FORBIDDEN');
    expect(isTvmAuthError(response)).toBe(true);
  });
});
