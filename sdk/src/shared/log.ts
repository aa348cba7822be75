/**
 * @module
 * The SDK's own log lines: off unless asked for (the `logLevel` option or the `VIRTUAL_COMMERCE_LOG` environment
 * variable), written to any logger with `debug`/`info`/`warn`/`error` methods (`console`, pino, winston…), every
 * line passed through the key redactor first.
 */

export const LOG_LEVELS = ['off', 'error', 'warn', 'info', 'debug'] as const;
/** `error`: calls that got no answer; `warn`: plus each retry; `info`: plus one line per answer; `debug`: plus each attempt sent. */
export type LogLevel = (typeof LOG_LEVELS)[number];
/** The environment variable that sets `logLevel` when the option is not given. */
export const LOG_LEVEL_ENV_VAR = 'VIRTUAL_COMMERCE_LOG';

/** Anything with these four methods: `console`, a pino or winston logger. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A wait before a retry at least this long is logged at `warn` even when no level was chosen. */
export const LONG_WAIT_MS = 5_000;

/**
 * One function per enabled level; a disabled level is `undefined`, so `log.info?.(…)` costs nothing when off.
 * `longWait` is where a retry wait of {@link LONG_WAIT_MS} or more goes: `warn`, also when no level was chosen (a
 * 45-second wait for a rate limit should never be silent), but not when `off` was chosen.
 */
export type Log = Partial<Record<Exclude<LogLevel, 'off'> | 'longWait', (message: string) => void>>;

export function createLog(logger: Logger, level: LogLevel, redact: (text: string) => string, chosen = true): Log {
  const log: Log = {};
  for (const name of ['error', 'warn', 'info', 'debug'] as const) {
    if (LOG_LEVELS.indexOf(name) <= LOG_LEVELS.indexOf(level))
      log[name] = (message) => logger[name](redact(`virtual-commerce-sdk: ${message}`));
  }
  log.longWait =
    log.warn ?? (chosen ? undefined : (message) => logger.warn(redact(`virtual-commerce-sdk: ${message}`)));
  return log;
}
