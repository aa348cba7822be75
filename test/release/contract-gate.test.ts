/**
 * The breaking-change gate (scripts/contract-gate.ts) on a small description of its own: each kind of breaking
 * change is rated `major` where it was made, each kind of addition is seen and rated below `major`, and a
 * breaking change passes only when both packages announce it (breaking version bump and a BREAKING changelog).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  announcementProblems,
  breakingChanges,
  checkContracts,
  CONTRACTS,
  ratedChanges,
  securityNarrowed,
  type BreakingChange,
  type PackageRelease,
  type RatedChange,
} from '../../scripts/contract-gate.ts';

type Json = Record<string, any>;

const ok = (schema: Json) => ({ '200': { description: 'OK', content: { 'application/json': { schema } } } });
const object = (properties: Json, required: string[] = []) => ({ type: 'object', required, properties });

/** Every operation has schemas of its own (nothing shared), so each change shows at one operation only. */
function baseline(): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'Gate fixture', version: '1.0.0' },
    servers: [{ url: 'https://api.example.test' }],
    security: [{ key: [] }],
    components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } } },
    paths: {
      '/orders': {
        get: {
          operationId: 'listOrders',
          parameters: [{ name: 'status', in: 'query', schema: { type: 'string', enum: ['open', 'closed'] } }],
          responses: ok({ type: 'array', items: object({ id: { type: 'string' } }, ['id']) }),
        },
        post: {
          operationId: 'createOrder',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: object({ item: { type: 'string' }, note: { type: 'string' } }, ['item']) },
            },
          },
          responses: ok(object({ id: { type: 'string' } }, ['id'])),
        },
      },
      '/orders/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          operationId: 'getOrder',
          responses: ok(object({ id: { type: 'string' }, total: { type: 'number' } }, ['id', 'total'])),
        },
        delete: { operationId: 'deleteOrder', responses: { '204': { description: 'Deleted' } } },
      },
      '/customers': {
        get: {
          operationId: 'listCustomers',
          parameters: [{ name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } }],
          responses: ok({ type: 'array', items: object({ id: { type: 'string' } }, ['id']) }),
        },
        post: {
          operationId: 'createCustomer',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: object({ name: { type: 'string' } }, ['name']) } },
          },
          responses: ok(object({ id: { type: 'string' } }, ['id'])),
        },
      },
      '/customers/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          operationId: 'getCustomer',
          responses: ok(
            object({ id: { type: 'string' }, tier: { type: 'string', enum: ['basic', 'gold'] } }, ['id', 'tier']),
          ),
        },
      },
      '/items': {
        get: {
          operationId: 'listItems',
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } }],
          responses: ok({ type: 'array', items: object({ id: { type: 'string' } }, ['id']) }),
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          description: 'Whether the service is up.',
          security: [],
          responses: ok(object({ up: { type: 'boolean' } })),
        },
      },
    },
  };
}

interface Case {
  kind: string;
  change: (doc: Json) => void;
  /** Where the gate must report it (the start of `where`). */
  where: string;
}

const BREAKING: Case[] = [
  { kind: 'removed operation', where: 'DELETE /orders/{id}', change: (doc) => delete doc.paths['/orders/{id}'].delete },
  {
    kind: 'removed response field',
    where: 'GET /orders/{id}: responses/200',
    change: (doc) => {
      const schema = doc.paths['/orders/{id}'].get.responses['200'].content['application/json'].schema;
      delete schema.properties.total;
      schema.required = ['id'];
    },
  },
  {
    kind: 'added required request field',
    where: 'POST /orders: requestBody',
    change: (doc) => {
      const schema = doc.paths['/orders'].post.requestBody.content['application/json'].schema;
      schema.properties.quantity = { type: 'integer' };
      schema.required.push('quantity');
    },
  },
  {
    kind: 'narrowed request enum',
    where: 'GET /orders: parameters',
    change: (doc) => (doc.paths['/orders'].get.parameters[0].schema.enum = ['open']),
  },
  {
    kind: 'new value in a response enum (exhaustive switches break)',
    where: 'GET /customers/{id}: responses/200',
    change: (doc) =>
      doc.paths['/customers/{id}'].get.responses['200'].content['application/json'].schema.properties.tier.enum.push(
        'platinum',
      ),
  },
  {
    kind: 'new required query parameter',
    where: 'GET /customers',
    change: (doc) =>
      doc.paths['/customers'].get.parameters.push({
        name: 'region',
        in: 'query',
        required: true,
        schema: { type: 'string' },
      }),
  },
  {
    kind: 'changed request field type',
    where: 'POST /customers: requestBody',
    change: (doc) =>
      (doc.paths['/customers'].post.requestBody.content['application/json'].schema.properties.name = {
        type: 'integer',
      }),
  },
  {
    kind: 'lowered upper bound',
    where: 'GET /items: parameters',
    change: (doc) => (doc.paths['/items'].get.parameters[0].schema.maximum = 50),
  },
  {
    kind: 'credentials required where none were',
    where: 'GET /health: security',
    change: (doc) => delete doc.paths['/health'].get.security,
  },
];

