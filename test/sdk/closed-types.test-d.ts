/**
 * Closed types: a misspelt call option or body field does not compile, on the path methods and on the resource
 * methods; TVM's dates are strings; the spec's named schemas are exported by name; the resource methods return
 * the payload, pages typed by their items.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { createMvoClient, type Customer, type CustomerCreate, type MvoError } from '../../sdk/src/mvo/index.ts';
import {
  createTvmClient,
  type Offer,
  type OfferCreate,
  type Shop,
  type TvmError,
  type WithResponse,
} from '../../sdk/src/tvm/index.ts';

const mvo = createMvoClient({ apiKey: 'sk_live_' + 'a'.repeat(48) });
const tvm = createTvmClient({ apiKey: 'tvm_' + 'a'.repeat(32) });
const ID = '550e8400-e29b-41d4-a716-446655440000';

describe('unknown keys do not compile', () => {
  it('call options of the path methods', () => {
    void tvm.GET('/v1/shop', { timeoutMs: 5 });
    // @ts-expect-error timoutMs is not an option
    void tvm.GET('/v1/shop', { timoutMs: 5 });
    // @ts-expect-error maxRetry is not an option
    void mvo.GET('/api/customers/{id}', { params: { path: { id: ID } }, maxRetry: 1 });
  });

  it('body fields of the path methods', () => {
    void tvm.POST('/v1/offers', { body: { title: 'Sale', discountValue: 20 } });
    // @ts-expect-error discountvalue (lower case) is not a field
    void tvm.POST('/v1/offers', { body: { title: 'Sale', discountvalue: 20 } });
    void mvo.POST('/api/customers', {
      // @ts-expect-error firstName is not a field
      body: { first_name: 'J', last_name: 'D', email: 'j@example.com', firstName: 'J' },
    });
  });

  it('body fields, query filters and options of the resource methods', () => {
    void tvm.offers.create({ title: 'Sale', discountValue: 20 });
    // @ts-expect-error discountvalue (lower case) is not a field
    void tvm.offers.create({ title: 'Sale', discountvalue: 20 });
    // @ts-expect-error statuss is not a filter
    void tvm.offers.list({ statuss: 'active' });
    // @ts-expect-error no such status
    void tvm.offers.list({ status: 'live' });
    void tvm.offers.get('offer_1', {
      timeoutMs: 1_000,
      maxRetries: 0,
      signal: AbortSignal.timeout(5_000),
      headers: { 'x-trace': '1' },
    });
    // @ts-expect-error timoutMs is not an option
    void tvm.offers.get('offer_1', { timoutMs: 1_000 });
    // @ts-expect-error the id is required
    void mvo.customers.get();
    // @ts-expect-error create needs its required fields
    void mvo.customers.create({ first_name: 'J' });
  });
});

describe('dates are strings', () => {
  it('on requests and responses', () => {
    expectTypeOf<NonNullable<OfferCreate['expiresAt']>>().toEqualTypeOf<string>();
    // @ts-expect-error a date is a string, not a number
    void tvm.offers.create({ title: 'Sale', expiresAt: 42 });
    expectTypeOf<Customer['created_at']>().toEqualTypeOf<string>();
  });
});

describe('the resource methods return the payload', () => {
  it('TVM: the envelope’s data, meta through withResponse()', () => {
    expectTypeOf(tvm.shop.get()).resolves.toEqualTypeOf<Shop>();
    expectTypeOf(tvm.offers.get('offer_1')).resolves.toEqualTypeOf<Offer>();
    expectTypeOf(tvm.offers.get('offer_1').withResponse()).resolves.toMatchTypeOf<
      WithResponse<Offer, { requestId: string; timestamp: string }>
    >();
  });

  it('TVM lists: the page awaited, the items iterated', async () => {
    const page = await tvm.offers.list({ status: 'active' });
    expectTypeOf(page.items).toEqualTypeOf<Offer[]>();
    expectTypeOf(page.totalPages).toEqualTypeOf<number>();
    for await (const offer of tvm.offers.list()) expectTypeOf(offer).toEqualTypeOf<Offer>();
  });

  it('MVO: the body; a 204 is undefined', () => {
    expectTypeOf(
      mvo.customers.create({ first_name: 'J', last_name: 'D', email: 'j@example.com' } satisfies CustomerCreate),
    ).resolves.toEqualTypeOf<Customer>();
    expectTypeOf(mvo.customers.delete(ID)).resolves.toEqualTypeOf<undefined>();
  });

  it('error bodies: the envelope, text or nothing', () => {
    type Body<E> = E extends { body: infer B } ? B : never;
    expectTypeOf<Body<InstanceType<typeof import('../../sdk/src/tvm/index.ts').NotFoundError>>>().toEqualTypeOf<
      TvmError | string | undefined
    >();
    expectTypeOf<Body<InstanceType<typeof import('../../sdk/src/mvo/index.ts').ConflictError>>>().toEqualTypeOf<
      MvoError | string | undefined
    >();
  });
});
