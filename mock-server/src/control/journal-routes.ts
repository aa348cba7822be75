/** `GET` and `DELETE /__mock/requests`: the request journal, filtered as openapi/mock/ describes (its query schema checks the filters). */
import type { Journal, JournalFilter } from '../pipeline/journal.ts';
import type { Handler } from './control-api.ts';

export function journalRoutes(journal: Journal): Record<string, Handler> {
  return {
    listMockRequests: ({ query }) => ({
      status: 200,
      body: JSON.stringify({ capacity: journal.capacity, recorded: journal.recorded, requests: journal.list(query as JournalFilter) }),
    }),
    clearMockRequests() {
      journal.clear();
      return { status: 204 };
    },
  };
}
