/**
 * @module
 * Options common to both clients, their defaults and checks, and the redacted description a client shows to
 * `console.log`, `util.inspect` and `JSON.stringify` (the key itself lives only in closures).
 */
import { readEnv } from './env.js';
import { ConfigurationError } from './errors.js';
import { LOG_LEVEL_ENV_VAR, LOG_LEVELS, createLog, type Logger, type LogLevel } from './log.js';
import type { FetchLike, RetryInfo, TransportOptions } from './transport.js';

export interface CommonClientOptions {
  /** The API key. Default: the API's environment variable (`VIRTUAL_HUB_API_KEY` for MVO, `TVM_API_KEY` for TVM). */
  apiKey?: string;
  /**
   * Where to send requests, e.g. a mock server (`http://127.0.0.1:4010`): the origin, without the paths' `/v1` or
   * `/api`. Default: the API's environment variable (`VIRTUAL_HUB_BASE_URL`, `TVM_BASE_URL`), else the real API.
   */
  baseUrl?: string;
  /** The `fetch` to call. Default: `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Per-attempt timeout until response headers arrive, in ms. `0` turns it off. Default 30000. Also per call. */
  timeoutMs?: number;
  /** Retries of 429/503/network errors/timeouts for idempotent methods (never POST). Default 2. Also per call. */
  maxRetries?: number;
  /** The longest single wait before a retry, in ms. A server asking for longer gets no retry. Default 60000. */
  maxRetryDelayMs?: number;
  /** Replaces the wait between retries (tests, custom schedulers). Default: `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
  /** Where log lines go: anything with `debug`/`info`/`warn`/`error` (`console`, pino…). Default: `console`. */
  logger?: Logger;
  /**
   * How much to log. Default: the `VIRTUAL_COMMERCE_LOG` environment variable, else nothing but a `warn` line for
   * a retry wait of 5 s or more (`'off'` silences that too). Keys are masked.
   */
  logLevel?: LogLevel;
  /** Called before each retry with what failed and how long the SDK will wait. */
  onRetry?: (retry: RetryInfo) => void;
  /**
   * Allow construction where `window`/`document` exist. An API key in browser code is readable by anyone who
   * opens the page: only for tools where each user supplies their own key.
   */
  dangerouslyAllowBrowser?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `value`, or `fallback` when undefined; throws a {@link ConfigurationError} naming `where` for anything but a non-negative number. */
export function nonNegative(
  value: number | undefined,
  fallback: number,
  name: string,
  where: string,
  integer = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new ConfigurationError(
      `${where}: \`${name}\` must be a non-negative ${integer ? 'integer' : 'number'}, got ${String(value)}.`,
    );
  }
  return value;
}

function logLevel(options: CommonClientOptions, factory: string): LogLevel {
  const fromEnv = options.logLevel === undefined;
  const level = fromEnv ? readEnv(LOG_LEVEL_ENV_VAR) || 'off' : options.logLevel;
  if (!(LOG_LEVELS as readonly unknown[]).includes(level)) {
    const source = fromEnv ? `the ${LOG_LEVEL_ENV_VAR} environment variable` : '`logLevel`';
    throw new ConfigurationError(
      `${factory}: ${source} must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}.`,
    );
  }
  return level as LogLevel;
}

/** Checked transport settings from the options; `redact` masks the key in error messages and log lines. */
export function transportOptions(
  options: CommonClientOptions,
  factory: string,
  redact: (text: string) => string,
): TransportOptions {
  const fetch = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
  if (typeof fetch !== 'function') {
    throw new ConfigurationError(`${factory}: no \`fetch\` available. Use Node 20+ or pass \`fetch\`.`);
  }
  if (options.onRetry !== undefined && typeof options.onRetry !== 'function') {
    throw new ConfigurationError(`${factory}: \`onRetry\` must be a function.`);
  }
  const logger = options.logger ?? console;
  if (
    ['debug', 'info', 'warn', 'error'].some(
      (method) => typeof (logger as unknown as Record<string, unknown>)[method] !== 'function',
    )
  ) {
    throw new ConfigurationError(
      `${factory}: \`logger\` needs debug, info, warn and error methods (console and pino have them).`,
    );
  }
  return {
    fetch,
    timeoutMs: nonNegative(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs', factory),
    maxRetries: nonNegative(options.maxRetries, DEFAULT_MAX_RETRIES, 'maxRetries', factory, true),
    maxRetryDelayMs: nonNegative(options.maxRetryDelayMs, DEFAULT_MAX_RETRY_DELAY_MS, 'maxRetryDelayMs', factory),
    sleep: options.sleep ?? defaultSleep,
    redact,
    log: createLog(
      logger,
      logLevel(options, factory),
      redact,
      options.logLevel !== undefined || readEnv(LOG_LEVEL_ENV_VAR) !== undefined,
    ),
    onRetry: options.onRetry,
  };
}

/** The base URL to use: the option, else the API's environment variable (`VIRTUAL_HUB_BASE_URL`, `TVM_BASE_URL`), else none. */
export function chooseBaseUrl(
  option: string | undefined,
  envVar: string,
): { baseUrl: string | undefined; source: string } {
  if (option !== undefined) return { baseUrl: option, source: '`baseUrl`' };
  return { baseUrl: readEnv(envVar) || undefined, source: `the ${envVar} environment variable` };
}

/**
 * A base URL without trailing slash; throws if it is not an absolute http(s) URL, or if it ends in the path
 * prefix every operation already starts with (`/v1`, `/api`), which would request `/v1/v1/shop`.
 */
export function checkBaseUrl(baseUrl: string, source: string, factory: string, pathPrefix = ''): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(
      `${factory}: ${source} must be an absolute URL such as http://127.0.0.1:4010, got ${JSON.stringify(baseUrl)}.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`${factory}: ${source} must use http or https, got ${JSON.stringify(url.protocol)}.`);
  }
  const trimmed = baseUrl.replace(/\/+$/, '');
  if (pathPrefix && url.pathname.replace(/\/+$/, '').endsWith(pathPrefix)) {
    throw new ConfigurationError(
      `${factory}: ${source} ends in ${pathPrefix}, which every path already starts with (it would request ${pathPrefix}${pathPrefix}/…). ` +
        `Give the origin only: ${JSON.stringify(trimmed.slice(0, -pathPrefix.length))}.`,
    );
  }
  return trimmed;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** What a client says about itself: everything but the key, which is masked. */
export type ClientDescription = Readonly<Record<string, string | number | boolean>>;

/** Give `client` a redacted `toJSON` and `util.inspect` view (non-enumerable), and return it. */
export function withDescription<T extends object>(
  client: T,
  name: string,
  description: ClientDescription,
): T & { toJSON(): ClientDescription } {
  const frozen = Object.freeze({ ...description });
  return Object.defineProperties(client, {
    toJSON: { value: () => frozen },
    [INSPECT]: { value: () => `${name} ${JSON.stringify(frozen, null, 2)}` },
    [Symbol.toStringTag]: { value: name },
  }) as T & { toJSON(): ClientDescription };
}
