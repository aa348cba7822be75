/** `GET` and `PUT /__mock/state`: the mock's keys and data as one document (state/document.ts), replaced all or nothing. */
import type { Dialect } from '../pipeline/dialect.ts';
import type { Answer } from '../pipeline/types.ts';
import { exportState, prepareState, type DocumentContext } from '../state/document.ts';
import type { Handler } from './control-api.ts';

export function stateRoutes(ctx: DocumentContext, dialect: Pick<Dialect, 'error'>): Record<string, Handler> {
  return {
    getMockState: ({ at }): Answer => ({ status: 200, body: JSON.stringify(exportState(ctx, at)) }),
    async putMockState({ body, at }): Promise<Answer> {
      const prepared = await prepareState(ctx, body, at);
      if ('problem' in prepared) return { status: 400, body: dialect.error(400, `body/${prepared.problem}`) };
      prepared.commit();
      return { status: 204 };
    },
  };
}
