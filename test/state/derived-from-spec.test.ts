/**
 * The stateful layer reads what records hold from the spec: a changed default, create example or schema
 * changes the stateful mock with no edit in mock-server/src/state/, and an operation it has no rule for stops
 * it at start-up, by name. Each case builds the model from a modified copy of the embedded spec.
 */
import { describe, expect, it } from 'vitest';
import { buildApiModel } from '../../mock-server/src/model/api-model.ts';
import { embeddedSpec, type ApiName } from '../../mock-server/src/model/index.ts';
import { createDialect } from '../../mock-server/src/pipeline/dialect.ts';
import { createState, seededRandom } from '../../mock-server/src/state/index.ts';

const AT = new Date('2026-03-01T12:00:00.000Z');

/** A stateful layer over a copy of the API's spec, changed by `edit` first. */
function stateFrom(api: ApiName, edit: (spec: Record<string, any>) => void = () => {}) {
  const spec = structuredClone(embeddedSpec(api));
  edit(spec);
  const model = buildApiModel(api, spec);
  const state = createState(model, createDialect(model), seededRandom(7));
  const call = (operationId: string, body?: unknown, params: Record<string, string> = {}) => {
    const op = model.operations.find((candidate) => candidate.operationId === operationId)!;
    return state.handle({ op, account: 'acme', params, query: new URLSearchParams(), body, at: AT });
  };
  return { model, state, call };
}

const customer = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' };
const createCustomerBody = (spec: Record<string, any>) =>
  spec.paths['/api/customers'].post.requestBody.content['application/json'].schema;
const createdOffer = (spec: Record<string, any>) =>
  spec.paths['/v1/offers'].post.responses['201'].content['application/json'].examples.created.value.data;
const offerRecord = (spec: Record<string, any>) =>
  spec.paths['/v1/offers/{id}'].get.responses['200'].content['application/json'].schema.allOf[1].properties.data;

describe('what a created record holds comes from the spec', () => {
  it('MVO: the defaults of CustomerCreate (language de, status active) fill what the body leaves out', () => {
    expect(stateFrom('mvo').call('createCustomer', customer)?.data).toMatchObject({
      language: 'de',
      status: 'active',
      company_name: null,
      source: 'api',
    });
  });

  it('MVO: a changed default in the spec changes the stateful mock', () => {
    const { call } = stateFrom('mvo', (spec) => {
      createCustomerBody(spec).properties.language.default = 'en';
      createCustomerBody(spec).properties.status.default = 'inactive';
    });
    expect(call('createCustomer', customer)?.data).toMatchObject({ language: 'en', status: 'inactive' });
  });

  it('MVO: a field that loses its default starts null when the record allows null', () => {
    const { call } = stateFrom('mvo', (spec) => delete createCustomerBody(spec).properties.language.default);
    expect(call('createCustomer', customer)?.data).toMatchObject({ language: null });
  });

  it('TVM: the create example sets what only the server sets (status needs_review)', () => {
    expect(stateFrom('tvm').call('createOffer', { title: 'x' })?.data).toMatchObject({
      status: 'needs_review',
      isExclusive: false,
      terms: null,
    });
    const { call } = stateFrom('tvm', (spec) => (createdOffer(spec).status = 'active'));
    expect(call('createOffer', { title: 'x' })?.data).toMatchObject({ status: 'active' });
  });

  it('TVM: a new nullable field or flag in the record schema is null or false on new records', () => {
    const { call } = stateFrom('tvm', (spec) => {
      offerRecord(spec).properties.tagline = { type: ['string', 'null'] };
      offerRecord(spec).properties.isFeatured = { type: 'boolean' };
    });
    expect(call('createOffer', { title: 'x' })?.data).toMatchObject({ tagline: null, isFeatured: false });
  });

  it('TVM: lists page by the default of the limit parameter', () => {
    const limitOf = (spec: Record<string, any>) =>
      spec.paths['/v1/offers'].get.parameters.find((p: any) => p.name === 'limit').schema;
    const { call } = stateFrom('tvm', (spec) => (limitOf(spec).default = 2));
    for (const title of ['a', 'b', 'c']) call('createOffer', { title });
    expect(call('listOffers')?.data).toMatchObject({
      total: 3,
      limit: 2,
      totalPages: 2,
      items: [{ title: 'c' }, { title: 'b' }],
    });
    expect(() => stateFrom('tvm', (spec) => delete limitOf(spec).default)).toThrow(
      /listOffers: the query parameter limit needs a numeric default/,
    );
  });

  it('TVM: a slug comes from the field its x-slug-from names', () => {
    expect(stateFrom('tvm').call('createOffer', { title: 'Big Sale' })?.data).toMatchObject({
      slug: expect.stringMatching(/^acme-big-sale-[a-z0-9]{5}$/),
    });
    const { call } = stateFrom('tvm', (spec) => (offerRecord(spec).properties.slug['x-slug-from'] = 'terms'));
    expect(call('createOffer', { title: 'Big Sale', terms: 'Members only' })?.data).toMatchObject({
      slug: expect.stringMatching(/^acme-members-only-[a-z0-9]{5}$/),
    });
  });

  it('TVM: a new resource of a known shape is served with no edit in state/', () => {
    const { call } = stateFrom('tvm', (spec) => {
      const rename = (item: Record<string, any>) => {
        const copy = structuredClone(item);
        for (const op of Object.values<any>(copy))
          if (op?.operationId) op.operationId = op.operationId.replace('Offer', 'Deal');
        return copy;
      };
      spec.paths['/v1/deals'] = rename(spec.paths['/v1/offers']);
      spec.paths['/v1/deals/{id}'] = rename(spec.paths['/v1/offers/{id}']);
    });
    const created = call('createDeal', { title: 'Two for one' });
    expect(created).toMatchObject({ status: 201, data: { title: 'Two for one', status: 'needs_review' } });
    const id = (created!.data as { id: string }).id;
    expect(call('getDeal', undefined, { id })).toMatchObject({ status: 200, data: { id } });
    expect(call('getOffer', undefined, { id })).toEqual({ status: 404, example: 'notFound' });
  });
});

