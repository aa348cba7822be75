/**
 * Checks one exchange (a request and the answer the real API gave) against the contract. Pure: no I/O, no
 * clock; the proxy and the probe both feed it. Each check gives a finding that passed or failed, linked to the
 * assumptions it tests (links.ts), so a report can say which assumption an answer confirms or contradicts.
 *
 * The contract's order is the mock's: route → authenticate → validate → respond. So a request without a key,
 * or with a malformed one, must fail with the documented 401 whatever else it carries; only a request with a
 * well-formed key is validated; and an invalid one must fail.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { addRoute, createRouter, findRoute } from 'rou3';
import { failureTable, maskKey, readCredential, renderFailureBody, type AuthFailure, type HeaderReader } from '../auth/index.ts';
import { apiModel, embeddedSpec, type ApiName, type JsonSchema, type OperationModel } from '../model/index.ts';
import { assumptionLinks, specOperation, type Links } from './links.ts';
import { createAjv, dialectFor, fastifyMessage, isJsonMediaType, OperationValidatorCache } from './mock-parts.ts';

export type CheckName =
  /** An unknown route answers 404 in the API's error envelope. */
  | 'route'
  /** A request without a key, or with a malformed one, fails with the documented status. */
  | 'auth-required'
  /** An invalid request fails; a valid one is not refused as invalid. */
  | 'validation'
  /** An inferred operation exists. */
  | 'operation'
  /** The status is one the operation documents. */
  | 'status'
  /** The headers the response documents as required are present. */
  | 'headers'
  /** The body matches the schema for the status. */
  | 'body'
  /** A 401/403 body is one of the documented ones (for the failure the request calls for, if known). */
  | 'auth-body'
  /** A missing-scope 403 names the operation's scope. */
  | 'scope';

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
  /** Ids of the assumptions this check tests: confirmed when it passed, contradicted when it failed. */
  assumptions: string[];
  /** What the contract expects and what came back (set when the check failed). */
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

interface DocumentedBody {
  body: unknown;
  failures: AuthFailure[];
  links: string[];
  /** For a message template (`Missing required scope: {scope}`): matches the message, capturing the scope. */
  template?: { pattern: RegExp; render(scope: string): unknown };
}

const SNIPPET = 240;

export function snippet(text: string | undefined): string {
  if (text === undefined) return '(not kept)';
  if (text === '') return '(empty)';
  return text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text;
}

const messageOf = (body: any): unknown => body?.message ?? body?.error?.message;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const statusClass = (status: number) => Math.floor(status / 100);
const unique = (ids: string[]) => [...new Set(ids)];

/** The operation a request routes to, as the mock routes it. */
export function operationRouter(api: ApiName): (method: string, path: string) => OperationModel | undefined {
  const router = createRouter<OperationModel>();
  for (const op of apiModel(api).operations) addRoute(router, op.method, op.routePath, op);
  return (method, path) => findRoute(router, method, path)?.data;
}

