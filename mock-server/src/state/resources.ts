/**
 * The resources an API's operations describe, found by the shape of their paths, so a new resource of a
 * known shape needs no edit in the stateful layer:
 * - a collection: `GET /things` (list) and `POST /things` (create), with `GET` (read), `PUT`/`PATCH` (update)
 *   and `DELETE` (delete) on `/things/{id}`;
 * - a singleton: `GET` (read) and `PUT`/`PATCH` (update) on a path with no parameter and no `/{id}` below it.
 * Any other operation is returned as unplaced; the stateful mock refuses to start while one is left.
 */
import type { OperationModel } from '../model/types.ts';

export type Action = 'list' | 'create' | 'read' | 'update' | 'delete';

export interface Resource {
  /** The collection path (`/v1/offers`) or the singleton's (`/v1/shop`). */
  path: string;
  kind: 'collection' | 'singleton';
  operations: Partial<Record<Action, OperationModel>>;
}

export interface ResourceMap {
  resources: Resource[];
  /** Which resource and action each placed operation is. */
  placed: Map<OperationModel, { resource: Resource; action: Action }>;
  /** Operations of no known shape. */
  unplaced: OperationModel[];
}

const ITEM_PATH = /^(\/[^{}]*[^/{}])\/\{[^{}/]+\}$/;
const COLLECTION_ACTIONS: Record<string, Action> = { GET: 'list', POST: 'create' };
const ITEM_ACTIONS: Record<string, Action> = { GET: 'read', PUT: 'update', PATCH: 'update', DELETE: 'delete' };
const SINGLETON_ACTIONS: Record<string, Action> = { GET: 'read', PUT: 'update', PATCH: 'update' };

export function mapResources(operations: readonly OperationModel[]): ResourceMap {
  const collections = new Set(
    operations.map((op) => ITEM_PATH.exec(op.path)?.[1]).filter((path): path is string => path !== undefined),
  );
  const byPath = new Map<string, Resource>();
  const placed: ResourceMap['placed'] = new Map();
  const unplaced: OperationModel[] = [];
  for (const op of operations) {
    const itemOf = ITEM_PATH.exec(op.path)?.[1];
    const path = itemOf ?? op.path;
    const kind = itemOf !== undefined || collections.has(op.path) ? 'collection' : 'singleton';
    const action = (
      itemOf !== undefined ? ITEM_ACTIONS : kind === 'collection' ? COLLECTION_ACTIONS : SINGLETON_ACTIONS
    )[op.method];
    const resource = byPath.get(path) ?? { path, kind, operations: {} };
    if (!action || path.includes('{') || resource.operations[action]) {
      unplaced.push(op);
      continue;
    }
    byPath.set(path, resource);
    resource.operations[action] = op;
    placed.set(op, { resource, action });
  }
  return { resources: [...byPath.values()], placed, unplaced };
}
