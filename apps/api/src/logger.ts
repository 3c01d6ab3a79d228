import type { LoggerOptions } from 'pino';

/**
 * Log options shared by the api's Fastify logger. Authorization headers, tokens, keys and secrets are redacted
 * wherever they appear in a logged object; query strings are dropped from logged URLs, since OAuth codes and
 * signatures travel there.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.access_token',
        '*.refresh_token',
        '*.key',
        '*.secret',
        '*.token',
        '*.password',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: req.url.split('?')[0],
        id: req.id,
      }),
    },
  };
}
