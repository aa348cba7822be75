/**
 * The skeleton's handlers, called directly (no pipeline, no server): on TVM's and MVO's own rules and spec, and on
 * a third, made-up API whose rules say next to nothing, to show that a collection of a known shape needs no code.
 */
import { describe, expect, it } from 'vitest';
import { buildApiModel } from '../model/api-model.ts';
import { apiModel } from '../model/index.ts';
import type { ApiName, OperationModel } from '../model/types.ts';
import { createDialect, type Dialect } from '../pipeline/dialect.ts';
import type { DocumentPatch as Patch } from '../store/patch.ts';
import { stateRules } from './index.ts';
import { idSource, seededRandom } from './random.ts';
import {
  accountOf,
  buildState,
  createApiState,
  createItem,
  deleteItem,
  listItems,
  readItem,
  updateItem,
  type AccountRecords,
  type StateRules,
} from './skeleton.ts';
import type { StateRequest } from './types.ts';

const AT = new Date('2026-03-01T12:00:00.000Z');

function started(api: ApiName) {
  const model = apiModel(api);
  const dialect = createDialect(model);
  const ids = idSource(seededRandom(3));
  const changes: Patch[] = [];
  const { state } = buildState(model, dialect, ids, stateRules(model, dialect, ids), (patch) => changes.push(patch));
  const op = (operationId: string) => model.operations.find((candidate) => candidate.operationId === operationId)!;
  const request = (operationId: string, fields: Partial<StateRequest> = {}): StateRequest => ({
    op: op(operationId),
    account: 'acme',
    params: {},
    query: new URLSearchParams(),
    body: {},
    at: AT,
    ...fields,
  });
  return { state, changes, request, account: accountOf(state, 'acme') };
}

describe('the handlers on TVM rules', () => {
  it("createItem makes a record in the create example's status, stores and reports it, and answers the create's status", () => {
    const { state, changes, request, account } = started('tvm');
    const offers = state.collections.get('offers')!;
    const answer = createItem(state, offers, account, request('createOffer', { body: { title: 'Spring sale' } }));
    expect(answer).toMatchObject({
      status: 201,
      data: { title: 'Spring sale', status: 'needs_review', shop: { slug: 'acme' } },
    });
    const id = (answer.data as { id: string }).id;
    expect(account.records.get('offers')!.get(id)).toBe(answer.data);
    expect(changes.at(-1)).toMatchObject({ api: 'tvm', account: 'acme', resource: 'offers', id });
  });

  it("readItem, updateItem and deleteItem answer the rules' notFound for an unknown id", () => {
    const { state, request, account } = started('tvm');
    const offers = state.collections.get('offers')!;
    for (const [handler, operationId] of [
      [readItem, 'getOffer'],
      [updateItem, 'updateOffer'],
      [deleteItem, 'deleteOffer'],
    ] as const) {
      expect(
        handler(state, offers, account, request(operationId, { params: { id: 'offer_nope' }, body: { title: 'x' } })),
      ).toEqual({ status: 404, example: 'notFound' });
    }
  });

  it('updateItem changes a record in place: the list keeps its newest-first order', () => {
    const { state, request, account } = started('tvm');
    const offers = state.collections.get('offers')!;
    const [first, second] = ['One', 'Two'].map(
      (title) =>
        (createItem(state, offers, account, request('createOffer', { body: { title } })).data as { id: string }).id,
    );
    expect(
      updateItem(
        state,
        offers,
        account,
        request('updateOffer', { params: { id: first }, body: { title: 'One, changed' } }),
      ),
    ).toMatchObject({ status: 200, data: { id: first, title: 'One, changed' } });
    const page = listItems(state, offers, account, request('listOffers')).data as {
      items: { id: string }[];
      total: number;
    };
    expect(page.items.map((item) => item.id)).toEqual([second, first]);
    expect(page).toMatchObject({ total: 2, page: 1, limit: 20, totalPages: 1 });
  });

  it("deleteItem answers the Deleted schema's shape ({id, deleted: true}) and forgets the record", () => {
    const { state, request, account } = started('tvm');
    const vouchers = state.collections.get('vouchers')!;
    const id = (
      createItem(state, vouchers, account, request('createVoucher', { body: { code: 'save15', title: 'Save' } }))
        .data as { id: string }
    ).id;
    expect(deleteItem(state, vouchers, account, request('deleteVoucher', { params: { id } }))).toEqual({
      status: 200,
      data: { id, deleted: true },
    });
    expect(account.records.get('vouchers')!.has(id)).toBe(false);
  });
});

