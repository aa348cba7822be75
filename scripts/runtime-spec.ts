/**
 * The description a mock embeds (mock-server/src/generated/*.spec.ts): the dereferenced spec without what only
 * a reader needs, so the browser bundle (`virtual-commerce-mock/msw/browser`) carries each fact once and no prose.
 * Dropped: the `description` and `summary` of the document, its paths, operations, parameters, request bodies,
 * responses, headers, security schemes and schemas; operations' `tags`, `externalDocs` and `x-codeSamples`; the
 * document's `tags`, `contact` and `license`. Everything the mock and the proxy read stays: paths, operation
 * ids, parameters and every schema keyword, examples (with their extensions), response links, `servers`,
 * `security`, `title`, and every other `x-…` extension (the assumptions the proxy links its findings to). Data (`example(s)`, `default`, `const`, `enum`, a property's
 * name) is never touched: only keys in the positions above are dropped.
 */
import { SCHEMA_LISTS, SCHEMA_MAPS as APPLICATOR_MAPS, SCHEMA_ONE } from './schema-keywords.ts';

type Json = Record<string, any>;

const PROSE = new Set(['description', 'summary']);
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']);
/** Keywords whose value maps names to schemas: the applicators, and the definitions a schema may carry. */
const SCHEMA_MAPS = new Set([...APPLICATOR_MAPS, '$defs', 'definitions']);

const without = (object: Json, dropped: Set<string>): Json =>
  Object.fromEntries(Object.entries(object).filter(([key]) => !dropped.has(key)));
const mapValues = (object: Json | undefined, change: (value: any) => any): Json | undefined =>
  object && Object.fromEntries(Object.entries(object).map(([key, value]) => [key, change(value)]));

function schema(value: any): any {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const kept: Json = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'description') continue;
    if (SCHEMA_MAPS.has(key)) kept[key] = mapValues(child as Json, schema);
    else if (SCHEMA_LISTS.has(key) && Array.isArray(child)) kept[key] = child.map(schema);
    else if (SCHEMA_ONE.has(key)) kept[key] = schema(child);
    else kept[key] = child;
  }
  return kept;
}

const content = (media: Json | undefined) =>
  mapValues(media, (type: Json) => ({ ...type, ...(type.schema ? { schema: schema(type.schema) } : {}) }));
const withSchema = (object: Json) => ({
  ...without(object, PROSE),
  ...(object.schema ? { schema: schema(object.schema) } : {}),
  ...(object.content ? { content: content(object.content) } : {}),
});

function operation(op: Json): Json {
  const kept = without(op, new Set([...PROSE, 'tags', 'externalDocs', 'x-codeSamples']));
  if (kept.parameters) kept.parameters = kept.parameters.map(withSchema);
  if (kept.requestBody) kept.requestBody = withSchema(kept.requestBody);
  if (kept.responses)
    kept.responses = mapValues(kept.responses, (response: Json) => ({
      ...withSchema(response),
      ...(response.headers ? { headers: mapValues(response.headers, withSchema) } : {}),
    }));
  return kept;
}

export function runtimeSpec(doc: Json): Json {
  const { tags: _tags, ...rest } = doc;
  return {
    ...rest,
    info: without(doc.info, new Set([...PROSE, 'contact', 'license'])),
    paths: mapValues(doc.paths, (item: Json) =>
      Object.fromEntries(
        Object.entries(without(item, PROSE)).map(([key, value]) => [
          key,
          METHODS.has(key) ? operation(value) : key === 'parameters' ? value.map(withSchema) : value,
        ]),
      ),
    ),
    ...(doc.components
      ? {
          components: {
            ...doc.components,
            ...(doc.components.schemas ? { schemas: mapValues(doc.components.schemas, schema) } : {}),
            ...(doc.components.securitySchemes
              ? { securitySchemes: mapValues(doc.components.securitySchemes, (scheme: Json) => without(scheme, PROSE)) }
              : {}),
            // Dereferenced: every use already holds its copy; the mock reads none of these by name.
            responses: undefined,
            parameters: undefined,
            requestBodies: undefined,
            headers: undefined,
            examples: undefined,
          },
        }
      : {}),
  };
}
