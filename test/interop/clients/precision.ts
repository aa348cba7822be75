/**
 * The generated types keep what the contract says, not just "something that compiles": OpenAPI 3.1
 * boolean `const`s stay boolean literals (a generator that turns them into the string "true" fails here),
 * and the control API's review body is the union of its two complete shapes, with the enums the mocks enforce.
 */
import type { Deleted as HeyDeleted, ErrorEnvelope as HeyError, SuccessEnvelope as HeySuccess } from '../../../.tmp/interop/hey-api/tvm/types.gen.ts';
import type { Deleted as KubbDeleted } from '../../../.tmp/interop/kubb/tvm/types/Deleted.ts';
import type { ErrorEnvelope as KubbError } from '../../../.tmp/interop/kubb/tvm/types/ErrorEnvelope.ts';
import type { SuccessEnvelope as KubbSuccess } from '../../../.tmp/interop/kubb/tvm/types/SuccessEnvelope.ts';
import type { Deleted as OrvalDeleted, ErrorEnvelope as OrvalError, SuccessEnvelope as OrvalSuccess } from '../../../.tmp/interop/orval/tvm/client.ts';
import type { MockReview as HeyReview, TvmScope as HeyScope } from '../../../.tmp/interop/hey-api/mock/types.gen.ts';
import type { MockReview as KubbReview } from '../../../.tmp/interop/kubb/mock/types/MockReview.ts';
import type { TvmScope as KubbScope } from '../../../.tmp/interop/kubb/mock/types/TvmScope.ts';
import type { MockReview as OrvalReview, TvmScope as OrvalScope } from '../../../.tmp/interop/orval/mock/client.ts';

import type { OfferCreate as HeyOfferCreate } from '../../../.tmp/interop/hey-api/tvm/types.gen.ts';
import type { OfferCreate as OrvalOfferCreate } from '../../../.tmp/interop/orval/tvm/client.ts';
import type { OfferCreate as KubbOfferCreate } from '../../../.tmp/interop/kubb/tvm/types/OfferCreate.ts';
import type { schemas as zodSchemas } from '../../../.tmp/interop/zod-client/tvm/client.ts';
import type { z } from 'zod';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

export type BooleanConsts = [
  Expect<Equal<HeyDeleted['deleted'], true>>,
  Expect<Equal<HeySuccess['success'], true>>,
  Expect<Equal<HeyError['success'], false>>,
  Expect<Equal<OrvalDeleted['deleted'], true>>,
  Expect<Equal<OrvalSuccess['success'], true>>,
  Expect<Equal<OrvalError['success'], false>>,
  Expect<Equal<KubbDeleted['deleted'], true>>,
  Expect<Equal<KubbSuccess['success'], true>>,
  Expect<Equal<KubbError['success'], false>>,
];

type Review = { id: string; decision: 'approve' | 'reject' } | { id: string; status: 'active' | 'needs_review' | 'expired' };
type Scope = 'shops:read' | 'shops:write' | 'offers:read' | 'offers:write' | 'vouchers:read' | 'vouchers:write' | 'content:read' | 'content:write' | '*';

export type ControlApiTypes = [
  Expect<Equal<HeyReview, Review>>,
  Expect<Equal<OrvalReview, Review>>,
  Expect<Equal<KubbReview, Review>>,
  Expect<Equal<HeyScope, Scope>>,
  Expect<Equal<OrvalScope, Scope>>,
  Expect<Equal<KubbScope, Scope>>,
];

/** TVM's dates (`DateOrDateTime`: a date or a date-time, TVM-A8) are strings in every generator, not `unknown` or `Date`. */
export type DatesAreStrings = [
  Expect<Equal<NonNullable<HeyOfferCreate['startsAt']>, string>>,
  Expect<Equal<NonNullable<OrvalOfferCreate['startsAt']>, string>>,
  Expect<Equal<NonNullable<KubbOfferCreate['startsAt']>, string>>,
  Expect<Equal<NonNullable<z.infer<typeof zodSchemas.OfferCreate>['startsAt']>, string>>,
];
