/**
 * The stateful layer both APIs share: per account, a collection of records per resource the spec describes
 * (resources.ts finds them, record-plan.ts reads what a record holds, list-plan.ts how a list filters and pages
 * and what a delete answers), created, read, listed, updated and deleted by the named handlers below, and kept
 * in state documents (snapshot, prepare, apply, insert). Everything one API does differently (who owns a record,
 * what is unique, how ids, slugs and timestamps are set, singletons such as TVM's shop) has one home: its
 * `StateRules` (mvo.ts, tvm.ts).
 *
 * Public types, then the handlers (each a plain function of the state, the collection, the account and the
 * request, importable and tested on its own: skeleton.test.ts), then accounts and state documents, then
 * `createApiState`, which builds a state from the spec and a set of rules.
 */
import { DEFAULT_ACCOUNT } from '../model/accounts.ts';
import type { ApiModel, JsonSchema, OperationModel } from '../model/types.ts';
import type { Dialect } from '../pipeline/dialect.ts';
import type { ChangeSink } from '../store/patch.ts';
import { deletedAnswer, listPage, listPlan, type ListPlan } from './list-plan.ts';
import type { IdSource } from './random.ts';
import { recordPlan, type PlanSource, type RecordPlan } from './record-plan.ts';
import { mapResources, type Action, type Resource } from './resources.ts';
import { changeReporter, describeCollections, firstExample, idMaker, resourceName, type IdMaker } from './shared.ts';
import type { AccountData, ApiState, InsertRequest, StateAnswer, StateRequest } from './types.ts';

// ── Public types ──

export type Row = Record<string, any> & { id: string };

/** What every account holds: its name (the key's `account`) and its records, per collection name. */
export interface AccountRecords {
  account: string;
  records: Map<string, Map<string, Row>>;
}

/** One collection (`/v1/offers`) as read from the spec at start-up. */
export interface Collection {
  resource: Resource;
  /** Its name in state documents (`offers`). */
  name: string;
  /** The record as the API shows it (its read's success data). */
  record: JsonSchema;
  plan: RecordPlan;
  ids: IdMaker;
  /** The name of the item path's parameter (`id`). */
  param: string;
  /** How its list filters and pages, when it has a list operation. */
  list?: ListPlan;
  /** The data a delete answers (none: the documented example, or an empty body). */
  deleted(row: Row): Record<string, unknown> | undefined;
}

/** A new record's values, or why it cannot be made (`problem`: the refusal in words, for generated data). */
export type Creation = { values: Record<string, unknown> } | { refused: StateAnswer; problem: string };

/** Answers an operation of a resource that is not a collection (TVM's shop profile). */
export type AccountHandler<A extends AccountRecords> = (
  state: State<A>,
  account: A,
  request: StateRequest,
) => StateAnswer;

/**
 * Everything one API's stateful layer does differently, in one place per API (mvo.ts, tvm.ts). The skeleton calls
 * these at fixed points; an optional hook left out does nothing.
 */
export interface StateRules<A extends AccountRecords> {
  /** Record fields these rules set (ids, owners, slugs, timestamps): record-plan.ts leaves them alone. */
  readonly computed: readonly string[];
  /** How the server rewrites a submitted value, by field (TVM upper-cases voucher codes). */
  readonly rewrite?: PlanSource['rewrite'];
  /** What a request for an unknown item answers. */
  readonly notFound: StateAnswer;
  /** Set when item ids are unique across accounts (TVM: "shops"), else within an account. */
  readonly idsUniqueAcross?: string;
  /** Whether the control API's review route may move items between statuses. */
  readonly reviews: boolean;
  /** The account fields of a state document besides the collections (MVO `seller_id`, TVM `shop`), by schema (after `start`). */
  accountProperties(): Record<string, JsonSchema>;

