/**
 * What a reader (or the "Try it" panel, or an AI assistant reading llms.txt) needs to know about each operation,
 * read from a generated description (openapi/generated/*.yaml): method, path, hosts, credential and scope,
 * parameters, body, responses with their examples, code samples and the assumptions that affect it.
 */
import {
  credentialScheme,
  eachOperation,
  operationServers,
  parameterExample,
  requestBodyExample,
  resolveRef,
} from '../../scripts/code-samples.ts';
import { type Assumption, assumptionsByOperation } from './assumptions.ts';

// ── Public types ────────────────────────────────────────────────────────────────────────────────────

type Json = Record<string, any>;

export type ParameterFacts = {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Json;
  example?: unknown;
};

export type ExampleFacts = { name: string; summary?: string; value: unknown };

export type ResponseFacts = {
  status: string;
  description: string;
  headers: { name: string; description?: string }[];
  schema?: Json;
  examples: ExampleFacts[];
};

export type Credential = { schemeName: string; header: string; valuePrefix: string };

export type OperationFacts = {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  tag?: string;
  servers: { url: string; description?: string }[];
  /** How the key is sent and which scopes the operation needs; undefined when it needs no key. */
  credential?: Credential & { scopes: string[]; alternatives: Credential[] };
  parameters: ParameterFacts[];
  body?: { required: boolean; contentType: string; schema: Json; example: unknown };
  responses: ResponseFacts[];
  samples: { lang: string; label: string; source: string }[];
  assumptions: Assumption[];
};

// ── Public functions ────────────────────────────────────────────────────────────────────────────────

export function operationFacts(doc: Json): OperationFacts[] {
  const assumptions = assumptionsByOperation(doc);
  return eachOperation(doc).map(({ path, item, method, op }) => {
    const requirements: Json[] = op.security ?? doc.security ?? [];
    const scheme = credentialScheme(doc, op);
    return {
      operationId: op.operationId,
      method: method.toUpperCase(),
      path,
      summary: op.summary,
      description: (op.description ?? '').trim(),
      tag: op.tags?.[0],
      servers: operationServers(doc, item, op),
      credential: scheme && {
        ...scheme,
        scopes: requirements[0][scheme.schemeName] ?? [],
        alternatives: requirements.slice(1).flatMap((_, index) => credentialScheme(doc, op, index + 1) ?? []),
      },
      parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map((raw) => {
        const param = resolveRef(doc, raw);
        return {
          name: param.name,
          in: param.in,
          required: Boolean(param.required),
          description: param.description,
          schema: resolveRef(doc, param.schema) ?? {},
          example: parameterExample(doc, param),
        };
      }),
      body: requestBody(doc, op),
      responses: Object.entries<Json>(op.responses ?? {}).map(([status, raw]) =>
        responseFacts(doc, status, resolveRef(doc, raw)),
      ),
      samples: op['x-codeSamples'] ?? [],
      assumptions: assumptions.get(op.operationId) ?? [],
    };
  });
}

// ── Private functions ───────────────────────────────────────────────────────────────────────────────

function requestBody(doc: Json, op: Json): OperationFacts['body'] {
  const body = resolveRef(doc, op.requestBody);
  const [contentType, media] = Object.entries<Json>(body?.content ?? {})[0] ?? [];
  if (!contentType) return undefined;
  return {
    required: Boolean(body.required),
    contentType,
    schema: resolveRef(doc, media.schema) ?? {},
    example: requestBodyExample(doc, op),
  };
}

function responseFacts(doc: Json, status: string, response: Json): ResponseFacts {
  const media = response.content?.['application/json'] ?? Object.values<Json>(response.content ?? {})[0];
  const examples: ExampleFacts[] = Object.entries<Json>(media?.examples ?? {}).map(([name, raw]) => {
    const example = resolveRef(doc, raw);
    return { name, summary: example.summary, value: example.value };
  });
  if (!examples.length && media?.example !== undefined) examples.push({ name: 'example', value: media.example });
  return {
    status,
    description: (response.description ?? '').trim(),
    headers: Object.entries<Json>(response.headers ?? {}).map(([name, raw]) => ({
      name,
      description: resolveRef(doc, raw).description,
    })),
    schema: media?.schema && resolveRef(doc, media.schema),
    examples,
  };
}
