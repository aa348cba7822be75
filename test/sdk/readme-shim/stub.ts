/**
 * The README test's stand-in for the real APIs: clients built without `baseUrl` (which would reach the real
 * hosts) get this observed fetch, answering each documented route with a spec-shaped example, or, while
 * `mockTarget` names a mock server and a key for their API, go to that mock instead.
 */
import { CUSTOMER, CUSTOMER_ID as ID, json, observedFetch } from '../helpers.ts';

const META = { requestId: 'req_abc123', timestamp: '2026-02-06T12:00:00Z' };
const SHOP_SUMMARY = { id: 'shop_xyz', slug: 'example-store', name: 'Example Store' };

export const stub = observedFetch((request) => {
  const { pathname } = new URL(request.url);
  const route = `${request.method} ${pathname.replace(ID, '{id}')}`;
  switch (route) {
    case 'POST /api/customers':
      return json(201, CUSTOMER);
    case 'GET /api/customers/{id}':
    case 'PATCH /api/customers/{id}':
      return json(200, CUSTOMER);
    case 'DELETE /api/customers/{id}':
      return new Response(null, { status: 204 });
    case 'GET /v1/shop':
      return json(200, {
        success: true,
        data: {
          ...SHOP_SUMMARY,
          teaser: null,
          description: null,
          primaryDomain: null,
          domains: [],
          logoUrl: null,
          isActive: true,
        },
        meta: META,
      });
    case 'GET /v1/offers':
      return json(200, {
        success: true,
        data: {
          items: [
            {
              id: 'offer_abc123',
              slug: 'example-store-20-off',
              title: '20% off everything',
              status: 'needs_review',
              shop: SHOP_SUMMARY,
              createdAt: META.timestamp,
            },
          ],
          total: 1,
          page: 1,
          limit: 20,
          totalPages: 1,
        },
        meta: META,
      });
    case 'GET /v1/offers/offer_abc123':
    case 'POST /v1/offers':
      return json(route.startsWith('POST') ? 201 : 200, {
        success: true,
        data: {
          id: 'offer_abc123',
          slug: 'example-store-20-off',
          title: '20% off everything',
          status: 'needs_review',
          shop: SHOP_SUMMARY,
          createdAt: META.timestamp,
        },
        meta: META,
      });
    case 'POST /v1/vouchers':
      return json(201, {
        success: true,
        data: {
          id: 'voucher_abc123',
          slug: 'example-store-save10',
          code: 'SAVE10',
          status: 'needs_review',
          shop: SHOP_SUMMARY,
          createdAt: META.timestamp,
        },
        meta: META,
      });
    default:
      return json(404, { success: false, error: { code: 'NOT_FOUND', message: `stub has no ${route}` } });
  }
});

/** Where clients built without `baseUrl` go instead of the stub, per API, while set. */
export const mockTarget: { mvo?: { baseUrl: string; apiKey: string }; tvm?: { baseUrl: string; apiKey: string } } = {};
