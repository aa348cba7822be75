import { describe, expect, it } from 'vitest';
import { createAjv, loadAjv } from './ajv.ts';
import { fastifyMessage, fieldProblems, validationProblem, withValueLimits } from './validation.ts';

await loadAjv();
const ajv = createAjv({ allErrors: true, verbose: true });
const schema = {
  type: 'object',
  required: ['title'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 5 },
    url: { type: 'string', format: 'uri' },
    email: { type: 'string', format: 'email' },
    at: { type: 'string', format: 'date-time' },
    when: {
      title: 'DateOrDateTime',
      anyOf: [
        { type: 'string', format: 'date' },
        { type: 'string', format: 'date-time' },
      ],
    },
    kind: { enum: ['a', 'b'] },
    count: { type: 'integer', minimum: 1, maximum: 3 },
    note: { type: ['string', 'null'] },
    flag: { const: true },
    nested: { type: 'object', properties: { 'a/b': { type: 'number' } } },
    shape: { anyOf: [{ type: 'string' }, { type: 'number' }] },
    name: { type: 'string', minLength: 3 },
  },
};
const validate = ajv.compile(schema);

/** The field problems for one body (TVM's `details`). */
function problems(body: unknown) {
  validate(body);
  return fieldProblems(validate.errors ?? [], '');
}

describe('fieldProblems (TVM details): one entry per field, in words a person reads', () => {
  it.each([
    ['a missing required field', {}, [{ field: 'title', message: 'Required' }]],
    ['an empty string', { title: '' }, [{ field: 'title', message: 'Must not be empty' }]],
    ['a string too long', { title: 'toolong' }, [{ field: 'title', message: 'Must be at most 5 characters' }]],
    ['a string too short', { title: 't', name: 'ab' }, [{ field: 'name', message: 'Must be at least 3 characters' }]],
    ['a bad URL', { title: 't', url: 'not a url' }, [{ field: 'url', message: 'Must be a valid URL' }]],
    ['a bad email', { title: 't', email: 'nope' }, [{ field: 'email', message: 'Must be a valid email address' }]],
    [
      'a bad date-time',
      { title: 't', at: 'tomorrow' },
      [{ field: 'at', message: 'Must be a valid ISO 8601 date-time' }],
    ],
    [
      'neither date nor date-time',
      { title: 't', when: 'soon' },
      [{ field: 'when', message: 'Must be an ISO 8601 date or date-time' }],
    ],
    [
      'another failed anyOf',
      { title: 't', shape: true },
      [{ field: 'shape', message: 'Does not match any allowed form' }],
    ],
    ['a value outside the enum', { title: 't', kind: 'c' }, [{ field: 'kind', message: 'Must be one of: a, b' }]],
    [
      'a number too small and a wrong type',
      { title: 't', count: 0, note: 5 },
      [
        { field: 'count', message: 'Must be at least 1' },
        { field: 'note', message: 'Must be a string' },
      ],
    ],
    ['a number too large', { title: 't', count: 4 }, [{ field: 'count', message: 'Must be at most 3' }]],
    ['a non-integer', { title: 't', count: 1.5 }, [{ field: 'count', message: 'Must be an integer' }]],
    ['a const', { title: 't', flag: false }, [{ field: 'flag', message: 'Must be true' }]],
    [
      'a nested field with an escaped name',
      { title: 't', nested: { 'a/b': 'x' } },
      [{ field: 'nested.a/b', message: 'Must be a number' }],
    ],
    ['a body that is not an object', [1], [{ field: 'body', message: 'Must be an object' }]],
  ])('%s', (_label, body, expected) => {
    expect(problems(body)).toEqual(expected);
  });

  it('puts a prefix before each field', () => {
    validate({});
    expect(fieldProblems(validate.errors!, 'query')).toEqual([{ field: 'query.title', message: 'Required' }]);
  });
});

describe('fastifyMessage (MVO): the first problem, in Fastify validator words', () => {
  it.each([
    ['body', {}, "body must have required property 'title'"],
    ['body', { title: 'toolong' }, 'body/title must NOT have more than 5 characters'],
    ['querystring', { title: 't', count: 0 }, 'querystring/count must be >= 1'],
  ] as const)('%s %j → %s', (where, body, message) => {
    validate(body);
    expect(fastifyMessage(where, validate.errors!)).toBe(message);
    expect(validationProblem(where, validate.errors!).message).toBe(message);
  });
});

describe('non-finite numbers (1e309 parses to Infinity)', () => {
  const validators = {
    get: () => ({
      body: withValueLimits(createAjv({ allErrors: true, verbose: true }).compile({ type: 'object' }), 32),
    }),
  };

  it('fail at the JSON pointer of each, escaped, however deep', () => {
    const body = validators.get().body;
    expect(body(JSON.parse('{"a/b":{"~x":[1,1e309]},"ok":2,"low":-1e309}'))).toBe(false);
    expect(body.errors!.map((error) => [error.instancePath, error.message])).toEqual([
      ['/low', 'must be a finite number'],
      ['/a~1b/~0x/1', 'must be a finite number'],
    ]);
  });

  it('leave a body of finite numbers to the schema alone', () => {
    const body = validators.get().body;
    expect([body({ a: [1, 2.5, { b: -1.7e308 }] }), body.errors]).toEqual([true, null]);
  });
});

describe('bodies nested deeper than the API allows (its info.x-max-body-depth)', () => {
  const schema = { type: 'object', properties: { address: { type: 'object' } } };
  const deep = { address: { extra: [[]] } }; // levels: body, address, extra, extra/0

  it("fail in both APIs' words at the first value too deep; the bound itself passes", () => {
    for (const allErrors of [false, true]) {
      const body = withValueLimits(createAjv({ allErrors, verbose: true }).compile(schema), 3);
      expect(body({ address: { extra: [] } })).toBe(true);
      expect(body(deep)).toBe(false);
      expect(validationProblem('body', body.errors!)).toEqual({
        message: 'body/address/extra/0 must NOT be nested more than 3 levels deep',
        details: [{ field: 'address.extra.0', message: 'Must be nested at most 3 levels deep' }],
      });
    }
  });
});
