import { argsForLog, errorForLog, fieldsForLog, LOG_REDACT_PATHS } from '@exact-sync/core';
import { type DestinationStream, type LogFn, type Logger, type LoggerOptions, pino } from 'pino';

/**
 * The worker's logger. Every line keeps to the same rules as the api's: credentials and an order's personal fields
 * are redacted wherever they appear, and errors are logged without the data they quote (a database error by code,
 * constraint, table and column; an Exact error by status and endpoint, since Exact's message can echo the order).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { app: 'worker' },
    redact: { paths: [...LOG_REDACT_PATHS], censor: '[redacted]' },
    formatters: { log: fieldsForLog },
    hooks: {
      logMethod(args, method) {
        method.apply(this, argsForLog(args) as Parameters<LogFn>);
      },
    },
    serializers: { err: errorForLog },
  } satisfies LoggerOptions;
  return destination ? pino(options, destination) : pino(options);
}