describe('the handlers on MVO rules', () => {
  it('refuses an email taken in the account (409), and a delete answers no data (204)', () => {
    const { state, request, account } = started('mvo');
    const customers = state.collections.get('customers')!;
    const body = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' };
    const created = createItem(state, customers, account, request('createCustomer', { body }));
    expect(created).toMatchObject({ status: 201, data: { email: 'ada@example.com' } });
    expect(
      createItem(state, customers, account, request('createCustomer', { body: { ...body, email: 'ADA@example.com' } })),
    ).toEqual({ status: 409 });
    const id = (created.data as { id: string }).id;
    expect(deleteItem(state, customers, account, request('deleteCustomer', { params: { id } }))).toEqual({
      status: 204,
    });
    expect(createItem(state, customers, account, request('createCustomer', { body }))).toMatchObject({ status: 201 });
  });
});

describe('a third API: a collection of a known shape is served by the skeleton with rules that say next to nothing', () => {
  const thing = {
    type: 'object',
    required: ['id', 'name'],
    properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } },
  };
  const json = (schema: unknown) => ({ description: 'ok', content: { 'application/json': { schema } } });
  const spec = {
    openapi: '3.1.0',
    info: { title: 'Things', version: '1', 'x-max-body-bytes': 1024, 'x-max-body-depth': 4 },
    components: {
      securitySchemes: {
        Key: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Key',
          'x-key-format': { pattern: '^th_[a-z]{8}$', 'x-prefix': 'th_' },
        },
      },
    },
    security: [{ Key: [] }],
    paths: {
      '/things': {
        get: {
          operationId: 'listThings',
          parameters: [
            { name: 'page', in: 'query', schema: { type: 'integer', default: 1 } },
            { name: 'size', in: 'query', schema: { type: 'integer', default: 10 } },
            { name: 'name', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            '200': json({
              type: 'object',
              properties: {
                results: { 'x-page-field': 'items', type: 'array', items: thing },
                count: { 'x-page-field': 'total', type: 'integer' },
                page: { 'x-page-field': 'page', type: 'integer' },
                size: { 'x-page-field': 'limit', type: 'integer' },
                pages: { 'x-page-field': 'pageCount', type: 'integer' },
              },
            }),
          },
        },
        post: {
          operationId: 'createThing',
          requestBody: {
            content: {
              'application/json': {
                schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
              },
            },
          },
          responses: { '201': json(thing) },
        },
      },
      '/things/{id}': {
        get: {
          operationId: 'getThing',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': json(thing) },
        },
        delete: {
          operationId: 'deleteThing',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': json({ type: 'object', properties: { id: { type: 'string' }, gone: { const: true } } }) },
        },
      },
    },
  };
  const rules: StateRules<AccountRecords> = {
    computed: ['id'],
    notFound: { status: 404 },
    reviews: false,
    accountProperties: () => ({}),
    start() {},
    newAccount: (account, records) => ({ account, records }),
    accountFrom: (account, _data, records) => ({ account, records }),
    accountFields: () => ({}),
    creating: () => ({ values: {} }),
    touch() {},
  };

  it('creates, lists (with its own page field names and a filter by name), reads and deletes', () => {
    const model = buildApiModel('things' as ApiName, spec);
    const bare = {
      dataSchema: (schema: unknown) => schema,
      dataOf: (example: unknown) => example,
    } as unknown as Dialect;
    const state = createApiState(model, bare, idSource(seededRandom(5)), rules);
    const op = (operationId: string): OperationModel =>
      model.operations.find((candidate) => candidate.operationId === operationId)!;
    expect(model.operations.every((candidate) => state.serves(candidate))).toBe(true);
    const call = (operationId: string, fields: Partial<StateRequest> = {}) =>
      state.handle({
        op: op(operationId),
        account: 'a',
        params: {},
        query: new URLSearchParams(),
        body: {},
        at: AT,
        ...fields,
      });
    const created = call('createThing', { body: { name: 'bolt' } });
    call('createThing', { body: { name: 'nut' } });
    expect(created).toMatchObject({ status: 201, data: { name: 'bolt' } });
    const id = (created!.data as { id: string }).id;
    expect(call('listThings', { query: new URLSearchParams('name=bolt') })).toEqual({
      status: 200,
      data: { results: [created!.data], count: 1, page: 1, size: 10, pages: 1 },
    });
    expect(call('deleteThing', { params: { id } })).toEqual({ status: 200, data: { id, gone: true } });
    expect(call('getThing', { params: { id } })).toEqual({ status: 404 });
  });
});
