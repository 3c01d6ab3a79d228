/** Keyset position of a feed ordered by (updatedAt, id): opaque to clients, base64url of both parts. */
export interface FeedPosition {
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
