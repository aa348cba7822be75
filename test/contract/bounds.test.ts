/**
 * Upper bounds on input (OWASP API4): every free-text request field and query value has a `maxLength`,
 * the mocks refuse one character more in each API's own words and accept the bound itself, and the
 * 1 MiB body limit is documented, with its status, in both descriptions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixtureKey } from '../../mock-server/src/fixtures/keys.ts';
import { MAX_BODY_BYTES } from '../../mock-server/src/index.ts';
import { buildApiModel } from '../../mock-server/src/model/api-model.ts';
import { embeddedSpec, type ApiName } from '../../mock-server/src/model/index.ts';
import { json, useHandledMock, useMock } from '../helpers/mock.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const AUTH: Record<ApiName, Record<string, string>> = {
  mvo: { 'x-api-key': fixtureKey('mvo', 'key_mvo_active') },
  tvm: { authorization: `Bearer ${fixtureKey('tvm', 'key_tvm_admin')}` },
};

interface Field {
  /** Where the value goes: property names from the body root, or the query parameter's name. */
  path: string[];
  schema: any;
}

/** Every string a request can carry, with the schema that describes it (specs are dereferenced). */
function stringFields(schema: any, path: string[] = []): Field[] {
  if (!schema || typeof schema !== 'object') return [];
  const found: Field[] = [schema.type].flat().includes('string') ? [{ path, schema }] : [];
  for (const [name, property] of Object.entries<any>(schema.properties ?? {}))
    found.push(...stringFields(property, [...path, name]));
  // a string's own branches (a date or a date-time) narrow the same value: they are not other fields
  if (found.length) return found;
  for (const branch of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])])
    found.push(...stringFields(branch, path));
  return found;
}

/** A string of exactly `length` characters that is otherwise valid for the field's format. */
function valueOfLength(schema: any, length: number): string {
  const formats = [schema.format, ...(schema.anyOf ?? []).map((branch: any) => branch.format)];
  if (formats.includes('email')) return `${'a'.repeat(length - '@example.com'.length)}@example.com`;
  if (formats.includes('uri')) return `https://example.com/${'a'.repeat(length - 'https://example.com/'.length)}`;
  if (formats.includes('date-time'))
    return `2026-03-01T23:59:59.${'1'.repeat(length - '2026-03-01T23:59:59.Z'.length)}Z`;
  return 'x'.repeat(length);
}

function setAt(target: any, path: string[], value: unknown): any {
  const copy = structuredClone(target ?? {});
  let node = copy;
  for (const name of path.slice(0, -1))
    node = node[name] = typeof node[name] === 'object' && node[name] ? node[name] : {};
  node[path.at(-1)!] = value;
  return copy;
}

interface BoundCase {
  api: ApiName;
  name: string;
  method: string;
  path: string;
  in: 'body' | 'query';
  field: Field;
  body?: unknown;
}

function boundCases(api: ApiName): BoundCase[] {
  const doc = embeddedSpec(api);
  return Object.entries<any>(doc.paths).flatMap(([template, item]) =>
    METHODS.filter((m) => item[m]).flatMap((m) => {
      const op = item[m];
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      let path = template;
      for (const p of params.filter((p) => p.in === 'path'))
        path = path.replace(`{${p.name}}`, encodeURIComponent(p.example));
      const base = { api, method: m.toUpperCase(), path };
      const media = op.requestBody?.content?.['application/json'];
      const body = media && (Object.values<any>(media.examples ?? {})[0]?.value ?? {});
      const bodyFields = media
        ? stringFields(media.schema).map((field) => ({
            ...base,
            name: `${op.operationId} body ${field.path.join('.')}`,
            in: 'body' as const,
            field,
            body,
          }))
        : [];
      const queryFields = params
        .filter((p) => p.in === 'query')
        .flatMap((p) =>
          stringFields(p.schema, [p.name]).map((field) => ({
            ...base,
            name: `${op.operationId} query ${p.name}`,
            in: 'query' as const,
            field,
          })),
        );
      return [...bodyFields, ...queryFields];
    }),
  );
}

const free = (c: BoundCase) => !c.field.schema.enum && c.field.schema.const === undefined;

