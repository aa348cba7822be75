/**
 * The one authentication decision, shared by the Node mock server and the MSW handlers:
 * credential → key format → known key → key state → scope. Returns the key, or the documented answer.
 */
import type { ApiModel, OperationModel } from '../model/types.ts';
import { isoTimestamp } from '../model/timestamps.ts';
import { readCredential, type Credential, type HeaderReader } from './credentials.ts';
import { isKeyStateFailure, type AuthFailure } from './failure-kinds.ts';
import { renderFailureBody, type FailureTable } from './failures.ts';
import type { KeyRecord, KeyStore } from './key-store.ts';
import { maskKey } from './mask.ts';

export type Verdict =
  | { ok: true; key: KeyRecord; keyHint: string }
  | {
      ok: false;
      failure: AuthFailure;
      status: number;
      body: unknown;
      keyHint?: string;
      keyId?: string;
      key?: KeyRecord;
    };

export interface AuthContext {
  model: ApiModel;
  failures: FailureTable;
  store: KeyStore;
}

export function isExpired(key: KeyRecord, now: Date): boolean {
  return key.expires_at !== null && Date.parse(key.expires_at) <= now.getTime();
}

/**
 * Whether the key, presented through the scheme `scheme`, meets one of the operation's security alternatives:
 * one that names that scheme and whose scopes the key holds (the admin scope grants all). A request carries one
 * key, so it stands for every scheme of an alternative.
 */
export function grants(key: KeyRecord, op: OperationModel, scheme: string, adminScope?: string): boolean {
  const admin = adminScope !== undefined && key.scopes.includes(adminScope);
  return op.security.some(
    (alternative) =>
      scheme in alternative &&
      (admin || Object.values(alternative).every((scopes) => scopes.every((scope) => key.scopes.includes(scope)))),
  );
}

/** `key`: the stored key, when the credential named one (a revoked, disabled or expired key, or one lacking the scope). */
function fail(ctx: AuthContext, op: OperationModel, failure: AuthFailure, keyHint?: string, key?: KeyRecord): Verdict {
  const answer = ctx.failures[failure] ?? ctx.failures.invalid!;
  return {
    ok: false,
    failure,
    status: answer.status,
    body: renderFailureBody(answer, op.scopes[0]),
    keyHint,
    keyId: key?.id,
    key,
  };
}

/**
 * For an operation that asks for credentials (`op.anonymous` false): an anonymous one is answered without a key.
 * Synchronous when the key store's digest is (the Node server's), a promise otherwise (Web Crypto's).
 */
export function authorize(
  ctx: AuthContext,
  op: OperationModel,
  headers: HeaderReader,
  now = new Date(),
): Verdict | Promise<Verdict> {
  const credential = readCredential(headers, op.credentials);
  if (!credential.present) return fail(ctx, op, 'missing');
  if (!ctx.model.keyFormat.pattern.test(credential.key))
    return fail(ctx, op, 'invalid', maskKey(credential.key, ctx.model.keyFormat.prefix));
  const found = ctx.store.find(credential.key);
  return found instanceof Promise
    ? found.then((key) => decide(ctx, op, credential, key, now))
    : decide(ctx, op, credential, found, now);
}

/** The verdict on a well-formed credential, once its key record (if any) is known. */
function decide(
  ctx: AuthContext,
  op: OperationModel,
  credential: Extract<Credential, { present: true }>,
  key: KeyRecord | undefined,
  now: Date,
): Verdict {
  if (!key) return fail(ctx, op, 'invalid', maskKey(credential.key, ctx.model.keyFormat.prefix));
  // A known key's masked form was made by the same rule when it was stored.
  const keyHint = key.masked;
  if (isKeyStateFailure(key.status)) return fail(ctx, op, key.status, keyHint, key);
  if (isExpired(key, now)) return fail(ctx, op, 'expired', keyHint, key);
  if (!grants(key, op, credential.scheme, ctx.model.adminScope)) return fail(ctx, op, 'missing_scope', keyHint, key);
  key.last_used_at = isoTimestamp(now);
  return { ok: true, key, keyHint };
}
