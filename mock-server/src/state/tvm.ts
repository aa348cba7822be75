/**
 * TVM's stateful rules (the skeleton is skeleton.ts): per shop, the shop profile (the spec's singleton) and a
 * collection per resource the spec describes (offers, vouchers, content). Items are created in the documented
 * create example's status (`needs_review`: staff approve them, simulated by the control API's review route),
 * listed newest first with the documented filters and paging (list-plan.ts), and changed by partial PUTs. Ids
 * carry a type prefix and are unique across shops; slugs come from the field `x-slug-from` names; `isActive`
 * follows `status` (TVM-A10); a create or update may name the item's shop (TVM-A13). The default shop is the
 * shop profile's example, seeded with the items' examples (each tied to it, whatever shop its example names: one
 * story, assumption TVM-A19); any other account starts empty.
 */
import { DEFAULT_ACCOUNT } from '../model/accounts.ts';
import type { ApiModel, JsonSchema, OperationModel } from '../model/types.ts';
import { isoTimestamp } from '../model/timestamps.ts';
import type { Dialect } from '../pipeline/dialect.ts';
import { slugify, type IdSource } from './random.ts';
import { recordPlan, type RecordPlan } from './record-plan.ts';
import type { Resource } from './resources.ts';
import { firstExample, idMaker, resourceName, type IdMaker } from './shared.ts';
import type { AccountHandler, AccountRecords, Collection, Row, StateRules } from './skeleton.ts';

type ShopSummary = { id: string; slug: string; name: string };
type Profile = Record<string, any> & ShopSummary;

export interface Shop extends AccountRecords {
  profile: Profile;
  /** Ids and slugs content may name this shop by (the seeded examples use several). */
  aliases: Set<string>;
}

/** What the server derives per collection, read from its schemas. */
export interface Derived {
  /** The field a slug is made from (the shop slug, this field's slug, a random suffix). */
  slugFrom?: string;
  /** Whether a create or update names the item's shop (`shopId`/`shopSlug`, TVM-A13), else it is the key's. */
  namesShop: boolean;
  /** Whether `isActive` follows `status` (TVM-A10). */
  mirrorsStatus: boolean;
}

/** What the server does to a submitted value (Voucher.code: "upper-cased by the server"). */
const REWRITE = { code: (value: unknown) => String(value).toUpperCase() };
/** Set by these rules, not by the plan: identity, owner, slug, timestamps. */
export const TVM_COMPUTED = ['id', 'slug', 'shop', 'createdAt', 'updatedAt'];
const SHOP_NOT_FOUND = { status: 404, example: 'shopNotFound' } as const;

/** The field a record's slug is made from: the slug property's `x-slug-from` (Offer: title, Voucher: code). */
export function slugSource(name: string, slug: JsonSchema | undefined): string | undefined {
  if (!slug) return undefined;
  const from = slug['x-slug-from'];
  if (typeof from !== 'string')
    throw new Error(`${name}: its records have a slug but the slug property names no x-slug-from field`);
  return from;
}

/**
 * Every name the spec's examples give a shop: the `id` and `slug` of each `shop` they show, and each
 * `shopId` / `shopSlug` they send. The published pages call the caller's shop `shop_abc123` /
 * `example-store`, `shop_xyz` and `your-shop` (assumption TVM-A19): the default shop answers to all of them,
 * so each example runs as published, and is shown by its own (the Shop example's) names only.
 */
export function exampleShopNames(model: ApiModel): Set<string> {
  const names = new Set<string>();
  const pending: unknown[] = model.operations.flatMap((op) => [
    ...(op.requestBody?.examples ?? []),
    ...[...op.responses.values()].flatMap((response) => [...response.examples.values()]),
  ]);
  while (pending.length) {
    const value = pending.pop();
    if (!value || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'shopId' || key === 'shopSlug') && typeof child === 'string') names.add(child);
      else if (key === 'shop' && child && typeof child === 'object') {
        for (const name of [(child as ShopSummary).id, (child as ShopSummary).slug])
          if (typeof name === 'string') names.add(name);
      }
      pending.push(child);
    }
  }
  return names;
}

