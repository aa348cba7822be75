/**
 * Derives `x-codeSamples` for every operation of a bundled description: a curl command and, for the
 * two public APIs, a TypeScript call through the SDK. Everything a sample shows (method, host, path,
 * parameters, auth header, body) is read from the operation; only the placeholder keys are fixed here,
 * and they are the published docs' own placeholders.
 */

import { resourceName } from './resource-names.ts';

// ── Public types ────────────────────────────────────────────────────────────────────────────────────

export type SampleApi = 'mvo' | 'tvm' | 'mock';
export type CodeSample = { lang: string; label: string; source: string };

// ── Private values ──────────────────────────────────────────────────────────────────────────────────

type Json = Record<string, any>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The placeholders the published docs use (`X-API-Key: sk_live_your_api_key_here`, `Bearer tvm_your_api_key_here`). */
export const PLACEHOLDER_KEYS: Record<SampleApi, string | undefined> = {
  mvo: 'sk_live_your_api_key_here',
  tvm: 'tvm_your_api_key_here',
  mock: undefined,
};

/** How each API's SDK entry point is imported; the mock control API has no SDK, so curl only. */
const SDK: Partial<Record<SampleApi, { module: string; factory: string }>> = {
  mvo: { module: 'virtual-commerce-sdk/mvo', factory: 'createMvoClient' },
  tvm: { module: 'virtual-commerce-sdk/tvm', factory: 'createTvmClient' },
};

export const CURL = { lang: 'curl', label: 'curl' } as const;
export const TYPESCRIPT = { lang: 'TypeScript', label: 'TypeScript' } as const;

// ── Public functions ────────────────────────────────────────────────────────────────────────────────

/** Sets `x-codeSamples` on every operation of `doc` (a bundled description; internal `$ref`s are followed). */
export function addCodeSamples(api: SampleApi, doc: any): void {
  for (const { path, item, method, op } of eachOperation(doc)) {
    const request = describeRequest(api, doc, path, item, method, op);
    const samples: CodeSample[] = [{ ...CURL, source: curlSample(request) }];
    const sdk = SDK[api];
    if (sdk) samples.push({ ...TYPESCRIPT, source: typescriptSample(request, sdk, doc.info?.['x-api-key-env-var']) });
    op['x-codeSamples'] = samples;
  }
}

/** Every operation of a bundled description, in document order (path items' `$ref`s followed). */
export function eachOperation(doc: Json): { path: string; item: Json; method: (typeof HTTP_METHODS)[number]; op: Json }[] {
  return Object.entries<Json>(doc.paths ?? {}).flatMap(([path, rawItem]) => {
    const item = resolveRef(doc, rawItem);
    return HTTP_METHODS.filter((method) => item[method]).map((method) => ({ path, item, method, op: item[method] }));
  });
}

/** Follows internal `$ref`s (`#/components/...`) until a plain object is reached. */
export function resolveRef(doc: Json, value: any, seen = new Set<string>()): any {
  if (!value || typeof value !== 'object' || typeof value.$ref !== 'string') return value;
  const ref: string = value.$ref;
  if (!ref.startsWith('#/') || seen.has(ref)) throw new Error(`code samples: cannot resolve $ref ${ref}`);
  seen.add(ref);
  const target = ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<any>((node, key) => node?.[key], doc);
  if (target === undefined) throw new Error(`code samples: unresolved $ref ${ref}`);
  return resolveRef(doc, target, seen);
}

/** The servers an operation is documented on: its own, its path's, else the description's. */
export const operationServers = (doc: Json, item: Json, op: Json): { url: string; description?: string }[] =>
  op.servers ?? item.servers ?? doc.servers ?? [{ url: '' }];

/**
 * How a key is sent to an operation: one alternative of its security requirement (the first by default), as a
 * header name and what goes before the key (`Authorization: Bearer …`, `X-API-Key: …`). Undefined when none.
 */
