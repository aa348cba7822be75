/**
 * Details where the schema and the prose must say the same thing: TVM's `X-RateLimit-*` headers are on
 * every response (so the spec marks them required, and the mock sends them on every answer), and MVO's
 * path `id` accepts any string because a non-UUID id answers 404 (assumption MVO-A8), not 400 or 422.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { createAjv } from '../../mock-server/src/pipeline/ajv.ts';
import { apiModel, embeddedSpec } from '../../mock-server/src/model/index.ts';
import { json, useMock } from '../helpers/mock.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const RATE_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

describe('TVM: X-RateLimit-* are on every response', () => {
  const tvm = embeddedSpec('tvm');
  const responses = Object.entries<any>(tvm.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).flatMap((m) =>
      Object.entries<any>(item[m].responses).map(
        ([status, response]) => [`${m.toUpperCase()} ${path} ${status}`, response] as const,
      ),
    ),
  );

  it('the description says so', () => {
    // The prose is the bundled description's (the embedded one carries no prose: scripts/runtime-spec.ts).
    expect(
      parse(readFileSync(new URL('../../openapi/generated/tvm.yaml', import.meta.url), 'utf8')).info.description,
    ).toMatch(/Every response carries `X-RateLimit-Limit`,\s+`X-RateLimit-Remaining` and `X-RateLimit-Reset`/);
  });

  it.each(responses)('%s declares the three headers, required', (_name, response) => {
    for (const header of RATE_HEADERS) expect(response.headers?.[header]?.required, header).toBe(true);
  });

  describe('the mock sends them on every answer', () => {
    const mock = useMock('tvm', { stateful: false });
    const admin = { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` };
    const documented = apiModel('tvm').operations.flatMap((op) =>
      [...op.responses].flatMap(([status, response]) =>
        [...(response.examples.size ? response.examples.keys() : [undefined])].map((example) => ({
          op,
          status,
          example,
        })),
      ),
    );
    const expectHeaders = (headers: Headers) => {
      for (const header of RATE_HEADERS) expect(headers.get(header), header).toMatch(/^\d+$/);
    };

    it.each(documented.map((c) => [`${c.op.operationId} ${c.status}${c.example ? ` ${c.example}` : ''}`, c] as const))(
      '%s (asked for with Prefer)',
      async (_name, { op, status, example }) => {
        const path = op.path.replace('{id}', 'offer_abc123');
        const prefer = example ? `code=${status}, example=${example}` : `code=${status}`;
        const answer = await mock.send(path, {
          method: op.method,
          ...(op.requestBody
            ? json({ title: 'T', code: 'C', teaser: 'T' }, { ...admin, prefer })
            : { headers: { ...admin, prefer } }),
        });
        expect(answer.status).toBe(status);
        expectHeaders(answer.headers);
      },
    );

    it.each([
      ['no key (401)', '/v1/shop', {}, 401],
      [
        'a disabled key (403)',
        '/v1/shop',
        { headers: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_disabled')}` } },
        403,
      ],
      [
        'a missing scope (403)',
        '/v1/offers',
        {
          method: 'POST',
          ...json({ title: 'T' }, { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_readonly')}` }),
        },
        403,
      ],
      ['an invalid query (400)', '/v1/offers?limit=500', { headers: admin }, 400],
      ['an unknown route (404)', '/v1/nope', { headers: admin }, 404],
    ] as const)('%s', async (_label, path, init, status) => {
      const answer = await mock.send(path, init as RequestInit);
      expect(answer.status).toBe(status);
      expectHeaders(answer.headers);
    });
  });
});

describe('MVO: the path id and assumption MVO-A8 agree', () => {
  const mvo = embeddedSpec('mvo');
  const idParameter = mvo.paths['/api/customers/{id}'].parameters.find((p: any) => p.name === 'id');
  const NOT_A_UUID = 'not-a-uuid';

  it('MVO-A8 promises 404 for an id that is not a UUID', () => {
    const a8 = mvo.info['x-assumptions'].find((a: { id: string }) => a.id === 'MVO-A8');
    expect(a8.decision).toMatch(/path `id` is a plain string, not `format: uuid`/);
    expect(a8.decision).toMatch(/404 `Customer not found`/);
  });

  it('so a validator that follows the schema lets a non-UUID id through (no format: uuid)', () => {
    const validate = createAjv().compile(idParameter.schema);
    expect(validate(NOT_A_UUID)).toBe(true);
    expect(validate(idParameter.example)).toBe(true);
  });

  it('while the customer object itself keeps its UUID formats', () => {
    const customer = mvo.paths['/api/customers/{id}'].get.responses['200'].content['application/json'].schema;
    expect([customer.properties.id.format, customer.properties.seller_id.format]).toEqual(['uuid', 'uuid']);
  });

  describe('and the mock answers that 404', () => {
    const mock = useMock('mvo');
    const auth = { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') };
    it.each([
      ['GET', {}],
      ['PATCH', json({ first_name: 'J' }, auth)],
      ['DELETE', {}],
    ] as const)('%s /api/customers/not-a-uuid', async (method, init) => {
      const answer = await mock.send(`/api/customers/${NOT_A_UUID}`, { method, headers: auth, ...init });
      expect([answer.status, answer.json]).toEqual([404, { error: 'Not Found', message: 'Customer not found' }]);
    });
  });
});
