/**
 * Checks one exchange (a request and the answer the real API gave) against the contract. No I/O and no clock;
 * the proxy and the probe both feed it. Its one memory: the ids the API has answered with (bounded), so a 404 on
 * an item it has just shown can be told from an item that is not there.
 *
 * Each check gives a finding that passed or failed; a finding names the assumptions whose claims (claims.ts,
 * links.ts) it evaluated: confirmed when it passed, contradicted when it failed. A finding that names none rests
 * on the published docs. A `note` (an undocumented field) is reported, never counted as a violation.
 *
 * The contract's order is the mock's: route → authenticate → validate → respond. So a request without a key,
 * or with a malformed one, must fail with the documented 401 whatever else it carries; only a request with a
 * well-formed key is validated; and an invalid one must fail.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { addRoute, createRouter, findRoute } from 'rou3';
import { failureTable, maskKey, readCredential, type AuthFailure, type HeaderReader } from '../auth/index.ts';
import { apiModel, embeddedSpec, type ApiName, type JsonSchema, type OperationModel } from '../model/index.ts';
import { escapeRegExp } from '../shared/escape-reg-exp.ts';
import { claimPath, pathCovers, valuesAt, type Claim } from './claims.ts';
import { assumptionLinks, specOperation, type Links } from './links.ts';
import {
  createAjv,
  fastifyMessage,
  isJsonMediaType,
  MAX_DEPTH_KEYWORD,
  OperationValidatorCache,
  precompiledValidators,
} from './mock-parts.ts';

export type CheckName =
  /** An unknown route answers 404 in the API's error envelope. */
  | 'route'
  /** A request without a key, or with a malformed one, fails with the documented status. */
  | 'auth-required'
  /** An invalid request fails; a valid one is not refused as invalid. */
  | 'validation'
  /** An inferred operation exists. */
  | 'operation'
  /** The status is one the operation documents (and, for a success, the one claimed). */
  | 'status'
  /** The answer's media type is the documented one. */
  | 'content-type'
  /** The headers the response documents as required are present. */
  | 'headers'
  /** A header an assumption claims (absent, or with a value). */
  | 'header'
  /** The body matches the schema for the status. */
  | 'body'
  /** A field an assumption claims. */
  | 'field'
  /** An error's message is one the spec documents for its status. */
  | 'message'
  /** A missing-scope 403 names the operation's scope. */
  | 'scope'
  /** A default the spec documents shows in the answer. */
  | 'default'
  /** A field no schema documents (a note). */
  | 'undocumented-field';

export interface Exchange {
  method: string;
  /** Path as sent, without the query string. */
  path: string;
  /** Raw query string, without `?`. */
  query: string;
  requestHeaders: HeaderReader;
  /** The request body as text; `undefined` when it was too large to keep (then it is not validated). */
  requestBody: string | undefined;
  status: number;
  responseHeaders: HeaderReader;
  /** The response body as text; `undefined` when it could not be kept or decoded (then it is not checked). */
  responseBody: string | undefined;
}

export interface Finding {
  check: CheckName;
  passed: boolean;
  /** Reported as a note, never as a violation, and never charged to an assumption. */
  note?: boolean;
  /** Ids of the assumptions whose claims this check evaluated: confirmed when it passed, contradicted when it failed. */
  assumptions: string[];
  /** What the contract expects and what came back (set when the check failed, and on a note). */
  expected?: string;
  actual?: string;
}

export interface Verdict {
  operation?: string;
  /** The key's masked prefix, never the whole key. */
  keyHint?: string;
  findings: Finding[];
}

export type ExchangeValidator = (exchange: Exchange) => Verdict;

const SNIPPET = 240;
/** How many ids the validator remembers (the oldest are forgotten first). */
const KNOWN_IDS = 10_000;

export function snippet(text: string | undefined): string {
  if (text === undefined) return '(not kept)';
  if (text === '') return '(empty)';
  return text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text;
}

const statusClass = (status: number) => Math.floor(status / 100);
const unique = (ids: string[]) => [...new Set(ids)];
const idsOf = (claims: Claim[]) => unique(claims.map((claim) => claim.assumption));
const article = (word: string) => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);
/** A 404 that a router wrote, not an item lookup: it names the method and the path (`Route PUT:/v1/x not found`, `Cannot PUT /v1/x`). */
const ROUTE_MESSAGE = /\b(GET|PUT|POST|PATCH|DELETE|HEAD|OPTIONS)\b\s*:?\s*\//;

