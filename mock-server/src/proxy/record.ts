/**
 * `proxy --record <file>`: what the real API returned, kept as a state document the mock loads with `--seed`
 * (the format of `GET /__mock/state`, mock-server/src/state/document.ts), so a team can start the mock from
 * real data.
 *
 * - By account: each key that got a success is one account (`recorded-1`, `recorded-2`… in the order first seen);
 *   the document lists the key by its masked prefix and SHA-256 digest, never whole, so the same key works
 *   against the mock started from the file. Its scopes are unknown: it gets the admin scope where the API has
 *   scopes.
 * - Ids kept: every record is stored as the API showed it, under its own id. A list's items, a read, a create
 *   and an update put the record in (the latest wins); a delete takes it out. A singleton (TVM `shop`) is its
 *   latest read or update.
 * - Only answers that passed the body check are kept: a record off the contract would make the document fail
 *   to load.
 *
 * Which collection an operation touches comes from its path (`/v1/offers/{id}` → `offers`); nothing here names
 * a resource of either API.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { maskKey } from '../auth/index.ts';
import { apiModel, type ApiName, type OperationModel } from '../model/index.ts';
import { dialectFor } from './mock-parts.ts';

interface Account {
  name: string;
  prefix: string;
  digest: string;
  /** Per collection, records by id (insertion order kept). */
  collections: Map<string, Map<string, unknown>>;
  singletons: Map<string, unknown>;
}

export interface RecordedExchange {
  op: OperationModel;
  /** The whole key presented (hashed here, never kept). */
  key: string;
  status: number;
  /** The parsed answer body. */
  body: unknown;
  /** The path's id, for an item operation. */
  pathId?: string;
}

/** The resource an operation touches: its path's last literal segment, and whether it is a collection. */
function resourceOf(
  op: OperationModel,
  collectionPaths: Set<string>,
): { name: string; collection: boolean; item: boolean } {
  const segments = op.path.split('/').filter(Boolean);
  const item = segments.at(-1)!.startsWith('{');
  const base = `/${(item ? segments.slice(0, -1) : segments).join('/')}`;
  return { name: base.split('/').pop()!, collection: item || collectionPaths.has(base), item };
}

export class StateRecorder {
  readonly #api: ApiName;
  readonly #accounts = new Map<string, Account>();
  readonly #collectionPaths: Set<string>;
  readonly #dataOf: (body: unknown) => unknown;

  constructor(api: ApiName) {
    this.#api = api;
    const model = apiModel(api);
    // A path is a collection's when an item path hangs below it.
    this.#collectionPaths = new Set(
      model.operations
        .filter((op) => op.path.split('/').at(-1)!.startsWith('{'))
        .map((op) => op.path.slice(0, op.path.lastIndexOf('/'))),
    );
    this.#dataOf = (body) => dialectFor(model).dataOf(body);
  }

  #account(key: string): Account {
    const digest = createHash('sha256').update(key).digest('hex');
    let account = this.#accounts.get(digest);
    if (!account) {
      account = {
        name: `recorded-${this.#accounts.size + 1}`,
        prefix: maskKey(key, apiModel(this.#api).keyFormat.prefix),
        digest,
        collections: new Map(),
        singletons: new Map(),
      };
      this.#accounts.set(digest, account);
    }
    return account;
  }

  /** One success the API answered (the caller checked the body against the contract). */
  observe({ op, key, status, body, pathId }: RecordedExchange): void {
    if (status < 200 || status >= 300 || !apiModel(this.#api).keyFormat.pattern.test(key)) return;
    const resource = resourceOf(op, this.#collectionPaths);
    const account = this.#account(key);
    const data = this.#dataOf(body) as any;
    if (!resource.collection) {
      if (op.method === 'GET' || op.method === 'PUT' || op.method === 'PATCH')
        account.singletons.set(resource.name, data);
      return;
    }
    let records = account.collections.get(resource.name);
    if (!records) account.collections.set(resource.name, (records = new Map()));
    if (op.method === 'DELETE') {
      if (pathId !== undefined) records.delete(pathId);
      return;
    }
    const items: unknown[] =
      !resource.item && op.method === 'GET'
        ? Array.isArray(data?.items)
          ? data.items
          : Array.isArray(data)
            ? data
            : []
        : [data];
    for (const item of items) {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id === 'string') records.set(id, item);
    }
  }

  /** The state document (`--seed`): keys as digest and masked prefix, each account's records. */
  document(at = new Date()): Record<string, unknown> {
    const model = apiModel(this.#api);
    const accounts = [...this.#accounts.values()];
    return {
      version: 1,
      api: this.#api,
      exported_at: at.toISOString(),
      keys: accounts.map((account, index) => ({
        id: `key_recorded_${index + 1}`,
        name: `Recorded key ${account.prefix}`,
        prefix: account.prefix,
        digest: account.digest,
        ...(model.adminScope && { scopes: [model.adminScope] }),
        account: account.name,
      })),
      accounts: Object.fromEntries(
        accounts.map((account) => [
          account.name,
          {
            ...Object.fromEntries(account.singletons),
            ...Object.fromEntries([...account.collections].map(([name, records]) => [name, [...records.values()]])),
          },
        ]),
      ),
    };
  }

  write(file: string): void {
    writeFileSync(file, `${JSON.stringify(this.document(), null, 2)}\n`);
  }
}
