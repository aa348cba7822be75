/** The links from checks to assumptions live in the specs: a broken one fails at start-up, the right ones are found. */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { apiModel, embeddedSpec } from '../../mock-server/src/model/index.ts';
import { assumptionLinks, buildLinks, createExchangeValidator } from '../../mock-server/src/proxy/index.ts';

const operation = (api: 'mvo' | 'tvm', operationId: string) => apiModel(api).operations.find((op) => op.operationId === operationId)!;

describe('links read from the spec', () => {
  it('fails at start-up, naming the place, when the spec links an assumption that does not exist', () => {
    const spec = structuredClone(embeddedSpec('tvm'));
    spec.paths['/v1/shop'].get.responses['200']['x-assumptions'] = ['TVM-A2', 'TVM-A99'];
    expect(() => buildLinks('tvm', spec)).toThrow('#/paths/~1v1~1shop/get/responses/200/x-assumptions names "TVM-A99", which is not in info.x-assumptions');
    expect(() => createExchangeValidator('tvm', buildLinks('tvm', spec))).toThrow();
  });

  it('fails at start-up when an assumption lists a check the proxy does not know', () => {
    const spec = structuredClone(embeddedSpec('mvo'));
    spec.info['x-assumptions'][10].checks = ['unknown-route', 'teapot'];
    expect(() => buildLinks('mvo', spec)).toThrow('#/info/x-assumptions/10/checks names "teapot"; known checks: unknown-route, non-json-body, too-deep-body');
  });

  it('finds the assumption behind a missing property through its own schema', () => {
    const links = assumptionLinks('tvm');
    const schema = operation('tvm', 'getShop').responses.get(200)!.schema!;
    const missingMeta = { keyword: 'required', schemaPath: '#/allOf/0/required', instancePath: '', params: { missingProperty: 'meta' } } as ErrorObject;
    expect(links.schemaError(schema, missingMeta)).toEqual(['TVM-A3']);
    const missingData = { ...missingMeta, params: { missingProperty: 'data' } } as ErrorObject;
    expect(links.schemaError(schema, missingData)).toEqual([]);
  });

  it('finds the assumption behind a failed keyword along the schema path', () => {
    const links = assumptionLinks('tvm');
    const list = operation('tvm', 'listOffers').responses.get(200)!.schema!;
    const pageField = { keyword: 'required', schemaPath: '#/allOf/1/properties/data/allOf/0/required', instancePath: '/data', params: { missingProperty: 'totalPages' } } as ErrorObject;
    expect(links.schemaError(list, pageField)).toEqual(['TVM-A5']);
  });

  it('counts as exercised only the linked schemas a value reaches', () => {
    const links = assumptionLinks('mvo');
    const customer = operation('mvo', 'getCustomer').responses.get(200)!.schema!;
    expect(links.exercised(customer, { id: 'x', address_data: null }).sort()).toEqual(['MVO-A8']);
    expect(links.exercised(customer, { legal_entity: 'GmbH', address_data: { city: 'Berlin' } }).sort()).toEqual(['MVO-A7']);
  });

  it('reads response, example, operation, scope and key-format links', () => {
    const tvm = assumptionLinks('tvm');
    expect(tvm.response(operation('tvm', 'createOffer'), 201)).toEqual(['TVM-A2']);
    expect(tvm.response(operation('tvm', 'createOffer'), 503)).toEqual(['TVM-A16']);
    expect(tvm.response(operation('tvm', 'createOffer'), 401)).toEqual([]);
    expect(tvm.example(operation('tvm', 'getShop'), 403, 'disabled')).toEqual(['TVM-A7']);
    expect(tvm.operation(operation('tvm', 'deleteContent'))).toEqual(['TVM-A4']);
    expect(tvm.operation(operation('tvm', 'getOffer'))).toEqual([]);
    expect(tvm.scope(operation('tvm', 'listContent'))).toEqual(['TVM-A6']);
    expect(tvm.keyFormat).toEqual(['TVM-A1']);
    expect(tvm.global('unknown-route')).toEqual(['TVM-A14']);
    const mvo = assumptionLinks('mvo');
    expect(mvo.example(operation('mvo', 'getCustomer'), 401, 'missing')).toEqual(['MVO-A9']);
    expect(mvo.global('non-json-body')).toEqual(['MVO-A11']);
    expect(mvo.global('too-deep-body')).toEqual(['MVO-A14']);
    expect(tvm.global('too-deep-body')).toEqual(['TVM-A20']);
    expect(mvo.keyFormat).toEqual(['MVO-A2']);
  });
});
