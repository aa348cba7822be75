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

/** One function per enabled level; a disabled level is `undefined`, so `log.info?.(…)` costs nothing when off. */
export type Log = Partial<Record<Exclude<LogLevel, 'off'>, (message: string) => void>>;

export function createLog(logger: Logger, level: LogLevel, redact: (text: string) => string): Log {
  const log: Log = {};
  for (const name of ['error', 'warn', 'info', 'debug'] as const) {
    if (LOG_LEVELS.indexOf(name) <= LOG_LEVELS.indexOf(level)) log[name] = (message) => logger[name](redact(`virtual-commerce-sdk: ${message}`));
  }
  return log;
}
