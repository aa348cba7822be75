/**
 * The generated types keep what the contract says, not just "something that compiles": OpenAPI 3.1
 * boolean `const`s stay boolean literals (a generator that turns them into the string "true" fails here).
 */
import type { Deleted as HeyDeleted, ErrorEnvelope as HeyError, SuccessEnvelope as HeySuccess } from '../../../.tmp/interop/hey-api/tvm/types.gen.ts';
import type { Deleted as KubbDeleted } from '../../../.tmp/interop/kubb/tvm/types/Deleted.ts';
import type { ErrorEnvelope as KubbError } from '../../../.tmp/interop/kubb/tvm/types/ErrorEnvelope.ts';
import type { SuccessEnvelope as KubbSuccess } from '../../../.tmp/interop/kubb/tvm/types/SuccessEnvelope.ts';
import type { Deleted as OrvalDeleted, ErrorEnvelope as OrvalError, SuccessEnvelope as OrvalSuccess } from '../../../.tmp/interop/orval/tvm/client.ts';

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
