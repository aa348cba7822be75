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

/**
 * How each API's SDK entry point is imported; the mock control API has no SDK, so curl only. `mock`: where
 * `npm start` serves that API's mock, named in the samples' comment.
 */
type SdkEntry = { module: string; factory: string; mock: string };
const SDK: Partial<Record<SampleApi, SdkEntry>> = {
  mvo: { module: 'virtual-commerce-sdk/mvo', factory: 'createMvoClient', mock: 'http://127.0.0.1:4010' },
  tvm: { module: 'virtual-commerce-sdk/tvm', factory: 'createTvmClient', mock: 'http://127.0.0.1:4011' },
};

export const CURL = { lang: 'curl', label: 'curl' } as const;
export const TYPESCRIPT = { lang: 'TypeScript', label: 'TypeScript' } as const;

// ── Public functions ────────────────────────────────────────────────────────────────────────────────

/** Sets `x-codeSamples` on every operation of `doc` (a bundled description; internal `$ref`s are followed). */
export function addCodeSamples(api: SampleApi, doc: any): void {
  for (const { path, item, method, op } of eachOperation(doc)) {
    const mocks = operationServers(doc, item, op).filter((server) => server['x-mock-api']);
    if (mocks.length) {
      // The mocks' control API: one command per mock that takes this call, each with that mock's port and an
      // example written for its API (`x-mock-api` on the example), so none is sent where it would be refused.
      const blocks = mocks.flatMap((server) => {
        const request = describeRequest(api, doc, path, item, method, op, server);
        return request ? [`# ${server.description ?? server.url}\n${curlSample(request)}`] : [];
      });
      op['x-codeSamples'] = [{ ...CURL, source: blocks.join('\n\n') }];
      continue;
    }
    const request = describeRequest(api, doc, path, item, method, op)!;
    const samples: CodeSample[] = [{ ...CURL, source: curlSample(request) }];
    const sdk = SDK[api];
    if (sdk)
      samples.push({
        ...TYPESCRIPT,
        source: typescriptSample(request, sdk, doc.info['x-api-key-env-var'], doc.info['x-base-url-env-var']),
      });
    op['x-codeSamples'] = samples;
  }
}

