/**
 * The stateful layer of the mocks: per-account data answering every operation of the API. Which operations it
 * serves is checked at start-up: an operation it has no rule for (a new shape in the spec) stops the stateful
 * mock with its name, instead of quietly answering from the examples.
 */
import type { ApiModel, ApiName } from '../model/types.ts';
import type { Dialect } from '../pipeline/dialect.ts';
import { mvoRules } from './mvo.ts';
import { idSource, type IdSource, type Random } from './random.ts';
import { createApiState, type AccountRecords, type StateRules } from './skeleton.ts';
import { tvmRules } from './tvm.ts';
import type { ApiState } from './types.ts';
import type { ChangeSink } from '../store/patch.ts';

export { seededRandom, type Random } from './random.ts';
export type { ApiState, StateAnswer, StateRequest } from './types.ts';

/** Each API's stateful rules: the one home of what its stateful layer does differently (skeleton.ts is the rest). */
const RULES: Record<ApiName, (model: ApiModel, dialect: Dialect, ids: IdSource) => StateRules<any>> = {
  mvo: (_model, _dialect, ids) => mvoRules(ids),
  tvm: tvmRules,
};

/** The API's stateful rules. */
export function stateRules(model: ApiModel, dialect: Dialect, ids: IdSource): StateRules<AccountRecords> {
  return RULES[model.api](model, dialect, ids);
}

/** `changes` receives every change as a document patch (the store: counted in memory, or written to disk). */
export function createState(model: ApiModel, dialect: Dialect, random?: Random, changes?: ChangeSink): ApiState {
  const ids = idSource(random);
  const state = createApiState<AccountRecords>(model, dialect, ids, stateRules(model, dialect, ids), changes);
  const unserved = model.operations.filter((op) => !state.serves(op));
  if (unserved.length) {
    const names = unserved.map((op) => `${op.operationId} (${op.method} ${op.path})`).join(', ');
    throw new Error(
      `${model.title}: the stateful mock has no rule for ${names}. A collection (GET/POST /things, GET/PUT/PATCH/DELETE ` +
        `/things/{id}) or a singleton (GET/PUT /thing) is served from its schemas; any other shape needs a rule in ` +
        `mock-server/src/state/${model.api}.ts (its StateRules), or run the mock stateless (--stateless, stateful: false).`,
    );
  }
  return state;
}
