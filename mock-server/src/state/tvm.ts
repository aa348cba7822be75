/**
 * TVM data, per shop: the shop profile, offers, vouchers and content. Items are created
 * `needs_review` (staff approve them: simulated by the control API's review route), listed newest
 * first with the documented filters and paging, and changed by partial PUTs. The default shop is
 * seeded with the spec's examples (kept verbatim); any other account starts with an empty shop.
 */
import type { ApiModel } from '../model/types.ts';
import { slugify, type IdSource } from './random.ts';
import type { ApiState, StateAnswer, StateRequest } from './types.ts';

type Item = Record<string, any> & { id: string; status: string };
type Kind = 'offer' | 'voucher' | 'content';

interface Shop {
  profile: Record<string, any> & { id: string; slug: string; name: string };
  /** Ids and slugs content may name this shop by (the seeded examples use several). */
  aliases: Set<string>;
  items: Record<Kind, Map<string, Item>>;
}

/** Per kind: the fields created items carry (null or false unless sent), and how a slug is made. */
const KINDS: Record<Kind, { nullable: string[]; flags: string[]; slugFrom?: string; updatedAt: boolean }> = {
  offer: {
    nullable: ['description', 'terms', 'imageUrl', 'landingUrl', 'discountType', 'discountValue', 'minSpend', 'startsAt', 'expiresAt'],
    flags: ['isExclusive'],
    slugFrom: 'title',
    updatedAt: true,
  },
  voucher: {
    nullable: ['title', 'description', 'terms', 'restrictions', 'imageUrl', 'landingUrl', 'discountType', 'discountValue', 'minSpend', 'startsAt', 'expiresAt'],
    flags: ['isSitewide', 'isStackable', 'isExclusive'],
    slugFrom: 'code',
    updatedAt: true,
  },
  content: {
    nullable: ['summary', 'body', 'imageUrl', 'imageAlt', 'linkUrl', 'linkText', 'authorName', 'authorAvatarUrl', 'publishedAt', 'expiresAt'],
    flags: ['isFeatured', 'isPinned'],
    updatedAt: false,
  },
};

const RESOURCES: Record<string, Kind> = { offers: 'offer', vouchers: 'voucher', content: 'content' };
const DEFAULT_ACCOUNT = 'default';

function exampleData(model: ApiModel, operationId: string): any {
  const op = model.operations.find((candidate) => candidate.operationId === operationId);
  const value = op?.responses.get(200)?.examples.values().next().value as any;
  return value?.data === undefined ? undefined : structuredClone(value.data);
}

