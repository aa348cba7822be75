/**
 * The precompiled request validators (mock-server/src/generated/<api>.validators.ts, Ajv standalone code written
 * by scripts/validators.ts) judge exactly as Ajv compiling the same schemas with the same options at run time
 * would: the same verdict and the same errors, field for field, on each operation's examples and on values
 * that break each property and query parameter in every way the schemas can tell. And the schemas they are
 * compiled from (repeated subschemas shared as `$defs`) judge as the operation's own schema does, in all the
 * mock reads: the verdict, the coerced data, and each error's place, keyword, parameters, message and title.
 */
import { describe, expect, it } from 'vitest';
import { compiledSchemas } from '../../../scripts/validators.ts';
import { apiModel, type ApiName } from '../model/index.ts';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { createAjv, loadAjv } from './ajv.ts';
import { requestSchemas, requestValidatorOptions, type RequestPart } from './request-schemas.ts';
import { loadValidators } from './validation.ts';

await loadAjv();

const WRONG_VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e6,
  '',
  'x',
  'x'.repeat(6000),
  'not a url',
  'a@b',
  '2024-13-45',
  '2024-01-15',
  '2024-01-15T10:30:00Z',
  true,
  [],
  ['x'],
  {},
  { x: 1 },
];
const QUERY_VALUES: unknown[] = [
  '',
  '0',
  '1',
  '-1',
  '2',
  '1.5',
  '100000',
  'abc',
  'true',
  '2024-01-15',
  '2024-01-15T10:30:00Z',
  'x'.repeat(300),
  ['1', '2'],
];

function candidates(part: RequestPart, schema: Record<string, any>, examples: unknown[]): unknown[] {
  const values = part === 'query' ? QUERY_VALUES : WRONG_VALUES;
  const bases = part === 'query' ? [{}] : [...examples, {}];
  const out: unknown[] = [...bases, null, [], 'text', 5];
  for (const base of bases.filter(
    (value): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value),
  )) {
    for (const name of Object.keys(schema.properties ?? {})) {
      const { [name]: _dropped, ...without } = base;
      out.push(without);
      for (const value of values) out.push({ ...base, [name]: value });
    }
  }
  return out;
}

/** What a caller can see of a validation: the verdict and every error's fields (parentSchema and data compared whole). */
const verdict = (validate: (data: unknown) => boolean, data: unknown) => {
  const copy = structuredClone(data);
  const valid = validate(copy);
  return { valid, errors: (validate as any).errors ?? null, data: copy };
};

/** What the mock reads of a verdict (validation.ts): an error's schema path and whole schemas are not read. */
const readByTheMock = ({ valid, errors, data }: ReturnType<typeof verdict>) => ({
  valid,
  data,
  errors: (errors as ErrorObject[] | null)?.map(({ instancePath, keyword, params, message, parentSchema }) => ({
    instancePath,
    keyword,
    params,
    message,
    title: parentSchema?.title,
  })),
});

describe.each(['mvo', 'tvm'] as ApiName[])('%s: precompiled request validators', (api) => {
  const model = apiModel(api);
  const compiledFrom = { body: compiledSchemas(api, model, 'body'), query: compiledSchemas(api, model, 'query') };
  const runtime = {
    body: createAjv(compiledFrom.body.options).addSchema(compiledFrom.body.shared),
    query: createAjv(compiledFrom.query.options).addSchema(compiledFrom.query.shared),
  };
  const unshared = {
    body: createAjv(requestValidatorOptions(api, 'body')),
    query: createAjv(requestValidatorOptions(api, 'query')),
  };

  it.each(
    model.operations.flatMap((op) =>
      Object.entries(requestSchemas(op)).map(
        ([part, schema]) => [op.operationId, part as RequestPart, schema, op] as const,
      ),
    ),
  )('%s %s judges as Ajv compiling it at run time', async (_id, part, schema, op) => {
    const precompiled = (await loadValidators(api))[part][op.operationId];
    expect(precompiled).toBeTypeOf('function');
    const compiled = runtime[part].compile(structuredClone(compiledFrom[part].schemas.get(op.operationId)!));
    const own = unshared[part].compile(structuredClone(schema));
    for (const data of candidates(part, schema, op.requestBody?.examples ?? [])) {
      const answer = verdict(precompiled, data);
      expect(answer, JSON.stringify(data)?.slice(0, 200)).toEqual(verdict(compiled, data));
      expect(readByTheMock(answer), JSON.stringify(data)?.slice(0, 200)).toEqual(readByTheMock(verdict(own, data)));
    }
  });

  it('has no validator for a part an operation does not validate', async () => {
    const module = await loadValidators(api);
    for (const part of ['body', 'query'] as const) {
      expect(Object.keys(module[part]).sort()).toEqual(
        model.operations
          .filter((op) => requestSchemas(op)[part])
          .map((op) => op.operationId)
          .sort(),
      );
    }
    expect(module.allErrors).toBe(requestValidatorOptions(api, 'body').allErrors);
  });
});
