/** Turns an embedded, dereferenced OpenAPI description into the tables the mock consults per request. */
import { parseKeyFormat } from './key-format.ts';
import { routePath } from './routes.ts';
import type {
  ApiModel,
  ApiName,
  CredentialScheme,
  KeyFormat,
  JsonSchema,
  OperationModel,
  ParameterModel,
  RateLimitTier,
  ResponseModel,
  SecurityAlternative,
} from './types.ts';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function responseModel(status: number, response: Json): ResponseModel {
  const media = response.content?.['application/json'];
  const examples = new Map<string, unknown>();
  const exampleExtensions = new Map<string, Record<string, unknown>>();
  for (const [name, example] of Object.entries<Json>(media?.examples ?? {})) {
    examples.set(name, example.value);
    exampleExtensions.set(name, Object.fromEntries(Object.entries(example).filter(([key]) => key.startsWith('x-'))));
  }
  if (media?.example !== undefined && examples.size === 0) examples.set('default', media.example);
  return { status, examples, schema: media?.schema, exampleExtensions };
}

function requestExamples(media: Json): unknown[] {
  if (media.examples) return Object.values<Json>(media.examples).map((example) => example.value);
  return media.example === undefined ? [] : [media.example];
}

/**
 * The operation's security as alternatives (its own `security`, else the document's), and what follows from them:
 * whether anyone may call it, which credential placements it reads, the scopes it names.
 */
function securityOf(
  spec: Json,
  op: Json,
  schemes: CredentialScheme[],
): Pick<OperationModel, 'security' | 'anonymous' | 'credentials' | 'scopes'> {
  const security: SecurityAlternative[] = op.security ?? spec.security ?? [];
  for (const name of security.flatMap((alternative) => Object.keys(alternative))) {
    if (!schemes.some((scheme) => scheme.name === name))
      throw new Error(`${op.operationId}: security names the unknown scheme "${name}"`);
  }
  return {
    security,
    anonymous: security.length === 0 || security.some((alternative) => Object.keys(alternative).length === 0),
    credentials: schemes.filter((scheme) => security.some((alternative) => scheme.name in alternative)),
    scopes: [...new Set(security.flatMap((alternative) => Object.values(alternative).flat()))],
  };
}

function operationModel(
  api: ApiName,
  spec: Json,
  schemes: CredentialScheme[],
  path: string,
  item: Json,
  method: string,
  op: Json,
): OperationModel {
  const parameters: ParameterModel[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => ({
    name: p.name,
    in: p.in,
    required: Boolean(p.required),
    schema: p.schema ?? {},
    ...(typeof p['x-filter-field'] === 'string' && { filterField: p['x-filter-field'] }),
  }));
  const responses = new Map<number, ResponseModel>();
  for (const [code, response] of Object.entries<Json>(op.responses ?? {})) {
    if (/^\d{3}$/.test(code)) responses.set(Number(code), responseModel(Number(code), response));
  }
  const successStatus = Math.min(...[...responses.keys()].filter((code) => code >= 200 && code < 300));
  const body = op.requestBody?.content?.['application/json'];
  return {
    api,
    operationId: op.operationId,
    method: method.toUpperCase(),
    path,
    routePath: routePath(path),
    ...securityOf(spec, op, schemes),
    parameters,
    requestBody: body
      ? {
          required: Boolean(op.requestBody.required),
          schema: body.schema as JsonSchema,
          examples: requestExamples(body),
        }
      : undefined,
    responses,
    successStatus,
    inferred: Boolean(op['x-inferred']),
  };
}

export function buildApiModel(api: ApiName, spec: Json): ApiModel {
  const schemes: CredentialScheme[] = [];
  let scopes: Record<string, string> = {};
  let adminScope: string | undefined;
  let rateLimits: Json | undefined;
  for (const [name, scheme] of Object.entries<Json>(spec.components.securitySchemes)) {
    if (scheme.type === 'apiKey' && scheme.in === 'header')
      schemes.push({ name, kind: 'header', header: scheme.name.toLowerCase() });
    else if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer')
      schemes.push({ name, kind: 'bearer' });
    else throw new Error(`The mock does not support the security scheme ${JSON.stringify(scheme)}`);
    if (scheme['x-scopes']) scopes = scheme['x-scopes'];
    adminScope ??= scheme['x-admin-scope'];
    rateLimits ??= scheme['x-rate-limits'];
  }
  const operations: OperationModel[] = [];
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const method of METHODS)
      if (item[method]) operations.push(operationModel(api, spec, schemes, path, item, method, item[method]));
  }
  const maxBodyBytes = spec.info['x-max-body-bytes'];
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1)
    throw new Error(`${api}: info.x-max-body-bytes must state the body limit in bytes`);
  const maxBodyDepth = spec.info['x-max-body-depth'];
  if (!Number.isSafeInteger(maxBodyDepth) || maxBodyDepth < 1)
    throw new Error(`${api}: info.x-max-body-depth must state how deep a body may nest`);
  return {
    api,
    title: spec.info.title,
    operations,
    schemes,
    keyFormat: specKeyFormat(api, spec),
    scopes,
    adminScope,
    rateLimits: rateLimits && rateLimitTiers(api, rateLimits),
    maxBodyBytes,
    maxBodyDepth,
  };
}

/** The tiers of `x-rate-limits`, checked: whole numbers of requests, and exactly one tier without a `scope` (the default). */
function rateLimitTiers(api: ApiName, raw: Json): Record<string, RateLimitTier> {
  const tiers: Record<string, RateLimitTier> = {};
  for (const [name, tier] of Object.entries<Json>(raw)) {
    if (![tier.perMinute, tier.perDay].every((n) => Number.isSafeInteger(n) && n > 0))
      throw new Error(`${api}: x-rate-limits.${name} needs whole perMinute and perDay counts`);
    if (tier.scope !== undefined && typeof tier.scope !== 'string')
      throw new Error(`${api}: x-rate-limits.${name}.scope must name one scope`);
    tiers[name] = {
      perMinute: tier.perMinute,
      perDay: tier.perDay,
      ...(tier.scope !== undefined && { scope: tier.scope }),
    };
  }
  const defaults = Object.keys(tiers).filter((name) => tiers[name].scope === undefined);
  if (defaults.length !== 1)
    throw new Error(
      `${api}: x-rate-limits needs exactly one tier without a scope (the default), found ${defaults.length}`,
    );
  return tiers;
}

/** The example of a response by name, failing loudly at start-up if the spec lacks it. */
export function exampleValue(model: ApiModel, status: number, name: string): any {
  for (const op of model.operations) {
    const value = op.responses.get(status)?.examples.get(name);
    if (value !== undefined) return value;
  }
  throw new Error(`${model.api}: no operation documents a ${status} example named "${name}"`);
}

export function exampleExtension(model: ApiModel, status: number, name: string, extension: string): unknown {
  for (const op of model.operations) {
    const value = op.responses.get(status)?.exampleExtensions.get(name)?.[extension];
    if (value !== undefined) return value;
  }
  throw new Error(`${model.api}: the ${status} example "${name}" has no ${extension}`);
}

/** The API's key format, from the first security scheme that declares `x-key-format`. */
export function specKeyFormat(api: ApiName, spec: Json): KeyFormat {
  const schema = Object.values<Json>(spec.components.securitySchemes).find((scheme) => scheme['x-key-format'])?.[
    'x-key-format'
  ];
  if (!schema) throw new Error(`${api}: no security scheme declares x-key-format`);
  return parseKeyFormat(schema.pattern, schema['x-prefix']);
}
