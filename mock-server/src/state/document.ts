/**
 * State documents (`GET`/`PUT /__mock/state`, `--seed`, `--state-file`): every account's data and the keys
 * of one mock as one JSON document (`MockState` in openapi/mock/). Keys travel as their metadata, masked
 * prefix and SHA-256 digest, never whole; a seed file may list a development key by its whole value instead,
 * hashed on load. Loading is all or nothing: the whole document is checked (its schema, each record against
 * the API's own schema and its bound on nesting, ids and emails used twice, key rules) before anything changes.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { KeyRecord, KeyStore } from '../auth/index.ts';
import { keyRuleProblem } from '../auth/key-rules.ts';
import { VISIBLE_CHARACTERS } from '../auth/mask.ts';
import { digestHex, type KeyRateLimit, type KeyStatus } from '../auth/key-store.ts';
import { spec as controlSpec } from '../generated/mock.spec.ts';
import type { ApiModel, ApiName, JsonSchema } from '../model/types.ts';
import { createAjv, loadAjv } from '../pipeline/ajv.ts';
import { valueProblems } from '../pipeline/value-limits.ts';
import type { AccountData, ApiState } from './types.ts';
import type { ChangeSink } from '../store/patch.ts';

export const STATE_DOCUMENT_VERSION = 1;

/** A key in a state document: as exported (digest and prefix), or in a seed file by its whole value. */
export interface DocumentKey {
  id?: string;
  name: string;
  key?: string;
  digest?: string;
  prefix?: string;
  scopes?: string[];
  status?: KeyStatus;
  created_at?: string;
  expires_at?: string | null;
  last_used_at?: string | null;
  account?: string;
  rate_limit?: KeyRateLimit | null;
}

export interface StateDocument {
  version?: number;
  api: ApiName;
  exported_at?: string;
  keys?: DocumentKey[];
  accounts?: Record<string, AccountData>;
}

export interface DocumentContext {
  model: ApiModel;
  store: KeyStore;
  /** Absent when the mock is stateless: a document may then carry keys only. */
  state?: ApiState;
  /** The key statuses this API knows (`active`, and `revoked` or `disabled`). */
  statuses: readonly string[];
  /** Told of a committed document as one change (the store: every door that loads a document goes through `prepareState`). */
  changes?: ChangeSink;
}

export type Prepared = { problem: string } | { commit(): void };

const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));

let ajv: ReturnType<typeof createAjv> | undefined;
const validators = new WeakMap<object, ValidateFunction>();
function validatorFor(schema: JsonSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) validators.set(schema, (validate = (ajv ??= createAjv({ allErrors: false })).compile(schema)));
  return validate;
}

