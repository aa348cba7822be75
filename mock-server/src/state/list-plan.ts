/**
 * How a stateful list answers, read from the spec once, at start-up:
 * - its filters: every query parameter of the list operation that is not a paging one matches the record field of
 *   its name, or the field its `x-filter-field` names (`active` → `isActive`, `shopId` → `shop.id`); the value is
 *   read as the parameter's schema types it (a boolean, a number, else a string) and rewritten as the server
 *   rewrites a submitted value of the field (voucher codes upper-cased: the `code` filter ignores case);
 * - its page: the fields of the list's data schema (Page.yaml) by the `x-page-field` each carries (the items, the
 *   count of matches, the page number and size, the count of pages), in the schema's order; the page number and
 *   size are the query parameters of those fields' names, with their schemas' defaults.
 * A parameter naming no record field, or a page schema missing a field, stops the mock at start-up with its name.
 */
import type { JsonSchema, OperationModel } from '../model/types.ts';

type Item = Record<string, any>;
export type PageField = 'items' | 'total' | 'page' | 'limit' | 'pageCount';
const PAGE_FIELDS: readonly PageField[] = ['items', 'total', 'page', 'limit', 'pageCount'];

export interface ListFilter {
  /** The query parameter. */
  param: string;
  /** The record field's path (`shop.id`). */
  path: readonly string[];
  /** The field's value in an item (a plain property read for a one-segment path: lists filter every item). */
  read(item: Item): unknown;
  /** The value a query string stands for, as stored. */
  expect(value: string): unknown;
}

export interface ListPlan {
  filters: readonly ListFilter[];
  /** The page's fields in the schema's order, each with what it holds. */
  fields: readonly (readonly [name: string, holds: PageField])[];
  /** The paging query parameters and their defaults. */
  page: { param: string; default: number };
  limit: { param: string; default: number };
}

/**
 * Every property of a schema, through `allOf` (the list data is `allOf: [Page, {items}]`) and the variants of a
 * `oneOf`/`anyOf` (a nullable `shop`), in order of appearance.
 */
export function propertiesOf(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  if (!schema) return {};
  const own = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const parts = (['allOf', 'oneOf', 'anyOf'] as const).flatMap((key) =>
    ((schema[key] as JsonSchema[] | undefined) ?? []).map(propertiesOf),
  );
  const merged: Record<string, JsonSchema> = {};
  for (const part of [...parts, own])
    for (const [name, property] of Object.entries(part)) merged[name] = { ...merged[name], ...property };
  return merged;
}

function typesOf(schema: JsonSchema): string[] {
  return Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
}

/** How a query string is read for a parameter of this schema. */
function reader(schema: JsonSchema): (value: string) => unknown {
  const types = typesOf(schema);
  if (types.includes('boolean')) return (value) => value === 'true';
  if (types.includes('integer') || types.includes('number')) return Number;
  return (value) => value;
}

export interface ListSource {
  list: OperationModel;
  /** The list's data schema (inside the API's envelope). */
  data: JsonSchema | undefined;
  /** The record schema (its read's data). */
  record: JsonSchema;
  /** How the server rewrites a submitted value, by field (record-plan.ts). */
  rewrite?: Record<string, (value: unknown) => unknown>;
}

/** Reads a list's filters and page shape; the problems found are pushed to `problems`. */
export function listPlan({ list, data, record, rewrite = {} }: ListSource, problems: string[]): ListPlan {
  const roles = new Map<PageField, string>();
  const fields: [string, PageField][] = [];
  for (const [name, property] of Object.entries(propertiesOf(data))) {
    const holds = property['x-page-field'] as PageField | undefined;
    if (holds === undefined) continue;
    if (!PAGE_FIELDS.includes(holds))
      problems.push(`${list.operationId}: the page field ${name} has an unknown x-page-field ${holds}`);
    roles.set(holds, name);
    fields.push([name, holds]);
  }
  for (const holds of PAGE_FIELDS)
    if (!roles.has(holds))
      problems.push(`${list.operationId}: its page schema has no field with x-page-field: ${holds}`);

  const query = list.parameters.filter((p) => p.in === 'query');
  const paging = (holds: 'page' | 'limit') => {
    const param = roles.get(holds) ?? holds;
    const value = query.find((p) => p.name === param)?.schema.default;
    if (typeof value !== 'number')
      problems.push(`${list.operationId}: the query parameter ${param} needs a numeric default (lists are paged)`);
    return { param, default: typeof value === 'number' ? value : 1 };
  };
  const page = paging('page');
  const limit = paging('limit');

  const recordFields = propertiesOf(record);
  const filters: ListFilter[] = [];
  for (const p of query) {
    if (p.name === page.param || p.name === limit.param) continue;
    const path = (p.filterField ?? p.name).split('.');
    let field: JsonSchema | undefined = { properties: recordFields };
    for (const segment of path) field = propertiesOf(field)[segment];
    if (!field) {
      problems.push(
        `${list.operationId}: the query parameter ${p.name} filters no record field (name one with x-filter-field)`,
      );
      continue;
    }
    const read = reader(p.schema);
    const rewritten = rewrite[path[path.length - 1]];
    const [first] = path;
    filters.push({
      param: p.name,
      path,
      read: path.length === 1 ? (item) => item[first] : (item) => valueAt(item, path),
      expect: rewritten ? (value) => rewritten(read(value)) : read,
    });
  }
  return { filters, fields, page, limit };
}

function valueAt(item: Item, path: readonly string[]): unknown {
  let value: any = item;
  for (const segment of path) value = value?.[segment];
  return value;
}

/** One page of the items matching the query's filters, newest first (`items` in the order they were stored). */
export function listPage(plan: ListPlan, items: Iterable<Item>, query: URLSearchParams): Record<string, unknown> {
  const page = Number(query.get(plan.page.param) ?? plan.page.default);
  const limit = Number(query.get(plan.limit.param) ?? plan.limit.default);
  const tests: [ListFilter['read'], unknown][] = [];
  for (const filter of plan.filters) {
    const value = query.get(filter.param);
    if (value !== null) tests.push([filter.read, filter.expect(value)]);
  }
  const matches: Item[] = [];
  for (const item of items) if (tests.every(([read, expected]) => read(item) === expected)) matches.push(item);
  matches.reverse(); // newest first: Maps keep insertion order
  const total = matches.length;
  const values: Record<PageField, unknown> = {
    items: matches.slice((page - 1) * limit, page * limit),
    total,
    page,
    limit,
    pageCount: Math.ceil(total / limit),
  };
  const answer: Record<string, unknown> = {};
  for (const [name, holds] of plan.fields) answer[name] = values[holds];
  return answer;
}

/**
 * What a delete answers, from its success data schema (Deleted.yaml: `{id, deleted: true}`): each field a `const`
 * (`deleted: true`) or the deleted record's field of its name (`id`); no schema (MVO's 204): no data.
 */
export function deletedAnswer(
  name: string,
  data: JsonSchema | undefined,
  record: JsonSchema,
  problems: string[],
): (item: Item) => Record<string, unknown> | undefined {
  if (!data) return () => undefined;
  const recordFields = propertiesOf(record);
  const parts: [string, { value: unknown } | undefined][] = Object.entries(propertiesOf(data)).map(
    ([field, schema]) => {
      if ('const' in schema) return [field, { value: schema.const }];
      if (!(field in recordFields))
        problems.push(`${name}: the delete answer's field ${field} is neither a const nor a field of the record`);
      return [field, undefined];
    },
  );
  return (item) => Object.fromEntries(parts.map(([field, fixed]) => [field, fixed ? fixed.value : item[field]]));
}