const ADDITIONS: Case[] = [
  {
    kind: 'added operation',
    where: '/reports',
    change: (doc) =>
      (doc.paths['/reports'] = {
        get: { operationId: 'listReports', responses: ok({ type: 'array', items: { type: 'string' } }) },
      }),
  },
  {
    kind: 'added optional request field',
    where: 'POST /orders: requestBody',
    change: (doc) =>
      (doc.paths['/orders'].post.requestBody.content['application/json'].schema.properties.gift = { type: 'boolean' }),
  },
  {
    kind: 'added response field',
    where: 'GET /orders/{id}: responses/200',
    change: (doc) =>
      (doc.paths['/orders/{id}'].get.responses['200'].content['application/json'].schema.properties.currency = {
        type: 'string',
      }),
  },
  {
    kind: 'widened request enum',
    where: 'GET /orders: parameters',
    change: (doc) => doc.paths['/orders'].get.parameters[0].schema.enum.push('pending'),
  },
  {
    kind: 'new optional query parameter',
    where: 'GET /customers',
    change: (doc) =>
      doc.paths['/customers'].get.parameters.push({ name: 'sort', in: 'query', schema: { type: 'string' } }),
  },
  {
    kind: 'raised upper bound',
    where: 'GET /items: parameters',
    change: (doc) => (doc.paths['/items'].get.parameters[0].schema.maximum = 500),
  },
  {
    kind: 'edited description',
    where: 'GET /health',
    change: (doc) => (doc.paths['/health'].get.description = 'Whether the service is up and serving.'),
  },
];

let dir: string;
const write = (name: string, doc: Json) => {
  const file = join(dir, name);
  writeFileSync(file, stringify(doc));
  return file;
};
const applied = (cases: Case[]) => {
  const doc = baseline();
  for (const { change } of cases) change(doc);
  return doc;
};
const at = <T extends { where: string }>(changes: T[], where: string) =>
  changes.filter((change) => change.where.startsWith(where));

// Three diffs for all the cases (redocly takes about a second a run): the cases touch disjoint operations.
let breaking: BreakingChange[];
let additionsRated: RatedChange[];
let additionsBreaking: BreakingChange[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'contract-gate-'));
  const base = write('base.yaml', baseline());
  const [broken, added] = [write('breaking.yaml', applied(BREAKING)), write('additions.yaml', applied(ADDITIONS))];
  [breaking, additionsRated, additionsBreaking] = await Promise.all([
    breakingChanges('tvm', base, broken),
    ratedChanges(base, added),
    breakingChanges('tvm', base, added),
  ]);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('contract gate: what redocly diff rates as breaking', () => {
  it('the cases touch disjoint operations, so each finding belongs to one case', () => {
    for (const cases of [BREAKING, ADDITIONS]) {
      const operations = cases.map(({ where }) => where.split(':')[0]);
      expect(new Set(operations).size).toBe(operations.length);
    }
  });

  it.each(BREAKING.map((item) => [item.kind, item] as const))('%s: breaking, where it was made', (_kind, { where }) => {
    expect(at(breaking, where)).not.toEqual([]);
  });

  it('nothing else is reported', () => {
    const unexplained = breaking.filter((change) => !BREAKING.some(({ where }) => change.where.startsWith(where)));
    expect(unexplained).toEqual([]);
  });

  it.each(ADDITIONS.map((item) => [item.kind, item] as const))(
    '%s: seen, and rated minor or patch',
    (_kind, { where }) => {
      const found = at(additionsRated, where);
      expect(found.length).toBeGreaterThan(0);
      for (const change of found)
        expect(change, change.message).toMatchObject({ impact: expect.stringMatching(/^(minor|patch)$/) });
    },
  );

  it('additions alone are never breaking', () => {
    expect(additionsBreaking).toEqual([]);
  });
});

