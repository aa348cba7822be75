/**
 * TVM data, per shop: the shop profile (the spec's singleton) and a collection per resource the spec describes
 * (offers, vouchers, content: resources.ts finds them, record-plan.ts reads what their records hold). Items are
 * created in the documented create example's status (`needs_review`: staff approve them, simulated by the
 * control API's review route), listed newest first with the documented filters and paging, and changed by
 * partial PUTs. The default shop is the shop profile's example, seeded with the items' examples (each tied to
 * it, whatever shop its example names: one story, assumption TVM-A19); any other account starts empty.
 */
import type { ApiModel, JsonSchema, OperationModel } from '../model/types.ts';
import { DEFAULT_ACCOUNT } from '../model/accounts.ts';
import { isoTimestamp } from '../model/timestamps.ts';
import type { Dialect } from '../pipeline/dialect.ts';
import { slugify, type IdSource } from './random.ts';
import { recordPlan, type RecordPlan } from './record-plan.ts';
import { mapResources, type Resource } from './resources.ts';
import { changeReporter, describeCollections, firstExample, idMaker, resourceName, type IdMaker, type StateHandler } from './shared.ts';
import type { ChangeSink } from '../store/patch.ts';
import type { AccountData, ApiState, StateAnswer, StateRequest } from './types.ts';

type Item = Record<string, any> & { id: string; status: string };
type ShopSummary = { id: string; slug: string; name: string };

interface Shop {
  /** The account's name (the key's `account`). */
  account: string;
  profile: Record<string, any> & { id: string; slug: string; name: string };
  /** Ids and slugs content may name this shop by (the seeded examples use several). */
  aliases: Set<string>;
  /** Items per collection path. */
  items: Map<string, Map<string, Item>>;
}

/** Per collection: how its records are made, and what the server derives from the body. */
interface Collection {
  resource: Resource;
  /** Its name in state documents (`offers`). */
  name: string;
  plan: RecordPlan;
  ids: IdMaker;
  /** The name of the item path's parameter (`id`). */
  param: string;
  /** The field a slug is made from (the shop slug, this field's slug, a random suffix). */
  slugFrom?: string;
  /** Whether a create or update names the item's shop (`shopId`/`shopSlug`, TVM-A13), else it is the key's. */
  namesShop: boolean;
  /** Whether `isActive` follows `status` (TVM-A10). */
  mirrorsStatus: boolean;
  listDefaults: { page: number; limit: number };
}

/** How each documented list filter matches an item; a list parameter missing here stops the mock at start-up. */
const FILTERS: Record<string, (item: Item, value: string) => boolean> = {
  status: (item, value) => item.status === value,
  code: (item, value) => item.code === value.toUpperCase(),
  contentType: (item, value) => item.contentType === value,
  active: (item, value) => item.isActive === (value === 'true'),
  shopId: (item, value) => item.shop?.id === value,
};
const FILTER_NAMES = Object.keys(FILTERS);
const PAGING = new Set(['page', 'limit']);
/** What the server does to a submitted value (Voucher.code: "upper-cased by the server"). */
const REWRITE = { code: (value: unknown) => String(value).toUpperCase() };
/** Set by this module, not by the plan: identity, owner, slug, timestamps. */
const COMPUTED = ['id', 'slug', 'shop', 'createdAt', 'updatedAt'];

/** The field a record's slug is made from: the slug property's `x-slug-from` (Offer: title, Voucher: code). */
function slugSource(name: string, slug: JsonSchema | undefined): string | undefined {
  if (!slug) return undefined;
  const from = slug['x-slug-from'];
  if (typeof from !== 'string') throw new Error(`${name}: its records have a slug but the slug property names no x-slug-from field`);
  return from;
}

/**
 * Every name the spec's examples give a shop: the `id` and `slug` of each `shop` they show, and each
 * `shopId` / `shopSlug` they send. The published pages call the caller's shop `shop_abc123` /
 * `example-store`, `shop_xyz` and `your-shop` (assumption TVM-A19): the default shop answers to all of them,
 * so each example runs as published, and is shown by its own (the Shop example's) names only.
 */