export function createTvmState(model: ApiModel, ids: IdSource): ApiState {
  const shops = new Map<string, Shop>();
  /** Which shop holds an item, for the control API's review route. */
  const owners = new Map<string, Shop>();

  const emptyItems = (): Shop['items'] => ({ offer: new Map(), voucher: new Map(), content: new Map() });
  const seedShop = (): Shop => {
    const profile = exampleData(model, 'getShop');
    const shop: Shop = { profile, aliases: new Set([profile.id, profile.slug]), items: emptyItems() };
    for (const [kind, operationId] of [['offer', 'getOffer'], ['voucher', 'getVoucher'], ['content', 'getContent']] as const) {
      const item = exampleData(model, operationId) as Item | undefined;
      if (!item) continue;
      shop.items[kind].set(item.id, item);
      owners.set(item.id, shop);
      if (item.shop) shop.aliases.add(item.shop.id).add(item.shop.slug);
    }
    return shop;
  };
  const newShop = (account: string): Shop => {
    const slug = slugify(account) || 'shop';
    const profile = { id: `shop_${ids.token(10)}`, slug, name: account, teaser: null, description: null, primaryDomain: null, domains: [], logoUrl: null, isActive: true };
    return { profile, aliases: new Set([profile.id, slug]), items: emptyItems() };
  };
  const shopOf = (account: string): Shop => {
    let shop = shops.get(account);
    if (!shop) shops.set(account, (shop = account === DEFAULT_ACCOUNT ? seedShop() : newShop(account)));
    return shop;
  };
  const summary = (shop: Shop) => ({ id: shop.profile.id, slug: shop.profile.slug, name: shop.profile.name });

  /** The shop a content item names (`shopId`/`shopSlug`), null for mall-wide, or 'unknown'. */
  const namedShop = (shop: Shop, body: any): ReturnType<typeof summary> | null | 'unknown' => {
    const names = [body.shopId, body.shopSlug].filter((name) => name !== undefined);
    if (!names.length) return null;
    return names.every((name) => shop.aliases.has(name)) ? summary(shop) : 'unknown';
  };

  const assign = (kind: Kind, item: Item, body: Record<string, unknown>) => {
    for (const [field, value] of Object.entries(body)) {
      if (field === 'shopId' || field === 'shopSlug') continue;
      item[field] = field === 'code' ? String(value).toUpperCase() : value;
    }
    if (kind === 'content') item.isActive = item.status === 'active';
  };

  const create = (kind: Kind, shop: Shop, body: any, at: Date): StateAnswer => {
    const spec = KINDS[kind];
    const named = kind === 'content' ? namedShop(shop, body) : summary(shop);
    if (named === 'unknown') return { status: 404, example: 'shopNotFound' };
    // Field order as in the published examples: identity, submitted fields and defaults, review state.
    const item: Item = { id: `${kind}_${ids.token(12)}`, ...(spec.slugFrom ? { slug: '' } : { contentType: 'news' }), status: 'needs_review' };
    for (const field of spec.nullable) item[field] = null;
    for (const field of spec.flags) item[field] = false;
    assign(kind, item, body);
    item.status = 'needs_review';
    if (kind === 'content') {
      item.isActive = false;
      item.source = 'api';
    }
    item.shop = named;
    if (spec.slugFrom) item.slug = `${shop.profile.slug}-${slugify(String(item[spec.slugFrom])) || kind}-${ids.token(5)}`;
    item.createdAt = at.toISOString();
    if (spec.updatedAt) item.updatedAt = item.createdAt;
    shop.items[kind].set(item.id, item);
    owners.set(item.id, shop);
    return { status: 201, data: item };
  };

  const list = (kind: Kind, shop: Shop, query: URLSearchParams): StateAnswer => {
    const page = Number(query.get('page') ?? 1);
    const limit = Number(query.get('limit') ?? 20);
    const status = query.get('status');
    const code = query.get('code')?.toUpperCase();
    const contentType = query.get('contentType');
    const active = query.get('active');
    const shopId = query.get('shopId');
    const matches: Item[] = [];
    for (const item of shop.items[kind].values()) {
      if (status !== null && item.status !== status) continue;
      if (code !== undefined && item.code !== code) continue;
      if (contentType !== null && item.contentType !== contentType) continue;
      if (active !== null && item.isActive !== (active === 'true')) continue;
      if (shopId !== null && item.shop?.id !== shopId) continue;
      matches.push(item);
    }
    matches.reverse(); // newest first: Maps keep insertion order
    const total = matches.length;
    return { status: 200, data: { items: matches.slice((page - 1) * limit, page * limit), total, page, limit, totalPages: Math.ceil(total / limit) } };
  };

  const handle = (request: StateRequest): StateAnswer | undefined => {
    const { op, params, body, at, query } = request;
    const shop = shopOf(request.account);
    if (op.path === '/v1/shop') {
      if (op.method === 'PUT') Object.assign(shop.profile, body);
      return { status: 200, data: shop.profile };
    }
    const kind = RESOURCES[op.path.split('/')[2]];
    if (!kind) return undefined;
    const items = shop.items[kind];
    if (!op.path.endsWith('{id}')) return op.method === 'POST' ? create(kind, shop, body, at) : list(kind, shop, query);
    const item = items.get(params.id);
    if (!item) return { status: 404, example: 'notFound' };
    if (op.method === 'GET') return { status: 200, data: item };
    if (op.method === 'DELETE') {
      items.delete(item.id);
      owners.delete(item.id);
      return { status: 200, data: { id: item.id, deleted: true } };
    }
    if (kind === 'content' && (body.shopId !== undefined || body.shopSlug !== undefined)) {
      const named = namedShop(shop, body);
      if (named === 'unknown') return { status: 404, example: 'shopNotFound' };
      item.shop = named;
    }
    assign(kind, item, body);
    if (KINDS[kind].updatedAt) item.updatedAt = at.toISOString();
    return { status: 200, data: item };
  };

  return {
    handle,
    review(id, status, at) {
      shopOf(DEFAULT_ACCOUNT); // seeds the default shop, whose items are reviewable before any request
      const shop = owners.get(id);
      const kind = (['offer', 'voucher', 'content'] as const).find((candidate) => shop?.items[candidate].has(id));
      if (!shop || !kind) return undefined;
      const item = shop.items[kind].get(id)!;
      item.status = status;
      if (kind === 'content') item.isActive = status === 'active';
      if (KINDS[kind].updatedAt) item.updatedAt = at.toISOString();
      return item;
    },
    reset() {
      shops.clear();
      owners.clear();
    },
  };
}
