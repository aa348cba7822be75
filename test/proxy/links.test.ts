/** The links from checks to assumptions (claims above all) live in the specs: a broken one fails at start-up, the right ones are found. */
import { describe, expect, it } from 'vitest';
import { apiModel, embeddedSpec } from '../../mock-server/src/model/index.ts';
import { assumptionLinks, buildLinks, createExchangeValidator } from '../../mock-server/src/proxy/index.ts';

const operation = (api: 'mvo' | 'tvm', operationId: string) =>
  apiModel(api).operations.find((op) => op.operationId === operationId)!;

describe('links read from the spec', () => {
  it('fails at start-up, naming the place, when the spec links an assumption that does not exist', () => {
    const spec = structuredClone(embeddedSpec('tvm'));
    spec.paths['/v1/shop'].get.responses['200']['x-assumptions'] = ['TVM-A2', 'TVM-A99'];
    expect(() => buildLinks('tvm', spec)).toThrow(
      '#/paths/~1v1~1shop/get/responses/200/x-assumptions names "TVM-A99", which is not in info.x-assumptions',
    );
    expect(() => createExchangeValidator('tvm', buildLinks('tvm', spec))).toThrow();
  });

  it('fails at start-up when an assumption lists a check the proxy does not know', () => {
    const spec = structuredClone(embeddedSpec('mvo'));
    spec.info['x-assumptions'][10].checks = ['unknown-route', 'teapot'];
    expect(() => buildLinks('mvo', spec)).toThrow(
      '#/info/x-assumptions/10/checks names "teapot"; known checks: unknown-route, non-json-body, too-deep-body',
    );
  });

  it('fails at start-up, naming the place, when a claim is of an unknown kind, names an unknown operation or lacks a member', () => {
    const spec = structuredClone(embeddedSpec('tvm'));
    spec.info['x-assumptions'][1].claims = [
      { kind: 'teapot' },
      { kind: 'field', operations: ['getTeapot'], paths: ['x'] },
      { kind: 'message' },
    ];
    const thrown = (() => {
      try {
        buildLinks('tvm', spec);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(thrown).toContain(
      '#/info/x-assumptions/1/claims/0: kind "teapot"; known kinds: success-status, content-type, field',
    );
    expect(thrown).toContain('#/info/x-assumptions/1/claims/1: no operation getTeapot');
    expect(thrown).toContain('#/info/x-assumptions/1/claims/2: a message claim needs status');
  });

  it('reads claims by kind, operation and status; scope, key-format and global links', () => {
    const tvm = assumptionLinks('tvm');
    const ids = (claims: { assumption: string }[]) => claims.map((claim) => claim.assumption);
    expect(ids(tvm.claims('success-status', operation('tvm', 'createOffer'), 200))).toEqual(['TVM-A2']);
    expect(tvm.claims('success-status', operation('tvm', 'createOffer'), 200)[0].status).toBe(201);
    expect(ids(tvm.claims('message', operation('tvm', 'getOffer'), 404))).toEqual(['TVM-A7']);
    expect(ids(tvm.claims('message', operation('tvm', 'getOffer'), 401))).toEqual([]);
    expect(ids(tvm.claims('field', operation('tvm', 'listContent'), 200))).toEqual(['TVM-A3', 'TVM-A9', 'TVM-A10']);
    expect(ids(tvm.claims('field', operation('tvm', 'listOffers'), 200))).toEqual(['TVM-A3', 'TVM-A5', 'TVM-A9']);
    expect(ids(tvm.claims('header', operation('tvm', 'getShop'), 429))).toEqual(['TVM-A11', 'TVM-A21']);
    expect(ids(tvm.operationClaims('exists', operation('tvm', 'deleteContent')))).toEqual(['TVM-A4']);
    expect(ids(tvm.operationClaims('exists', operation('tvm', 'getOffer')))).toEqual([]);
    expect(tvm.scope(operation('tvm', 'listContent'))).toEqual(['TVM-A6']);
    expect(tvm.scope(operation('tvm', 'updateOffer'))).toEqual(['TVM-A4']);
    expect(tvm.keyFormat).toEqual(['TVM-A1']);
    expect(tvm.global('unknown-route')).toEqual(['TVM-A14']);
    expect(tvm.assumptions.filter((a) => !a.checkable).map((a) => a.id)).toEqual([
      'TVM-A13',
      'TVM-A15',
      'TVM-A19',
      'TVM-A22',
      'TVM-A23',
    ]);
    const mvo = assumptionLinks('mvo');
    expect(ids(mvo.claims('message', operation('mvo', 'getCustomer'), 401))).toEqual(['MVO-A9']);
    expect(mvo.global('non-json-body')).toEqual(['MVO-A11']);
    expect(mvo.global('too-deep-body')).toEqual(['MVO-A14']);
    expect(tvm.global('too-deep-body')).toEqual(['TVM-A20']);
    expect(mvo.keyFormat).toEqual(['MVO-A2']);
    expect(mvo.assumptions.filter((a) => !a.checkable).map((a) => a.id)).toEqual([
      'MVO-A1',
      'MVO-A10',
      'MVO-A15',
      'MVO-A16',
    ]);
  });
});
