/** `GET` and `DELETE /__mock/requests`: the request journal, filtered as openapi/mock/ describes (its query schema checks the filters). */
import type { JournalBook, JournalFilter } from '../pipeline/journal.ts';
import type { Handler } from './control-api.ts';

export function journalRoutes(journal: JournalBook): Record<string, Handler> {
  return {
    listMockRequests: async ({ query }) => {
      const [recorded, requests] = await Promise.all([journal.count(), journal.list(query as JournalFilter)]);
      return { status: 200, body: JSON.stringify({ capacity: journal.capacity, recorded, requests }) };
    },
    async clearMockRequests() {
      await journal.clear();
      return { status: 204 };
    },
  };
}
