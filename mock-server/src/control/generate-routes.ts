/** `POST /__mock/generate`: realistic items for paging and list UIs (state/generate.ts). */
import type { ApiModel } from '../model/types.ts';
import type { Dialect } from '../pipeline/dialect.ts';
import type { Answer } from '../pipeline/types.ts';
import { generateItems, type GenerateRequest } from '../state/generate.ts';
import type { ApiState } from '../state/index.ts';
import type { Handler } from './control-api.ts';

export function generateRoutes(model: ApiModel, state: ApiState | undefined, dialect: Pick<Dialect, 'error'>): Record<string, Handler> {
  return {
    async generateMockData({ body, at }: { body: GenerateRequest; at: Date }): Promise<Answer> {
      if (!state) return { status: 404, body: dialect.error(404, `${model.title} keeps no data: the mock is stateless`) };
      const generated = await generateItems(model, state, body, at);
      if ('problem' in generated) return { status: 400, body: dialect.error(400, generated.problem) };
      return { status: 201, body: JSON.stringify({ resource: body.resource, account: generated.account, items: generated.items }) };
    },
  };
}
