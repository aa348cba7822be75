/**
 * The key never appears whole: not in what a client shows of itself (console.log, util.inspect, JSON), not in
 * any error the SDK throws (message, stack, own properties, cause), whatever went wrong.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createMvoClient } from '../../sdk/src/mvo/index.ts';
import { createTvmClient } from '../../sdk/src/tvm/index.ts';
import { MVO_KEY, TVM_KEY, observedFetch } from './helpers.ts';

/** Every string reachable from an error: message, stack, each own property, the cause chain. */
function errorText(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 3) return inspect(error, { depth: 5 });
  const own = Object.getOwnPropertyNames(error).map((name) => {
    const value = (error as unknown as Record<string, unknown>)[name];
    return name === 'cause'
      ? errorText(value, depth + 1)
      : typeof value === 'string'
        ? value
        : (JSON.stringify(value) ?? '');
  });
  return [
    error.message,
    String(error.stack),
    JSON.stringify(error, Object.getOwnPropertyNames(error)),
    inspect(error, { depth: 5 }),
    ...own,
  ].join('\n');
}

type AnyGet = { GET(path: string): Promise<unknown> };

const clients = [
  [
    'MVO',
    MVO_KEY,
    (fetch: ReturnType<typeof observedFetch>['fetch'], extra = {}) =>
      createMvoClient({ apiKey: MVO_KEY, fetch, ...extra }),
  ],
  [
    'MVO bearer',
    MVO_KEY,
    (fetch: ReturnType<typeof observedFetch>['fetch'], extra = {}) =>
      createMvoClient({ apiKey: MVO_KEY, fetch, authHeader: 'bearer', ...extra }),
  ],
  [
    'TVM',
    TVM_KEY,
    (fetch: ReturnType<typeof observedFetch>['fetch'], extra = {}) =>
      createTvmClient({ apiKey: TVM_KEY, fetch, ...extra }),
  ],
] as const;

describe.each(clients)('%s client', (_name, key, create) => {
  it('util.inspect, console.log, JSON.stringify and String show a masked key, never the key', () => {
    const client = create(observedFetch().fetch);
    const shown = [
      inspect(client),
      inspect(client, { showHidden: true, depth: 10 }),
      JSON.stringify(client),
      String(client),
      inspect({ nested: { client } }),
    ];
    for (const text of shown) expect(text).not.toContain(key);
    expect(inspect(client)).toContain(`${key.slice(0, key.indexOf('_', 3) + 1 || 4)}`);
    expect(JSON.parse(JSON.stringify(client)).apiKey).toMatch(/…$/);
    expect(JSON.parse(JSON.stringify(client)).apiKey.length).toBeLessThanOrEqual(key.indexOf('_', 3) + 6);
  });

  it('no own property or closure-visible field holds the key', () => {
    const client = create(observedFetch().fetch) as unknown as Record<string | symbol, unknown>;
    for (const name of Reflect.ownKeys(client)) {
      const value = client[name];
      const text = typeof value === 'function' ? String(value.length) : (JSON.stringify(value) ?? String(value));
      expect(text).not.toContain(key);
    }
  });

  it('a network error, even one whose message quotes the key, is thrown without it', async () => {
    const chatty = observedFetch((request) =>
      Promise.reject(new TypeError(`connect ECONNREFUSED; sent headers ${JSON.stringify([...request.headers])}`)),
    );
    const client = create(chatty.fetch, { maxRetries: 1, sleep: async () => {} });
    const error = await (client as unknown as AnyGet).GET('/v1/shop').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('ECONNREFUSED'); // the reason survives
    expect(errorText(error)).not.toContain(key);
  });

  it('a timeout error does not carry the key', async () => {
    const hanging = observedFetch(() => new Promise<Response>(() => {}));
    const error = await (create(hanging.fetch, { timeoutMs: 10, maxRetries: 0 }) as unknown as AnyGet)
      .GET('/v1/shop')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(errorText(error)).not.toContain(key);
  });
});

it('configuration errors never carry the key (all wrong-key cases)', () => {
  const attempts = [
    () => createMvoClient({ apiKey: `${MVO_KEY}!` }),
    () => createMvoClient({ apiKey: MVO_KEY.slice(0, -3) }),
    () => createMvoClient({ apiKey: TVM_KEY }),
    () => createTvmClient({ apiKey: MVO_KEY }),
    () => createTvmClient({ apiKey: TVM_KEY.toUpperCase() }),
    () => createTvmClient({ apiKey: `${TVM_KEY} ` }),
  ];
  for (const attempt of attempts) {
    const error = (() => {
      try {
        attempt();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(Error);
    const text = errorText(error);
    for (const key of [MVO_KEY, TVM_KEY, TVM_KEY.toUpperCase(), MVO_KEY.slice(0, -3)]) expect(text).not.toContain(key);
  }
});
