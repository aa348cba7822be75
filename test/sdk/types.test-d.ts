/**
 * Type-level tests (vitest typecheck): the clients' types come from the spec. Each `@ts-expect-error` fails the
 * run if the line it guards ever type-checks.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { createMvoClient, isAuthError as isMvoAuthError, type MvoClient, type MvoClientOptions, type MvoError, type components as MvoComponents } from '../../sdk/src/mvo/index.ts';
import { createTvmClient, isAuthError, isRateLimited, type TvmClient, type TvmError, type TvmErrorCode, type components as TvmComponents } from '../../sdk/src/tvm/index.ts';

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
    expectTypeOf<MvoComponents['schemas']['CustomerCreate']['status']>().toEqualTypeOf<'active' | 'inactive' | 'suspended' | undefined>();
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
      expectTypeOf(isRateLimited).parameter(0).toMatchTypeOf<TvmError | Response | null | undefined>();
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