export function credentialScheme(doc: Json, op: Json, alternative = 0): { schemeName: string; header: string; valuePrefix: string } | undefined {
  const requirement = (op.security ?? doc.security ?? [])[alternative];
  const schemeName = requirement && Object.keys(requirement)[0];
  if (!schemeName) return undefined;
  const scheme = doc.components?.securitySchemes?.[schemeName];
  if (scheme?.type === 'apiKey' && scheme.in === 'header') return { schemeName, header: scheme.name, valuePrefix: '' };
  if (scheme?.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer') return { schemeName, header: 'Authorization', valuePrefix: 'Bearer ' };
  throw new Error(`code samples: unsupported security scheme ${schemeName}`);
}

/** A parameter's example: its own, its first named example, else its schema's. */
export function parameterExample(doc: Json, param: Json): unknown {
  const schema = resolveRef(doc, param.schema) ?? {};
  if (param.example !== undefined) return param.example;
  const named = Object.values<any>(param.examples ?? {})[0];
  if (named) return resolveRef(doc, named).value;
  if (schema.example !== undefined) return schema.example;
  return schema.examples?.[0];
}

/** The body of the first request example; with none, a minimal value built from the schema. */
export function requestBodyExample(doc: Json, op: Json): unknown {
  const body = resolveRef(doc, op.requestBody);
  const media = body?.content?.['application/json'];
  if (!media) return undefined;
  const first = Object.values<any>(media.examples ?? {})[0];
  if (first) return resolveRef(doc, first).value;
  if (media.example !== undefined) return media.example;
  return sampleFromSchema(doc, media.schema);
}

// ── Private types ───────────────────────────────────────────────────────────────────────────────────

type RequestShape = {
  /** The SDK's resource method for the operation: `offers.list`. */
  resource: string;
  method: string;
  server: string;
  otherServers: { url: string; description?: string }[];
  path: string;
  pathParams: Record<string, unknown>;
  query: Record<string, unknown>;
  header?: { name: string; value: string };
  body?: unknown;
};

// ── Private functions ───────────────────────────────────────────────────────────────────────────────

function describeRequest(api: SampleApi, doc: Json, path: string, item: Json, method: string, op: Json): RequestShape {
  const servers = operationServers(doc, item, op);
  const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolveRef(doc, p));
  const pathParams: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  for (const param of parameters) {
    const schema = resolveRef(doc, param.schema) ?? {};
    if (param.in === 'path') pathParams[param.name] = parameterExample(doc, param) ?? param.name;
    // Query: the required ones, and paging-style ones that have a default (page, limit): enough to show the shape.
    if (param.in === 'query' && (param.required || schema.default !== undefined)) {
      const value = parameterExample(doc, param) ?? schema.default;
      if (value !== undefined) query[param.name] = value;
    }
  }
  const { group, method: verb } = resourceName(op);
  return {
    resource: `${group}.${verb}`,
    method: method.toUpperCase(),
    server: servers[0].url.replace(/\/+$/, ''),
    otherServers: servers.slice(1),
    path,
    pathParams,
    query,
    header: authHeader(api, doc, op),
    body: requestBodyExample(doc, op),
  };
}

/** The first alternative of the operation's security requirement, with the API's placeholder key. */
function authHeader(api: SampleApi, doc: Json, op: Json): RequestShape['header'] {
  const key = PLACEHOLDER_KEYS[api];
  const scheme = key ? credentialScheme(doc, op) : undefined;
  return scheme && { name: scheme.header, value: `${scheme.valuePrefix}${key}` };
}

function sampleFromSchema(doc: Json, raw: unknown, depth = 0): unknown {
  const schema = resolveRef(doc, raw) ?? {};
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part: unknown) => sampleFromSchema(doc, part, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (type === 'object' || schema.properties) {
    if (depth > 4) return {};
    const names = schema.required?.length ? schema.required : Object.keys(schema.properties ?? {}).slice(0, 1);
    return Object.fromEntries(names.map((name: string) => [name, sampleFromSchema(doc, schema.properties?.[name], depth + 1)]));
  }
  if (type === 'array') return [sampleFromSchema(doc, schema.items, depth + 1)];
  if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
  if (type === 'boolean') return true;
  return 'string';
}

function concretePath(request: RequestShape): string {
  return request.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(request.pathParams[name] ?? name)));
}

function queryString(query: Record<string, unknown>): string {
  const search = new URLSearchParams(Object.entries(query).map(([name, value]) => [name, String(value)])).toString();
  return search ? `?${search}` : '';
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

function curlSample(request: RequestShape): string {
  const lines = [`curl -X ${request.method} ${shellQuote(`${request.server}${concretePath(request)}${queryString(request.query)}`)}`];
  if (request.header) lines.push(`  -H ${shellQuote(`${request.header.name}: ${request.header.value}`)}`);
  if (request.body !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`);
    lines.push(`  -d ${shellQuote(JSON.stringify(request.body, null, 2))}`);
  }
  const alternatives = request.otherServers.map((server) => `# Also on ${server.description ?? 'another server'}: ${server.url}`);
  return [...alternatives, lines.join(' \\\n')].join('\n');
}

/** The SDK's resource method with the operation's example path params, then its body or query. */
function typescriptSample(request: RequestShape, sdk: { module: string; factory: string }, envVar?: string): string {
  const input = request.body !== undefined ? request.body : Object.keys(request.query).length ? request.query : undefined;
  const args = [...Object.values(request.pathParams).map((value) => tsLiteral(String(value), 0)), ...(input === undefined ? [] : [tsLiteral(input, 0)])].join(', ');
  return [
    `import { ${sdk.factory} } from '${sdk.module}';`,
    '',
    `const client = ${sdk.factory}();${envVar ? ` // reads ${envVar}` : ''}`,
    `const data = await client.${request.resource}(${args}); // throws a typed ApiError for an error answer`,
    `console.log(data);`,
  ].join('\n');
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A TypeScript object literal in the house style: two-space indent, single quotes, trailing commas. */
function tsLiteral(value: unknown, indent: number): string {
  const pad = '  '.repeat(indent + 1);
  const close = '  '.repeat(indent);
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[\n${value.map((item) => `${pad}${tsLiteral(item, indent + 1)},`).join('\n')}\n${close}]`;
  }
  const entries = Object.entries(value);
  if (!entries.length) return '{}';
  const key = (name: string) => (IDENTIFIER.test(name) ? name : `'${name}'`);
  return `{\n${entries.map(([name, item]) => `${pad}${key(name)}: ${tsLiteral(item, indent + 1)},`).join('\n')}\n${close}}`;
}