  /** Reads what the rules need from the collections and the other resources (singletons); pushes problems. */
  start(
    spec: {
      collections: readonly Collection[];
      others: readonly Resource[];
      seeds: readonly (readonly [Collection, Row])[];
    },
    problems: string[],
  ): void;
  /** The handler of an operation on a resource that is not a collection; undefined: the rules have none. */
  otherHandler?(resource: Resource, action: Action): AccountHandler<A> | undefined;
  /** A new, empty account (the default one before the spec's examples are stored in it). */
  newAccount(name: string, records: AccountRecords['records']): A;
  /** A seeded example as the default account holds it. */
  seed?(account: A, row: Row): Row;
  /** An account from a state document's data (its records are added afterwards). */
  accountFrom(name: string, data: AccountData, records: AccountRecords['records']): A;
  /** The account's own fields in a state document (`accountProperties`). */
  accountFields(account: A): AccountData;
  /** What a listed record in a state document breaks (besides a repeated id), or undefined. */
  refuseListed?(account: A, collection: Collection, row: Row, where: string): string | undefined;
  /** The computed values of a new record (its id aside), or why it is refused. */
  creating(collection: Collection, account: A, body: any, at: Date): Creation;
  /** Fills what depends on the new record itself (a slug); `source`: where random parts come from. */
  created?(collection: Collection, account: A, row: Row, source: IdSource): void;
  /** Checks and applies what an update changes besides its fields; an answer refuses it. */
  updating?(collection: Collection, account: A, row: Row, body: any): StateAnswer | undefined;
  /** Sets what follows a change (timestamps, a mirrored flag). */
  touch(collection: Collection, row: Row, at: Date): void;
  /** Told of every record stored or removed (an index of unique values, the names of a shop). */
  stored?(account: A, collection: Collection, row: Row): void;
  removed?(account: A, collection: Collection, row: Row): void;
  /** The body generated data is created from (TVM ties content to the key's shop). */
  insertBody?(collection: Collection, account: A, body: Record<string, unknown>): Record<string, unknown>;
  /** Applies a singleton another replica changed. */
  applySingleton?(account: A, resource: string, value: Record<string, unknown>): void;
}

/** A stateful layer's data and what it was built from: what every handler below works on. */
export interface State<A extends AccountRecords> {
  /** The API's title, for messages. */
  title: string;
  rules: StateRules<A>;
  report: ReturnType<typeof changeReporter>;
  ids: IdSource;
  /** The collections by name. */
  collections: Map<string, Collection>;
  accounts: Map<string, A>;
  /** The spec's examples the default account starts with. */
  seeds: readonly (readonly [Collection, Row])[];
}

/** Answers one operation on a collection for an account. */
export type CollectionHandler = <A extends AccountRecords>(
  state: State<A>,
  collection: Collection,
  account: A,
  request: StateRequest,
) => StateAnswer;

// ── Records ──

/** Stores a record (new or changed) and tells the rules. */
export function store<A extends AccountRecords>(state: State<A>, account: A, collection: Collection, row: Row): void {
  account.records.get(collection.name)!.set(row.id, row);
  state.rules.stored?.(account, collection, row);
}

/** Takes a record out for good and tells the rules. */
export function unstore<A extends AccountRecords>(state: State<A>, account: A, collection: Collection, row: Row): void {
  account.records.get(collection.name)!.delete(row.id);
  state.rules.removed?.(account, collection, row);
}

/**
 * Changes a stored record in place: the rules forget its old values, then learn its new ones. It keeps its place
 * in the collection (lists are newest first by the order records were made, not changed).
 */
export function change<A extends AccountRecords>(
  state: State<A>,
  account: A,
  collection: Collection,
  row: Row,
  edit: () => void,
): void {
  state.rules.removed?.(account, collection, row);
  edit();
  store(state, account, collection, row);
}

/**
 * The account, collection and record that hold an id, across accounts: for the review route and the id check of
 * a create. A search of the few accounts rather than an index of every record: an index is one more insert into a
 * map as large as all the data on every create, which measurably slowed creates under load.
 */
export function ownerOf<A extends AccountRecords>(
  state: State<A>,
  id: string,
): { account: A; collection: Collection; row: Row } | undefined {
  for (const account of state.accounts.values()) {
    for (const collection of state.collections.values()) {
      const row = account.records.get(collection.name)!.get(id);
      if (row) return { account, collection, row };
    }
  }
  return undefined;
}

/** A new record as a create makes it (stored and reported), or the refusal. `source`: where its id comes from. */
export function newRecord<A extends AccountRecords>(
  state: State<A>,
  collection: Collection,
  account: A,
  body: any,
  at: Date,
  source: IdSource = state.ids,
): Row | Extract<Creation, { refused: StateAnswer }> {
  const creation = state.rules.creating(collection, account, body, at);
  if ('refused' in creation) return creation;
  let id = collection.ids.next(source);
  // A seeded source replayed in the same mock would repeat ids.
  const taken = (candidate: string) =>
    state.rules.idsUniqueAcross
      ? ownerOf(state, candidate) !== undefined
      : account.records.get(collection.name)!.has(candidate);
  while (source.repeatable && taken(id)) id = collection.ids.next(source);
  const row = collection.plan.create(body, { ...creation.values, id }) as Row;
  state.rules.created?.(collection, account, row, source);
  store(state, account, collection, row);
  state.report.record(account.account, collection.name, row.id, row);
  return row;
}

