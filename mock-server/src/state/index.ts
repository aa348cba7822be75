/** The stateful layer of the mocks: per-account data answering the API's operations (issue 9). */
import type { ApiModel } from '../model/types.ts';
import { createMvoState } from './mvo.ts';
import { idSource, type Random } from './random.ts';
import { createTvmState } from './tvm.ts';
import type { ApiState } from './types.ts';

export { seededRandom, type Random } from './random.ts';
export type { ApiState, StateAnswer, StateRequest } from './types.ts';

export function createState(model: ApiModel, random?: Random): ApiState {
  const ids = idSource(random);
  return model.api === 'mvo' ? createMvoState(model, ids) : createTvmState(model, ids);
}
