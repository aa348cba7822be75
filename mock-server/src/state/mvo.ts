/**
 * MVO's stateful rules (the skeleton is skeleton.ts): per seller account, a collection per resource the spec
 * describes (customers: create, get, partial update, delete; assumptions MVO-A3, A4, A8). Records carry the
 * seller's `seller_id` and snake_case timestamps; ids are UUIDs, unique within an account. An email is unique
 * within an account, compared case-insensitively (409). The default account is seeded with the spec's example
 * customer (and takes its seller_id); any other account starts empty. MVO has no singleton.
 */
import { DEFAULT_ACCOUNT } from '../model/accounts.ts';
import type { JsonSchema } from '../model/types.ts';
import { isoTimestamp } from '../model/timestamps.ts';
import type { IdSource } from './random.ts';
import type { AccountRecords, Row, StateRules } from './skeleton.ts';
import type { AccountData } from './types.ts';

export interface Seller extends AccountRecords {
  sellerId: string;
  /**
   * Per collection name, the id of the row holding each lower-cased UNIQUE_FIELD value: a create or update checks
   * uniqueness in one lookup instead of reading every row (which made a load test of creates slow down as it ran).
   */
  unique: Map<string, Map<string, string>>;
}

/** Set by these rules, not by the plan: identity, owner, timestamps. */
export const MVO_COMPUTED = ['id', 'seller_id', 'created_at', 'updated_at'];
/** Unique within a seller account, compared case-insensitively (CustomerCreate.email: "unique within your account"). */
export const UNIQUE_FIELD = 'email';

/** Whether another row of the collection holds this value of the unique field (compared case-insensitively). */
export function taken(seller: Seller, collection: string, value: unknown, except?: string): boolean {
  if (typeof value !== 'string') return false;
  const holder = seller.unique.get(collection)?.get(value.toLowerCase());
  return holder !== undefined && holder !== except;
}

/** The first record listed in an account's data (its seller_id names the account's seller). */
function firstListed(data: AccountData): Row | undefined {
  for (const value of Object.values(data)) if (Array.isArray(value) && value.length) return value[0] as Row;
  return undefined;
}

export function mvoRules(ids: IdSource): StateRules<Seller> {
  let seededSellerId: string | undefined;
  let sellerIdSchema: JsonSchema = { type: 'string' };
  const newSeller = (account: string, sellerId: string, records: Seller['records']): Seller => ({
    account,
    sellerId,
    records,
    unique: new Map([...records.keys()].map((name) => [name, new Map()])),
  });
  return {
    computed: MVO_COMPUTED,
    notFound: { status: 404 },
    reviews: false,
    accountProperties: () => ({ seller_id: sellerIdSchema }),

    start({ collections, others, seeds }, problems) {
      for (const other of others) problems.push(`${other.path} is not a collection with a documented read operation`);
      seededSellerId = seeds.map(([, seed]) => seed.seller_id).find((id) => typeof id === 'string');
      sellerIdSchema =
        (collections[0]?.record.properties as Record<string, JsonSchema> | undefined)?.seller_id ?? sellerIdSchema;
    },
    newAccount: (name, records) =>
      newSeller(name, name === DEFAULT_ACCOUNT && seededSellerId ? seededSellerId : ids.uuid(), records),
    // A seed file may leave seller_id out: its rows', else the seeded or a new one.
    accountFrom: (name, data, records) =>
      newSeller(
        name,
        (data.seller_id as string | undefined) ??
          firstListed(data)?.seller_id ??
          (name === DEFAULT_ACCOUNT && seededSellerId ? seededSellerId : ids.uuid()),
        records,
      ),
    accountFields: (seller) => ({ seller_id: seller.sellerId }),
    refuseListed(seller, collection, row, where) {
      if (row.seller_id !== seller.sellerId)
        return `${where}/seller_id must be the account's seller_id ${seller.sellerId}`;
      if (taken(seller, collection.name, row[UNIQUE_FIELD]))
        return `${where}/${UNIQUE_FIELD} is used twice in the account (it is unique within an account)`;
      return undefined;
    },

    creating(collection, seller, body, at) {
      if (taken(seller, collection.name, body[UNIQUE_FIELD]))
        return { refused: { status: 409 }, problem: `the ${UNIQUE_FIELD} ${body[UNIQUE_FIELD]} is taken` };
      const stamp = isoTimestamp(at);
      return { values: { seller_id: seller.sellerId, created_at: stamp, updated_at: stamp } };
    },
    updating: (collection, seller, row, body) =>
      taken(seller, collection.name, body[UNIQUE_FIELD], row.id) ? { status: 409 } : undefined,
    touch(_collection, row, at) {
      row.updated_at = isoTimestamp(at);
    },
    stored(seller, collection, row) {
      if (typeof row[UNIQUE_FIELD] === 'string')
        seller.unique.get(collection.name)!.set(row[UNIQUE_FIELD].toLowerCase(), row.id);
    },
    removed(seller, collection, row) {
      const index = seller.unique.get(collection.name)!;
      if (typeof row[UNIQUE_FIELD] === 'string' && index.get(row[UNIQUE_FIELD].toLowerCase()) === row.id)
        index.delete(row[UNIQUE_FIELD].toLowerCase());
    },
  };
}