/** The success status of a create: the create's documented one; generated data in a collection the API cannot create in answers as its read. */
function createdStatus(collection: Collection): number {
  const { create, read } = collection.resource.operations;
  return (create ?? read!).successStatus;
}

/** The record the path names, or undefined. */
function itemOf<A extends AccountRecords>(collection: Collection, account: A, request: StateRequest): Row | undefined {
  return account.records.get(collection.name)!.get(request.params[collection.param]);
}

// ── Handlers: one per action of a collection ──

export const createItem: CollectionHandler = (state, collection, account, { body, at }) => {
  const row = newRecord(state, collection, account, body, at);
  return 'refused' in row ? row.refused : { status: createdStatus(collection), data: row };
};

export const readItem: CollectionHandler = (state, collection, account, request) => {
  const row = itemOf(collection, account, request);
  return row ? { status: request.op.successStatus, data: row } : state.rules.notFound;
};

export const listItems: CollectionHandler = (_state, collection, account, { op, query }) => ({
  status: op.successStatus,
  data: listPage(collection.list!, account.records.get(collection.name)!.values(), query),
});

export const updateItem: CollectionHandler = (state, collection, account, request) => {
  const row = itemOf(collection, account, request);
  if (!row) return state.rules.notFound;
  const { body, at } = request;
  const refused = state.rules.updating?.(collection, account, row, body);
  if (refused) return refused;
  change(state, account, collection, row, () => {
    collection.plan.update(row, body);
    state.rules.touch(collection, row, at);
  });
  state.report.record(account.account, collection.name, row.id, row);
  return { status: request.op.successStatus, data: row };
};

export const deleteItem: CollectionHandler = (state, collection, account, request) => {
  const row = itemOf(collection, account, request);
  if (!row) return state.rules.notFound;
  unstore(state, account, collection, row);
  state.report.record(account.account, collection.name, row.id, null);
  const data = collection.deleted(row);
  return data === undefined ? { status: request.op.successStatus } : { status: request.op.successStatus, data };
};

export const COLLECTION_HANDLERS: Record<Action, CollectionHandler> = {
  create: createItem,
  read: readItem,
  list: listItems,
  update: updateItem,
  delete: deleteItem,
};

// ── Accounts and state documents ──

function emptyRecords<A extends AccountRecords>(state: State<A>): AccountRecords['records'] {
  return new Map([...state.collections.keys()].map((name) => [name, new Map<string, Row>()]));
}

/** One account's data as a state document shows it. */
export function accountData<A extends AccountRecords>(state: State<A>, account: A): AccountData {
  const data = state.rules.accountFields(account);
  for (const name of state.collections.keys()) data[name] = [...account.records.get(name)!.values()];
  return data;
}

/** The account's data, made on first use (the default account seeded with the spec's examples) and reported. */
export function accountOf<A extends AccountRecords>(state: State<A>, name: string): A {
  let account = state.accounts.get(name);
  if (!account) {
    account = state.rules.newAccount(name, emptyRecords(state));
    if (name === DEFAULT_ACCOUNT) {
      for (const [collection, seed] of state.seeds) {
        const row = structuredClone(seed);
        store(state, account, collection, state.rules.seed?.(account, row) ?? row);
      }
    }
    state.accounts.set(name, account);
    state.report.account(name, accountData(state, account));
  }
  return account;
}

/** Every account's data, the default account (seeded, touched or not) first, then the others in the order they were made. */
export function snapshot<A extends AccountRecords>(state: State<A>): Record<string, AccountData> {
  accountOf(state, DEFAULT_ACCOUNT);
  const accounts: Record<string, AccountData> = {};
  for (const [name, account] of [...state.accounts].sort(
    ([a], [b]) => Number(b === DEFAULT_ACCOUNT) - Number(a === DEFAULT_ACCOUNT),
  ))
    accounts[name] = accountData(state, account);
  return accounts;
}

