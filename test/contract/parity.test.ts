/**
 * The parity matrix: every case of test/cases/requests.ts sent to the Node mock server and through
 * the MSW handlers must get the same status, pipeline headers and body (fresh fields aside).
 * Both sides run on a frozen clock with `rateLimits: 'headers'`, so rate counts and resets match exactly.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_KEYS } from '../../mock-server/src/fixtures/keys.ts';
import { apiModel, type ApiName } from '../../mock-server/src/model/index.ts';
import { REQUEST_CASES, type RequestCase } from '../cases/requests.ts';
import { sendBoth, startSides, type Sides } from './harness.ts';

let sides: Sides;
beforeAll(async () => {
  sides = await startSides();
});
afterAll(async () => {
  await sides?.close();
});

describe.each(['mvo', 'tvm'] as const)('%s: Node mock server and MSW answer alike', (api) => {
  it.each(REQUEST_CASES[api].map((c) => [c.name, c] as const))('%s', async (_name, c: RequestCase) => {
    const { server, msw } = await sendBoth(sides, c);
    if (c.expectStatus !== undefined) expect(server.status, 'status the contract documents').toBe(c.expectStatus);
    expect(msw).toEqual(server);
  });
});

// ---------------------------------------------------------------------------------------------
// Property cases: credential header values, random and near-valid.

/** What both transports carry: `new Headers()` accepts it and undici's client sends it (no control characters). */
function transportable(value: string): boolean {
  if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(value)) return false;
  try {
    new Headers({ authorization: value });
    return true;
  } catch {
    return false;
  }
}

const latin1 = fc.string({
  unit: fc.integer({ min: 0x09, max: 0xff }).map((code) => String.fromCharCode(code)),
  maxLength: 80,
});
const whitespace = fc.constantFrom('', ' ', '  ', '\t', ' \t ', '\t\t');
const bearerWord = fc
  .array(fc.boolean(), { minLength: 6, maxLength: 6 })
  .map((upper) => [...'bearer'].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(''));

/** A fixture key changed a little: one character replaced, dropped or added, cut short, or recased. */
function nearValidKey(api: ApiName) {
  const { alphabet } = apiModel(api).keyFormat;
  const keys = FIXTURE_KEYS[api].map((seed) => seed.key!);
  const anyChar = fc.oneof(fc.constantFrom(...alphabet), fc.constantFrom('_', '-', ' ', 'é', 'Z', '0'));
  return fc
    .tuple(fc.constantFrom(...keys), fc.nat(), anyChar, fc.integer({ min: 0, max: 5 }))
    .map(([key, at, ch, how]) => {
      const i = at % key.length;
      switch (how) {
        case 0:
          return key.slice(0, i) + ch + key.slice(i + 1);
        case 1:
          return key.slice(0, i) + key.slice(i + 1);
        case 2:
          return key.slice(0, i) + ch + key.slice(i);
        case 3:
          return key.slice(0, i);
        case 4:
          return key.toUpperCase();
        default:
          return key; // the fixture itself, to keep the valid path in the mix
      }
    });
}

function credentialHeaders(api: ApiName) {
  const key = fc.oneof(nearValidKey(api), latin1);
  const authorization = fc.oneof(
    fc.tuple(whitespace, bearerWord, whitespace, key, whitespace).map((parts) => parts.join('')),
    latin1,
  );
  return fc
    .record({
      authorization: fc.option(authorization, { nil: undefined }),
      'x-api-key': fc.option(fc.oneof(key, latin1), { nil: undefined }),
    })
    .map(
      (headers) =>
        Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)) as Record<
          string,
          string
        >,
    )
    .filter((headers) => Object.values(headers).every(transportable));
}

describe.each(['mvo', 'tvm'] as const)('%s: random credentials get the same answer from both', (api) => {
  const op = apiModel(api).operations.find((candidate) => candidate.method === 'GET')!;
  const path = op.path.replace(/\{\w+\}/g, 'id_123');

  it('for arbitrary Authorization / X-API-Key values', async () => {
    await fc.assert(
      fc.asyncProperty(credentialHeaders(api), async (headers) => {
        const { server, msw } = await sendBoth(sides, { api, name: 'property', method: 'GET', path, headers });
        expect({ status: msw.status, body: msw.body }).toEqual({ status: server.status, body: server.body });
      }),
      { numRuns: 300 },
    );
  });
});