export function summary(shop: Shop): ShopSummary {
  return { id: shop.profile.id, slug: shop.profile.slug, name: shop.profile.name };
}

/** The shop an item names (`shopId`/`shopSlug`), null for mall-wide, or 'unknown'. */
export function namedShop(shop: Shop, body: any): ShopSummary | null | 'unknown' {
  const names = [body.shopId, body.shopSlug].filter((name) => name !== undefined);
  if (!names.length) return null;
  return names.every((name) => shop.aliases.has(name)) ? summary(shop) : 'unknown';
}

/** The shop profile: the one singleton, read and partially updated. */
export interface ProfileSpec {
  resource: Resource;
  name: string;
  schema: JsonSchema;
  read: OperationModel;
  plan: RecordPlan;
  ids: IdMaker;
}

/** What the server derives for a collection, read from its schemas (a slug property names its source field). */
export function derive(collection: Collection): Derived {
  const properties = (collection.record.properties ?? {}) as Record<string, JsonSchema>;
  const createSchema = collection.resource.operations.create?.requestBody?.schema;
  return {
    slugFrom: slugSource(`tvm ${collection.resource.path}`, properties.slug),
    namesShop: ['shopId', 'shopSlug'].some((field) => field in ((createSchema?.properties ?? {}) as object)),
    mirrorsStatus: 'isActive' in properties && 'status' in properties,
  };
}

/** The documented answers the rules name: an unknown item is NOT_FOUND, an unknown shop SHOP_NOT_FOUND; a missing one is a problem. */
export function checkDocumentedAnswers(
  collections: readonly Collection[],
  derived: ReadonlyMap<Collection, Derived>,
  problems: string[],
): void {
  const documents = (op: OperationModel | undefined, name: string) => {
    if (op && !op.responses.get(404)?.examples.has(name))
      problems.push(
        `${op.operationId}: the stateful mock answers its 404 "${name}" example, which it does not document`,
      );
  };
  for (const collection of collections) {
    const { read, update, delete: remove, create } = collection.resource.operations;
    for (const op of [read, update, remove]) documents(op, 'notFound');
    if (derived.get(collection)?.namesShop) for (const op of [create, update]) documents(op, 'shopNotFound');
  }
}

/** The shop profile's schemas, plan and ids (a new shop is active with nothing set; only its identity comes from the account). */
export function profileSpec(resource: Resource, dialect: Dialect, ids: IdSource): ProfileSpec {
  const read = resource.operations.read!;
  const schema = dialect.dataSchema(read.responses.get(read.successStatus)!.schema)!;
  return {
    resource,
    name: resourceName(resource.path),
    schema,
    read,
    plan: recordPlan({
      name: `tvm ${resource.path}`,
      record: schema,
      update: resource.operations.update?.requestBody?.schema,
      computed: ['id', 'slug', 'name', 'isActive'],
    }),
    ids: idMaker(`tvm ${resource.path}`, (schema.properties as Record<string, JsonSchema>).id, ids, 10),
  };
}

