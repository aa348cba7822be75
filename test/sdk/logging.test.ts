/** The `logger` / `logLevel` / `VIRTUAL_COMMERCE_LOG` options and the `onRetry` hook: what is logged, when, and never a whole key. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, createMvoClient } from '../../sdk/src/mvo/index.ts';
import { createTvmClient, type RetryInfo } from '../../sdk/src/tvm/index.ts';
import { MVO_KEY, TVM_KEY, json, observedFetch } from './helpers.ts';

const ENV = 'VIRTUAL_COMMERCE_LOG';
afterEach(() => {
  delete process.env[ENV];
  vi.restoreAllMocks();
});

/** A logger that keeps `level message` lines. */
function capture() {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

/** 503 once, then 200. */
const flaky = () => observedFetch((_request, n) => (n === 1 ? json(503, {}) : json(200, {})));

describe('logLevel', () => {
  it('info: one line per answer (query values left out) and a warning per retry', async () => {
    const { lines, logger } = capture();
    const tvm = createTvmClient({
      apiKey: TVM_KEY,
      fetch: flaky().fetch,
      logger,
      logLevel: 'info',
      sleep: async () => {},
    });
    await tvm.GET('/v1/offers', { params: { query: { status: 'active', limit: 5 } } });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^info virtual-commerce-sdk: GET https:\/\/api\.thevirtualmall\.co\.uk\/v1\/offers\?status=…&limit=… 503 in \d+ ms \(attempt 1 of 3\)$/,
    );
    expect(lines[1]).toMatch(
      /^warn virtual-commerce-sdk: GET .*\/v1\/offers\?status=…&limit=… attempt 1 failed \(HTTP 503\); retrying in \d+ ms$/,
    );
    expect(lines[2]).toMatch(/ 200 in \d+ ms \(attempt 2 of 3\)$/);
  });

  it('debug adds a line per attempt sent; warn keeps only the retries; off (the default) logs nothing', async () => {
    const lines: Record<string, string[]> = {};
    for (const level of ['debug', 'warn', 'off', undefined] as const) {
      const captured = capture();
      await createTvmClient({
        apiKey: TVM_KEY,
        fetch: flaky().fetch,
        logger: captured.logger,
        logLevel: level,
        sleep: async () => {},
      }).GET('/v1/shop');
      lines[String(level)] = captured.lines.map((line) => line.split(' ')[0]);
    }
    expect(lines).toEqual({
      debug: ['debug', 'info', 'warn', 'debug', 'info'],
      warn: ['warn'],
      off: [],
      undefined: [],
    });
  });

  it('error: a call that got no answer, its message with the key masked', async () => {
    const { lines, logger } = capture();
    // a chatty fetch whose error quotes the key it was given
    const fetch = async (request: Request) =>
      Promise.reject(new TypeError(`refused for ${request.headers.get('x-api-key')}`));
    const mvo = createMvoClient({
      apiKey: MVO_KEY,
      fetch,
      logger,
      logLevel: 'error',
      maxRetries: 1,
      sleep: async () => {},
    });
    await expect(mvo.GET('/api/customers/{id}', { params: { path: { id: 'c1' } } })).rejects.toThrow(
      'Could not reach the API',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`refused for ${MVO_KEY.slice(0, 12)}…`);
    expect(lines.join('\n')).not.toContain(MVO_KEY);
  });

  it(`${ENV} sets the level when the option is absent, logging to console by default`, async () => {
    process.env[ENV] = 'warn';
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    await createTvmClient({ apiKey: TVM_KEY, fetch: flaky().fetch, sleep: async () => {} }).GET('/v1/shop');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(info).not.toHaveBeenCalled();
    expect(String(warn.mock.calls[0][0])).toContain('HTTP 503');
  });

  it('a bad level or logger is a ConfigurationError naming where it came from', () => {
    process.env[ENV] = 'verbose';
    expect(() => createTvmClient({ apiKey: TVM_KEY })).toThrow(
      new ConfigurationError(
        `createTvmClient(): the ${ENV} environment variable must be one of off, error, warn, info, debug, got "verbose".`,
      ),
    );
    expect(() => createTvmClient({ apiKey: TVM_KEY, logLevel: 'loud' as 'info' })).toThrow('`logLevel` must be one of');
    expect(() => createTvmClient({ apiKey: TVM_KEY, logLevel: 'info', logger: { info: () => {} } as never })).toThrow(
      '`logger` needs debug, info, warn and error methods',
    );
  });
});

describe('onRetry', () => {
  it('is told each retry: the request, the failed attempt, why, the status and the wait', async () => {
    const retries: RetryInfo[] = [];
    const observed = observedFetch((_request, n) =>
      n < 3
        ? json(429, { success: false, error: { code: 'RATE_LIMITED', message: 'slow down', retryAfter: 2 } })
        : json(200, {}),
    );
    const tvm = createTvmClient({
      apiKey: TVM_KEY,
      fetch: observed.fetch,
      onRetry: (retry) => void retries.push(retry),
      sleep: async () => {},
    });
    await tvm.GET('/v1/offers/{id}', { params: { path: { id: 'offer_1' } } });
    expect(retries).toEqual([
      {
        request: 'GET https://api.thevirtualmall.co.uk/v1/offers/offer_1',
        attempt: 1,
        reason: 'HTTP 429',
        status: 429,
        waitMs: 2000,
      },
      {
        request: 'GET https://api.thevirtualmall.co.uk/v1/offers/offer_1',
        attempt: 2,
        reason: 'HTTP 429',
        status: 429,
        waitMs: 2000,
      },
    ]);
  });

  it('network errors are reported with their message and no status', async () => {
    const retries: RetryInfo[] = [];
    const observed = observedFetch((_request, n) =>
      n === 1 ? Promise.reject(new TypeError('socket hang up')) : json(200, {}),
    );
    await createTvmClient({
      apiKey: TVM_KEY,
      fetch: observed.fetch,
      onRetry: (retry) => void retries.push(retry),
      sleep: async () => {},
    }).GET('/v1/shop');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, reason: 'socket hang up' });
    expect(retries[0].status).toBeUndefined();
    expect(retries[0].waitMs).toBeGreaterThan(0);
  });

  it('must be a function', () => {
    expect(() => createTvmClient({ apiKey: TVM_KEY, onRetry: 'log' as never })).toThrow('`onRetry` must be a function');
  });
});

describe('environment access', () => {
  it('a runtime that denies reading the environment (Deno without --allow-env) still gets a client, logging off', async () => {
    // Deno's `process.env` throws NotCapable for a name it was not allowed to read.
    const denied = new Proxy(
      {},
      {
        get: () => {
          throw new Error('NotCapable: Requires env access');
        },
      },
    );
    const { fetch, seen } = observedFetch(() => json(200, {}));
    const { lines, logger } = capture();
    vi.stubGlobal('process', { env: denied });
    let tvm: ReturnType<typeof createTvmClient>;
    try {
      tvm = createTvmClient({ apiKey: TVM_KEY, fetch, logger });
    } finally {
      vi.unstubAllGlobals();
    }
    await tvm.GET('/v1/shop');
    expect(seen).toHaveLength(1);
    expect(lines).toEqual([]);
  });
});
