import { describe, expect, it } from 'vitest';
import type { JsonSchema, OperationModel } from '../model/types.ts';
import { deletedAnswer, listPage, listPlan, propertiesOf } from './list-plan.ts';

const record: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string' },
    code: { type: 'string' },
    isActive: { type: 'boolean' },
    shop: { oneOf: [{ type: 'object', properties: { id: { type: 'string' } } }, { type: 'null' }] },
  },
};
const page: JsonSchema = {
  allOf: [
    {
      type: 'object',
      properties: {
        items: { 'x-page-field': 'items', type: 'array', items: {} },
        total: { 'x-page-field': 'total', type: 'integer' },
        page: { 'x-page-field': 'page', type: 'integer' },
        limit: { 'x-page-field': 'limit', type: 'integer' },
        totalPages: { 'x-page-field': 'pageCount', type: 'integer' },
      },
    },
    { type: 'object', properties: { items: { type: 'array', items: record } } },
  ],
};
const query = (name: string, schema: JsonSchema, filterField?: string) => ({
  name,
  in: 'query' as const,
  required: false,
  schema,
  ...(filterField && { filterField }),
});
const list = (...parameters: ReturnType<typeof query>[]) =>
  ({
    operationId: 'listThings',
    parameters: [
      query('page', { type: 'integer', default: 1 }),
      query('limit', { type: 'integer', default: 2 }),
      ...parameters,
    ],
  }) as unknown as OperationModel;
const upper = { code: (value: unknown) => String(value).toUpperCase() };

describe('listPlan: filters and page shape read from the list operation and the schemas', () => {
  it('filters the field of the parameter name, or the field x-filter-field names, reading values as the parameter types them', () => {
    const problems: string[] = [];
    const plan = listPlan(
      {
        list: list(
          query('status', { type: 'string' }),
          query('active', { type: 'boolean' }, 'isActive'),
          query('shopId', { type: 'string' }, 'shop.id'),
          query('code', { type: 'string' }),
        ),
        data: page,
        record,
        rewrite: upper,
      },
      problems,
    );
    expect(problems).toEqual([]);
    expect(plan.filters.map((filter) => [filter.param, filter.path.join('.')])).toEqual([
      ['status', 'status'],
      ['active', 'isActive'],
      ['shopId', 'shop.id'],
      ['code', 'code'],
    ]);
    expect(plan.filters[1].expect('true')).toBe(true);
    expect(plan.filters[3].expect('save15')).toBe('SAVE15'); // as the server stores a submitted code
    expect(plan.page).toEqual({ param: 'page', default: 1 });
    expect(plan.limit).toEqual({ param: 'limit', default: 2 });
  });

  it('names a parameter that filters no record field, and a page schema without a page field', () => {
    const problems: string[] = [];
    listPlan(
      {
        list: list(query('category', { type: 'string' })),
        data: { type: 'object', properties: { items: { 'x-page-field': 'items' } } },
        record,
      },
      problems,
    );
    expect(problems).toContain(
      'listThings: the query parameter category filters no record field (name one with x-filter-field)',
    );
    expect(problems).toContain('listThings: its page schema has no field with x-page-field: total');
  });

  it("pages the matches newest first, in the page schema's field names and order", () => {
    const plan = listPlan(
      {
        list: list(query('status', { type: 'string' }), query('active', { type: 'boolean' }, 'isActive')),
        data: page,
        record,
      },
      [],
    );
    const items = ['a', 'b', 'c', 'd'].map((id, index) => ({
      id,
      status: index % 2 ? 'active' : 'needs_review',
      isActive: Boolean(index % 2),
    }));
    const answer = listPage(plan, items, new URLSearchParams());
    expect(Object.keys(answer)).toEqual(['items', 'total', 'page', 'limit', 'totalPages']);
    expect(answer).toMatchObject({ total: 4, page: 1, limit: 2, totalPages: 2 });
    expect((answer.items as { id: string }[]).map((item) => item.id)).toEqual(['d', 'c']);
    expect(listPage(plan, items, new URLSearchParams('active=true&page=1'))).toMatchObject({
      items: [{ id: 'd' }, { id: 'b' }],
      total: 2,
    });
    expect(listPage(plan, items, new URLSearchParams('status=active&active=false'))).toMatchObject({
      items: [],
      total: 0,
      totalPages: 0,
    });
  });

  it('reads properties through allOf, oneOf and anyOf', () => {
    expect(Object.keys(propertiesOf(page))).toEqual(['items', 'total', 'page', 'limit', 'totalPages']);
    expect(propertiesOf(page).items).toMatchObject({ 'x-page-field': 'items', items: record });
    expect(Object.keys(propertiesOf((record.properties as Record<string, JsonSchema>).shop))).toEqual(['id']);
  });
});

describe('deletedAnswer: what a delete answers, from its data schema', () => {
  it("copies the record's fields and the schema's consts (Deleted.yaml)", () => {
    const deleted = deletedAnswer(
      'things',
      { type: 'object', properties: { id: { type: 'string' }, deleted: { type: 'boolean', const: true } } },
      record,
      [],
    );
    expect(deleted({ id: 'thing_1', status: 'active' })).toEqual({ id: 'thing_1', deleted: true });
  });

  it('answers no data when the delete documents none (MVO 204)', () => {
    expect(deletedAnswer('things', undefined, record, [])({ id: 'x' })).toBeUndefined();
  });

  it("names a field that is neither a const nor the record's", () => {
    const problems: string[] = [];
    deletedAnswer('things', { properties: { removedAt: { type: 'string' } } }, record, problems);
    expect(problems).toEqual([
      "things: the delete answer's field removedAt is neither a const nor a field of the record",
    ]);
  });
});