describe.each(['mvo', 'tvm'] as const)('%s: every free-text request field has an upper bound', (api) => {
  const cases = boundCases(api);

  it('finds the fields to check (the walk reaches bodies, nested objects and query values)', () => {
    expect(cases.filter(free).length).toBeGreaterThan(api === 'mvo' ? 15 : 40);
    expect(cases.some((c) => c.field.path.length > 1 || c.in === 'query')).toBe(true);
  });

  it.each(cases.filter(free).map((c) => [c.name, c] as const))('%s has a maxLength', (_name, c) => {
    expect(c.field.schema.maxLength, `${c.name}: a string without enum must say how long it may be`).toBeGreaterThan(0);
  });

  it('e-mail addresses are at most 254 characters (RFC 5321) wherever they are sent', () => {
    const emails = cases.filter((c) => c.field.schema.format === 'email');
    expect(emails.length).toBe(api === 'mvo' ? 2 : 0);
    for (const c of emails) expect(c.field.schema.maxLength).toBe(254);
  });

  it('the published limits are kept where they exist', () => {
    const limit = (operationName: string) =>
      Object.fromEntries(
        cases
          .filter((c) => c.name.startsWith(operationName))
          .map((c) => [c.field.path.join('.'), c.field.schema.maxLength]),
      );
    if (api === 'mvo') {
      expect(limit('createCustomer body')).toMatchObject({
        first_name: 100,
        last_name: 100,
        company_name: 200,
        legal_entity: 100,
      });
    } else {
      expect(limit('createContent body')).toMatchObject({ title: 500, summary: 1000, body: 50000 });
      expect(limit('updateShop body')).toMatchObject({ teaser: 255, description: 5000 });
    }
  });

  it('each bound is written down as an assumption', () => {
    const decisions = embeddedSpec(api)
      .info['x-assumptions'].map((a: { decision: string }) => a.decision)
      .join('\n');
    expect(decisions).toMatch(/OWASP API4/);
    if (api === 'mvo') expect(decisions).toMatch(/`email` 254 \(RFC 5321/);
  });
});

describe.each(['mvo', 'tvm'] as const)("%s: the mock enforces each bound in the API's words", (api) => {
  // Stateless: every accepted request answers its example, so bounds can be probed in any order.
  const mock = useHandledMock(api, { stateful: false });
  const cases = boundCases(api).filter((c) => free(c) && c.field.schema.maxLength);

  const send = (c: BoundCase, value: string) => {
    if (c.in === 'query')
      return mock.send(`${c.path}?${new URLSearchParams({ [c.field.path[0]]: value })}`, {
        method: c.method,
        headers: AUTH[api],
      });
    return mock.send(c.path, { method: c.method, ...json(setAt(c.body, c.field.path, value), AUTH[api]) });
  };

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: one character over answers 400 naming the field; the bound itself passes',
    async (_name, c) => {
      const max = c.field.schema.maxLength;
      const over = await send(c, valueOfLength(c.field.schema, max + 1));
      expect(over.status).toBe(400);
      if (api === 'mvo') {
        const where = c.in === 'query' ? `querystring/${c.field.path[0]}` : `body/${c.field.path.join('/')}`;
        expect(over.json.message).toBe(`${where} must NOT have more than ${max} characters`);
      } else {
        expect(over.json.error.code).toBe('VALIDATION_ERROR');
        expect(over.json.error.details).toContainEqual({
          field: c.field.path.join('.'),
          message: `Must be at most ${max} characters`,
        });
      }
      const atBound = await send(c, valueOfLength(c.field.schema, max));
      expect(atBound.status, JSON.stringify(atBound.json)).toBeLessThan(300);
    },
  );

  const reported: [string, string, object][] =
    api === 'mvo'
      ? [
          [
            'a 10,000-character e-mail',
            '/api/customers',
            { first_name: 'J', last_name: 'D', email: `${'a'.repeat(9988)}@example.com` },
          ],
        ]
      : [
          ['a 100,000-character offer title', '/v1/offers', { title: 'T'.repeat(100_000) }],
          [
            'a 50,000-character voucher description',
            '/v1/vouchers',
            { code: 'SAVE15', description: 'D'.repeat(50_000) },
          ],
        ];
  it.each(reported)('refuses %s (400, nothing stored)', async (_label, path, body) => {
    expect((await mock.send(path, { method: 'POST', ...json(body, AUTH[api]) })).status).toBe(400);
  });
});

