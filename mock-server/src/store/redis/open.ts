/** A mock's Redis store from `--store` / `startMockServer({ store: 'redis://…' })`: loaded only when asked for. */
import type { ApiName } from '../../model/types.ts';
import { RedisConnection, sandboxKeys } from './connection.ts';
import { DEFAULT_STORE_PREFIX } from './names.ts';
import { RedisStore } from './redis-store.ts';

export async function openRedisStore(
  url: string,
  api: ApiName,
  prefix = DEFAULT_STORE_PREFIX,
): Promise<{ store: RedisStore; close(): Promise<void> }> {
  const connection = await RedisConnection.open(url);
  return { store: new RedisStore(connection, sandboxKeys(prefix, api)), close: async () => connection.close() };
}
