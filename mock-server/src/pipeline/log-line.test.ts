/** The request log's line: what a reader of the terminal sees per request. */
import { describe, expect, it } from 'vitest';
import { logLine } from './pipeline.ts';

describe('logLine', () => {
  it.each([
    [0, '0.0ms'],
    [0.04, '0.0ms'],
    [0.96, '1.0ms'],
    [1.25, '1.3ms'],
    [12.04, '12.0ms'],
    [1234.56, '1234.6ms'],
  ])('shows %s ms to a tenth as %s', (ms, shown) => {
    expect(logLine('GET', '/v1/shop', 200, ms, 'tvm_ab12…')).toBe(`GET /v1/shop 200 ${shown} key=tvm_ab12…`);
  });

  it('marks a request without a key', () => {
    expect(logLine('POST', '/api/customers', 401, 0.5, undefined)).toBe('POST /api/customers 401 0.5ms key=-');
  });
});
