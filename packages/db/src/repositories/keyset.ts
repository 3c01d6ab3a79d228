import { and, asc, eq, gt, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** Keyset position of a feed ordered by (updatedAt, id): opaque to clients, base64url of both parts. */
interface FeedPosition {
  readonly updatedAt: Date;
  readonly id: string;
}

/** A cursor this service did not hand out (altered, truncated, or from elsewhere). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** One page of a feed; `nextCursor` is null on the last page. */
export interface FeedPage<R> {
  data: R[];
  nextCursor: string | null;
}

/** The columns a feed is ordered by (change time, then a unique id that breaks ties) and a row's values of them. */
export interface FeedKey<R> {
  readonly updatedAt: PgColumn;
  readonly id: PgColumn;
  positionOf(row: R): FeedPosition;
}

/** What a feed's query is given: its filters with the cursor's position added, the order, and how many to read. */
export interface FeedQuery {
  where: SQL | undefined;
  orderBy: [SQL, SQL];
  limit: number;
}

function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`${position.updatedAt.toISOString()}|${position.id}`).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// What `toISOString()` writes for the years 0000 to 9999; other years get a sign, which Postgres cannot read.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** True for a time `encodeCursor` can have written and Postgres reads back: years 0001 to 9999, exactly as written. */
function isCursorTime(iso: string, time: Date): boolean {
  return (
    ISO_TIME.test(iso) &&
    !Number.isNaN(time.getTime()) &&
    time.toISOString() === iso &&
    time.getUTCFullYear() >= 1
  );
}

// Only what `encodeCursor` writes gets through: a time Postgres would refuse (year 0, a year past 9999, a day that
// does not exist) or an id that is not a UUID would otherwise reach the database as an error.
function decodeCursor(cursor: string): FeedPosition {
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  const [iso = '', id = ''] = parts;
  const updatedAt = new Date(iso);
  if (parts.length !== 2 || !UUID.test(id) || !isCursorTime(iso, updatedAt)) {
    throw new InvalidCursorError('cursor is not one this service handed out');
  }
  return { updatedAt, id };
}

/**
 * Reads one page of a feed ordered by (updatedAt, id), the one way every feed pages: rows after the cursor's
 * position, one row beyond `limit` (its presence means another page follows), and the cursor of the last row
 * returned. Throws InvalidCursorError for a cursor this service did not hand out.
 */
export async function keysetPage<R>(
  key: FeedKey<R>,
  page: { filters: (SQL | undefined)[]; cursor?: string | undefined; limit: number },
  read: (query: FeedQuery) => Promise<R[]>,
): Promise<FeedPage<R>> {
  const filters = [...page.filters];
  if (page.cursor !== undefined) {
    const position = decodeCursor(page.cursor);
    filters.push(
      or(
        gt(key.updatedAt, position.updatedAt),
        and(eq(key.updatedAt, position.updatedAt), gt(key.id, position.id)),
      ),
    );
  }
  const rows = await read({
    where: and(...filters),
    orderBy: [asc(key.updatedAt), asc(key.id)],
    limit: page.limit + 1,
  });
  const data = rows.slice(0, page.limit);
  const last = data.at(-1);
  const nextCursor = rows.length > page.limit && last ? encodeCursor(key.positionOf(last)) : null;
  return { data, nextCursor };
}

/**
 * Feeds ordered by change time only show changes older than `settleMs`. A change is stamped when its statement runs
 * but becomes visible when its transaction commits; a reader that moved past the stamp meanwhile would never see
 * it. Waiting out the longest write transaction closes that gap.
 */
export function settled(column: PgColumn, settleMs: number): SQL {
  return sql`${column} <= clock_timestamp() - make_interval(secs => ${settleMs / 1000})`;
}