/** Every operation of a bundled description, in document order (path items' `$ref`s followed). */
export function eachOperation(
  doc: Json,
): { path: string; item: Json; method: (typeof HTTP_METHODS)[number]; op: Json }[] {
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
export const operationServers = (
  doc: Json,
  item: Json,
  op: Json,
): { url: string; description?: string; 'x-mock-api'?: string }[] =>
  op.servers ?? item.servers ?? doc.servers ?? [{ url: '' }];

/**
 * How a key is sent to an operation: one alternative of its security requirement (the first by default), as a
 * header name and what goes before the key (`Authorization: Bearer …`, `X-API-Key: …`). Undefined when none.
 */
export function credentialScheme(
  doc: Json,
  op: Json,
  alternative = 0,
): { schemeName: string; header: string; valuePrefix: string } | undefined {
  const requirement = (op.security ?? doc.security ?? [])[alternative];
  const schemeName = requirement && Object.keys(requirement)[0];
  if (!schemeName) return undefined;
  const scheme = doc.components?.securitySchemes?.[schemeName];
  if (scheme?.type === 'apiKey' && scheme.in === 'header') return { schemeName, header: scheme.name, valuePrefix: '' };
  if (scheme?.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer')
    return { schemeName, header: 'Authorization', valuePrefix: 'Bearer ' };
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

/**
 * The request a sample shows. With `mock` (a control-API server naming its API in `x-mock-api`): that mock's
 * origin and the body example written for its API; undefined when the call has examples but none for it.
 */
function describeRequest(
  api: SampleApi,
  doc: Json,
  path: string,
  item: Json,
  method: string,
  op: Json,
  mock?: Json,
): RequestShape | undefined {
  const servers: { url: string; description?: string }[] = mock
    ? [mock as { url: string }]
    : operationServers(doc, item, op);
  let body = requestBodyExample(doc, op);
  if (mock) {
    const examples = Object.values<Json>(
      resolveRef(doc, op.requestBody)?.content?.['application/json']?.examples ?? {},
    ).map((example) => resolveRef(doc, example));
    const mine = examples.filter((example) => (example['x-mock-api'] ?? mock['x-mock-api']) === mock['x-mock-api']);
    if (examples.length && !mine.length) return undefined;
    if (mine.length) body = mine[0].value;
  }
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
  // Deleting the example id would remove the seeded item other samples read: a delete names the item a create
  // made, through a variable (`$CUSTOMER_ID`), so every sample can run again and again on one mock.
  // On the control API every call on a created item (a key) names it so: the examples' ids are one API's.
  const created = method === 'delete' || mock ? createdItemVariable(doc, path, method) : undefined;
  if (created) pathParams[created.param] = new ShellVariable(created.variable, created.what);
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
    body,
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
  if (schema.allOf)
    return Object.assign({}, ...schema.allOf.map((part: unknown) => sampleFromSchema(doc, part, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (type === 'object' || schema.properties) {
    if (depth > 4) return {};
    const names = schema.required?.length ? schema.required : Object.keys(schema.properties ?? {}).slice(0, 1);
    return Object.fromEntries(
      names.map((name: string) => [name, sampleFromSchema(doc, schema.properties?.[name], depth + 1)]),
    );
  }
  if (type === 'array') return [sampleFromSchema(doc, schema.items, depth + 1)];
  if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
  if (type === 'boolean') return true;
  return 'string';
}

/** A path parameter the reader fills from a shell variable (curl) or an environment variable (TypeScript). */
class ShellVariable {
  constructor(
    readonly name: string,
    /** What the variable holds, for the sample's comment: `the customer to delete (the id "Create a customer" answers)`. */
    readonly what: string,
  ) {}
}

/**
 * For `DELETE /things/{id}` when `POST /things` exists: the variable that holds the id to delete, named after the
 * collection (`/api/customers` → `CUSTOMER_ID`, `/v1/content` → `CONTENT_ID`).
 */
function createdItemVariable(
  doc: Json,
  path: string,
  method: string,
): { param: string; variable: string; what: string } | undefined {
  const match = /^(.*\/([^/{}]+))\/\{([^}]+)\}$/.exec(path);
  const create = match && resolveRef(doc, doc.paths?.[match[1]])?.post;
  if (!match || !create) return undefined;
  const noun = match[2].replace(/s$/, '');
  const verb = { delete: 'delete', patch: 'change', put: 'change', get: 'read' }[method] ?? 'use';
  return {
    param: match[3],
    variable: `${noun.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_ID`,
    what: `the ${noun} to ${verb}: the id "${create.summary}" answered`,
  };
}

function variablesOf(request: RequestShape): ShellVariable[] {
  return Object.values(request.pathParams).filter((value): value is ShellVariable => value instanceof ShellVariable);
}

function concretePath(request: RequestShape): string {
  return request.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = request.pathParams[name] ?? name;
    return value instanceof ShellVariable ? `$${value.name}` : encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, unknown>): string {
  const search = new URLSearchParams(Object.entries(query).map(([name, value]) => [name, String(value)])).toString();
  return search ? `?${search}` : '';
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

function curlSample(request: RequestShape): string {
  const url = `${request.server}${concretePath(request)}${queryString(request.query)}`;
  const variables = variablesOf(request);
  // A URL naming a variable goes in double quotes, so the shell fills it in.
  const lines = [`curl -X ${request.method} ${variables.length ? `"${url}"` : shellQuote(url)}`];
  if (request.header) lines.push(`  -H ${shellQuote(`${request.header.name}: ${request.header.value}`)}`);
  if (request.body !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`);
    lines.push(`  -d ${shellQuote(JSON.stringify(request.body, null, 2))}`);
  }
  const alternatives = request.otherServers.map(
    (server) => `# Also on ${server.description ?? 'another server'}: ${server.url}`,
  );
  const notes = variables.map((variable) => `# ${variable.name}: ${variable.what}`);
  return [...alternatives, ...notes, lines.join(' \\\n')].join('\n');
}

/**
 * The SDK's resource method with the operation's example path params, then its body or query; a paged list is
 * walked with `for await` (every item of every page). The client reads the key and the base URL from the
 * environment (the spec's `x-api-key-env-var` and `x-base-url-env-var`), which is how a sample reaches a mock.
 */
function typescriptSample(request: RequestShape, sdk: SdkEntry, envVar: string, baseUrlVar: string): string {
  const paged = request.method === 'GET' && 'page' in request.query;
  const query = paged
    ? Object.fromEntries(Object.entries(request.query).filter(([name]) => name !== 'page'))
    : request.query;
  const input = request.body !== undefined ? request.body : Object.keys(query).length ? query : undefined;
  const args = [
    ...Object.values(request.pathParams).map((value) =>
      tsLiteral(value instanceof ShellVariable ? value : String(value), 0),
    ),
    ...(input === undefined ? [] : [tsLiteral(input, 0)]),
  ].join(', ');
  const call = paged
    ? [
        `// A list is async-iterable over every item of every page; an error answer throws the SDK's error class.`,
        `for await (const item of client.${request.resource}(${args})) console.log(item);`,
      ]
    : [
        `// Returns the data, or throws the SDK's error class for the status (AuthenticationError, NotFoundError, …).`,
        `const data = await client.${request.resource}(${args});`,
        `console.log(data);`,
      ];
  return [
    `import { ${sdk.factory} } from '${sdk.module}';`,
    '',
    `// ${baseUrlVar}: a mock to call instead of the real API (${sdk.mock}); the key: ${envVar}.`,
    ...variablesOf(request).map((variable) => `// ${variable.name}: ${variable.what}.`),
    `const client = ${sdk.factory}(); // reads ${envVar} and ${baseUrlVar}`,
    ...call,
  ].join('\n');
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A TypeScript object literal in the house style: two-space indent, single quotes, trailing commas. */
function tsLiteral(value: unknown, indent: number): string {
  const pad = '  '.repeat(indent + 1);
  const close = '  '.repeat(indent);
  if (value instanceof ShellVariable) return `process.env.${value.name}!`;
  if (typeof value === 'string')
    return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
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