function exampleShopNames(model: ApiModel): Set<string> {
  const names = new Set<string>();
  const pending: unknown[] = model.operations.flatMap((op) => [...(op.requestBody?.examples ?? []), ...[...op.responses.values()].flatMap((response) => [...response.examples.values()])]);
  while (pending.length) {
    const value = pending.pop();
    if (!value || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'shopId' || key === 'shopSlug') && typeof child === 'string') names.add(child);
      else if (key === 'shop' && child && typeof child === 'object') {
        for (const name of [(child as ShopSummary).id, (child as ShopSummary).slug]) if (typeof name === 'string') names.add(name);
      }
      pending.push(child);
    }
  }
  return names;
}

/** The list's paging defaults, from its `page` and `limit` parameters (Page.yaml, Limit.yaml); missing ones are problems. */
function pagingDefaults(list: OperationModel, problems: string[]): { page: number; limit: number } {
  const paging = { page: 1, limit: 1 };
  for (const name of ['page', 'limit'] as const) {
    const value = list.parameters.find((p) => p.in === 'query' && p.name === name)?.schema.default;
    if (typeof value === 'number') paging[name] = value;
    else problems.push(`${list.operationId}: the query parameter ${name} needs a numeric default (lists are paged)`);
  }
  return paging;
}

