/**
 * Changes another replica made (store/redis/), prepared for this mock's keys and data: each checked and built
 * first (a document is validated and its keys restored, asynchronously), then applied by a synchronous step.
 * Nothing applied here is reported again (the store ignores what it is told while applying).
 */
import type { DocumentContext, StateDocument } from '../state/document.ts';
import { exportedKeyRecord, prepareState } from '../state/document.ts';
import type { DocumentPatch } from './patch.ts';
import { StoreUnavailableError } from './store.ts';

export async function preparePatch(ctx: DocumentContext, patch: DocumentPatch, at: Date): Promise<() => void> {
  if ('replace' in patch) return prepareDocument(ctx, patch.replace, at);
  if ('key' in patch) {
    const key = patch.key;
    if ('delete' in key) return () => void ctx.store.delete(key.delete);
    const record = exportedKeyRecord(ctx, key as typeof key & { prefix: string; digest: string }, at);
    return () => ctx.store.put(record);
  }
  return () => ctx.state?.apply(patch);
}

/** Replacing keys and data by a document the sandbox holds (it was checked when it was first loaded). */
export async function prepareDocument(ctx: DocumentContext, document: StateDocument, at: Date): Promise<() => void> {
  const prepared = await prepareState(ctx, document, at);
  if ('problem' in prepared)
    throw new StoreUnavailableError(`the sandbox's state document in Redis is wrong: ${prepared.problem}`);
  return () => prepared.commit();
}

/** Going back to the initial state: the fixture keys (built now), no data. */
export async function prepareInitial(ctx: DocumentContext): Promise<() => void> {
  const records = await ctx.store.fixtureRecords();
  return () => {
    ctx.store.replaceAll(records);
    ctx.state?.reset();
  };
}