export function tvmRules(model: ApiModel, dialect: Dialect, ids: IdSource): StateRules<Shop> {
  const derived = new Map<Collection, Derived>();
  let profile: ProfileSpec;
  const standIns = exampleShopNames(model);

  const seededProfile = () =>
    structuredClone(dialect.dataOf(firstExample(profile.read, profile.read.successStatus))) as Profile;
  const newProfile = (account: string): Profile =>
    profile.plan.create(undefined, {
      id: profile.ids.next(),
      slug: slugify(account) || 'shop',
      name: account,
      isActive: true,
    }) as Profile;
  const shopWith = (account: string, shopProfile: Profile, records: Shop['records']): Shop => ({
    account,
    profile: shopProfile,
    aliases: new Set([shopProfile.id, shopProfile.slug, ...(account === DEFAULT_ACCOUNT ? standIns : [])]),
    records,
  });
  const touch = (collection: Collection, item: Row, at: Date) => {
    if (derived.get(collection)!.mirrorsStatus) item.isActive = item.status === 'active';
    if (collection.plan.fields.includes('updatedAt')) item.updatedAt = isoTimestamp(at);
  };
  const readProfile: AccountHandler<Shop> = (_state, shop) => ({ status: 200, data: shop.profile });
  const updateProfile: AccountHandler<Shop> = (state, shop, { body }) => {
    profile.plan.update(shop.profile, body);
    state.report.singleton(shop.account, profile.name, shop.profile);
    return { status: 200, data: shop.profile };
  };

  return {
    computed: TVM_COMPUTED,
    rewrite: REWRITE,
    notFound: { status: 404, example: 'notFound' },
    idsUniqueAcross: 'shops',
    reviews: true,
    accountProperties: () => ({ [profile.name]: profile.schema }),

    start({ collections, others }, problems) {
      for (const collection of collections) {
        try {
          derived.set(collection, derive(collection));
        } catch (cause) {
          problems.push((cause as Error).message);
        }
      }
      checkDocumentedAnswers(collections, derived, problems);
      const [resource, ...more] = others;
      for (const other of more)
        problems.push(`${other.path}: only one singleton (the shop) is known, ${resource.path} is already it`);
      if (resource) profile = profileSpec(resource, dialect, ids);
      else problems.push('no singleton resource (the shop profile)');
    },
    otherHandler: (resource, action) =>
      resource !== profile.resource
        ? undefined
        : action === 'update'
          ? updateProfile
          : action === 'read'
            ? readProfile
            : undefined,

    newAccount: (name, records) =>
      shopWith(name, name === DEFAULT_ACCOUNT ? seededProfile() : newProfile(name), records),
    // One shop, one story: a seeded item tied to a shop is tied to this one, whatever its example calls it.
    seed: (shop, item) => (item.shop ? { ...item, shop: summary(shop) } : item),
    accountFrom: (name, data, records) =>
      shopWith(
        name,
        structuredClone(
          (data[profile.name] as Profile | undefined) ??
            (name === DEFAULT_ACCOUNT ? seededProfile() : newProfile(name)),
        ),
        records,
      ),
    accountFields: (shop) => ({ [profile.name]: shop.profile }),

    creating(collection, shop, body, at) {
      const named = derived.get(collection)!.namesShop ? namedShop(shop, body) : summary(shop);
      if (named === 'unknown')
        return { refused: SHOP_NOT_FOUND, problem: `the create answered ${SHOP_NOT_FOUND.status}` };
      const stamp = isoTimestamp(at);
      return { values: { slug: '', shop: named, createdAt: stamp, updatedAt: stamp } };
    },
    created(collection, shop, item, source) {
      const { slugFrom, mirrorsStatus } = derived.get(collection)!;
      if (slugFrom)
        item.slug = `${shop.profile.slug}-${slugify(String(item[slugFrom])) || collection.ids.prefix?.slice(0, -1)}-${source.token(5)}`;
      if (mirrorsStatus) item.isActive = item.status === 'active';
    },
    updating(collection, shop, item, body) {
      if (!derived.get(collection)!.namesShop || (body.shopId === undefined && body.shopSlug === undefined))
        return undefined;
      const named = namedShop(shop, body);
      if (named === 'unknown') return SHOP_NOT_FOUND;
      item.shop = named;
      return undefined;
    },
    touch,
    // A stored item's shop is another name of this one (the names a state document or another replica uses).
    stored(shop, _collection, item) {
      if (item.shop) shop.aliases.add(item.shop.id).add(item.shop.slug);
    },
    // Generated content belongs to the key's shop rather than the whole mall.
    insertBody: (collection, shop, body) =>
      derived.get(collection)!.namesShop ? { ...body, shopId: shop.profile.id } : body,
    applySingleton(shop, _resource, value) {
      shop.profile = structuredClone(value) as Profile;
      shop.aliases.add(shop.profile.id).add(shop.profile.slug);
    },
  };
}
