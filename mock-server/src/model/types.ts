/** The mock's view of one API, built once from the embedded, dereferenced spec. */
export type ApiName = 'mvo' | 'tvm';
export const API_NAMES: readonly ApiName[] = ['mvo', 'tvm'];

export type JsonSchema = Record<string, unknown>;

export interface ResponseModel {
  status: number;
  /** Named examples, in spec order; the first is the default. */
  examples: Map<string, unknown>;
  schema?: JsonSchema;
  /** Extensions on examples, e.g. `x-message-template`. */
  exampleExtensions: Map<string, Record<string, unknown>>;
}

export interface ParameterModel {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface OperationModel {
  api: ApiName;
  operationId: string;
  method: string;
  /** OpenAPI path template, e.g. `/api/customers/{id}`. */
  path: string;
  /** The same path in router syntax, e.g. `/api/customers/:id`. */
  routePath: string;
  /** Scopes of the operation's security requirement (TVM); empty when the API has none. */
  scopes: string[];
  parameters: ParameterModel[];
  /** `examples`: the documented request bodies, in spec order. */
  requestBody?: { required: boolean; schema: JsonSchema; examples: unknown[] };
  responses: Map<number, ResponseModel>;
  /** The lowest documented 2xx status: what a valid request gets by default. */
  successStatus: number;
  inferred: boolean;
}

/** A credential placement the API accepts, from its security schemes. */
export type CredentialScheme = { kind: 'header'; header: string } | { kind: 'bearer' };

export interface KeyFormat {
  prefix: string;
  pattern: RegExp;
  alphabet: string;
  length: number;
}

export interface ApiModel {
  api: ApiName;
  title: string;
  operations: OperationModel[];
  schemes: CredentialScheme[];
  keyFormat: KeyFormat;
  /** The scope catalogue (TVM) and the scope that grants everything. */
  scopes: Record<string, string>;
  adminScope?: string;
  rateLimits?: { admin: { perMinute: number; perDay: number }; shop: { perMinute: number; perDay: number } };
  /** The largest request body the API takes (`info.x-max-body-bytes`); a larger one answers 413. */
  maxBodyBytes: number;
  /** How deep objects and arrays may nest in a request body, the body being level 1 (`info.x-max-body-depth`); deeper answers 400. */
  maxBodyDepth: number;
}
