import { connections, type Database } from '@exact-sync/db';
import { and, eq, lt, sql } from 'drizzle-orm';
import { TokenRefreshFailedError } from './token-errors.ts';

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
type Queryable = Pick<Database, 'select' | 'update'>;

/** The columns of a connection the token manager works with. */
export interface TokenRow {
  id: string;
  status: 'pending' | 'active' | 'needs_reauth';
  statusReason: string | null;
  exactBaseUrl: string;
  division: number | null;
  accessTokenEnc: string | null;
  refreshTokenEnc: string | null;
  accessTokenExpiresAt: Date | null;
  tokenIssuedAt: Date | null;
  refreshTokenIssuedAt: Date | null;
  reauthorizeRequestedAt: Date | null;
}

const columns = {
  id: connections.id,
  status: connections.status,
  statusReason: connections.statusReason,
  exactBaseUrl: connections.exactBaseUrl,
  division: connections.division,
  accessTokenEnc: connections.accessTokenEnc,
  refreshTokenEnc: connections.refreshTokenEnc,
  accessTokenExpiresAt: connections.accessTokenExpiresAt,
  tokenIssuedAt: connections.tokenIssuedAt,
  refreshTokenIssuedAt: connections.refreshTokenIssuedAt,
  reauthorizeRequestedAt: connections.reauthorizeRequestedAt,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function readTokenRow(db: Queryable, id: string): Promise<TokenRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = await db.select(columns).from(connections).where(eq(connections.id, id)).limit(1);
  return row;
}

/**
 * Runs `work` holding the connection's row lock (`SELECT … FOR UPDATE`), which every process takes before it
 * refreshes or stores tokens: the row read inside is the latest committed one. Waiting is bounded by `lockTimeoutMs`.
 */
export async function withLockedRow<T>(
  db: Database,
  id: string,
  lockTimeoutMs: number,
  work: (tx: Transaction, row: TokenRow | undefined) => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`));
      const row = UUID.test(id)
        ? (await tx.select(columns).from(connections).where(eq(connections.id, id)).for('update'))[0]
        : undefined;
      return await work(tx, row);
    });
  } catch (error) {
    if (isLockTimeout(error)) {
      throw new TokenRefreshFailedError(`connection ${id}: another process holds the token lock; try again`);
    }
    throw error;
  }
}

/** Postgres `lock_not_available` (55P03), directly or as the cause of drizzle's query error. */
function isLockTimeout(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth += 1) {
    if ((e as { code?: unknown }).code === '55P03') return true;
  }
  return false;
}

export interface StoredTokens {
  accessTokenEnc: string;
  refreshTokenEnc: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** Replaces both tokens at once: the rotated refresh token is never stored apart from its access token. */
export async function saveTokens(
  db: Queryable,
  id: string,
  tokens: StoredTokens,
  extra: { status?: 'active'; division?: number } = {},
): Promise<void> {
  await db
    .update(connections)
    .set({
      accessTokenEnc: tokens.accessTokenEnc,
      refreshTokenEnc: tokens.refreshTokenEnc,
      tokenIssuedAt: tokens.issuedAt,
      accessTokenExpiresAt: tokens.expiresAt,
      refreshTokenIssuedAt: tokens.issuedAt,
      ...(extra.status ? { status: extra.status, statusReason: null, reauthorizeRequestedAt: null } : {}),
      ...(extra.division !== undefined ? { division: extra.division } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(connections.id, id));
}

/** Moves the connection to `needs_reauth` and forgets its dead tokens. */
export async function markNeedsReauth(db: Queryable, id: string, reason: string): Promise<void> {
  await db
    .update(connections)
    .set({
      status: 'needs_reauth',
      statusReason: reason,
      accessTokenEnc: null,
      refreshTokenEnc: null,
      accessTokenExpiresAt: null,
      updatedAt: sql`now()`,
    })
    .where(eq(connections.id, id));
}

/** Active connections whose refresh token was issued before `before`: the idle refresh's work list. */
export async function connectionsIssuedBefore(db: Queryable, before: Date): Promise<string[]> {
  const rows = await db
    .select({ id: connections.id })
    .from(connections)
    .where(and(eq(connections.status, 'active'), lt(connections.refreshTokenIssuedAt, before)));
  return rows.map((r) => r.id);
}