/** The error's code and message, whichever envelope: TVM `{error: {code, message}}`, MVO `{error, message}`. */
function errorSignature(body: any): { code?: unknown; message?: unknown } {
  if (!body || typeof body !== 'object') return {};
  if (body.error && typeof body.error === 'object') return { code: body.error.code, message: body.error.message };
  return { code: body.error, message: body.message };
}

/** The operation a request routes to, as the mock routes it. */
export function operationRouter(api: ApiName): (method: string, path: string) => OperationModel | undefined {
  const router = createRouter<OperationModel>();
  for (const op of apiModel(api).operations) addRoute(router, op.method, op.routePath, op);
  return (method, path) => findRoute(router, method, path)?.data;
}

interface DocumentedMessage {
  code: unknown;
  /** The message, or a pattern for a template (`Missing required scope: {scope}`), capturing the placeholder. */
  message: string;
  pattern?: RegExp;
  failures: AuthFailure[];
  scopeTemplate: boolean;
}

export function createExchangeValidator(api: ApiName, links: Links = assumptionLinks(api)): ExchangeValidator {
  const model = apiModel(api);
  const spec = embeddedSpec(api);
  const route = operationRouter(api);
  const failures = failureTable(model);
  // The mock's own request validators (precompiled): every problem (TVM) or the first, as Fastify reports it (MVO).
  const requestValidators = new OperationValidatorCache(model, precompiledValidators[api]);
  const ajv = createAjv({ allErrors: true });
  const compiled = new Map<string, ValidateFunction>();
  /** Specs repeat the same schema under many responses; each distinct one is compiled once. */
  const validatorFor = (schema: JsonSchema) => {
    const text = JSON.stringify(schema);
    let validate = compiled.get(text);
    if (!validate) compiled.set(text, (validate = ajv.compile(schema)));
    return validate;
  };
  // The shape of the API's own 404 (what an unknown route answers): the first documented one.
  const notFound = model.operations.map((op) => op.responses.get(404)?.schema).find(Boolean);
  if (!notFound)
    throw new Error(`${api}: no operation documents a 404 body, so an unknown route's answer cannot be checked`);
  /** Ids the API answered with: a 404 on one of them is the router's, not the item's. */
  const knownIds = new Set<string>();
  const remember = (id: string) => {
    knownIds.delete(id);
    knownIds.add(id);
    if (knownIds.size > KNOWN_IDS) knownIds.delete(knownIds.values().next().value!);
  };

  const documentedMessages = new Map<string, DocumentedMessage[]>();
  const messagesFor = (op: OperationModel, status: number): DocumentedMessage[] => {
    const key = `${op.operationId} ${status}`;
    let messages = documentedMessages.get(key);
    if (!messages) {
      const response = op.responses.get(status);
      messages = [...(response?.examples ?? [])].flatMap(([name, body]) => {
        const { code, message } = errorSignature(body);
        if (typeof message !== 'string') return [];
        const extensions = response!.exampleExtensions.get(name) ?? {};
        const template = extensions['x-message-template'] as string | undefined;
        return [
          {
            code,
            message: template ?? message,
            pattern:
              template === undefined
                ? undefined
                : new RegExp(`^${escapeRegExp(template).replace(/\\\{[a-zA-Z]+\\\}/g, '(.+)')}$`),
            failures: (extensions['x-auth-failures'] ?? []) as AuthFailure[],
            scopeTemplate: template?.includes('{scope}') ?? false,
          },
        ];
      });
      documentedMessages.set(key, messages);
    }
    return messages;
  };

  const errorsText = (errors: readonly ErrorObject[]) =>
    ajv.errorsText(errors.slice(0, 3) as ErrorObject[], { dataVar: 'body' });

  const parseJson = (text: string): { value: unknown } | undefined => {
    try {
      return { value: JSON.parse(text) };
    } catch {
      return undefined;
    }
  };

  function unknownRoute(exchange: Exchange): Finding {
    // A HEAD answer has no body to look at; a body not kept cannot be looked at.
    const unseen = exchange.method === 'HEAD' || exchange.responseBody === undefined;
    const parsed = unseen ? undefined : parseJson(exchange.responseBody!);
    const envelope = parsed !== undefined && validatorFor(notFound!)(parsed.value);
    const passed = exchange.status === 404 && (unseen || envelope);
    return {
      check: 'route',
      passed,
      assumptions: links.global('unknown-route'),
      ...(!passed && {
        expected: `404 in the API's error envelope: ${exchange.method} ${exchange.path} is not an operation of the contract`,
        actual: `${exchange.status} ${snippet(exchange.responseBody)}`,
      }),
    };
  }

  /** The `refuses` claims a request-validation problem falls under (its parameter or field, and its keyword). */
  const refusing = (op: OperationModel, where: 'query' | 'body', errors: readonly ErrorObject[]): string[] =>
    idsOf(
      links.operationClaims('refuses', op).filter(
        (claim) =>
          claim.in === where &&
          errors.some((error) => {
            const name = claimPath(error.instancePath, (error.params as { missingProperty?: string }).missingProperty)
              .split(/[.[]/)
              .pop();
            return (
              (!claim.names || claim.names.includes(name ?? '')) &&
              (!claim.keywords || claim.keywords.includes(error.keyword))
            );
          }),
      ),
    );

  /**
   * Why the contract refuses this request, or, when it is valid, the `accepts` claims its values exercised (a
   * plain date sent: TVM-A8). `unchecked`: the body was too large to keep.
   */
  function checkRequest(
    op: OperationModel,
    exchange: Exchange,
  ): { problem: { message: string; links: string[] } } | { exercised: string[]; body: unknown } | 'unchecked' {
    const { body: bodyValidator, query: queryValidator } = requestValidators.get(op);
    let body: unknown;
    const exercised: string[] = [];
    if (op.requestBody && exchange.requestBody === undefined) return 'unchecked';
    if (op.requestBody && exchange.requestBody !== '') {
      if (!isJsonMediaType(exchange.requestHeaders('content-type')))
        return {
          problem: { message: 'the body is not sent as application/json', links: links.global('non-json-body') },
        };
      const parsed = parseJson(exchange.requestBody!);
      if (!parsed) return { problem: { message: 'the body is not valid JSON', links: links.global('non-json-body') } };
      body = parsed.value;
      if (bodyValidator && !bodyValidator(parsed.value)) {
        const errors = bodyValidator.errors!;
        const deep = errors.some((error) => error.keyword === MAX_DEPTH_KEYWORD);
        return {
          problem: {
            message: fastifyMessage('body', errors),
            links: deep ? links.global('too-deep-body') : refusing(op, 'body', errors),
          },
        };
      }
      for (const claim of links.operationClaims('accepts', op)) {
        const pattern = new RegExp(claim.pattern!);
        if (
          claim.fields!.some((field) =>
            valuesAt(body, field).some(
              ({ present, value }) => present && typeof value === 'string' && pattern.test(value),
            ),
          )
        )
          exercised.push(claim.assumption);
      }
    } else if (op.requestBody?.required) {
      return { problem: { message: 'the operation requires a body', links: [] } };
    }
    if (queryValidator) {
      // The validator coerces in place (`"5"` → 5): it gets its own copy.
      const query = Object.fromEntries(new URLSearchParams(exchange.query));
      if (!queryValidator(query)) {
        return {
          problem: {
            message: fastifyMessage('querystring', queryValidator.errors!),
            links: refusing(op, 'query', queryValidator.errors!),
          },
        };
      }
    }
    return { exercised: unique(exercised), body };
  }

  /** The message check of an error answer: one of the documented messages (for the failure the request calls for). */
  function messageChecks(
    op: OperationModel,
    exchange: Exchange,
    body: unknown,
    expectedFailure: AuthFailure | undefined,
  ): Finding[] {
    const { status } = exchange;
    // A validation error's details vary with the request, and a 5xx's text is the server's business.
    if (status === 400 || status >= 500) return [];
    const documented = messagesFor(op, status);
    if (!documented.length) return [];
    const forFailure = expectedFailure
      ? documented.filter((candidate) => candidate.failures.includes(expectedFailure))
      : [];
    const candidates = forFailure.length ? forFailure : documented;
    const claimed = idsOf(links.claims('message', op, status));
    const got = errorSignature(body);
    for (const candidate of candidates) {
      if (candidate.code !== got.code || typeof got.message !== 'string') continue;
      const match = candidate.pattern
        ? candidate.pattern.exec(got.message)
        : candidate.message === got.message
          ? [got.message]
          : null;
      if (!match) continue;
      const findings: Finding[] = [{ check: 'message', passed: true, assumptions: claimed }];
      if (candidate.scopeTemplate) {
        const scope = match[1];
        const named = op.scopes.includes(scope);
        findings.push({
          check: 'scope',
          passed: named,
          assumptions: links.scope(op),
          ...(!named && {
            expected: `the missing scope named: ${op.scopes.join(' or ')}`,
            actual: `names ${scope.slice(0, 100)}`,
          }),
        });
      }
      return findings;
    }
    const shown = candidates.map((candidate) => JSON.stringify(candidate.message));
    return [
      {
        check: 'message',
        passed: false,
        assumptions: claimed,
        expected: `${candidates.length === 1 ? 'the documented message' : `one of the documented messages`} for ${status}${expectedFailure ? ` (${article(expectedFailure)} key)` : ''}: ${shown.join(' | ')}`,
        actual: snippet(exchange.responseBody),
      },
    ];
  }

  /** Fields the body carries that no schema documents, as notes (`data.items[].extra`). */
  function undocumentedFields(schema: JsonSchema, value: unknown): string[] {
    const found = new Set<string>();
    /** The schemas that describe a value at one level: the node, its allOf, and the anyOf/oneOf branches it matches. */
    const layers = (node: any, at: unknown, out: any[]) => {
      if (!node || typeof node !== 'object') return out;
      out.push(node);
      const branches = [...(node.anyOf ?? []), ...(node.oneOf ?? [])].filter((branch: JsonSchema) =>
        validatorFor(branch)(at),
      );
      for (const sub of [...(node.allOf ?? []), ...branches]) layers(sub, at, out);
      return out;
    };
    const walk = (node: any, at: unknown, path: string) => {
      if (at === null || typeof at !== 'object') return;
      const described = layers(node, at, []);
      if (Array.isArray(at)) {
        const items = described.filter((layer) => layer.items).map((layer) => layer.items);
        for (const item of at) for (const schema of items) walk(schema, item, `${path}[]`);
        return;
      }
      const withProperties = described.filter((layer) => layer.properties);
      // A free-form object (no properties listed, or extra members described) documents whatever it holds.
      if (
        !withProperties.length ||
        described.some(
          (layer) =>
            layer.patternProperties ||
            (layer.additionalProperties !== undefined && layer.additionalProperties !== false),
        )
      )
        return;
      for (const [name, child] of Object.entries(at as Record<string, unknown>)) {
        const here = path ? `${path}.${name}` : name;
        const schemas = withProperties
          .filter((layer) => Object.hasOwn(layer.properties, name))
          .map((layer) => layer.properties[name]);
        if (!schemas.length) found.add(here);
        for (const schema of schemas) walk(schema, child, here);
      }
    };
    walk(schema, value, '');
    return [...found];
  }

  /** The field claims on the body: each one exercised gives one finding (its schema problems included). */
  function fieldChecks(
    op: OperationModel,
    status: number,
    body: unknown,
    errors: readonly ErrorObject[],
  ): { findings: Finding[]; claimedErrors: Set<ErrorObject> } {
    const findings: Finding[] = [];
    const claimedErrors = new Set<ErrorObject>();
    const byAssumption = new Map<string, { failed: string[]; exercised: boolean; expected: string[] }>();
    for (const claim of links.claims('field', op, status)) {
      const entry = byAssumption.get(claim.assumption) ?? { failed: [], exercised: false, expected: [] };
      byAssumption.set(claim.assumption, entry);
      for (const path of claim.paths!) {
        const values = valuesAt(body, path);
        const schemaErrors = errors.filter((error) =>
          pathCovers(
            path,
            claimPath(error.instancePath, (error.params as { missingProperty?: string }).missingProperty),
          ),
        );
        for (const error of schemaErrors) claimedErrors.add(error);
        if (claim.absent) {
          entry.exercised = true;
          entry.expected.push(`no ${path}`);
          if (values.some((value) => value.present)) entry.failed.push(`${path} present`);
          continue;
        }
        const present = values.filter((value) => value.present);
        if (claim.whenPresent ? !present.length : !values.length) continue;
        entry.exercised = true;
        entry.expected.push(
          `${path}${claim.equals !== undefined ? ` = ${JSON.stringify(claim.equals)}` : ''}${claim.pattern ? ` matching /${claim.pattern}/` : ''}`,
        );
        if (schemaErrors.length) entry.failed.push(errorsText(schemaErrors));
        else if (!claim.whenPresent && present.length < values.length) entry.failed.push(`${path} missing`);
        if (claim.equals !== undefined)
          for (const { value } of present)
            if (JSON.stringify(value) !== JSON.stringify(claim.equals))
              entry.failed.push(`${path} is ${JSON.stringify(value)?.slice(0, 80)}`);
        if (claim.pattern) {
          const pattern = new RegExp(claim.pattern);
          for (const { value } of present)
            if (typeof value !== 'string' || !pattern.test(value))
              entry.failed.push(`${path} is ${JSON.stringify(value)?.slice(0, 80)}`);
        }
      }
    }
    for (const [id, entry] of byAssumption) {
      if (!entry.exercised && !entry.failed.length) continue;
      const passed = entry.failed.length === 0;
      findings.push({
        check: 'field',
        passed,
        assumptions: [id],
        ...(!passed && { expected: entry.expected.join(', '), actual: unique(entry.failed).join('; ') }),
      });
    }
    return { findings, claimedErrors };
  }

  /** Defaults the spec documents that an answer shows: query parameters left out (page size), body fields left out. */
  function defaultChecks(op: OperationModel, exchange: Exchange, requestBody: unknown, body: unknown): Finding[] {
    const findings: Finding[] = [];
    const sent = new URLSearchParams(exchange.query);
    const data = (body as any)?.data !== undefined && api === 'tvm' ? 'data.' : '';
    const judge = (name: string, expected: unknown, path: string, claims: Claim[]) => {
      const [found] = valuesAt(body, path);
      if (!found?.present) return;
      const passed = JSON.stringify(found.value) === JSON.stringify(expected);
      findings.push({
        check: 'default',
        passed,
        assumptions: idsOf(claims),
        ...(!passed && {
          expected: `${name} left out: ${path} = ${JSON.stringify(expected)} (its default)`,
          actual: `${path} = ${JSON.stringify(found.value)?.slice(0, 80)}`,
        }),
      });
    };
    for (const parameter of op.parameters) {
      if (parameter.in !== 'query' || parameter.schema.default === undefined || sent.has(parameter.name)) continue;
      const claims = links.claims('default', op, exchange.status).filter((claim) => claim.parameter === parameter.name);
      judge(parameter.name, parameter.schema.default, claims[0]?.path ?? `${data}${parameter.name}`, claims);
    }
    // A create's body fields left out come back with their defaults.
    const properties = (op.requestBody?.schema.properties ?? {}) as Record<string, JsonSchema>;
    if (op.method === 'POST' && requestBody && typeof requestBody === 'object') {
      for (const [name, schema] of Object.entries(properties)) {
        if (schema.default === undefined || Object.hasOwn(requestBody, name)) continue;
        judge(name, schema.default, `${data}${name}`, []);
      }
    }
    return findings;
  }

  function answerChecks(
    op: OperationModel,
    exchange: Exchange,
    expectedFailure: AuthFailure | undefined,
    requestBody: unknown,
  ): Finding[] {
    const findings: Finding[] = [];
    const { status } = exchange;
    const response = op.responses.get(status);
    const documented = [...op.responses.keys()];
    const parsed = exchange.responseBody ? parseJson(exchange.responseBody) : undefined;

    // An inferred operation that is not there: 405/501, or a 404 the router wrote (it names the route, or the
    // item was just shown). That contradicts its existence, and nothing else about the answer is worth saying.
    const exists = links.operationClaims('exists', op);
    if (links.inferred(op)) {
      const pathId = exchange.path.split('/').pop() ?? '';
      const message = errorSignature(parsed?.value).message;
      const missing =
        status === 405 ||
        status === 501 ||
        (status === 404 &&
          (!response ||
            knownIds.has(decodeURIComponent(pathId)) ||
            (typeof message === 'string' && ROUTE_MESSAGE.test(message))));
      if (missing || statusClass(status) === 2) {
        findings.push({
          check: 'operation',
          passed: !missing,
          assumptions: idsOf(exists),
          ...(missing && {
            expected: `${op.method} ${op.path} to exist (${op.operationId})`,
            actual: `${status} ${snippet(exchange.responseBody)}`,
          }),
        });
      }
      if (missing) return findings;
    }

    const success = statusClass(status) === 2;
    const claimedStatus = success ? links.claims('success-status', op, status) : [];
    const claimedRight = claimedStatus.every((claim) => claim.status === status);
    findings.push({
      check: 'status',
      passed: response !== undefined && claimedRight,
      assumptions: idsOf(claimedStatus),
      ...((!response || !claimedRight) && {
        expected: claimedStatus.length
          ? `${claimedStatus.map((claim) => claim.status).join(' or ')} for a success of ${op.operationId}`
          : `one of the documented statuses ${documented.join(', ')}`,
        actual: String(status),
      }),
    });

    // An undocumented success that has a body is still held to the one documented success's schema (e.g. `meta`).
    const successes = documented.filter((code) => statusClass(code) === 2);
    const described =
      response ??
      (success && successes.length === 1 && exchange.responseBody ? op.responses.get(successes[0]) : undefined);
    if (!described) return findings;
    const specResponse = specOperation(spec, op).responses[String(described.status)];

    const requiredHeaders = Object.entries<any>(specResponse.headers ?? {}).filter(([, header]) => header.required);
    if (requiredHeaders.length) {
      const missing = requiredHeaders
        .filter(([name]) => exchange.responseHeaders(name.toLowerCase()) == null)
        .map(([name]) => name);
      if (missing.length)
        findings.push({
          check: 'headers',
          passed: false,
          assumptions: [],
          expected: `headers ${requiredHeaders.map(([name]) => name).join(', ')}`,
          actual: `missing ${missing.join(', ')}`,
        });
    }
    for (const claim of links.claims('header', op, status)) {
      const value = exchange.responseHeaders(claim.name!.toLowerCase());
      if (claim.absent) {
        const passed = value == null;
        findings.push({
          check: 'header',
          passed,
          assumptions: [claim.assumption],
          ...(!passed && {
            expected: `no ${claim.name} header`,
            actual: `${claim.name}: ${String(value).slice(0, 80)}`,
          }),
        });
      } else if (value != null) {
        const passed = claim.equals === undefined || String(claim.equals) === value;
        findings.push({
          check: 'header',
          passed,
          assumptions: [claim.assumption],
          ...(!passed && {
            expected: `${claim.name}: ${claim.equals}`,
            actual: `${claim.name}: ${value.slice(0, 80)}`,
          }),
        });
      }
    }

    if (exchange.responseBody === undefined || exchange.method === 'HEAD') return findings;
    if (!described.schema) {
      const empty = exchange.responseBody === '';
      if (!empty)
        findings.push({
          check: 'body',
          passed: false,
          assumptions: [],
          expected: 'no body',
          actual: snippet(exchange.responseBody),
        });
      return findings;
    }
    const documentedType = Object.keys(specResponse.content ?? {})[0] ?? 'application/json';
    const type = exchange.responseHeaders('content-type');
    const typeRight = isJsonMediaType(documentedType)
      ? isJsonMediaType(type)
      : type?.split(';')[0].trim().toLowerCase() === documentedType;
    findings.push({
      check: 'content-type',
      passed: typeRight,
      assumptions: idsOf(links.claims('content-type', op, status)),
      ...(!typeRight && {
        expected: `Content-Type: ${documentedType}`,
        actual: type ? `Content-Type: ${type.slice(0, 100)}` : 'no Content-Type',
      }),
    });
    if (!parsed) {
      // Not JSON, and said not to be: the content-type finding already says so.
      if (typeRight)
        findings.push({
          check: 'body',
          passed: false,
          assumptions: [],
          expected: `a JSON body (the ${described.status} schema of ${op.operationId})`,
          actual: `not JSON: ${snippet(exchange.responseBody)}`,
        });
      return findings;
    }
    const body = parsed.value;
    const validate = validatorFor(described.schema);
    const errors = validate(body) ? [] : [...validate.errors!];
    const fields = fieldChecks(op, status, body, errors);
    findings.push(...fields.findings);
    const unclaimed = errors.filter((error) => !fields.claimedErrors.has(error));
    if (unclaimed.length)
      findings.push({
        check: 'body',
        passed: false,
        assumptions: [],
        expected: `the ${described.status} schema of ${op.operationId}`,
        actual: errorsText(unclaimed),
      });
    // A field an assumption claims (present or absent) is that claim's business, not a note.
    const claimedPaths = new Set(links.claims('field', op, status).flatMap((claim) => claim.paths!));
    for (const field of undocumentedFields(described.schema, body).filter((path) => !claimedPaths.has(path))) {
      findings.push({
        check: 'undocumented-field',
        passed: false,
        note: true,
        assumptions: [],
        expected: `the ${described.status} schema of ${op.operationId}`,
        actual: `undocumented field ${field}`,
      });
    }
    if (response && statusClass(status) === 4) findings.push(...messageChecks(op, exchange, body, expectedFailure));
    if (success) {
      findings.push(...defaultChecks(op, exchange, requestBody, body));
      const data = (body as any)?.data ?? body;
      for (const { present, value } of [...valuesAt(data, 'id'), ...valuesAt(data, 'items[].id')])
        if (present && typeof value === 'string') remember(value);
      if (op.method === 'DELETE') knownIds.delete(decodeURIComponent(exchange.path.split('/').pop() ?? ''));
    }
    return findings;
  }

  return (exchange) => {
    const credential = readCredential(exchange.requestHeaders, model.schemes);
    const keyHint = credential.present ? maskKey(credential.key, model.keyFormat.prefix) : undefined;
    const op = route(exchange.method, exchange.path);
    if (!op) return { keyHint, findings: [unknownRoute(exchange)] };

    const findings: Finding[] = [];
    // 429 and 5xx say nothing about whether the request itself was acceptable.
    const conclusive = exchange.status !== 429 && exchange.status < 500;
    const expectedFailure: AuthFailure | undefined = !credential.present
      ? 'missing'
      : model.keyFormat.pattern.test(credential.key)
        ? undefined
        : 'invalid';
    let requestBody: unknown;
    if (expectedFailure) {
      const failure = failures[expectedFailure]!;
      if (conclusive) {
        const passed = exchange.status === failure.status;
        findings.push({
          check: 'auth-required',
          passed,
          assumptions: expectedFailure === 'invalid' ? links.keyFormat : [],
          ...(!passed && {
            expected: `${failure.status}: a request ${expectedFailure === 'missing' ? 'without a key' : `with a malformed key (${keyHint})`} must fail`,
            actual: `${exchange.status} ${snippet(exchange.responseBody)}`,
          }),
        });
      }
    } else {
      const checked = checkRequest(op, exchange);
      if (checked === 'unchecked') {
        // Nothing to say about a body that was not kept.
      } else if ('exercised' in checked) {
        requestBody = checked.body;
        if (exchange.status === 400) {
          findings.push({
            check: 'validation',
            passed: false,
            assumptions: checked.exercised,
            expected: 'the request accepted: it is valid by the contract',
            actual: `400 ${snippet(exchange.responseBody)}`,
          });
        } else if (statusClass(exchange.status) === 2 && checked.exercised.length) {
          findings.push({ check: 'validation', passed: true, assumptions: checked.exercised });
        }
      } else if (conclusive) {
        const refused = statusClass(exchange.status) === 4;
        findings.push({
          check: 'validation',
          passed: refused,
          assumptions: checked.problem.links,
          ...(!refused && {
            expected: `a 4xx: the contract refuses this request (${checked.problem.message})`,
            actual: `${exchange.status} ${snippet(exchange.responseBody)}`,
          }),
        });
      }
    }
    findings.push(...answerChecks(op, exchange, expectedFailure, requestBody));
    return { operation: op.operationId, keyHint, findings };
  };
}