describe('contract gate: security read as alternatives (each a set of schemes with scopes)', () => {
  const doc = (security: unknown, global: unknown = [{ key: [] }]) => ({
    security: global,
    paths: { '/x': { get: { security } } },
  });
  it.each([
    ['dropping `security: []` (anonymous callers now need the key)', [], undefined, true],
    ['an extra scope on the one alternative', [{ oauth: ['read'] }], [{ oauth: ['read', 'write'] }], true],
    ['one of two alternatives removed', [{ key: [] }, { oauth: [] }], [{ oauth: [] }], true],
    ['two schemes required together where one was enough', [{ key: [] }], [{ key: [], oauth: [] }], true],
    ['an alternative added', [{ key: [] }], [{ key: [] }, { oauth: [] }], false],
    ['a scope dropped', [{ oauth: ['read', 'write'] }], [{ oauth: ['read'] }], false],
    ['made public', [{ key: [] }], [], false],
    ['the same requirement, inherited instead of stated', [{ key: [] }], undefined, false],
  ])('%s: breaking %s', (_case, before, after, breaks) => {
    expect(securityNarrowed(doc(before), doc(after)).length > 0).toBe(breaks);
  });
});

describe('contract gate: a breaking change must be announced', () => {
  const breaking = [{ contract: 'mvo' as const, where: 'DELETE /orders/{id}', message: 'removed' }];
  const release = (name: string, version: string, changelog = ''): PackageRelease => ({ name, version, changelog });
  const announced = (version: string) =>
    `# Changelog\n\n## ${version}\n\n- BREAKING: DELETE /orders/{id} is gone.\n\n## 0.1.0\n\n- First.\n`;

  it('passes when both packages that ship the contract bump breakingly and say BREAKING', () => {
    const packages = CONTRACTS.mvo.map((name) => release(name, '0.2.0', announced('0.2.0')));
    expect(announcementProblems(breaking, packages, '0.1.0')).toEqual([]);
  });

  it.each([
    ['a patch bump', '0.1.1', announced('0.1.1'), /needs a breaking version bump/],
    ['no changelog section for the version', '0.2.0', announced('0.3.0'), /no "## 0.2.0" section that says BREAKING/],
    [
      'a section that does not say BREAKING',
      '0.2.0',
      '## 0.2.0\n\n- Removed an operation.\n',
      /no "## 0.2.0" section that says BREAKING/,
    ],
  ])('fails with %s', (_case, version, changelog, problem) => {
    const packages = CONTRACTS.mvo.map((name) => release(name, version, changelog));
    const problems = announcementProblems(breaking, packages, '0.1.0');
    expect(problems).toHaveLength(CONTRACTS.mvo.length);
    for (const text of problems) expect(text).toMatch(problem);
  });

  it("only the packages that ship the broken contract must announce it (the control API is the mock's alone)", () => {
    const packages = [
      release('virtual-commerce-sdk', '0.1.0'),
      release('virtual-commerce-mock', '0.2.0', announced('0.2.0')),
    ];
    expect(announcementProblems([{ ...breaking[0], contract: 'mock' }], packages, '0.1.0')).toEqual([]);
    expect(announcementProblems(breaking, packages, '0.1.0')).toEqual([
      expect.stringMatching(/^virtual-commerce-sdk is 0\.1\.0/),
    ]);
  });

  it('checkContracts compares every contract with the newest release and names an unannounced break', async () => {
    const released = join(dir, 'released');
    const current = join(dir, 'current');
    for (const folder of [join(released, '0.0.9'), join(released, '0.1.0'), current])
      mkdirSync(folder, { recursive: true });
    for (const contract of Object.keys(CONTRACTS)) {
      write(`released/0.1.0/${contract}.yaml`, baseline());
      write(`released/0.0.9/${contract}.yaml`, applied(BREAKING));
      write(`current/${contract}.yaml`, contract === 'tvm' ? applied(BREAKING.slice(0, 1)) : baseline());
    }
    cpSync(join(released, '0.1.0', 'mvo.yaml'), join(current, 'mvo.yaml'));
    const unannounced = CONTRACTS.tvm.map((name) => release(name, '0.1.0'));
    const result = await checkContracts({ releasedDir: released, currentDir: current, packages: unannounced });
    expect(result.releasedVersion).toBe('0.1.0');
    expect(result.breaking).toEqual([{ contract: 'tvm', where: 'DELETE /orders/{id}', message: expect.any(String) }]);
    expect(result.problems).toEqual(CONTRACTS.tvm.map((name) => expect.stringContaining(`${name} is 0.1.0`)));
  }, 120_000);
});
