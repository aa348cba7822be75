import { describe, expect, it } from 'vitest';
import type { OperationModel } from '../model/types.ts';
import { mapResources } from './resources.ts';

const op = (method: string, path: string) => ({ operationId: `${method} ${path}`, method, path }) as OperationModel;

describe('mapResources: resources by the shape of their paths', () => {
  it.each([
    ['GET', '/v1/offers', '/v1/offers', 'collection', 'list'],
    ['POST', '/v1/offers', '/v1/offers', 'collection', 'create'],
    ['GET', '/v1/offers/{id}', '/v1/offers', 'collection', 'read'],
    ['PUT', '/v1/offers/{id}', '/v1/offers', 'collection', 'update'],
    ['DELETE', '/v1/offers/{id}', '/v1/offers', 'collection', 'delete'],
    ['GET', '/v1/shop', '/v1/shop', 'singleton', 'read'],
    ['PUT', '/v1/shop', '/v1/shop', 'singleton', 'update'],
    ['PATCH', '/api/customers/{customerId}', '/api/customers', 'collection', 'update'],
  ])('%s %s → %s (%s) %s', (method, path, resource, kind, action) => {
    const operations = [op(method, path), op('GET', '/v1/offers/{id}'), op('GET', '/api/customers/{customerId}')];
    const placed = mapResources(operations).placed.get(operations[0]);
    expect(placed && [placed.resource.path, placed.resource.kind, placed.action]).toEqual([resource, kind, action]);
  });

  it.each([
    ['an action on an item', 'POST', '/v1/offers/{id}/publish'],
    ['a create on an item path', 'POST', '/v1/offers/{id}'],
    ['a delete on a singleton', 'DELETE', '/v1/shop'],
    ['a create on a singleton', 'POST', '/v1/shop'],
    ['a nested collection', 'GET', '/v1/shops/{shopId}/offers'],
    ['an unsupported method', 'OPTIONS', '/v1/offers'],
  ])('leaves %s unplaced (%s %s)', (_label, method, path) => {
    const operations = [op('GET', '/v1/offers'), op('GET', '/v1/offers/{id}'), op('GET', '/v1/shop'), op(method, path)];
    expect(mapResources(operations).unplaced).toEqual([operations[3]]);
  });

  it('leaves the second of two operations for one action unplaced', () => {
    const operations = [op('GET', '/v1/offers/{id}'), op('PUT', '/v1/offers/{id}'), op('PATCH', '/v1/offers/{id}')];
    expect(mapResources(operations).unplaced).toEqual([operations[2]]);
  });
});
