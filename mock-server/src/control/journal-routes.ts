/** `GET` and `DELETE /__mock/requests`: the request journal, filtered as openapi/mock/ describes (its query schema checks the filters). */
import type { JournalBook, JournalFilter } from '../pipeline/journal.ts';
import type { Handler } from './control-api.ts';

export function journalRoutes(journal: JournalBook): Record<string, Handler> {
  return {
    listMockRequests: async ({ query }) => {
      const { limit, ...filter } = query as JournalFilter;
      // Every match, for `matched`; then the first `limit` of them (a control call: 1,000 entries at most).
      const [recorded, matching] = await Promise.all([journal.count(), journal.list(filter)]);
      const requests = limit === undefined ? matching : matching.slice(0, limit);
      return {
        status: 200,
        body: JSON.stringify({ capacity: journal.capacity, recorded, matched: matching.length, requests }),
      };
    },
    async clearMockRequests() {
      await journal.clear();
      return { status: 204 };
    },
  };
}
