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
  /** The record field (a dotted path) a list filter matches, when not its own name (`x-filter-field`: `active` → `isActive`). */
  filterField?: string;
}

export interface OperationModel {
  api: ApiName;
  operationId: string;
  method: string;
  /** OpenAPI path template, e.g. `/api/customers/{id}`. */
  path: string;
  /** The same path in router syntax, e.g. `/api/customers/:id`. */
  routePath: string;
  /**
   * The operation's security (its own `security`, else the document's) as OpenAPI means it: alternatives, a
   * request passing when it meets one, each naming schemes with the scopes they need. `[]` or an empty
   * alternative `{}` lets anyone in (see `anonymous`).
   */
  security: SecurityAlternative[];
  /** Whether the operation asks for no credentials at all (`security: []`, or an alternative `{}`), as Prism reads it. */
  anonymous: boolean;
  /** The credential placements its alternatives name, in the order the spec declares the schemes. */
  credentials: CredentialScheme[];
  /** Every scope its alternatives name (a missing-scope answer names the first); empty when none does. */
  scopes: string[];
  parameters: ParameterModel[];
  /** `examples`: the documented request bodies, in spec order. */
  requestBody?: { required: boolean; schema: JsonSchema; examples: unknown[] };
  responses: Map<number, ResponseModel>;
  /** The lowest documented 2xx status: what a valid request gets by default. */
  successStatus: number;
  inferred: boolean;
}

/** One alternative of a security requirement: each scheme (by its name in `components.securitySchemes`) with its scopes. */
export type SecurityAlternative = Readonly<Record<string, readonly string[]>>;

/** A credential placement the API accepts, from its security schemes; `name` is the scheme's name in the spec. */
export type CredentialScheme = { name: string } & ({ kind: 'header'; header: string } | { kind: 'bearer' });

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
  /** The documented limits per key tier, by the tier's name in `x-rate-limits` (TVM: admin, shop); none for MVO. */
  rateLimits?: Readonly<Record<string, RateLimitTier>>;
  /** The largest request body the API takes (`info.x-max-body-bytes`); a larger one answers 413. */
  maxBodyBytes: number;
  /** How deep objects and arrays may nest in a request body, the body being level 1 (`info.x-max-body-depth`); deeper answers 400. */
  maxBodyDepth: number;
}

/**
 * One tier of `x-rate-limits`: a key holding `scope` is limited by this tier (the first such tier); the tier with
 * no `scope` limits every other key, and its untouched window is what an unknown or missing key is shown.
 */
export interface RateLimitTier {
  perMinute: number;
  perDay: number;
  scope?: string;
}
