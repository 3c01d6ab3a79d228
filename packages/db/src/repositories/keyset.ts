import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** Keyset position of a feed ordered by (updatedAt, id): opaque to clients, base64url of both parts. */
interface FeedPosition {
  readonly updatedAt: Date;
  readonly id: string;
}

export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`${position.updatedAt.toISOString()}|${position.id}`).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Answers undefined for a cursor this service did not hand out, so the route can name the bad parameter. */
export function decodeCursor(cursor: string): FeedPosition | undefined {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!iso || !id || !UUID.test(id)) return undefined;
  const updatedAt = new Date(iso);
  if (Number.isNaN(updatedAt.getTime())) return undefined;
  return { updatedAt, id };
}

/**
 * Feeds ordered by change time only show changes older than `settleMs`. A change is stamped when its statement runs
 * but becomes visible when its transaction commits; a reader that moved past the stamp meanwhile would never see
 * it. Waiting out the longest write transaction closes that gap.
 */
export function settled(column: PgColumn, settleMs: number): SQL {
  return sql`${column} <= clock_timestamp() - make_interval(secs => ${settleMs / 1000})`;
}
