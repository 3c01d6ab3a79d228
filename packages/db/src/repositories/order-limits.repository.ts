import { and, desc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client.ts';
import { orders } from '../schema/orders.ts';

/** A key that has had as many of its orders rejected by Exact as its window allows. */
export interface RejectionHold {
  /** Exact's rejections of the key's orders in the window. */
  rejections: number;
  /** When the window has room again: the rejection that filled it leaves the window then. */
  until: Date;
  /** Seconds from now (by the database's clock) to `until`, rounded up; at least 1. */
  retryAfterSeconds: number;
}

const window = (ms: number): SQL => sql`make_interval(secs => ${ms / 1000})`;

/**
 * Whether a storefront key must wait: Exact rejected `limit` or more of its orders (a 4xx on the post) within the
 * window. Counted in Postgres, so every api and worker process sees the same count, with or without Redis.
 */
export async function exactRejectionHold(
  db: Executor,
  input: { apiKeyId: string; limit: number; windowMs: number },
): Promise<RejectionHold | undefined> {
  const until = sql<Date>`${orders.rejectedAt} + ${window(input.windowMs)}`;
  // Newest first: once the limit-th newest rejection leaves the window, fewer than `limit` remain in it.
  const [row] = await db
    .select({
      rejections: sql<number>`(count(*) over ())::int`,
      until: until.mapWith(orders.rejectedAt),
      retryAfterSeconds: sql<number>`greatest(1, ceil(extract(epoch from ${until} - now())))::int`,
    })
    .from(orders)
    .where(
      and(
        eq(orders.apiKeyId, input.apiKeyId),
        sql`${orders.rejection}->>'code' = 'exact_rejected'`,
        gt(orders.rejectedAt, sql`now() - ${window(input.windowMs)}`),
      ),
    )
    .orderBy(desc(orders.rejectedAt))
    .offset(Math.max(0, input.limit - 1))
    .limit(1);
  return row;
}

/**
 * Runs `fn` holding a session lock on a key's posts to Exact, or answers undefined when another process holds it.
 * `session` must be one connection (from `withSessionLock`): a session lock taken on a pool could be released on
 * another connection. Posting one order of a key at a time lets its rejection count be checked before each post.
 */
export async function withKeyPostLock<T>(
  session: Database,
  apiKeyId: string,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  const key = `order-post:${apiKeyId}`;
  const [row] = await session.execute<{ locked: boolean }>(
    sql`select pg_try_advisory_lock(hashtextextended(${key}, 0)) as locked`,
  );
  if (row?.locked !== true) return undefined;
  try {
    return await fn();
  } finally {
    await session.execute(sql`select pg_advisory_unlock(hashtextextended(${key}, 0))`);
  }
}
