/**
 * Applies logged changes to the documents of a state file, as recovery at start does: the document, then each
 * log segment's patches in order. Every patch sets or removes a whole thing (a record, a key, an account, a
 * document), so replaying changes a document already holds leaves it as it was: a crash between writing a
 * compacted document and deleting the log it came from is harmless. Records are indexed by id while replaying,
 * so a long log over a large document costs one lookup per patch.
 */
import type { ApiName } from '../model/types.ts';
import type { DocumentKey, StateDocument } from '../state/document.ts';
import type { DocumentPatch, DocumentsByApi } from './patch.ts';

type Row = Record<string, unknown>;
/** One account's data: a collection by id, a singleton's record, or MVO's `seller_id`. */
type AccountIndex = Map<string, Map<string, Row> | Row | string>;

interface ApiIndex {
  /** The document's own fields other than keys and accounts (version, api, exported_at). */
  head: Omit<StateDocument, 'keys' | 'accounts'>;
  keys?: Map<string, DocumentKey>;
  accounts?: Map<string, AccountIndex>;
}

function indexAccount(data: Record<string, unknown>): AccountIndex {
  return new Map(
    Object.entries(data).map(([name, value]) => [
      name,
      Array.isArray(value) ? new Map((value as Row[]).map((row) => [row.id as string, row])) : (value as Row | string),
    ]),
  );
}

function indexDocument(document: StateDocument): ApiIndex {
  const { keys, accounts, ...head } = document;
  return {
    head,
    keys: keys && new Map(keys.map((key, index) => [key.id ?? `#${index}`, key])),
    accounts: accounts && new Map(Object.entries(accounts).map(([account, data]) => [account, indexAccount(data)])),
  };
}

function documentOf(index: ApiIndex): StateDocument {
  const document: StateDocument = { ...index.head } as StateDocument;
  if (index.keys) document.keys = [...index.keys.values()];
  if (index.accounts) {
    document.accounts = Object.fromEntries(
      [...index.accounts].map(([account, data]) => [
        account,
        Object.fromEntries(
          [...data].map(([name, value]) => [name, value instanceof Map ? [...value.values()] : value]),
        ),
      ]),
    );
  }
  return document;
}

export class Replay {
  readonly #apis = new Map<ApiName, ApiIndex>();

  constructor(documents: DocumentsByApi = {}) {
    for (const [api, document] of Object.entries(documents))
      this.#apis.set(api as ApiName, indexDocument(document as StateDocument));
  }

  #api(api: ApiName): ApiIndex {
    let index = this.#apis.get(api);
    if (!index) this.#apis.set(api, (index = { head: { api } }));
    return index;
  }

  apply(patch: DocumentPatch): void {
    if ('replace' in patch) {
      this.#apis.set(patch.api, indexDocument(patch.replace));
      return;
    }
    const index = this.#api(patch.api);
    if ('key' in patch) {
      const keys = (index.keys ??= new Map());
      if ('delete' in patch.key) keys.delete(patch.key.delete);
      else keys.set(patch.key.id!, patch.key);
      return;
    }
    const accounts = (index.accounts ??= new Map());
    if ('data' in patch) {
      accounts.set(patch.account, indexAccount(patch.data));
      return;
    }
    let account = accounts.get(patch.account);
    if (!account) accounts.set(patch.account, (account = new Map()));
    if (!('id' in patch)) {
      account.set(patch.resource, patch.value);
      return;
    }
    let rows = account.get(patch.resource);
    if (!(rows instanceof Map)) account.set(patch.resource, (rows = new Map()));
    if (patch.value === null) rows.delete(patch.id);
    else rows.set(patch.id, patch.value);
  }

  /** The documents now, by API. */
  documents(): DocumentsByApi {
    const documents: DocumentsByApi = {};
    for (const [api, index] of this.#apis) documents[api] = documentOf(index);
    return documents;
  }
}
