/** `GET` and `PUT /__mock/state`: the mock's keys and data as one document (state/document.ts), replaced all or nothing. */
import type { Dialect } from '../pipeline/dialect.ts';
import type { Answer } from '../pipeline/types.ts';
import { exportState, prepareState, type DocumentContext } from '../state/document.ts';
import type { StateStore } from '../store/store.ts';
import { STATE_FILE_HEADER, type Handler } from './control-api.ts';

/** `persistence`: the state file's health, reported on every export (absent when the state lives in memory only). */
export function stateRoutes(
  ctx: DocumentContext,
  dialect: Pick<Dialect, 'error'>,
  persistence?: StateStore['persistence'],
): Record<string, Handler> {
  const health = (): Record<string, string> | undefined => {
    const now = persistence?.health();
    return now && { [STATE_FILE_HEADER]: now.ok ? 'ok' : `failing; ${now.problem}` };
  };
  return {
    getMockState: ({ at }): Answer => ({ status: 200, body: JSON.stringify(exportState(ctx, at)), headers: health() }),
    async putMockState({ body, at }): Promise<Answer> {
      const prepared = await prepareState(ctx, body, at);
      if ('problem' in prepared) return { status: 400, body: dialect.error(400, `body/${prepared.problem}`) };
      prepared.commit();
      return { status: 204 };
    },
  };
}
