/**
 * Where requests go: `baseUrl`, else the API's environment variable (`VIRTUAL_HUB_BASE_URL`, `TVM_BASE_URL`,
 * assumptions MVO-A15 / TVM-A22), else the real API; a base URL ending in the paths' own prefix (`/v1`, `/api`)
 * is refused with the origin to use instead.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, createMvoClient } from '../../sdk/src/mvo/index.ts';
import { createTvmClient } from '../../sdk/src/tvm/index.ts';
import { facts as mvoFacts } from '../../sdk/src/mvo/generated/facts.ts';
import { facts as tvmFacts } from '../../sdk/src/tvm/generated/facts.ts';
import { json, MVO_KEY, observedFetch, TVM_KEY } from './helpers.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

const tvmOk = () =>
  observedFetch(() => json(200, { success: true, data: {}, meta: { requestId: 'r', timestamp: 't' } }));

describe('base URL', () => {
  it('the spec names the variables', () => {
    expect([mvoFacts.baseUrlEnvVar, tvmFacts.baseUrlEnvVar]).toEqual(['VIRTUAL_HUB_BASE_URL', 'TVM_BASE_URL']);
  });

  it('TVM_BASE_URL points the client at a mock; the option wins over it', async () => {
    vi.stubEnv('TVM_BASE_URL', 'http://127.0.0.1:4011/');
    const { fetch, seen } = tvmOk();
    await createTvmClient({ apiKey: TVM_KEY, fetch }).shop.get();
    await createTvmClient({ apiKey: TVM_KEY, fetch, baseUrl: 'http://127.0.0.1:9999' }).shop.get();
    expect(seen.map((request) => request.url)).toEqual([
      'http://127.0.0.1:4011/v1/shop',
      'http://127.0.0.1:9999/v1/shop',
    ]);
  });

  it('VIRTUAL_HUB_BASE_URL sends every MVO operation there', async () => {
    vi.stubEnv('VIRTUAL_HUB_BASE_URL', 'http://127.0.0.1:4010');
    const { fetch, seen } = observedFetch(() => json(200, { id: 'c1' }));
    const mvo = createMvoClient({ apiKey: MVO_KEY, fetch });
    await mvo.customers.create({ first_name: 'J', last_name: 'D', email: 'j@example.com' });
    await mvo.customers.get('c1');
    expect(seen.map((request) => request.url)).toEqual([
      'http://127.0.0.1:4010/api/customers',
      'http://127.0.0.1:4010/api/customers/c1',
    ]);
  });

  it('an empty variable counts as unset (the real API)', async () => {
    vi.stubEnv('TVM_BASE_URL', '');
    const { fetch, seen } = tvmOk();
    await createTvmClient({ apiKey: TVM_KEY, fetch }).shop.get();
    expect(seen[0]!.url).toBe('https://api.thevirtualmall.co.uk/v1/shop');
  });

  it.each([
    [
      'TVM, baseUrl ending in /v1',
      () => createTvmClient({ apiKey: TVM_KEY, baseUrl: 'https://api.thevirtualmall.co.uk/v1' }),
      '`baseUrl` ends in /v1',
      '"https://api.thevirtualmall.co.uk"',
    ],
    [
      'TVM, with a trailing slash',
      () => createTvmClient({ apiKey: TVM_KEY, baseUrl: 'http://127.0.0.1:4011/v1/' }),
      '`baseUrl` ends in /v1',
      '"http://127.0.0.1:4011"',
    ],
    [
      'MVO, baseUrl ending in /api',
      () => createMvoClient({ apiKey: MVO_KEY, baseUrl: 'http://127.0.0.1:4010/api' }),
      '`baseUrl` ends in /api',
      '"http://127.0.0.1:4010"',
    ],
  ])('%s: ConfigurationError naming the origin to use', (_label, make, says, origin) => {
    let error: unknown;
    try {
      make();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(says);
    expect((error as Error).message).toContain(`Give the origin only: ${origin}`);
  });

  it('the environment variable is checked the same way, and named', () => {
    vi.stubEnv('TVM_BASE_URL', 'http://127.0.0.1:4011/v1');
    expect(() => createTvmClient({ apiKey: TVM_KEY })).toThrow(/the TVM_BASE_URL environment variable ends in \/v1/);
  });

  it('a prefix inside a longer path is not refused (a proxy at /v1-proxy)', () => {
    expect(() => createTvmClient({ apiKey: TVM_KEY, baseUrl: 'http://127.0.0.1:4011/v1-proxy' })).not.toThrow();
  });
});
