/**
 * A retry wait of 5 s or more is logged at `warn` by default (no `logLevel`, no `VIRTUAL_COMMERCE_LOG`), so a
 * forced 429 with `retryAfter: 45` is never a silent 90-second stall; `logLevel: 'off'` silences it, and short
 * waits stay silent by default.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTvmClient } from '../../sdk/src/tvm/index.ts';
import { json, observedFetch, recordingSleep, TVM_KEY } from './helpers.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

function capture() {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

const rateLimited = (retryAfter: number) =>
  observedFetch(() =>
    json(429, { success: false, error: { code: 'RATE_LIMITED', message: 'Rate limit exceeded', retryAfter } }),
  );

describe('long retry waits', () => {
  it('a 45 s wait is logged at warn with no level chosen, once per retry; the forced 429 costs maxRetries × 45 s', async () => {
    vi.stubEnv('VIRTUAL_COMMERCE_LOG', undefined as unknown as string);
    const { lines, logger } = capture();
    const { sleep, waits } = recordingSleep();
    const tvm = createTvmClient({ apiKey: TVM_KEY, fetch: rateLimited(45).fetch, logger, sleep });
    await expect(tvm.shop.get()).rejects.toMatchObject({ status: 429, retryAfter: 45 });
    expect(waits).toEqual([45_000, 45_000]);
    expect(lines).toEqual([
      'warn virtual-commerce-sdk: GET https://api.thevirtualmall.co.uk/v1/shop attempt 1 failed (HTTP 429); retrying in 45000 ms',
      'warn virtual-commerce-sdk: GET https://api.thevirtualmall.co.uk/v1/shop attempt 2 failed (HTTP 429); retrying in 45000 ms',
    ]);
  });

  it('short waits stay silent by default; off silences long ones too', async () => {
    const quiet = capture();
    await createTvmClient({
      apiKey: TVM_KEY,
      fetch: rateLimited(1).fetch,
      logger: quiet.logger,
      sleep: recordingSleep().sleep,
    })
      .shop.get()
      .catch(() => {});
    const off = capture();
    await createTvmClient({
      apiKey: TVM_KEY,
      fetch: rateLimited(45).fetch,
      logger: off.logger,
      logLevel: 'off',
      sleep: recordingSleep().sleep,
    })
      .shop.get()
      .catch(() => {});
    expect([quiet.lines, off.lines]).toEqual([[], []]);
  });

  it('maxRetries: 0 makes a forced 429 cost one request and no wait', async () => {
    const { sleep, waits } = recordingSleep();
    const { fetch, seen } = rateLimited(45);
    await expect(createTvmClient({ apiKey: TVM_KEY, fetch, sleep }).shop.get({ maxRetries: 0 })).rejects.toMatchObject({
      status: 429,
    });
    expect([seen.length, waits]).toEqual([1, []]);
  });
});
