/**
 * MVO data, per seller account: a collection per resource the spec describes (customers: create, get, partial
 * update, delete; resources.ts finds them, record-plan.ts reads what a customer holds, assumptions MVO-A3, A4,
 * A8). An email is unique within an account (409). The default account is seeded with the spec's example
 * customer; any other account starts empty.
 */
import type { ApiModel, JsonSchema, OperationModel } from '../model/types.ts';
import { DEFAULT_ACCOUNT } from '../model/accounts.ts';
import { isoTimestamp } from '../model/timestamps.ts';
import type { Dialect } from '../pipeline/dialect.ts';
import type { IdSource } from './random.ts';
import { recordPlan, type RecordPlan } from './record-plan.ts';
import { mapResources, type Resource } from './resources.ts';
import { changeReporter, describeCollections, firstExample, idMaker, resourceName, type IdMaker, type StateHandler } from './shared.ts';
import type { ChangeSink } from '../store/patch.ts';
import type { AccountData, ApiState, StateAnswer } from './types.ts';

type Row = Record<string, any> & { id: string };

interface Seller {
  /** The account's name (the key's `account`). */
  account: string;
  sellerId: string;
  /** Records per collection path. */
  records: Map<string, Map<string, Row>>;
  /**
   * Per collection path, the id of the row holding each lower-cased UNIQUE_FIELD value: a create or update checks
   * uniqueness in one lookup instead of reading every row (which made a load test of creates slow down as it ran).
   */
  unique: Map<string, Map<string, string>>;
}

interface Collection {
  resource: Resource;
  /** Its name in state documents (`customers`). */
  name: string;
  plan: RecordPlan;
  ids: IdMaker;
  param: string;
}

/** Set by this module, not by the plan: identity, owner, timestamps. */
const COMPUTED = ['id', 'seller_id', 'created_at', 'updated_at'];
/** Unique within a seller account, compared case-insensitively (CustomerCreate.email: "unique within your account"). */
const UNIQUE_FIELD = 'email';