describe.each(['mvo', 'tvm'] as const)('%s: the 1 MiB body limit is documented', (api) => {
  const doc = embeddedSpec(api);
  const withBody = Object.values<any>(doc.paths).flatMap((item) =>
    METHODS.filter((m) => item[m]?.requestBody).map((m) => item[m]),
  );

  it('the limit the spec states is the one the mock applies', () => {
    expect(doc.info['x-max-body-bytes']).toBe(1_048_576);
    expect(MAX_BODY_BYTES).toBe(doc.info['x-max-body-bytes']);
  });

  it('the mock reads the limit from the spec: another stated limit is its limit, none stops it', () => {
    const stating = (limit: unknown) => ({ ...doc, info: { ...doc.info, 'x-max-body-bytes': limit } });
    expect(buildApiModel(api, stating(2048)).maxBodyBytes).toBe(2048);
    expect(() => buildApiModel(api, stating(undefined))).toThrow(
      'info.x-max-body-bytes must state the body limit in bytes',
    );
  });

  // Over a socket: the limit is enforced while the Node adapter reads the body, before the pipeline sees it.
  const mock = useMock(api);
  it('a body one byte over the limit answers the documented 413, one at the limit does not', async () => {
    const path = api === 'mvo' ? '/api/customers' : '/v1/offers';
    const op = doc.paths[path].post;
    const padded = (bytes: number) => {
      const body = { ...Object.values<any>(op.requestBody.content['application/json'].examples)[0].value, pad: '' };
      body.pad = 'x'.repeat(bytes - JSON.stringify(body).length);
      return JSON.stringify(body);
    };
    const over = await mock.send(path, { method: 'POST', ...json(padded(MAX_BODY_BYTES + 1), AUTH[api]) });
    expect([over.status, over.json]).toEqual([
      413,
      Object.values<any>(op.responses['413'].content['application/json'].examples)[0].value,
    ]);
    const at = await mock.send(path, { method: 'POST', ...json(padded(MAX_BODY_BYTES), AUTH[api]) });
    expect(at.status).not.toBe(413);
  });

  it.each(withBody.map((op) => [op.operationId, op] as const))(
    "%s documents 413 in the API's own error envelope",
    (_id, op) => {
      const example = Object.values<any>(op.responses['413'].content['application/json'].examples)[0].value;
      if (api === 'mvo') expect(example).toEqual({ error: 'Payload Too Large', message: 'Request body is too large' });
      else
        expect(example).toEqual({
          success: false,
          error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' },
        });
    },
  );

  it('the decision is an assumption that names the status and the size', () => {
    const assumption = doc.info['x-assumptions'].find((a: { decision: string }) => a.decision.includes('413'));
    expect(assumption?.decision).toContain('1,048,576 bytes');
  });
});

/** An array nested `levels` deep: `nested(1)` is `[]`. */
const nested = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

describe.each(['mvo', 'tvm'] as const)('%s: the nesting bound on bodies is stated once, in the spec', (api) => {
  const doc = embeddedSpec(api);
  const limit: number = doc.info['x-max-body-depth'];
  /** A valid create whose free-form member (one the schema does not close) nests `levels` below the body's own level(s). */
  const create = (levels: number) =>
    api === 'mvo'
      ? {
          path: '/api/customers',
          body: {
            first_name: 'Deep',
            last_name: 'Nest',
            email: `deep${levels}@example.com`,
            address_data: { street: 'x', extra: nested(levels - 2) },
          },
        }
      : { path: '/v1/offers', body: { title: `Deep ${levels}`, extra: nested(levels - 1) } };

  it('states 32 levels, with its assumption, and the mock reads it from there', () => {
    expect(limit).toBe(32);
    // The prose is the bundled description's (the embedded one carries no prose: scripts/runtime-spec.ts).
    expect(parse(readFileSync(`${ROOT}openapi/generated/${api}.yaml`, 'utf8')).info.description).toContain(
      '`info.x-max-body-depth`',
    );
    expect(
      doc.info['x-assumptions'].find((a: { decision: string }) => a.decision.includes('x-max-body-depth'))?.checks,
    ).toEqual(['too-deep-body']);
    const stating = (bound: unknown) => ({ ...doc, info: { ...doc.info, 'x-max-body-depth': bound } });
    expect(buildApiModel(api, stating(8)).maxBodyDepth).toBe(8);
    expect(() => buildApiModel(api, stating(undefined))).toThrow(
      'info.x-max-body-depth must state how deep a body may nest',
    );
  });

  const mock = useHandledMock(api);
  /** Every account's data (keys change on any authenticated request: `last_used_at`). */
  const stored = async () => {
    const answer = await mock.send('/__mock/state');
    expect(answer.status).toBe(200);
    return answer.json.accounts;
  };

  it('a body one level over the bound answers 400 and changes nothing; one at the bound is created, exported and loads back', async () => {
    const before = await stored();
    const over = create(limit + 1);
    const refused = await mock.send(over.path, { method: 'POST', ...json(over.body, AUTH[api]) });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain(
      api === 'mvo' ? 'must NOT be nested more than 32 levels deep' : 'Must be nested at most 32 levels deep',
    );
    expect(await stored()).toEqual(before);

    const at = create(limit);
    expect((await mock.send(at.path, { method: 'POST', ...json(at.body, AUTH[api]) })).status).toBe(201);
    const after = await stored();
    expect(after).not.toEqual(before);
    expect((await mock.send('/__mock/state', { method: 'PUT', ...json({ api, accounts: after }) })).status).toBe(204);
  });
});
