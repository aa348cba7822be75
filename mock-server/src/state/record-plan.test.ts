import { describe, expect, it } from 'vitest';
import { recordPlan, type PlanSource } from './record-plan.ts';

const record = {
  type: 'object',
  required: ['id', 'title', 'status'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    language: { oneOf: [{ type: 'string' }, { type: 'null' }] },
    note: { type: ['string', 'null'] },
    pinned: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    count: { type: 'integer' },
    status: { type: 'string' },
    source: { type: 'string' },
    code: { type: 'string' },
  },
};
const source: PlanSource = {
  name: 'test /things',
  record,
  create: {
    type: 'object',
    required: ['title'],
    properties: { title: {}, language: { default: 'de' }, note: {}, pinned: {}, count: {}, code: {}, extra: {} },
  },
  createExample: { id: 'thing_1', title: 'Example', status: 'needs_review', source: 'api', note: 'from the example' },
  update: { type: 'object', properties: { title: {}, note: {}, status: {}, code: {}, id: {} } },
  computed: ['id'],
  rewrite: { code: (value) => String(value).toUpperCase() },
};

describe('recordPlan.create', () => {
  it.each([
    [
      'the minimal body: defaults, then null, false and [] by type, server fields from the example',
      { title: 'T' },
      {
        id: 'thing_9',
        title: 'T',
        language: 'de',
        note: null,
        pinned: false,
        tags: [],
        status: 'needs_review',
        source: 'api',
      },
    ],
    [
      'sent values win over defaults, null is kept, unknown fields are dropped',
      { title: 'T', language: null, note: 'n', pinned: true, count: 3, extra: 1 },
      {
        id: 'thing_9',
        title: 'T',
        language: null,
        note: 'n',
        pinned: true,
        tags: [],
        count: 3,
        status: 'needs_review',
        source: 'api',
      },
    ],
    [
      'a field only the server sets cannot be sent',
      { title: 'T', status: 'active', source: 'me' },
      {
        id: 'thing_9',
        title: 'T',
        language: 'de',
        note: null,
        pinned: false,
        tags: [],
        status: 'needs_review',
        source: 'api',
      },
    ],
    [
      'submitted values are rewritten as the server does',
      { title: 'T', code: 'save15' },
      {
        id: 'thing_9',
        title: 'T',
        language: 'de',
        note: null,
        pinned: false,
        tags: [],
        status: 'needs_review',
        source: 'api',
        code: 'SAVE15',
      },
    ],
  ])('%s', (_label, body, expected) => {
    const created = recordPlan(source).create(body, { id: 'thing_9' });
    expect(created).toEqual(expected);
    expect(Object.keys(created)).toEqual(Object.keys(record.properties).filter((field) => field in expected));
  });

  it('gives every record its own copy of an object value', () => {
    const plan = recordPlan(source);
    const [first, second] = [plan.create({ title: 'a' }, { id: '1' }), plan.create({ title: 'b' }, { id: '2' })];
    first.tags.push('x');
    expect(second.tags).toEqual([]);
  });
});

describe('recordPlan.update', () => {
  it('changes only the fields of the update schema the record shows, never computed ones', () => {
    const plan = recordPlan(source);
    const row = plan.create({ title: 'T' }, { id: 'thing_9' });
    plan.update(row, { title: 'U', note: null, status: 'active', code: 'abc', id: 'other', pinned: true, extra: 1 });
    expect(row).toMatchObject({ id: 'thing_9', title: 'U', note: null, status: 'active', code: 'ABC', pinned: false });
    expect(row).not.toHaveProperty('extra');
  });
});

describe('recordPlan start-up check', () => {
  it('names a required field nothing fills', () => {
    expect(() => recordPlan({ ...source, record: { ...record, required: ['id', 'count'] } })).toThrow(
      'test /things: the stateful mock cannot fill the required field(s) count of a new record',
    );
  });

  it('accepts a required field the create body must send', () => {
    expect(() => recordPlan({ ...source, record: { ...record, required: ['title'] } })).not.toThrow();
  });
});
