/**
 * Type-level tests (vitest typecheck): the clients' types come from the spec. Each `@ts-expect-error` fails the
 * run if the line it guards ever type-checks.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  createMvoClient,
  isAuthError as isMvoAuthError,
  type MvoClient,
  type MvoClientOptions,
  type MvoError,
  type components as MvoComponents,
} from '../../sdk/src/mvo/index.ts';
import { NotFoundError as MvoNotFoundError, unwrap as unwrapMvo } from '../../sdk/src/mvo/index.ts';
import {
  type ApiError,
  NotFoundError,
  RateLimitError,
  createTvmClient,
  isAuthError,
  isRateLimited,
  unwrap,
  type Page,
  type RetryInfo,
  type TvmClient,
  type TvmError,
  type TvmErrorCode,
  type components as TvmComponents,
} from '../../sdk/src/tvm/index.ts';

declare const mvo: MvoClient;
declare const tvm: TvmClient;
const ID = '550e8400-e29b-41d4-a716-446655440000';

describe('MVO', () => {
  it('createCustomer requires first_name, last_name and email, and nothing else', () => {
    void mvo.POST('/api/customers', { body: { first_name: 'John', last_name: 'Doe', email: 'john@example.com' } });
    // @ts-expect-error email is required
    void mvo.POST('/api/customers', { body: { first_name: 'John', last_name: 'Doe' } });
    // @ts-expect-error first_name is required
    void mvo.POST('/api/customers', { body: { last_name: 'Doe', email: 'john@example.com' } });
    // @ts-expect-error the body is required
    void mvo.POST('/api/customers', {});
    // @ts-expect-error language is 'en' | 'de'
    void mvo.POST('/api/customers', { body: { first_name: 'J', last_name: 'D', email: 'j@x.io', language: 'fr' } });
    expectTypeOf<MvoComponents['schemas']['CustomerCreate']['status']>().toEqualTypeOf<
      'active' | 'inactive' | 'suspended' | undefined
    >();
  });

  it('path params are required and typed', () => {
    void mvo.GET('/api/customers/{id}', { params: { path: { id: ID } } });
    // @ts-expect-error params.path.id is required
    void mvo.GET('/api/customers/{id}', { params: { path: {} } });
    // @ts-expect-error the init (with params) is required
    void mvo.GET('/api/customers/{id}');
    // @ts-expect-error there is no PUT on customers (update is PATCH)
    void mvo.PUT('/api/customers/{id}', { params: { path: { id: ID } }, body: {} });
    // @ts-expect-error there is no list endpoint
    void mvo.GET('/api/customers');
  });

  it('data is the customer; error narrows to { error, message }', async () => {
    const { data, error } = await mvo.GET('/api/customers/{id}', { params: { path: { id: ID } } });
    if (error) {
      expectTypeOf(error).toEqualTypeOf<{ error: string; message: string }>();
      expectTypeOf(error).toEqualTypeOf<MvoError>();
      expectTypeOf(data).toEqualTypeOf<undefined>();
      expectTypeOf(isMvoAuthError(error)).toEqualTypeOf<boolean>();
    } else {
      expectTypeOf(data.status).toEqualTypeOf<'active' | 'inactive' | 'suspended'>();
      expectTypeOf(data.company_name).toEqualTypeOf<string | null>();
    }
  });

  it('options: authHeader only takes the two documented placements', () => {
    expectTypeOf<MvoClientOptions['authHeader']>().toEqualTypeOf<'x-api-key' | 'bearer' | undefined>();
    // @ts-expect-error no such placement
    createMvoClient({ authHeader: 'query' });
    expectTypeOf(createMvoClient).returns.toEqualTypeOf<MvoClient>();
  });
});

describe('TVM', () => {
  it('createOffer requires title only', () => {
    void tvm.POST('/v1/offers', { body: { title: '20% off everything' } });
    // @ts-expect-error title is required
    void tvm.POST('/v1/offers', { body: { description: 'no title' } });
    // @ts-expect-error discountType is an enum
    void tvm.POST('/v1/offers', { body: { title: 'x', discountType: 'half' } });
  });

  it('status enums include needs_review', async () => {
    const { data } = await tvm.POST('/v1/offers', { body: { title: 'x' } });
    if (data) expectTypeOf(data.data.status).toEqualTypeOf<'active' | 'needs_review' | 'expired'>();
    expectTypeOf<'needs_review'>().toMatchTypeOf<TvmComponents['schemas']['ItemStatus']>();
  });

  it('path params are required and typed', () => {
    void tvm.GET('/v1/offers/{id}', { params: { path: { id: 'offer_abc123' } } });
    // @ts-expect-error params.path.id is required
    void tvm.DELETE('/v1/vouchers/{id}', { params: {} });
    // @ts-expect-error there is no PATCH in TVM
    void tvm.PATCH('/v1/shop', { body: {} });
  });

  it('error narrows to the envelope, with codes and retryAfter typed', async () => {
    const { data, error } = await tvm.GET('/v1/shop');
    if (error) {
      expectTypeOf(error).toEqualTypeOf<TvmError>();
      expectTypeOf(error.success).toEqualTypeOf<false>();
      expectTypeOf(error.error.code).toEqualTypeOf<TvmErrorCode>();
      expectTypeOf(error.error.retryAfter).toEqualTypeOf<number | undefined>();
      expectTypeOf(isAuthError(error)).toEqualTypeOf<boolean>();
      expectTypeOf(isRateLimited).parameter(0).toMatchTypeOf<TvmError | Response | string | null | undefined>();
    } else {
      expectTypeOf(data.data.name).toEqualTypeOf<string>();
      expectTypeOf(data.success).toEqualTypeOf<true>();
    }
  });

  it('TVM has no authHeader option', () => {
    // @ts-expect-error TVM only takes Authorization: Bearer
    createTvmClient({ authHeader: 'bearer' });
  });
});

type ItemsOf<T> = T extends AsyncIterable<infer Item> ? Item : never;

describe('paginate', () => {
  it('yields the list item type of each paged list, and pages() yields pages', () => {
    expectTypeOf<ItemsOf<ReturnType<typeof tvm.paginate<'/v1/offers'>>>>().toEqualTypeOf<
      TvmComponents['schemas']['Offer']
    >();
    expectTypeOf<ItemsOf<ReturnType<typeof tvm.paginate<'/v1/vouchers'>>>>().toEqualTypeOf<
      TvmComponents['schemas']['Voucher']
    >();
    expectTypeOf<ItemsOf<ReturnType<typeof tvm.paginate<'/v1/content'>>>>().toEqualTypeOf<
      TvmComponents['schemas']['ContentItem']
    >();
    const pages = tvm.paginate('/v1/offers', { params: { query: { limit: 100, status: 'active' } } }).pages();
    expectTypeOf<ItemsOf<typeof pages>>().toEqualTypeOf<Page<'/v1/offers'>>();
    expectTypeOf<Page<'/v1/offers'>['totalPages']>().toEqualTypeOf<number>();
    expectTypeOf<Page<'/v1/offers'>['items'][number]>().toEqualTypeOf<TvmComponents['schemas']['Offer']>();
  });

  it('takes only paged lists and their own query', () => {
    // @ts-expect-error /v1/shop is not a list
    tvm.paginate('/v1/shop');
    // @ts-expect-error a single offer is not a list
    tvm.paginate('/v1/offers/{id}');
    // @ts-expect-error status is an enum
    tvm.paginate('/v1/offers', { params: { query: { status: 'bogus' } } });
    // @ts-expect-error MVO has no paged list, so no paginate
    void mvo.paginate;
  });
});

describe('unwrap and the error classes', () => {
  it('unwrap resolves to the payload, as the resource methods do (TVM: the envelope’s data; MVO: the body)', async () => {
    const { data, error } = await tvm.GET('/v1/shop');
    if (!error) expectTypeOf(unwrap(tvm.GET('/v1/shop'))).resolves.toEqualTypeOf<typeof data.data>();
    expectTypeOf(unwrap(tvm.GET('/v1/shop'))).resolves.toEqualTypeOf<Awaited<ReturnType<typeof tvm.shop.get>>>();
    expectTypeOf(unwrap(tvm.GET('/v1/shop')))
      .resolves.toHaveProperty('name')
      .toEqualTypeOf<string>();
    expectTypeOf(unwrapMvo(mvo.GET('/api/customers/{id}', { params: { path: { id: ID } } }))).resolves.toEqualTypeOf<
      MvoComponents['schemas']['Customer']
    >();
  });

  it("instanceof narrows to the class, its body typed by the entry point's envelope", () => {
    const caught: unknown = undefined;
    if (caught instanceof NotFoundError) {
      // whatever the answer carried: the envelope (JSON), text (an HTML 502 from a proxy) or nothing
      expectTypeOf(caught.body).toEqualTypeOf<TvmError | string | undefined>();
      expectTypeOf(caught.status).toEqualTypeOf<number>();
      expectTypeOf(caught.requestId).toEqualTypeOf<string | undefined>();
    }
    if (caught instanceof MvoNotFoundError) expectTypeOf(caught.body).toEqualTypeOf<MvoError | string | undefined>();
    if (caught instanceof RateLimitError) expectTypeOf(caught.retryAfter).toEqualTypeOf<number | undefined>();
    expectTypeOf<NotFoundError>().toMatchTypeOf<ApiError>();
  });
});

describe('per-call options and observability', () => {
  it('timeoutMs and maxRetries are typed on every call, next to the required params', () => {
    void tvm.GET('/v1/shop', { maxRetries: 0, timeoutMs: 2_000 });
    void mvo.PATCH('/api/customers/{id}', {
      params: { path: { id: ID } },
      body: { first_name: 'Jane' },
      maxRetries: 1,
    });
    // @ts-expect-error maxRetries is a number
    void tvm.GET('/v1/shop', { maxRetries: '0' });
    // @ts-expect-error the path params stay required
    void mvo.GET('/api/customers/{id}', { maxRetries: 0 });
  });

  it('logger, logLevel and onRetry are typed', () => {
    createTvmClient({
      logger: console,
      logLevel: 'debug',
      onRetry: (retry) => expectTypeOf(retry).toEqualTypeOf<RetryInfo>(),
    });
    // @ts-expect-error no such level
    createTvmClient({ logLevel: 'verbose' });
    // @ts-expect-error a logger needs debug, info, warn and error
    createMvoClient({ logger: { info: () => {} } });
  });
});