/** `keys/0/name must be string` (`the document …` at its root); an unknown property is named. */
function describe(where: string, errors: ErrorObject[]): string {
  const [first] = errors;
  const at = `${where}${first.instancePath}`.replace(/^\//, '') || 'the document';
  if (first.keyword === 'additionalProperties')
    return `${at} has unknown property ${(first.params as { additionalProperty: string }).additionalProperty}`;
  return `${at} ${first.message}`;
}

/** The document of this mock's keys and data, now. */
export function exportState(ctx: DocumentContext, at: Date): StateDocument {
  return {
    version: STATE_DOCUMENT_VERSION,
    api: ctx.model.api,
    exported_at: at.toISOString(),
    keys: ctx.store.list().map((record) => ctx.store.exported(record)),
    accounts: ctx.state?.snapshot() ?? {},
  };
}

/** The record of a key as exported (its digest and masked prefix, already checked). */
export function exportedKeyRecord(
  ctx: Pick<DocumentContext, 'store'>,
  entry: DocumentKey & { prefix: string; digest: string },
  at: Date,
): KeyRecord {
  return ctx.store.restore({
    ...entry,
    masked: entry.prefix,
    digest: fromHex(entry.digest),
    lookup: entry.prefix.slice(0, -1),
    created_at: entry.created_at ?? at.toISOString(),
  });
}

async function prepareKeys(
  ctx: DocumentContext,
  keys: DocumentKey[],
  at: Date,
): Promise<{ problem: string } | { records: KeyRecord[] }> {
  const { keyFormat, title } = ctx.model;
  const records: KeyRecord[] = [];
  const ids = new Map<string, number>();
  const digests = new Map<string, number>();
  for (const [index, entry] of keys.entries()) {
    const where = `keys/${index}`;
    const rule = keyRuleProblem(ctx.model, ctx.statuses, entry, where);
    if (rule) return { problem: rule };
    let record: KeyRecord;
    if (entry.key !== undefined) {
      if (entry.digest !== undefined || entry.prefix !== undefined)
        return {
          problem: `${where} must have either key (a whole development key) or digest and prefix (as exported), not both`,
        };
      // The value is never repeated in the message: it may be a real key pasted by mistake.
      if (!keyFormat.pattern.test(entry.key))
        return {
          problem: `${where}/key is not a ${title} key (${keyFormat.prefix} followed by ${keyFormat.length} characters)`,
        };
      record = (await ctx.store.build(entry, at.toISOString())).record;
    } else {
      if (entry.digest === undefined || entry.prefix === undefined)
        return {
          problem: `${where} must have either key (a whole development key) or digest and prefix (as exported)`,
        };
      const lookup = entry.prefix.slice(0, -1);
      if (
        !entry.prefix.endsWith('…') ||
        lookup.length !== keyFormat.prefix.length + VISIBLE_CHARACTERS ||
        !lookup.startsWith(keyFormat.prefix)
      ) {
        return {
          problem: `${where}/prefix must be the key's masked prefix as exported (${keyFormat.prefix} and ${VISIBLE_CHARACTERS} more characters, then …)`,
        };
      }
      record = exportedKeyRecord(ctx, entry as DocumentKey & { prefix: string; digest: string }, at);
    }
    const sameId = ids.get(record.id);
    if (sameId !== undefined) return { problem: `${where}/id ${record.id} is already used by keys/${sameId}` };
    const digest = digestHex(record.digest);
    const sameKey = digests.get(digest);
    if (sameKey !== undefined) return { problem: `${where} is the same key as keys/${sameKey}` };
    ids.set(record.id, index);
    digests.set(digest, index);
    records.push(record);
  }
  return { records };
}

/**
 * The first record of an account (a list's item, or a singleton) that no request could have stored: nested
 * deeper than the API's bound on bodies, or holding a non-finite number. What is loaded must export and save.
 */
function recordProblem(ctx: DocumentContext, account: string, data: AccountData): string | undefined {
  for (const [resource, value] of Object.entries(data)) {
    const records = Array.isArray(value) ? value : [value];
    for (const [index, record] of records.entries()) {
      const errors = valueProblems(record, ctx.model.maxBodyDepth);
      if (errors.length)
        return describe(`accounts/${account}/${resource}${Array.isArray(value) ? `/${index}` : ''}`, errors);
    }
  }
  return undefined;
}

function prepareAccounts(ctx: DocumentContext, accounts: Record<string, AccountData>): Prepared {
  if (!ctx.state) {
    return Object.keys(accounts).length
      ? { problem: 'accounts must be empty: the mock is stateless (--stateless), it keeps no data' }
      : { commit: () => {} };
  }
  const validate = validatorFor(ctx.state.accountSchema);
  const known = Object.keys(ctx.state.accountSchema.properties as object);
  for (const [account, data] of Object.entries(accounts)) {
    const problem = recordProblem(ctx, account, data);
    if (problem) return { problem };
    if (validate(data)) continue;
    const [first] = validate.errors!;
    if (first.keyword === 'additionalProperties' && first.instancePath === '') {
      const unknown = (first.params as { additionalProperty: string }).additionalProperty;
      return {
        problem: `accounts/${account} has unknown resource ${unknown}; the ${ctx.model.api.toUpperCase()} mock keeps: ${known.join(', ')}`,
      };
    }
    return { problem: describe(`accounts/${account}`, validate.errors!) };
  }
  return ctx.state.prepare(accounts);
}

/**
 * Checks a document (already parsed JSON) and returns how to apply it: `keys` present replaces every key,
 * `accounts` present replaces every account's data; what it leaves out stays as it is. Nothing changes until
 * `commit` is called, and it cannot fail.
 */
export async function prepareState(ctx: DocumentContext, document: unknown, at: Date): Promise<Prepared> {
  await loadAjv();
  const validate = validatorFor((controlSpec as any).components.schemas.MockState);
  if (!validate(document)) return { problem: describe('', validate.errors!) };
  const doc = document as StateDocument;
  if (doc.api !== ctx.model.api)
    return { problem: `api is ${doc.api} but this is the ${ctx.model.api.toUpperCase()} mock` };
  const keys = doc.keys === undefined ? undefined : await prepareKeys(ctx, doc.keys, at);
  if (keys && 'problem' in keys) return keys;
  const accounts = doc.accounts === undefined ? undefined : prepareAccounts(ctx, doc.accounts);
  if (accounts && 'problem' in accounts) return accounts;
  return {
    commit() {
      if (keys) ctx.store.replaceAll(keys.records);
      accounts?.commit();
      ctx.changes?.({ api: ctx.model.api, replace: exportState(ctx, at) });
    },
  };
}
