/**
 * The one authentication decision, shared by the Node mock server and the MSW handlers:
 * credential → key format → known key → key state → scope. Returns the key, or the documented answer.
 */
import type { ApiModel, OperationModel } from '../model/types.ts';
import { isoTimestamp } from '../model/timestamps.ts';
import { readCredential, type HeaderReader } from './credentials.ts';
import { renderFailureBody, type AuthFailure, type FailureTable } from './failures.ts';
import type { KeyRecord, KeyStore } from './key-store.ts';
import { maskKey } from './mask.ts';

export type Verdict =
  | { ok: true; key: KeyRecord; keyHint: string }
  | { ok: false; failure: AuthFailure; status: number; body: unknown; keyHint?: string; keyId?: string; key?: KeyRecord };

export interface AuthContext {
  model: ApiModel;
  failures: FailureTable;
  store: KeyStore;
}

export function isExpired(key: KeyRecord, now: Date): boolean {
  return key.expires_at !== null && Date.parse(key.expires_at) <= now.getTime();
}

/** Whether a key's scopes grant one of the operation's required scopes (the admin scope grants all). */
export function grants(key: KeyRecord, op: OperationModel, adminScope?: string): boolean {
  if (op.scopes.length === 0) return true;
  if (adminScope && key.scopes.includes(adminScope)) return true;
  return op.scopes.some((scope) => key.scopes.includes(scope));
}

/** `key`: the stored key, when the credential named one (a revoked, disabled or expired key, or one lacking the scope). */
function fail(ctx: AuthContext, op: OperationModel, failure: AuthFailure, keyHint?: string, key?: KeyRecord): Verdict {
  const answer = ctx.failures[failure] ?? ctx.failures.invalid!;
  return { ok: false, failure, status: answer.status, body: renderFailureBody(answer, op.scopes[0]), keyHint, keyId: key?.id, key };
}

export async function authorize(ctx: AuthContext, op: OperationModel, headers: HeaderReader, now = new Date()): Promise<Verdict> {
  const credential = readCredential(headers, ctx.model.schemes);
  if (!credential.present) return fail(ctx, op, 'missing');
  if (!ctx.model.keyFormat.pattern.test(credential.key)) return fail(ctx, op, 'invalid', maskKey(credential.key, ctx.model.keyFormat.prefix));
  const key = await ctx.store.find(credential.key);
  if (!key) return fail(ctx, op, 'invalid', maskKey(credential.key, ctx.model.keyFormat.prefix));
  // A known key's masked form was made by the same rule when it was stored.
  const keyHint = key.masked;
  if (key.status === 'revoked' || key.status === 'disabled') return fail(ctx, op, key.status, keyHint, key);
  if (isExpired(key, now)) return fail(ctx, op, 'expired', keyHint, key);
  if (!grants(key, op, ctx.model.adminScope)) return fail(ctx, op, 'missing_scope', keyHint, key);
  key.last_used_at = isoTimestamp(now);
  return { ok: true, key, keyHint };
}
