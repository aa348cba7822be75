/**
 * One connection to the sandbox's Redis (or Valkey), shared by the mocks of a process. node-redis (the
 * `@redis/client` core, pinned) pipelines the commands issued in the same tick on it, runs the Lua scripts of
 * scripts.ts by SHA1, and reconnects by itself; while it is down, commands fail at once (no offline queue), so
 * requests are answered 503 instead of waiting, and the first command after it is back succeeds again.
 * Imported only when a Redis store is asked for: the MSW bundles never load it.
 */
import { createClient } from '@redis/client';
import type { ApiName } from '../../model/types.ts';
import { StoreUnavailableError } from '../store.ts';
import { scripts, type LogKeys } from './scripts.ts';

/** `connected`: whether it ever was; until then a failure is final (the start stops), after it retried for good. */
const client = (url: string, connected: () => boolean) =>
  createClient({
    url,
    scripts,
    disableOfflineQueue: true,
    // Try again soon after a loss, and keep trying: the sandbox recovers by itself when Redis is back.
    socket: {
      reconnectStrategy: (retries: number, cause: Error) => (connected() ? Math.min(50 * 2 ** retries, 1000) : cause),
      connectTimeout: 2000,
    },
  });
export type RedisClient = ReturnType<typeof client>;

/** Every key of one mocked API in one sandbox: `<prefix>:<api>:…`. */
export interface SandboxKeys extends LogKeys {
  seeded: string;
  rateGeneration: string;
  rateCounters: string;
  scenarios: string;
  scenarioNext: string;
  scenarioRemaining: string;
  scenarioServed: string;
  journal: string;
  journalCount: string;
}

export function sandboxKeys(prefix: string, api: ApiName): SandboxKeys {
  const base = `${prefix}:${api}:`;
  return {
    log: `${base}log`,
    snapshot: `${base}snapshot`,
    seq: `${base}seq`,
    scenarioVersion: `${base}scenarios:version`,
    lock: `${base}lock`,
    logBytes: `${base}log:bytes`,
    seeded: `${base}seeded`,
    rateGeneration: `${base}rate:generation`,
    rateCounters: `${base}rate:`,
    scenarios: `${base}scenarios`,
    scenarioNext: `${base}scenarios:next`,
    scenarioRemaining: `${base}scenarios:remaining`,
    scenarioServed: `${base}scenarios:served`,
    journal: `${base}journal`,
    journalCount: `${base}journal:count`,
  };
}

export class RedisConnection {
  readonly client: RedisClient;
  /** `host:port/db`, never the user or password of the URL. */
  readonly where: string;
  #lastError: string | undefined;
  #connected = false;

  private constructor(url: string) {
    const parsed = new URL(url);
    this.where = `${parsed.hostname}:${parsed.port || 6379}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
    this.client = client(url, () => this.#connected);
    // Errors also reach the command that failed; this keeps the process alive and remembers why.
    this.client.on('error', (cause: Error) => {
      this.#lastError = (cause as NodeJS.ErrnoException).code ?? cause.message;
    });
    this.client.on('ready', () => {
      this.#connected = true;
      this.#lastError = undefined;
    });
  }

  /** Connects once; a sandbox whose Redis is unreachable at start does not start (nothing to serve from). */
  static async open(url: string): Promise<RedisConnection> {
    const connection = new RedisConnection(url);
    try {
      await connection.client.connect();
    } catch (cause) {
      connection.client.destroy();
      throw new StoreUnavailableError(
        `Redis at ${connection.where} is unreachable (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`,
      );
    }
    return connection;
  }

  /** Why Redis cannot be used now, or undefined when it can. */
  problem(): string | undefined {
    return this.client.isReady
      ? undefined
      : `Redis at ${this.where} is unreachable${this.#lastError ? ` (${this.#lastError})` : ''}`;
  }

  /** Runs commands; any failure (down, refused, a script error) becomes a StoreUnavailableError saying why. */
  async run<T>(commands: (client: RedisClient) => Promise<T>): Promise<T> {
    try {
      return await commands(this.client);
    } catch (cause) {
      if (cause instanceof StoreUnavailableError) throw cause;
      throw new StoreUnavailableError(this.problem() ?? `Redis at ${this.where} failed: ${(cause as Error).message}`);
    }
  }

  close(): Promise<void> | void {
    return this.client.isOpen ? this.client.close() : this.client.destroy();
  }
}
