/**
 * Construction: where the key comes from, what a wrong key says (and never shows), browser refusal.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, createMvoClient } from '../../sdk/src/mvo/index.ts';
import { createTvmClient } from '../../sdk/src/tvm/index.ts';
import { facts as mvoFacts } from '../../sdk/src/mvo/generated/facts.ts';
import { facts as tvmFacts } from '../../sdk/src/tvm/generated/facts.ts';
import { MVO_KEY, TVM_KEY, observedFetch } from './helpers.ts';

const ENV_VARS = [mvoFacts.envVar, tvmFacts.envVar];
let saved: Record<string, string | undefined>;
beforeEach(() => {
  saved = Object.fromEntries(ENV_VARS.map((name) => [name, process.env[name]]));
  for (const name of ENV_VARS) delete process.env[name];
});
afterEach(() => {
  for (const name of ENV_VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function thrown(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError, nothing was thrown');
}

/** Nothing of the key beyond the prefix and 4 characters may appear in the message or any property. */
function expectNoLeak(error: Error, key: string, prefix: string) {
  const everything = [
    error.message,
    String(error.stack),
    JSON.stringify(error, Object.getOwnPropertyNames(error)),
  ].join('\n');
  expect(everything).not.toContain(key);
  expect(everything).not.toContain(key.slice(prefix.length + 5, prefix.length + 12));
}

describe('where the key comes from', () => {
  it('reads VIRTUAL_HUB_API_KEY for MVO and TVM_API_KEY for TVM when no apiKey is given', async () => {
    process.env[mvoFacts.envVar] = MVO_KEY;
    process.env[tvmFacts.envVar] = TVM_KEY;
    const observed = observedFetch();
    await createMvoClient({ fetch: observed.fetch }).GET('/api/customers/{id}', { params: { path: { id: 'c1' } } });
    await createTvmClient({ fetch: observed.fetch }).GET('/v1/shop');
    expect(observed.seen[0].headers.get('x-api-key')).toBe(MVO_KEY);
    expect(observed.seen[1].headers.get('authorization')).toBe(`Bearer ${TVM_KEY}`);
  });

  it('prefers the apiKey option over the environment', async () => {
    process.env[mvoFacts.envVar] = `${mvoFacts.keyPrefix}${'e'.repeat(48)}`;
    const observed = observedFetch();
    await createMvoClient({ apiKey: MVO_KEY, fetch: observed.fetch }).GET('/api/customers/{id}', {
      params: { path: { id: 'c1' } },
    });
    expect(observed.seen[0].headers.get('x-api-key')).toBe(MVO_KEY);
  });

  it('MVO without a key names VIRTUAL_HUB_API_KEY', () => {
    const error = thrown(() => createMvoClient());
    expect(error.message).toContain('VIRTUAL_HUB_API_KEY');
    expect(error.message).toContain('apiKey');
  });

  it('TVM without a key names TVM_API_KEY', () => {
    expect(thrown(() => createTvmClient()).message).toContain('TVM_API_KEY');
  });

  it('an empty environment variable counts as no key', () => {
    process.env[tvmFacts.envVar] = '';
    expect(thrown(() => createTvmClient()).message).toContain('TVM_API_KEY');
  });

  it('works when `process` does not exist (edge runtimes): no key is a configuration error, not a crash', () => {
    const real = globalThis.process;
    try {
      Reflect.deleteProperty(globalThis, 'process');
      expect(typeof (globalThis as { process?: unknown }).process).toBe('undefined');
      expect(() => createMvoClient()).toThrow(/VIRTUAL_HUB_API_KEY/);
      expect(() => createMvoClient({ apiKey: MVO_KEY, fetch: observedFetch().fetch })).not.toThrow();
    } finally {
      globalThis.process = real;
    }
  });
});