export function createExchangeValidator(api: ApiName, links: Links = assumptionLinks(api)): ExchangeValidator {
  const model = apiModel(api);
  const spec = embeddedSpec(api);
  const route = operationRouter(api);
  const failures = failureTable(model);
  // The API's own validation style: every problem (TVM) or the first, as Fastify reports it (MVO).
  const requestValidators = new OperationValidatorCache(model, dialectFor(model).reportsEveryProblem);
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
  if (!notFound) throw new Error(`${api}: no operation documents a 404 body, so an unknown route's answer cannot be checked`);

  const documentedBodies = new Map<string, DocumentedBody[]>();
  const bodiesFor = (op: OperationModel, status: number): DocumentedBody[] => {
    const key = `${op.operationId} ${status}`;
    let bodies = documentedBodies.get(key);
    if (!bodies) {
      const response = op.responses.get(status);
      bodies = [...(response?.examples ?? [])].map(([name, body]) => {
        const extensions = response!.exampleExtensions.get(name) ?? {};
        const template = extensions['x-message-template'] as string | undefined;
        const answer = { status, body, messageTemplate: template };
        return {
          body,
          failures: (extensions['x-auth-failures'] ?? []) as AuthFailure[],
          links: links.example(op, status, name),
          template: template === undefined ? undefined : {
            pattern: new RegExp(`^${escapeRegExp(template).replace(escapeRegExp('{scope}'), '(.+)')}$`),
            render: (scope: string) => renderFailureBody(answer, scope),
          },
        };
      });
      documentedBodies.set(key, bodies);
    }
    return bodies;
  };

  const errorsText = (errors: ErrorObject[] | null | undefined) => ajv.errorsText(errors?.slice(0, 3), { dataVar: 'body' });
  const schemaLinks = (root: JsonSchema, errors: ErrorObject[] | null | undefined) => unique((errors ?? []).flatMap((error) => links.schemaError(root, error)));

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

  /**
   * Why the contract refuses this request, or, when it is valid, the assumptions its values rest on (a plain
   * date accepted confirms TVM-A8). `unchecked`: the body was too large to keep.
   */
  function checkRequest(op: OperationModel, exchange: Exchange): { problem: { message: string; links: string[] } } | { exercised: string[] } | 'unchecked' {
    const { body: bodyValidator, query: queryValidator } = requestValidators.get(op);
    const exercised: string[] = [];
    if (op.requestBody && exchange.requestBody === undefined) return 'unchecked';
    if (op.requestBody && exchange.requestBody !== '') {
      if (!isJsonMediaType(exchange.requestHeaders('content-type'))) return { problem: { message: 'the body is not sent as application/json', links: links.global('non-json-body') } };
      const parsed = parseJson(exchange.requestBody!);
      if (!parsed) return { problem: { message: 'the body is not valid JSON', links: links.global('non-json-body') } };
      if (bodyValidator && !bodyValidator(parsed.value)) {
        return { problem: { message: fastifyMessage('body', bodyValidator.errors!), links: schemaLinks(bodyValidator.schema as JsonSchema, bodyValidator.errors) } };
      }
      exercised.push(...links.exercised(op.requestBody.schema, parsed.value));
    } else if (op.requestBody?.required) {
      return { problem: { message: 'the operation requires a body', links: [] } };
    }
    if (queryValidator) {
      // The validator coerces in place (`"5"` → 5): it gets its own copy.
      const query = Object.fromEntries(new URLSearchParams(exchange.query));
      if (!queryValidator(query)) {
        return { problem: { message: fastifyMessage('querystring', queryValidator.errors!), links: schemaLinks(queryValidator.schema as JsonSchema, queryValidator.errors) } };
      }
      exercised.push(...links.exercised(queryValidator.schema as JsonSchema, query));
    }
    return { exercised: unique(exercised) };
  }

  function authBody(op: OperationModel, exchange: Exchange, body: unknown, expectedFailure: AuthFailure | undefined): Finding[] {
    const documented = bodiesFor(op, exchange.status);
    const forFailure = expectedFailure ? documented.filter((candidate) => candidate.failures.includes(expectedFailure)) : [];
    const candidates = forFailure.length ? forFailure : documented;
    for (const candidate of candidates) {
      if (!candidate.template) {
        if (isDeepStrictEqual(candidate.body, body)) return [{ check: 'auth-body', passed: true, assumptions: candidate.links }];
        continue;
      }
      const message = messageOf(body);
      const scope = typeof message === 'string' ? candidate.template.pattern.exec(message)?.[1] : undefined;
      // Only scopes of the catalogue are rendered: the rendering is cached per scope, and upstream text is unbounded.
      if (scope === undefined || !(scope in model.scopes) || !isDeepStrictEqual(candidate.template.render(scope), body)) continue;
      const named = op.scopes.includes(scope);
      return [
        { check: 'auth-body', passed: true, assumptions: candidate.links },
        {
          check: 'scope',
          passed: named,
          assumptions: unique([...candidate.links, ...links.scope(op)]),
          ...(!named && { expected: `the missing scope named: ${op.scopes.join(' or ')}`, actual: `names ${scope}` }),
        },
      ];
    }
    return [
      {
        check: 'auth-body',
        passed: false,
        assumptions: unique(candidates.flatMap((candidate) => candidate.links)),
        expected: `${candidates.length === 1 ? 'the documented body' : `one of the ${candidates.length} documented bodies`}${expectedFailure ? ` for a ${expectedFailure} key` : ''}: ${candidates.map((candidate) => JSON.stringify(candidate.template ? candidate.template.render(op.scopes[0] ?? '{scope}') : candidate.body)).join(' | ')}`,
        actual: snippet(exchange.responseBody),
      },
    ];
  }

  function answerChecks(op: OperationModel, exchange: Exchange, expectedFailure: AuthFailure | undefined): Finding[] {
    const findings: Finding[] = [];
    const { status } = exchange;
    const response = op.responses.get(status);
    const documented = [...op.responses.keys()];
    const operationLinks = links.operation(op);
    // An inferred operation that is not there answers 404 (undocumented) or 405/501: that contradicts its existence.
    const missingOperation = operationLinks.length > 0 && (status === 405 || status === 501 || (status === 404 && !response));
    if (operationLinks.length && (statusClass(status) === 2 || missingOperation)) {
      findings.push({
        check: 'operation',
        passed: !missingOperation,
        assumptions: operationLinks,
        ...(missingOperation && { expected: `${op.method} ${op.path} to exist (${op.operationId})`, actual: `${status} ${snippet(exchange.responseBody)}` }),
      });
    }
    if (!missingOperation) {
      const sameClass = documented.filter((code) => statusClass(code) === statusClass(status));
      findings.push({
        check: 'status',
        passed: response !== undefined,
        assumptions: response ? links.response(op, status) : unique(sameClass.flatMap((code) => links.response(op, code))),
        ...(!response && { expected: `one of the documented statuses ${documented.join(', ')}`, actual: String(status) }),
      });
    }

    // An undocumented success that has a body is still held to the one documented success's schema (e.g. `meta`).
    const successes = documented.filter((code) => statusClass(code) === 2);
    const described = response ?? (statusClass(status) === 2 && successes.length === 1 && exchange.responseBody ? op.responses.get(successes[0]) : undefined);
    if (!described) return findings;
    const specResponse = specOperation(spec, op).responses[String(described.status)];

    const requiredHeaders = Object.entries<any>(specResponse.headers ?? {}).filter(([, header]) => header.required);
    if (requiredHeaders.length) {
      const missing = requiredHeaders.filter(([name]) => exchange.responseHeaders(name.toLowerCase()) == null).map(([name]) => name);
      findings.push({
        check: 'headers',
        passed: missing.length === 0,
        assumptions: unique(requiredHeaders.flatMap(([, header]) => (header['x-assumptions'] ?? []) as string[])),
        ...(missing.length > 0 && { expected: `headers ${requiredHeaders.map(([name]) => name).join(', ')}`, actual: `missing ${missing.join(', ')}` }),
      });
    }

    if (exchange.responseBody === undefined) return findings;
    let body: unknown;
    if (!described.schema) {
      const empty = exchange.responseBody === '';
      findings.push({ check: 'body', passed: empty, assumptions: [], ...(!empty && { expected: 'no body', actual: snippet(exchange.responseBody) }) });
    } else {
      const parsed = parseJson(exchange.responseBody);
      const validate = validatorFor(described.schema);
      if (!parsed) {
        findings.push({ check: 'body', passed: false, assumptions: [], expected: `a JSON body (the ${described.status} schema of ${op.operationId})`, actual: `not JSON: ${snippet(exchange.responseBody)}` });
      } else if (validate(parsed.value)) {
        body = parsed.value;
        findings.push({ check: 'body', passed: true, assumptions: links.exercised(described.schema, parsed.value) });
      } else {
        body = parsed.value;
        findings.push({
          check: 'body',
          passed: false,
          assumptions: schemaLinks(described.schema, validate.errors),
          expected: `the ${described.status} schema of ${op.operationId}`,
          actual: errorsText(validate.errors),
        });
      }
    }
    if (response && (status === 401 || status === 403) && response.examples.size) findings.push(...authBody(op, exchange, body, expectedFailure));
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
    const expectedFailure: AuthFailure | undefined = !credential.present ? 'missing' : model.keyFormat.pattern.test(credential.key) ? undefined : 'invalid';
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
        if (exchange.status === 400) {
          findings.push({ check: 'validation', passed: false, assumptions: [], expected: 'the request accepted: it is valid by the contract', actual: `400 ${snippet(exchange.responseBody)}` });
        } else if (statusClass(exchange.status) === 2 && checked.exercised.length) {
          findings.push({ check: 'validation', passed: true, assumptions: checked.exercised });
        }
      } else if (conclusive) {
        const refused = statusClass(exchange.status) === 4;
        findings.push({
          check: 'validation',
          passed: refused,
          assumptions: checked.problem.links,
          ...(!refused && { expected: `a 4xx: the contract refuses this request (${checked.problem.message})`, actual: `${exchange.status} ${snippet(exchange.responseBody)}` }),
        });
      }
    }
    findings.push(...answerChecks(op, exchange, expectedFailure));
    return { operation: op.operationId, keyHint, findings };
  };
}