/** One account from its data in a state document (`seen`: ids already used in other accounts); the problem when the data breaks a rule. */
export function accountFrom<A extends AccountRecords>(
  state: State<A>,
  name: string,
  data: AccountData,
  seen: Set<string>,
): A | { problem: string } {
  const account = state.rules.accountFrom(name, data, emptyRecords(state));
  const across = state.rules.idsUniqueAcross;
  for (const [collectionName, collection] of state.collections) {
    for (const [index, listed] of ((data[collectionName] as Row[] | undefined) ?? []).entries()) {
      const where = `accounts/${name}/${collectionName}/${index}`;
      if (across ? seen.has(listed.id) : account.records.get(collectionName)!.has(listed.id)) {
        return {
          problem: `${where}/id ${listed.id} is used twice ${across ? `(item ids are unique across ${across})` : 'in the account'}`,
        };
      }
      const problem = state.rules.refuseListed?.(account, collection, listed, where);
      if (problem) return { problem };
      store(state, account, collection, structuredClone(listed));
      seen.add(listed.id);
    }
  }
  return account;
}

/** Checks a state document's accounts; nothing changes until `commit`. */
export function prepare<A extends AccountRecords>(
  state: State<A>,
  accounts: Record<string, AccountData>,
): { problem: string } | { commit(): void } {
  const next = new Map<string, A>();
  const seen = new Set<string>();
  for (const [name, data] of Object.entries(accounts)) {
    const account = accountFrom(state, name, data, seen);
    if ('problem' in account) return account;
    next.set(name, account);
  }
  return {
    commit() {
      state.accounts.clear();
      for (const [name, account] of next) state.accounts.set(name, account);
    },
  };
}

/** A change another replica made and reported (store/redis/): applied as it was made, not reported again. */
export function applyPatch<A extends AccountRecords>(state: State<A>, patch: Parameters<ApiState['apply']>[0]): void {
  if ('data' in patch) {
    const account = accountFrom(state, patch.account, patch.data, new Set());
    if (!('problem' in account)) state.accounts.set(patch.account, account);
    return;
  }
  let account = state.accounts.get(patch.account);
  if (!account) {
    // Made from what the patch shows of it (MVO: the record's seller_id).
    const data = 'id' in patch && patch.value ? { [patch.resource]: [patch.value] } : {};
    state.accounts.set(patch.account, (account = state.rules.accountFrom(patch.account, data, emptyRecords(state))));
  }
  if (!('id' in patch)) {
    state.rules.applySingleton?.(account, patch.resource, patch.value);
    return;
  }
  const collection = state.collections.get(patch.resource);
  if (!collection) return;
  const old = account.records.get(collection.name)!.get(patch.id);
  if (!patch.value) {
    if (old) unstore(state, account, collection, old);
    return;
  }
  if (old) state.rules.removed?.(account, collection, old);
  store(state, account, collection, structuredClone(patch.value) as Row); // in the old one's place, as on the replica that made it
}

/** Adds a record as a create would, then sets the server-set fields in `extra` (generated data). */
export function insert<A extends AccountRecords>(
  state: State<A>,
  { account: name, collection: collectionName, body, extra, at, ids }: InsertRequest,
): { item: Record<string, unknown> } | { problem: string } {
  const collection = state.collections.get(collectionName);
  if (!collection) return { problem: `${state.title} has no collection ${collectionName}` };
  const account = accountOf(state, name);
  const row = newRecord(
    state,
    collection,
    account,
    state.rules.insertBody?.(collection, account, body) ?? body,
    at,
    ids,
  );
  if ('refused' in row) return { problem: `${collectionName}: ${row.problem}` };
  change(state, account, collection, row, () => {
    Object.assign(row, extra);
    state.rules.touch(collection, row, at);
  });
  state.report.record(name, collectionName, row.id, row);
  return { item: row };
}

/** Moves an item to a status (the control API's review route); the item, or undefined when no item has this id. */
export function review<A extends AccountRecords>(
  state: State<A>,
  id: string,
  status: string,
  at: Date,
): Row | undefined {
  accountOf(state, DEFAULT_ACCOUNT); // seeds the default account, whose items are reviewable before any request
  const owner = ownerOf(state, id);
  if (!owner) return undefined;
  owner.row.status = status;
  state.rules.touch(owner.collection, owner.row, at);
  state.report.record(owner.account.account, owner.collection.name, id, owner.row);
  return owner.row;
}

// ── Building a state from the spec ──