export function createTvmState(model: ApiModel, dialect: Dialect, ids: IdSource, changes?: ChangeSink): ApiState {
  const report = changeReporter(model.api, changes);
  const map = mapResources(model.operations);
  const problems: string[] = [];
  const collections = new Map<string, Collection>();
  let profileResource: Resource | undefined;

  for (const resource of map.resources) {
    const read = resource.operations.read;
    const record = dialect.dataSchema(read?.responses.get(read.successStatus)?.schema);
    if (!read || !record) {
      problems.push(`${resource.path} has no read operation with a documented success schema`);
      continue;
    }
    if (resource.kind === 'singleton') {
      if (profileResource) problems.push(`${resource.path}: only one singleton (the shop) is known, ${profileResource.path} is already it`);
      profileResource = resource;
      continue;
    }
    const create = resource.operations.create;
    const createSchema = create?.requestBody?.schema;
    const createExample = create && (dialect.dataOf(firstExample(create, create.successStatus)) as Record<string, any> | undefined);
    const properties = (record.properties ?? {}) as Record<string, JsonSchema>;
    const list = resource.operations.list;
    for (const p of list?.parameters ?? []) {
      if (p.in === 'query' && !PAGING.has(p.name) && !FILTERS[p.name]) problems.push(`${list!.operationId}: no filter for the query parameter ${p.name} (add it to FILTERS in state/tvm.ts)`);
    }
    try {
      collections.set(resource.path, {
        resource,
        name: resourceName(resource.path),
        plan: recordPlan({ name: `tvm ${resource.path}`, record, create: createSchema, createExample, update: resource.operations.update?.requestBody?.schema, computed: COMPUTED, rewrite: REWRITE }),
        ids: idMaker(`tvm ${resource.path}`, properties.id, ids),
        param: resource.operations.read?.parameters.find((p) => p.in === 'path')?.name ?? 'id',
        slugFrom: slugSource(`tvm ${resource.path}`, properties.slug),
        namesShop: ['shopId', 'shopSlug'].some((field) => field in ((createSchema?.properties ?? {}) as object)),
        mirrorsStatus: 'isActive' in properties && 'status' in properties,
        listDefaults: list ? pagingDefaults(list, problems) : { page: 1, limit: 1 },
      });
    } catch (cause) {
      problems.push((cause as Error).message);
    }
  }
  // The documented answers the rules below name: an unknown item is NOT_FOUND, an unknown shop SHOP_NOT_FOUND.
  const documents = (op: OperationModel | undefined, name: string) => {
    if (op && !op.responses.get(404)?.examples.has(name)) problems.push(`${op.operationId}: the stateful mock answers its 404 "${name}" example, which it does not document`);
  };
  for (const { resource, namesShop } of collections.values()) {
    const { read, update, delete: remove, create } = resource.operations;
    for (const op of [read, update, remove]) documents(op, 'notFound');
    if (namesShop) for (const op of [create, update]) documents(op, 'shopNotFound');
  }
  if (!profileResource) problems.push('no singleton resource (the shop profile)');
  if (problems.length) throw new Error(`${model.title}: the stateful mock cannot start: ${problems.join('; ')}`);
  const profileRead = profileResource!.operations.read!;
  const profileSchema = dialect.dataSchema(profileRead.responses.get(profileRead.successStatus)!.schema)!;
  // A new shop is active with nothing set; only its identity comes from the account.
  const profileIds = idMaker(`tvm ${profileResource!.path}`, (profileSchema.properties as Record<string, JsonSchema>).id, ids, 10);
  const profilePlan = recordPlan({ name: `tvm ${profileResource!.path}`, record: profileSchema, update: profileResource!.operations.update?.requestBody?.schema, computed: ['id', 'slug', 'name', 'isActive'] });

  const profileName = resourceName(profileResource!.path);
  const standIns = exampleShopNames(model);
  const shops = new Map<string, Shop>();
  /**
   * The shop and collection that hold an item (item ids are unique across shops), for the review route and the
   * id check of a create. A search of the few shops rather than an index of every item: an index is one more
   * insert into a map as large as all the data on every create, which measurably slowed creates under load.
   */
  const ownerOf = (id: string): { shop: Shop; collection: Collection; item: Item } | undefined => {
    for (const shop of shops.values()) {
      for (const collection of collections.values()) {
        const item = shop.items.get(collection.resource.path)!.get(id);
        if (item) return { shop, collection, item };
      }
    }
    return undefined;
  };

  const emptyItems = () => new Map([...collections.keys()].map((path) => [path, new Map<string, Item>()]));
  const seedShop = (): Shop => {
    const profile = structuredClone(dialect.dataOf(firstExample(profileRead, profileRead.successStatus))) as Shop['profile'];
    const shop: Shop = { account: DEFAULT_ACCOUNT, profile, aliases: new Set([profile.id, profile.slug, ...standIns]), items: emptyItems() };
    for (const collection of collections.values()) {
      const read = collection.resource.operations.read!;
      const item = dialect.dataOf(firstExample(read, read.successStatus)) as Item | undefined;
      if (!item) continue;
      const seeded = structuredClone(item);
      // One shop, one story: a seeded item tied to a shop is tied to this one, whatever its example calls it.
      if (seeded.shop) seeded.shop = summary(shop);
      shop.items.get(collection.resource.path)!.set(seeded.id, seeded);
    }
    return shop;
  };
  const newShop = (account: string): Shop => {
    const slug = slugify(account) || 'shop';
    const profile = profilePlan.create(undefined, { id: profileIds.next(), slug, name: account, isActive: true }) as Shop['profile'];
    return { account, profile, aliases: new Set([profile.id, slug]), items: emptyItems() };
  };
  const shopOf = (account: string): Shop => {
    let shop = shops.get(account);
    if (!shop) {
      shops.set(account, (shop = account === DEFAULT_ACCOUNT ? seedShop() : newShop(account)));
      report.account(account, accountData(shop));
    }
    return shop;
  };
  const summary = (shop: Shop): ShopSummary => ({ id: shop.profile.id, slug: shop.profile.slug, name: shop.profile.name });

  /** The shop a content item names (`shopId`/`shopSlug`), null for mall-wide, or 'unknown'. */
  const namedShop = (shop: Shop, body: any): ShopSummary | null | 'unknown' => {
    const names = [body.shopId, body.shopSlug].filter((name) => name !== undefined);
    if (!names.length) return null;
    return names.every((name) => shop.aliases.has(name)) ? summary(shop) : 'unknown';
  };
  const touch = (collection: Collection, item: Item, at: Date) => {
    if (collection.mirrorsStatus) item.isActive = item.status === 'active';
    if (collection.plan.fields.includes('updatedAt')) item.updatedAt = isoTimestamp(at);
  };

  /** `source`: where the id and slug suffix come from (the state's own, unless generated data seeds one). */
  const create = (collection: Collection, shop: Shop, body: any, at: Date, source: IdSource = ids): StateAnswer => {
    const named = collection.namesShop ? namedShop(shop, body) : summary(shop);
    if (named === 'unknown') return { status: 404, example: 'shopNotFound' };
    let id = collection.ids.next(source);
    while (source.repeatable && ownerOf(id)) id = collection.ids.next(source); // a seeded source replayed in the same mock
    const stamp = isoTimestamp(at);
    const item = collection.plan.create(body, { id, slug: '', shop: named, createdAt: stamp, updatedAt: stamp }) as Item;
    if (collection.slugFrom) item.slug = `${shop.profile.slug}-${slugify(String(item[collection.slugFrom])) || collection.ids.prefix?.slice(0, -1)}-${source.token(5)}`;
    if (collection.mirrorsStatus) item.isActive = item.status === 'active';
    shop.items.get(collection.resource.path)!.set(item.id, item);
    report.record(shop.account, collection.name, item.id, item);
    // The create's documented success status (TVM's 201), as MVO's creates answer theirs; generated data may
    // fill a collection the API cannot create in, which answers as its read does.
    const { create: createOp, read } = collection.resource.operations;
    return { status: (createOp ?? read!).successStatus, data: item };
  };

  const list = (collection: Collection, shop: Shop, query: URLSearchParams): StateAnswer => {
    const page = Number(query.get('page') ?? collection.listDefaults.page);
    const limit = Number(query.get('limit') ?? collection.listDefaults.limit);
    const filters: [(item: Item, value: string) => boolean, string][] = [];
    for (const name of FILTER_NAMES) {
      const value = query.get(name);
      if (value !== null) filters.push([FILTERS[name], value]);
    }
    const matches: Item[] = [];
    for (const item of shop.items.get(collection.resource.path)!.values()) {
      if (filters.every(([test, value]) => test(item, value))) matches.push(item);
    }
    matches.reverse(); // newest first: Maps keep insertion order
    const total = matches.length;
    return { status: 200, data: { items: matches.slice((page - 1) * limit, page * limit), total, page, limit, totalPages: Math.ceil(total / limit) } };
  };

  const itemHandlers = {
    read: (_c: Collection, _s: Shop, item: Item): StateAnswer => ({ status: 200, data: item }),
    delete: (collection: Collection, shop: Shop, item: Item): StateAnswer => {
      shop.items.get(collection.resource.path)!.delete(item.id);
      report.record(shop.account, collection.name, item.id, null);
      return { status: 200, data: { id: item.id, deleted: true } };
    },
    update: (collection: Collection, shop: Shop, item: Item, { body, at }: StateRequest): StateAnswer => {
      if (collection.namesShop && (body.shopId !== undefined || body.shopSlug !== undefined)) {
        const named = namedShop(shop, body);
        if (named === 'unknown') return { status: 404, example: 'shopNotFound' };
        item.shop = named;
      }
      collection.plan.update(item, body);
      touch(collection, item, at);
      report.record(shop.account, collection.name, item.id, item);
      return { status: 200, data: item };
    },
  };

  const handlers = new Map<OperationModel, StateHandler<Shop>>();
  for (const [op, { resource, action }] of map.placed) {
    if (resource === profileResource) {
      const update: StateHandler<Shop> = (shop, { body }) => {
        profilePlan.update(shop.profile, body);
        report.singleton(shop.account, profileName, shop.profile);
        return { status: 200, data: shop.profile };
      };
      handlers.set(op, action === 'update' ? update : (shop) => ({ status: 200, data: shop.profile }));
      continue;
    }
    const collection = collections.get(resource.path)!;
    if (action === 'create') handlers.set(op, (shop, { body, at }) => create(collection, shop, body, at));
    else if (action === 'list') handlers.set(op, (shop, { query }) => list(collection, shop, query));
    else {
      const handle = itemHandlers[action];
      handlers.set(op, (shop, request) => {
        const item = shop.items.get(resource.path)!.get(request.params[collection.param]);
        return item ? handle(collection, shop, item, request) : { status: 404, example: 'notFound' };
      });
    }
  }

  // ── State documents and generated data: every shop by account, checked and swapped in whole ──
  const { byName, recordOf, infos: collectionInfo } = describeCollections(collections.values(), dialect, COMPUTED);
  /** One shop's data as a state document shows it. */
  const accountData = (shop: Shop): AccountData => {
    const data: AccountData = { [profileName]: shop.profile };
    for (const [name, collection] of byName) data[name] = [...shop.items.get(collection.resource.path)!.values()];
    return data;
  };
  const accountSchema = {
    type: 'object',
    additionalProperties: false,
    properties: { [profileName]: profileSchema, ...Object.fromEntries(collectionInfo.map((info) => [info.name, { type: 'array', items: info.record }])) },
  };
  const defaultProfile = (account: string): Shop['profile'] =>
    account === DEFAULT_ACCOUNT ? (structuredClone(dialect.dataOf(firstExample(profileRead, profileRead.successStatus))) as Shop['profile']) : newShop(account).profile;

  const snapshot = (): Record<string, AccountData> => {
    shopOf(DEFAULT_ACCOUNT); // the seeded examples are part of the state, touched or not
    const accounts: Record<string, AccountData> = {};
    // The default account first, then the others in the order they were made.
    for (const [account, shop] of [...shops].sort(([a], [b]) => Number(b === DEFAULT_ACCOUNT) - Number(a === DEFAULT_ACCOUNT))) accounts[account] = accountData(shop);
    return accounts;
  };

  /** Stores a copy of an item from a document or another replica; the shop it names is another name of this one. */
  const keepCopy = (shop: Shop, collection: Collection, listed: Item) => {
    const item = structuredClone(listed);
    shop.items.get(collection.resource.path)!.set(item.id, item);
    if (item.shop) shop.aliases.add(item.shop.id).add(item.shop.slug);
  };

  /**
   * One account's shop from its data in a state document (`seen`: item ids already taken, across shops); the
   * problem when the data breaks a rule. The default shop keeps the published examples' stand-in names, as seeded.
   */
  const shopFrom = (account: string, data: AccountData, seen: Set<string>): Shop | { problem: string } => {
    const profile = structuredClone((data[profileName] as Shop['profile'] | undefined) ?? defaultProfile(account));
    const shop: Shop = { account, profile, aliases: new Set([profile.id, profile.slug, ...(account === DEFAULT_ACCOUNT ? standIns : [])]), items: emptyItems() };
    for (const [name, collection] of byName) {
      for (const [index, listed] of ((data[name] as Item[] | undefined) ?? []).entries()) {
        if (seen.has(listed.id)) return { problem: `accounts/${account}/${name}/${index}/id ${listed.id} is used twice (item ids are unique across shops)` };
        keepCopy(shop, collection, listed);
        seen.add(listed.id);
      }
    }
    return shop;
  };

  const prepare = (accounts: Record<string, AccountData>): { problem: string } | { commit(): void } => {
    const nextShops = new Map<string, Shop>();
    const seen = new Set<string>();
    for (const [account, data] of Object.entries(accounts)) {
      const shop = shopFrom(account, data, seen);
      if ('problem' in shop) return shop;
      nextShops.set(account, shop);
    }
    return {
      commit() {
        shops.clear();
        for (const [account, shop] of nextShops) shops.set(account, shop);
      },
    };
  };

  /** A change another replica made and reported (store/redis/): applied as it was made, not reported again. */
  const apply: ApiState['apply'] = (patch) => {
    if ('data' in patch) {
      const shop = shopFrom(patch.account, patch.data, new Set());
      if (!('problem' in shop)) shops.set(patch.account, shop);
      return;
    }
    let shop = shops.get(patch.account);
    if (!shop) shops.set(patch.account, (shop = shopFrom(patch.account, {}, new Set()) as Shop));
    if (!('id' in patch)) {
      shop.profile = structuredClone(patch.value) as Shop['profile'];
      shop.aliases.add(shop.profile.id).add(shop.profile.slug);
      return;
    }
    const collection = byName.get(patch.resource)!;
    if (patch.value === null) shop.items.get(collection.resource.path)!.delete(patch.id);
    else keepCopy(shop, collection, patch.value as Item);
  };

  const insert: ApiState['insert'] = ({ account, collection: name, body, extra, at, ids: source }) => {
    const collection = byName.get(name);
    if (!collection) return { problem: `${model.title} has no collection ${name}` };
    const shop = shopOf(account);
    // Generated content belongs to the key's shop rather than the whole mall.
    const answer = create(collection, shop, collection.namesShop ? { ...body, shopId: shop.profile.id } : body, at, source);
    if (!('data' in answer) || answer.data === undefined) return { problem: `${name}: the create answered ${answer.status}` };
    const item = answer.data as Item;
    Object.assign(item, extra);
    touch(collection, item, at);
    report.record(account, name, item.id, item);
    return { item };
  };

  return {
    collections: collectionInfo,
    accountSchema,
    snapshot,
    prepare,
    apply,
    insert,
    serves: (op) => handlers.has(op),
    handle(request) {
      return handlers.get(request.op)?.(shopOf(request.account), request);
    },
    review(id, status, at) {
      shopOf(DEFAULT_ACCOUNT); // seeds the default shop, whose items are reviewable before any request
      const owner = ownerOf(id);
      if (!owner) return undefined;
      owner.item.status = status;
      touch(owner.collection, owner.item, at);
      report.record(owner.shop.account, owner.collection.name, id, owner.item);
      return owner.item;
    },
    reset() {
      shops.clear();
    },
  };
}
