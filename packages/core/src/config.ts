import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);
const nonNegative = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** 32 bytes, given as 64 hex characters or as base64. */
const encryptionKey = z
  .string()
  .refine(
    (v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32,
    'must be 32 bytes: 64 hex characters or base64 of 32 bytes',
  );

/**
 * Every environment variable of the api and the worker. Both read the same set; each uses what it needs. Names are
 * part of the service's interface (see DESIGN.md, "The interface").
 */
export const serviceEnvSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }),
  EXACT_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://start.exactonline.nl'),
  EXACT_CLIENT_ID: z.string().min(1),
  EXACT_CLIENT_SECRET: z.string().min(1),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  EXACT_WEBHOOK_SECRET: z.string().min(1).optional(),
  TOKEN_ENCRYPTION_KEY: encryptionKey,
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  API_PORT: port(3000),
  WORKER_PORT: port(3001),
  SYNC_RESERVE_PER_MINUTE: nonNegative(10),
  SYNC_RESERVE_PER_DAY: nonNegative(300),
  /** Shortest interval at which the sync planner polls an entity, in ms. */
  SYNC_MIN_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * How long a webhook-triggered sync waits before it runs, in ms: deliveries within this window (after a run, or
   * before it starts) fold into one run.
   */
  WEBHOOK_DEBOUNCE_MS: z.coerce.number().int().min(0).default(3_000),
  /** How long an entity (or deletions chain) that Exact refused for good (400, 403, 404) waits before a retry, in ms. */
  SYNC_ERROR_RETRY_MS: z.coerce.number().int().min(100).default(3_600_000),
  /**
   * Days a deletions cursor may go without a complete run before it is deemed older than Exact's memory (Exact keeps
   * deletions two months): the entities it covers are then re-read in full, once.
   */
  DELETED_RETENTION_DAYS: z.coerce.number().min(0.0001).max(60).default(55),
  /**
   * The window over which the deletions strategy (one unfiltered chain, or one per entity type) is measured and
   * compared, in ms; also how often the unfiltered chain is probed while the per-type chains run.
   */
  DELETION_STRATEGY_WINDOW_MS: z.coerce.number().int().min(1_000).default(86_400_000),
  /** How often the worker reconciles queues with Postgres and re-plans polling, in ms. */
  MAINTENANCE_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * Requests a minute one storefront API key may make (counted per api process). High by default: it stops a
   * runaway client, not ordinary load or the ingest benchmark.
   */
  STOREFRONT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /** How often the worker asks Exact whether a division moved (its Timestamps then restart), in ms. */
  DIVISION_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).default(86_400_000),
  /**
   * How old a change must be before `updated_since` / cursor feeds show it, in ms: longer than the longest write
   * transaction, so a reader never moves past a change that has not committed yet.
   */
  FEED_SETTLE_MS: z.coerce.number().int().min(0).default(2_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prefix of every Redis key (queues and budgets), so several installations or tests can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/, 'may only contain letters, digits, "-" and "_"')
    .default('exs'),
});
export type ServiceEnv = z.infer<typeof serviceEnvSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once; on failure the message lists every bad variable with the reason. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const reason = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return `  ${name}: ${reason}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