/** Reads the collections of an API's resources; the other resources (singletons) are left to the rules. */
export function readCollections(
  model: ApiModel,
  dialect: Dialect,
  ids: IdSource,
  rules: Pick<StateRules<AccountRecords>, 'computed' | 'rewrite'>,
  problems: string[],
) {
  const collections = new Map<string, Collection>();
  const others: Resource[] = [];
  const seeds: [Collection, Row][] = [];
  const map = mapResources(model.operations);
  for (const resource of map.resources) {
    const read = resource.operations.read;
    const record = dialect.dataSchema(read?.responses.get(read.successStatus)?.schema);
    if (!read || !record) {
      problems.push(`${resource.path} has no read operation with a documented success schema`);
      continue;
    }
    if (resource.kind !== 'collection') {
      others.push(resource);
      continue;
    }
    const name = `${model.api} ${resource.path}`;
    const { create, update, list, delete: remove } = resource.operations;
    const dataOf = (op: OperationModel | undefined) =>
      op && dialect.dataSchema(op.responses.get(op.successStatus)?.schema);
    try {
      const collection: Collection = {
        resource,
        name: resourceName(resource.path),
        record,
        plan: recordPlan({
          name,
          record,
          create: create?.requestBody?.schema,
          createExample:
            create && (dialect.dataOf(firstExample(create, create.successStatus)) as Record<string, any> | undefined),
          update: update?.requestBody?.schema,
          computed: rules.computed,
          rewrite: rules.rewrite,
        }),
        ids: idMaker(name, (record.properties as Record<string, JsonSchema> | undefined)?.id, ids),
        param: read.parameters.find((p) => p.in === 'path')?.name ?? 'id',
        list: list && listPlan({ list, data: dataOf(list), record, rewrite: rules.rewrite }, problems),
        deleted: deletedAnswer(name, dataOf(remove), record, problems),
      };
      collections.set(collection.name, collection);
      const seed = dialect.dataOf(firstExample(read, read.successStatus)) as Row | undefined;
      if (seed) seeds.push([collection, seed]);
    } catch (cause) {
      problems.push((cause as Error).message);
    }
  }
  return { collections, others, seeds, placed: map.placed };
}

/** An empty state read from the spec and started with its rules (the problems found stop it, named); `placed`: what each operation is. */
export function buildState<A extends AccountRecords>(
  model: ApiModel,
  dialect: Dialect,
  ids: IdSource,
  rules: StateRules<A>,
  changes?: ChangeSink,
) {
  const problems: string[] = [];
  const { collections, others, seeds, placed } = readCollections(model, dialect, ids, rules, problems);
  rules.start({ collections: [...collections.values()], others, seeds }, problems);
  if (problems.length) throw new Error(`${model.title}: the stateful mock cannot start: ${problems.join('; ')}`);
  const state: State<A> = {
    title: model.title,
    rules,
    report: changeReporter(model.api, changes),
    ids,
    collections,
    accounts: new Map(),
    seeds,
  };
  return { state, placed };
}

/** A stateful layer for an API: its collections read from the spec, its differences from `rules`. */
export function createApiState<A extends AccountRecords>(
  model: ApiModel,
  dialect: Dialect,
  ids: IdSource,
  rules: StateRules<A>,
  changes?: ChangeSink,
): ApiState {
  const { state, placed } = buildState(model, dialect, ids, rules, changes);
  const { collections } = state;

  const handlers = new Map<OperationModel, (account: A, request: StateRequest) => StateAnswer>();
  const byPath = new Map([...collections.values()].map((collection) => [collection.resource.path, collection]));
  for (const [op, { resource, action }] of placed) {
    const collection = byPath.get(resource.path);
    if (collection) {
      const handle = COLLECTION_HANDLERS[action];
      handlers.set(op, (account, request) => handle(state, collection, account, request));
    } else {
      const handle = rules.otherHandler?.(resource, action);
      if (handle) handlers.set(op, (account, request) => handle(state, account, request));
    }
  }

  const { infos } = describeCollections(collections.values(), dialect, rules.computed);
  const accountSchema = {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...rules.accountProperties(),
      ...Object.fromEntries(infos.map((info) => [info.name, { type: 'array', items: info.record }])),
    },
  };
  return {
    collections: infos,
    accountSchema,
    snapshot: () => snapshot(state),
    prepare: (accounts) => prepare(state, accounts),
    apply: (patch) => applyPatch(state, patch),
    insert: (request) => insert(state, request),
    serves: (op) => handlers.has(op),
    handle(request) {
      return handlers.get(request.op)?.(accountOf(state, request.account), request);
    },
    ...(rules.reviews && { review: (id: string, status: string, at: Date) => review(state, id, status, at) }),
    reset: () => state.accounts.clear(),
  };
}
