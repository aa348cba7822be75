/**
 * Applies a document patch another replica made to this mock's keys and data (store/redis/): the inverse of
 * reporting it. Nothing applied here is reported again (the store ignores what it is told while applying).
 */
import type { DocumentContext } from '../state/document.ts';
import { exportedKeyRecord, prepareState } from '../state/document.ts';
import type { DocumentPatch } from './patch.ts';
import { StoreUnavailableError } from './store.ts';

export async function applyPatch(ctx: DocumentContext, patch: DocumentPatch, at: Date): Promise<void> {
  if ('replace' in patch) {
    await loadDocument(ctx, patch.replace, at);
    return;
  }
  if ('key' in patch) {
    if ('delete' in patch.key) ctx.store.delete(patch.key.delete);
    else ctx.store.put(exportedKeyRecord(ctx, patch.key as typeof patch.key & { prefix: string; digest: string }, at));
    return;
  }
  ctx.state?.apply(patch);
}

/** Replaces keys and data by a document the sandbox holds (it was checked when it was first loaded). */
export async function loadDocument(ctx: DocumentContext, document: unknown, at: Date): Promise<void> {
  const prepared = await prepareState(ctx, document, at);
  if ('problem' in prepared) throw new StoreUnavailableError(`the sandbox's state document in Redis is wrong: ${prepared.problem}`);
  prepared.commit();
}