export function createMvoState(model: ApiModel, dialect: Dialect, ids: IdSource, changes?: ChangeSink): ApiState {
  const report = changeReporter(model.api, changes);
  const map = mapResources(model.operations);
  const problems: string[] = [];
  const collections = new Map<string, Collection>();
  const seeds: [Collection, Row][] = [];
  for (const resource of map.resources) {
    const read = resource.operations.read;
    const record = dialect.dataSchema(read?.responses.get(read.successStatus)?.schema);
    if (resource.kind !== 'collection' || !read || !record) {
      problems.push(`${resource.path} is not a collection with a documented read operation`);
      continue;
    }
    const create = resource.operations.create;
    try {
      const collection: Collection = {
        resource,
        name: resourceName(resource.path),
        plan: recordPlan({
          name: `mvo ${resource.path}`,
          record,
          create: create?.requestBody?.schema,
          createExample: create && (dialect.dataOf(firstExample(create, create.successStatus)) as Record<string, any> | undefined),
          update: resource.operations.update?.requestBody?.schema,
          computed: COMPUTED,
        }),
        ids: idMaker(`mvo ${resource.path}`, (record.properties as Record<string, JsonSchema> | undefined)?.id, ids),
        param: read.parameters.find((p) => p.in === 'path')?.name ?? 'id',
      };
      collections.set(resource.path, collection);
      const seed = dialect.dataOf(firstExample(read, read.successStatus)) as Row | undefined;
      if (seed) seeds.push([collection, seed]);
    } catch (cause) {
      problems.push((cause as Error).message);
    }
  }
  if (problems.length) throw new Error(`${model.title}: the stateful mock cannot start: ${problems.join('; ')}`);
  const seededSellerId = seeds.map(([, seed]) => seed.seller_id).find((id) => typeof id === 'string');

  const sellers = new Map<string, Seller>();
  const newSeller = (account: string, sellerId: string): Seller => ({
    account,
    sellerId,
    records: new Map([...collections.keys()].map((path) => [path, new Map()])),
    unique: new Map([...collections.keys()].map((path) => [path, new Map()])),
  });
  /** Whether another row of the collection holds this value of the unique field (compared case-insensitively). */
  const taken = (seller: Seller, path: string, value: unknown, except?: string) => {
    if (typeof value !== 'string') return false;
    const holder = seller.unique.get(path)!.get(value.toLowerCase());
    return holder !== undefined && holder !== except;
  };
  /** Stores a row and indexes its unique field. */
  const put = (seller: Seller, path: string, row: Row) => {
    seller.records.get(path)!.set(row.id, row);
    if (typeof row[UNIQUE_FIELD] === 'string') seller.unique.get(path)!.set(row[UNIQUE_FIELD].toLowerCase(), row.id);
  };
  const unindex = (seller: Seller, path: string, row: Row) => {
    const index = seller.unique.get(path)!;
    if (typeof row[UNIQUE_FIELD] === 'string' && index.get(row[UNIQUE_FIELD].toLowerCase()) === row.id) index.delete(row[UNIQUE_FIELD].toLowerCase());
  };
  const sellerOf = (account: string): Seller => {
    let seller = sellers.get(account);
    if (!seller) {
      const seeded = account === DEFAULT_ACCOUNT;
      seller = newSeller(account, seeded && seededSellerId ? seededSellerId : ids.uuid());
      if (seeded) for (const [collection, seed] of seeds) put(seller, collection.resource.path, structuredClone(seed));
      sellers.set(account, seller);
      report.account(account, accountData(seller));
    }
    return seller;
  };

  /** A new row as a create makes it; undefined when its email is taken. `source`: where its id comes from. */
  const createRow = (collection: Collection, seller: Seller, body: any, at: Date, source?: IdSource): Row | undefined => {
    const path = collection.resource.path;
    const rows = seller.records.get(path)!;
    if (taken(seller, path, body[UNIQUE_FIELD])) return undefined;
    const stamp = isoTimestamp(at);
    let id = collection.ids.next(source);
    while (rows.has(id)) id = collection.ids.next(source); // a seeded source replayed in the same account
    const row = collection.plan.create(body, { id, seller_id: seller.sellerId, created_at: stamp, updated_at: stamp }) as Row;
    put(seller, path, row);
    report.record(seller.account, collection.name, row.id, row);
    return row;
  };

  const handlers = new Map<OperationModel, StateHandler<Seller>>();
  for (const [op, { resource, action }] of map.placed) {
    const collection = collections.get(resource.path)!;
    const success = op.successStatus;
    const rowsOf = (seller: Seller) => seller.records.get(resource.path)!;
    const withRow = (answer: (seller: Seller, row: Row, request: Parameters<StateHandler<Seller>>[1]) => StateAnswer): StateHandler<Seller> => (seller, request) => {
      const row = rowsOf(seller).get(request.params[collection.param]);
      return row ? answer(seller, row, request) : { status: 404 };
    };
    if (action === 'create') {
      handlers.set(op, (seller, { body, at }) => {
        const row = createRow(collection, seller, body, at);
        return row ? { status: success, data: row } : { status: 409 };
      });
    } else if (action === 'read') {
      handlers.set(op, withRow((_seller, row) => ({ status: success, data: row })));
    } else if (action === 'update') {
      handlers.set(op, withRow((seller, row, { body, at }) => {
        if (taken(seller, resource.path, body[UNIQUE_FIELD], row.id)) return { status: 409 };
        unindex(seller, resource.path, row);
        collection.plan.update(row, body);
        row.updated_at = isoTimestamp(at);
        put(seller, resource.path, row);
        report.record(seller.account, collection.name, row.id, row);
        return { status: success, data: row };
      }));
    } else if (action === 'delete') {
      handlers.set(op, withRow((seller, row) => {
        unindex(seller, resource.path, row);
        rowsOf(seller).delete(row.id);
        report.record(seller.account, collection.name, row.id, null);
        return { status: success };
      }));
    }
  }

  // ── State documents and generated data: every seller by account, checked and swapped in whole ──
  const { byName, recordOf, infos: collectionInfo } = describeCollections(collections.values(), dialect, COMPUTED);
  /** One seller's data as a state document shows it. */
  const accountData = (seller: Seller): AccountData => {
    const data: AccountData = { seller_id: seller.sellerId };
    for (const [name, collection] of byName) data[name] = [...seller.records.get(collection.resource.path)!.values()];
    return data;
  };
  const sellerIdSchema = (recordOf([...collections.values()][0])?.properties as Record<string, JsonSchema> | undefined)?.seller_id ?? { type: 'string' };
  const accountSchema = {
    type: 'object',
    additionalProperties: false,
    properties: { seller_id: sellerIdSchema, ...Object.fromEntries(collectionInfo.map((info) => [info.name, { type: 'array', items: info.record }])) },
  };

  const snapshot = (): Record<string, AccountData> => {
    sellerOf(DEFAULT_ACCOUNT); // the seeded example is part of the state, touched or not
    const accounts: Record<string, AccountData> = {};
    // The default account first, then the others in the order they were made.
    for (const [account, seller] of [...sellers].sort(([a], [b]) => Number(b === DEFAULT_ACCOUNT) - Number(a === DEFAULT_ACCOUNT))) accounts[account] = accountData(seller);
    return accounts;
  };

  /** One account's seller from its data in a state document; the problem when the data breaks a rule. */
  const sellerFrom = (account: string, data: AccountData): Seller | { problem: string } => {
    const listed = [...byName].flatMap(([name]) => ((data[name] as Row[] | undefined) ?? []).map((row, index) => ({ name, row, index })));
    // A seed file may leave seller_id out: its rows', else the seeded or a new one.
    const sellerId = (data.seller_id as string | undefined) ?? listed[0]?.row.seller_id ?? (account === DEFAULT_ACCOUNT && seededSellerId ? seededSellerId : ids.uuid());
    const seller = newSeller(account, sellerId);
    for (const { name, row, index } of listed) {
      const where = `accounts/${account}/${name}/${index}`;
      const path = byName.get(name)!.resource.path;
      if (row.seller_id !== sellerId) return { problem: `${where}/seller_id must be the account's seller_id ${sellerId}` };
      if (seller.records.get(path)!.has(row.id)) return { problem: `${where}/id ${row.id} is used twice in the account` };
      if (taken(seller, path, row[UNIQUE_FIELD])) return { problem: `${where}/${UNIQUE_FIELD} is used twice in the account (it is unique within an account)` };
      put(seller, path, structuredClone(row));
    }
    return seller;
  };

  const prepare = (accounts: Record<string, AccountData>): { problem: string } | { commit(): void } => {
    const next = new Map<string, Seller>();
    for (const [account, data] of Object.entries(accounts)) {
      const seller = sellerFrom(account, data);
      if ('problem' in seller) return seller;
      next.set(account, seller);
    }
    return {
      commit() {
        sellers.clear();
        for (const [account, seller] of next) sellers.set(account, seller);
      },
    };
  };

  /** A change another replica made and reported (store/redis/): applied as it was made, not reported again. */
  const apply: ApiState['apply'] = (patch) => {
    if ('data' in patch) {
      const seller = sellerFrom(patch.account, patch.data);
      if (!('problem' in seller)) sellers.set(patch.account, seller);
      return;
    }
    const collection = byName.get(patch.resource);
    if (!collection || !('id' in patch)) return; // MVO keeps no singletons
    let seller = sellers.get(patch.account);
    if (!seller) sellers.set(patch.account, (seller = newSeller(patch.account, (patch.value?.seller_id as string | undefined) ?? ids.uuid())));
    const path = collection.resource.path;
    const old = seller.records.get(path)!.get(patch.id);
    if (old) {
      unindex(seller, path, old);
      seller.records.get(path)!.delete(patch.id);
    }
    if (patch.value) put(seller, path, structuredClone(patch.value) as Row);
  };

  const insert: ApiState['insert'] = ({ account, collection: name, body, extra, at, ids: source }) => {
    const collection = byName.get(name);
    if (!collection) return { problem: `${model.title} has no collection ${name}` };
    const seller = sellerOf(account);
    const row = createRow(collection, seller, body, at, source);
    if (!row) return { problem: `${name}: the ${UNIQUE_FIELD} ${body[UNIQUE_FIELD]} is taken` };
    unindex(seller, collection.resource.path, row);
    Object.assign(row, extra);
    put(seller, collection.resource.path, row);
    report.record(account, name, row.id, row);
    return { item: row };
  };

  return {
    collections: collectionInfo,
    accountSchema,
    snapshot,
    prepare,
    apply,
    insert,
    serves: (op) => handlers.has(op),
    handle: (request) => handlers.get(request.op)?.(sellerOf(request.account), request),
    reset: () => sellers.clear(),
  };
}