describe('malformed keys', () => {
  it.each([
    ['too short', `${mvoFacts.keyPrefix}${'Zq7Rk2Wm'.repeat(5)}`],
    ['too long', `${MVO_KEY}X`],
    ['a punctuation character', `${MVO_KEY.slice(0, -1)}-`],
    ['trailing newline', `${MVO_KEY}\n`],
    ['wrong prefix', `sk_test_${'Zq7Rk2Wm'.repeat(6)}`],
  ])('MVO key with %s: says the expected format, shows only the start', (_label, key) => {
    const error = thrown(() => createMvoClient({ apiKey: key }));
    expect(error.message).toContain(mvoFacts.keyFormatText);
    expect(error.message).toContain('`apiKey`');
    expectNoLeak(error, key, mvoFacts.keyPrefix);
  });

  it('a malformed TVM key from TVM_API_KEY: says the format and names the variable', () => {
    const key = `${tvmFacts.keyPrefix}${'Q7RK2WMX'.repeat(4)}`; // upper case is not allowed
    process.env[tvmFacts.envVar] = key;
    const error = thrown(() => createTvmClient());
    expect(error.message).toContain(tvmFacts.keyFormatText);
    expect(error.message).toContain('TVM_API_KEY');
    expect(error.message).toContain(`"${key.slice(0, tvmFacts.keyPrefix.length + 4)}…"`);
    expectNoLeak(error, key, tvmFacts.keyPrefix);
  });
});

describe('a key of the other API', () => {
  it('a TVM key given to the MVO client says to use createTvmClient', () => {
    const error = thrown(() => createMvoClient({ apiKey: TVM_KEY }));
    expect(error.message).toContain('createTvmClient()');
    expect(error.message).toContain('virtual-commerce-sdk/tvm');
    expectNoLeak(error, TVM_KEY, tvmFacts.keyPrefix);
  });

  it('an MVO key in TVM_API_KEY says to use createMvoClient', () => {
    process.env[tvmFacts.envVar] = MVO_KEY;
    const error = thrown(() => createTvmClient());
    expect(error.message).toContain('createMvoClient()');
    expect(error.message).toContain('TVM_API_KEY');
    expectNoLeak(error, MVO_KEY, mvoFacts.keyPrefix);
  });
});

describe('other options', () => {
  it.each([
    [{ timeoutMs: -1 }, /timeoutMs/],
    [{ maxRetries: 1.5 }, /maxRetries/],
    [{ maxRetries: -1 }, /maxRetries/],
    [{ baseUrl: '127.0.0.1:4010' }, /baseUrl/],
    [{ baseUrl: 'ftp://example.com' }, /baseUrl/],
  ])('%o is refused', (options, message) => {
    expect(() => createTvmClient({ apiKey: TVM_KEY, ...options })).toThrow(message);
  });

  it('an unknown authHeader is refused', () => {
    expect(() => createMvoClient({ apiKey: MVO_KEY, authHeader: 'basic' as 'bearer' })).toThrow(ConfigurationError);
  });
});

describe('server-side only', () => {
  for (const name of ['window', 'document'] as const) {
    it(`refuses to construct when \`${name}\` exists, and explains dangerouslyAllowBrowser`, () => {
      Object.assign(globalThis, { [name]: {} });
      try {
        for (const create of [() => createMvoClient({ apiKey: MVO_KEY }), () => createTvmClient({ apiKey: TVM_KEY })]) {
          const error = thrown(create);
          expect(error.message).toContain('dangerouslyAllowBrowser');
          expect(error.message).toMatch(/browser/);
        }
      } finally {
        Reflect.deleteProperty(globalThis, name);
      }
    });
  }

  it('constructs in a browser-like environment with dangerouslyAllowBrowser: true', async () => {
    Object.assign(globalThis, { window: {} });
    try {
      const observed = observedFetch();
      const client = createTvmClient({ apiKey: TVM_KEY, fetch: observed.fetch, dangerouslyAllowBrowser: true });
      await client.GET('/v1/shop');
      expect(observed.seen).toHaveLength(1);
      expect(() => createMvoClient({ apiKey: MVO_KEY, dangerouslyAllowBrowser: true })).not.toThrow();
    } finally {
      Reflect.deleteProperty(globalThis, 'window');
    }
  });
});