describe('the start-up check names what the stateful layer cannot serve', () => {
  it('serves every operation of both specs as they are', () => {
    for (const api of ['mvo', 'tvm'] as const) {
      const { model, state } = stateFrom(api);
      expect(model.operations.filter((op) => !state.serves(op)).map((op) => op.operationId)).toEqual([]);
    }
  });

  it('TVM: an operation of an unknown shape', () => {
    expect(() =>
      stateFrom('tvm', (spec) => {
        spec.paths['/v1/offers/{id}/publish'] = {
          post: { ...structuredClone(spec.paths['/v1/offers/{id}'].put), operationId: 'publishOffer' },
        };
      }),
    ).toThrow(/no rule for publishOffer \(POST \/v1\/offers\/\{id\}\/publish\).*state\/tvm\.ts/);
  });

  it('MVO: a customer list whose answer is no page (both APIs share the list rule: it needs a page schema)', () => {
    expect(() =>
      stateFrom('mvo', (spec) => {
        spec.paths['/api/customers'].get = {
          ...structuredClone(spec.paths['/api/customers/{id}'].get),
          operationId: 'listCustomers',
        };
      }),
    ).toThrow(/listCustomers: its page schema has no field with x-page-field: items/);
  });

  it('TVM: a list filter with no rule', () => {
    expect(() =>
      stateFrom('tvm', (spec) => {
        spec.paths['/v1/offers'].get.parameters.push({ name: 'category', in: 'query', schema: { type: 'string' } });
      }),
    ).toThrow(/listOffers: the query parameter category filters no record field \(name one with x-filter-field\)/);
  });

  it('TVM: a new list parameter named after a record field filters that field, with no edit in state/', () => {
    const { model, state, call } = stateFrom('tvm', (spec) => {
      spec.paths['/v1/offers'].get.parameters.push({ name: 'discountType', in: 'query', schema: { type: 'string' } });
    });
    call('createOffer', { title: 'a', discountType: 'percentage' });
    call('createOffer', { title: 'b', discountType: 'fixed_amount' });
    const op = model.operations.find((candidate) => candidate.operationId === 'listOffers')!;
    const answer = state.handle({
      op,
      account: 'acme',
      params: {},
      query: new URLSearchParams('discountType=fixed_amount'),
      body: undefined,
      at: AT,
    });
    expect((answer!.data as { items: { title: string }[] }).items.map((item) => item.title)).toEqual(['b']);
  });

  it('TVM: an answer the stateful mock gives that the operation does not document (SHOP_NOT_FOUND on a content update)', () => {
    expect(() =>
      stateFrom('tvm', (spec) => {
        delete spec.paths['/v1/content/{id}'].put.responses['404'].content['application/json'].examples.shopNotFound;
      }),
    ).toThrow(/updateContent: the stateful mock answers its 404 "shopNotFound" example, which it does not document/);
  });

  it('TVM: a required record field nothing fills', () => {
    expect(() =>
      stateFrom('tvm', (spec) => {
        offerRecord(spec).properties.rank = { type: 'integer' };
        offerRecord(spec).required.push('rank');
      }),
    ).toThrow(/tvm \/v1\/offers: the stateful mock cannot fill the required field\(s\) rank/);
  });
});
