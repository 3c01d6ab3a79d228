import { argsForLog, errorForLog, fieldsForLog, LOG_REDACT_PATHS } from '@exact-sync/core';
import type { LogFn, LoggerOptions } from 'pino';

/**
 * Log options of the api's Fastify logger, applied to every line: credentials and an order's personal fields are
 * redacted wherever they appear in a logged object, errors are logged without the data they quote (a database
 * error by code, constraint, table and column; see `errorForLog` in @exact-sync/core), and query strings are
 * dropped from logged URLs, since OAuth codes and signatures travel there.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: [...LOG_REDACT_PATHS], censor: '[redacted]' },
    formatters: { log: fieldsForLog },
    hooks: {
      logMethod(args, method) {
        method.apply(this, argsForLog(args) as Parameters<LogFn>);
      },
    },
    serializers: {
      err: errorForLog,
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: req.url.split('?')[0],
        id: req.id,
      }),
    },
  };
}
