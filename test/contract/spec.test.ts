/** The contract itself: lint, security on every operation, the scope catalogue, examples, generation. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createAjv, loadAjv } from '../../mock-server/src/pipeline/ajv.ts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fillControlEnums } from '../../scripts/control-facts.ts';
import { generate } from '../../scripts/generate.ts';
import { driftedFiles } from '../../scripts/write-generated.ts';
import { embeddedSpec } from '../../mock-server/src/model/index.ts';
import { spec as controlSpec } from '../../mock-server/src/generated/mock.spec.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const specs = { mvo: embeddedSpec('mvo'), tvm: embeddedSpec('tvm'), mock: controlSpec as any };

function operations(doc: any) {
  return Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({
      path,
      method,
      item,
      op: item[method],
      name: `${method.toUpperCase()} ${path}`,
    })),
  );
}

describe.each(['mvo', 'tvm', 'mock'] as const)('%s: redocly lint', (api) => {
  it('has zero errors and zero warnings with the recommended rules plus ours', () => {
    const output = execFileSync(`${ROOT}node_modules/.bin/redocly`, ['lint', api, '--format', 'json'], {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
    const report = JSON.parse(output);
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });
});

describe('security on every operation', () => {
  it.each(operations(specs.mvo).map((o) => [o.name, o] as const))(
    'MVO %s accepts X-API-Key or Bearer and documents 401',
    (_n, { op }) => {
      const security = op.security ?? specs.mvo.security;
      expect(security).toEqual([{ ApiKeyHeader: [] }, { BearerAuth: [] }]);
      expect(op.responses['401']).toBeDefined();
      expect(Object.keys(op.responses['401'].content['application/json'].examples).sort()).toEqual([
        'expired',
        'invalid',
        'missing',
        'revoked',
      ]);
    },
  );

  const catalogue = Object.keys(specs.tvm.components.securitySchemes.BearerAuth['x-scopes']);
  it.each(operations(specs.tvm).map((o) => [o.name, o] as const))(
    'TVM %s requires exactly one known scope and documents 401 and 403',
    (_n, { op }) => {
      expect(op.security).toHaveLength(1);
      expect(Object.keys(op.security[0])).toEqual(['BearerAuth']);
      expect(op.security[0].BearerAuth).toHaveLength(1);
      expect(catalogue).toContain(op.security[0].BearerAuth[0]);
      expect(op.responses['401']).toBeDefined();
      expect(op.responses['403']).toBeDefined();
    },
  );

  it('TVM: every catalogued scope is used by some operation, except the admin wildcard', () => {
    const used = new Set(operations(specs.tvm).map(({ op }) => op.security[0].BearerAuth[0]));
    const admin = specs.tvm.components.securitySchemes.BearerAuth['x-admin-scope'];
    expect(catalogue.filter((scope) => scope !== admin && !used.has(scope))).toEqual([]);
    expect(catalogue).toEqual([
      'shops:read',
      'shops:write',
      'offers:read',
      'offers:write',
      'vouchers:read',
      'vouchers:write',
      'content:read',
      'content:write',
      '*',
    ]);
  });

  it('TVM: inferred operations are marked as such, published ones are not', () => {
    const inferred = operations(specs.tvm)
      .filter(({ op }) => op['x-inferred'])
      .map(({ name }) => name);
    expect(inferred.sort()).toEqual(
      ['offers', 'vouchers', 'content']
        .flatMap((r) => [`DELETE /v1/${r}/{id}`, `GET /v1/${r}/{id}`, `PUT /v1/${r}/{id}`])
        .filter((n) => n !== 'GET /v1/offers/{id}')
        .sort(),
    );
  });

  it('MVO: create lives on api., read/update/delete on app-api., each declared on its path', () => {
    // Path-level servers are the level generic generators read (orval); see test/interop/.
    expect(specs.mvo.paths['/api/customers'].servers[0].url).toBe('https://api.my-virtual-office.com');
    expect(specs.mvo.paths['/api/customers/{id}'].servers[0].url).toBe('https://app-api.my-virtual-office.com');
    for (const item of Object.values<any>(specs.mvo.paths))
      for (const m of METHODS) expect(item[m]?.servers).toBeUndefined();
    expect(specs.mvo.servers[0].url).toBe('https://api.my-virtual-office.com');
  });

  it('the documented auth messages are the published ones', () => {
    const mvo401 = specs.mvo.paths['/api/customers/{id}'].get.responses['401'].content['application/json'].examples;
    expect(Object.fromEntries(Object.entries<any>(mvo401).map(([k, v]) => [k, v.value.message]))).toEqual({
      missing: 'API key is required. Provide it via X-API-Key header or Authorization Bearer token.',
      invalid: 'Invalid API key',
      revoked: 'API key has been revoked',
      expired: 'API key has expired',
    });
    const tvm = specs.tvm.paths['/v1/offers'].post.responses;
    expect(tvm['401'].content['application/json'].examples.invalidOrMissing.value.error).toEqual({
      code: 'UNAUTHORIZED',
      message: 'Invalid or missing API key',
    });
    expect(tvm['403'].content['application/json'].examples.missingScope.value.error).toEqual({
      code: 'FORBIDDEN',
      message: 'Missing required scope: offers:write',
    });
  });
});

await loadAjv(); // the mock loads Ajv on first need; this suite builds validators of its own

describe('every example validates against its schema', () => {
  const ajv = createAjv({ allErrors: true });
  const cases: [string, object, unknown][] = [];
  for (const [api, doc] of Object.entries(specs)) {
    for (const { name, item, op } of operations(doc)) {
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        if (p.example !== undefined) cases.push([`${api} ${name} parameter ${p.name}`, p.schema, p.example]);
      }
      const request = op.requestBody?.content?.['application/json'];
      for (const [exampleName, example] of Object.entries<any>(request?.examples ?? {}))
        cases.push([`${api} ${name} request ${exampleName}`, request.schema, example.value]);
      for (const [status, response] of Object.entries<any>(op.responses)) {
        const media = response.content?.['application/json'];
        for (const [exampleName, example] of Object.entries<any>(media?.examples ?? {}))
          cases.push([`${api} ${name} ${status} ${exampleName}`, media.schema, example.value]);
        if (media?.example !== undefined) cases.push([`${api} ${name} ${status} example`, media.schema, media.example]);
      }
    }
    for (const [schemaName, schema] of Object.entries<any>(doc.components?.schemas ?? {})) {
      for (const [i, example] of (schema.examples ?? []).entries())
        cases.push([`${api} schema ${schemaName} example ${i}`, schema, example]);
    }
  }

  it('covers the examples of all three descriptions', () => {
    expect(cases.length).toBeGreaterThan(120);
  });
  it.each(cases)('%s', (_name, schema, value) => {
    const validate = ajv.compile(schema);
    expect(validate(value), ajv.errorsText(validate.errors)).toBe(true);
  });
  it('the validator does reject a wrong example (so the cases above can fail)', () => {
    const schema = specs.tvm.paths['/v1/offers'].post.requestBody.content['application/json'].schema;
    expect(ajv.compile(schema)({ description: 'no title' })).toBe(false);
  });
});

describe('generated files', () => {
  // One generation for both checks (`npm test` has already compared the files once, through `build --check`).
  let generated: ReturnType<typeof generate> | undefined;
  const generatedOnce = () => (generated ??= generate());

  it('equal a fresh generation from openapi/', async () => {
    expect(driftedFiles(await generatedOnce())).toEqual([]);
  }, 60_000);

  it('carry a header saying how to regenerate them', async () => {
    for (const path of [...(await generatedOnce()).keys()].filter((p) => p.includes('/generated/'))) {
      expect(readFileSync(`${ROOT}${path}`, 'utf8').split('\n')[0], path).toMatch(
        /Generated by `npm run build`.*Do not edit/,
      );
    }
  }, 60_000);

  it('the bundled descriptions are OpenAPI 3.1 with the assumptions visible', () => {
    for (const api of ['mvo', 'tvm']) {
      const doc = parse(readFileSync(`${ROOT}openapi/generated/${api}.yaml`, 'utf8'));
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.info.description).toContain('## Assumptions');
      for (const assumption of doc.info['x-assumptions']) expect(doc.info.description).toContain(assumption.id);
    }
  });
});

describe('mock: the control API states each mock’s own values, read from the API specs', () => {
  const schemas = (doc: any) => doc.components.schemas;
  it('the per-API enums are the APIs’ scopes, key states and documented error statuses', () => {
    expect(schemas(specs.mock).TvmScope.enum).toEqual(
      Object.keys(specs.tvm.components.securitySchemes.BearerAuth['x-scopes']),
    );
    expect(schemas(specs.mock).MvoKeyStatus.enum).toEqual(['active', 'revoked']);
    expect(schemas(specs.mock).TvmKeyStatus.enum).toEqual(['active', 'disabled']);
    expect(schemas(specs.mock).MvoErrorStatus.enum).toEqual([400, 401, 403, 404, 409, 413, 429, 500, 503]);
    expect(schemas(specs.mock).TvmErrorStatus.enum).toEqual([400, 401, 403, 404, 413, 429, 500, 503]);
  });

  it('a scope added to TVM’s catalogue is a scope the control API takes, with no edit in openapi/mock/', () => {
    const tvm = structuredClone(specs.tvm);
    tvm.components.securitySchemes.BearerAuth['x-scopes']['reports:read'] = 'View reports';
    const control = structuredClone(specs.mock);
    fillControlEnums(control, { mvo: specs.mvo, tvm });
    expect(schemas(control).TvmScope.enum).toContain('reports:read');
    expect(() =>
      fillControlEnums({ x: { 'x-enum-from': { api: 'tvm', fact: 'colours' } } }, { mvo: specs.mvo, tvm }),
    ).toThrow('unknown fact "colours"');
  });
});
