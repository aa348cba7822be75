/** `POST /__mock/generate`: realistic items for paging and list UIs (state/generate.ts). */
import type { ApiModel } from '../model/types.ts';
import type { Dialect } from '../pipeline/dialect.ts';
import type { Answer } from '../pipeline/types.ts';
import { generateItems, type GenerateRequest } from '../state/generate.ts';
import type { ApiState } from '../state/index.ts';
import type { Random } from '../state/random.ts';
import type { Handler } from './control-api.ts';

/** `random`: the mock's own generator (`--random-seed`), which seeds faker when a request gives no `seed`. */
export function generateRoutes(
  model: ApiModel,
  state: ApiState | undefined,
  dialect: Pick<Dialect, 'error'>,
  random: Random = Math.random,
): Record<string, Handler> {
  return {
    async generateMockData({ body, at }: { body: GenerateRequest; at: Date }): Promise<Answer> {
      if (!state)
        return { status: 404, body: dialect.error(404, `${model.title} keeps no data: the mock is stateless`) };
      const generated = await generateItems(model, state, body, at, random);
      if ('problem' in generated) return { status: 400, body: dialect.error(400, generated.problem) };
      return {
        status: 201,
        body: JSON.stringify({ resource: body.resource, account: generated.account, items: generated.items }),
      };
    },
  };
}
