/** docs/build/assumptions.ts: which assumptions an operation lists, on a small description and on the real ones. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assumptionsByOperation } from '../../docs/build/assumptions.ts';

const ids = (map: Map<string, { id: string }[]>, operationId: string) =>
  map.get(operationId)!.map((assumption) => assumption.id);

function description(assumptions: object[]) {
  return {
    openapi: '3.1.0',
    info: { title: 'T', version: '1', 'x-assumptions': assumptions },
    components: {
      securitySchemes: {
        Key: { type: 'apiKey', in: 'header', name: 'X-Key', description: 'Format: assumption X-A1.' },
      },
      schemas: {
        Thing: { type: 'object', properties: { when: { type: 'string', description: 'A date (assumption X-A2).' } } },
      },
      responses: {
        Things: {
          description: 'Things.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
        },
      },
    },
    security: [{ Key: [] }],
    paths: {
      '/things': {
        get: {
          operationId: 'listThings',
          description: 'Lists things (assumption X-A14).',
          responses: { '200': { $ref: '#/components/responses/Things' } },
        },
        delete: {
          operationId: 'clearThings',
          security: [],
          description: 'No key (assumption X-A14).',
          responses: { '204': { description: 'Gone.' } },
        },
      },
    },
  };
}

const assumption = (id: string, extra: object = {}) => ({ id, gap: 'g', decision: 'd', ...extra });

describe('assumptionsByOperation', () => {
  it('lists the assumptions an operation cites, through $refs and its security scheme, as whole ids', () => {
    const map = assumptionsByOperation(
      description([assumption('X-A1'), assumption('X-A2'), assumption('X-A14'), assumption('X-A4')]),
    );
    expect(ids(map, 'listThings')).toEqual(['X-A1', 'X-A2', 'X-A14']);
    // No key, so not the key scheme's X-A1; and citing X-A14 is not citing X-A1.
    expect(ids(map, 'clearThings')).toEqual(['X-A14']);
  });

  it('adds those that say they affect every operation or name it', () => {
    const map = assumptionsByOperation(
      description([assumption('X-A3', { affects: 'all' }), assumption('X-A4', { affects: ['clearThings'] })]),
    );
    expect(ids(map, 'listThings')).toEqual(['X-A3']);
    expect(ids(map, 'clearThings')).toEqual(['X-A3', 'X-A4']);
    expect(ids(map, 'listThings')).not.toContain('X-A4');
  });

  it('refuses an `affects` naming an unknown operation, or of the wrong kind', () => {
    expect(() => assumptionsByOperation(description([assumption('X-A4', { affects: ['listThing'] })]))).toThrow(
      /X-A4: affects names unknown operation\(s\) listThing/,
    );
    expect(() => assumptionsByOperation(description([assumption('X-A4', { affects: 'some' })]))).toThrow(
      /affects must be "all" or a list/,
    );
  });
});

describe('the real descriptions', () => {
  const load = (api: string) =>
    parse(readFileSync(new URL(`../../openapi/generated/${api}.yaml`, import.meta.url), 'utf8'));
  const mvo = assumptionsByOperation(load('mvo'));
  const tvm = assumptionsByOperation(load('tvm'));

  it('every operation lists at least the assumptions about keys', () => {
    for (const list of mvo.values())
      expect(list.map((item) => item.id)).toEqual(expect.arrayContaining(['MVO-A2', 'MVO-A9']));
    for (const list of tvm.values())
      expect(list.map((item) => item.id)).toEqual(expect.arrayContaining(['TVM-A1', 'TVM-A14']));
  });

  it('operation-specific decisions reach their operations only', () => {
    expect(ids(mvo, 'updateCustomer')).toContain('MVO-A4');
    expect(ids(mvo, 'createCustomer')).toContain('MVO-A3');
    expect(ids(mvo, 'getCustomer')).not.toContain('MVO-A3');
    expect(ids(tvm, 'updateShop')).toContain('TVM-A12');
    expect(ids(tvm, 'getShop')).not.toContain('TVM-A12');
    expect(ids(tvm, 'createContent')).toEqual(expect.arrayContaining(['TVM-A6', 'TVM-A13']));
    expect(ids(tvm, 'createOffer')).not.toContain('TVM-A6');
  });
});
