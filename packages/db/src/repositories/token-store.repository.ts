import { and, eq, lt, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client.ts';
import { connections } from '../schema/connections.ts';

// The token store of @exact-sync/exact, over the `connections` table. It is written to that package's `TokenStore`
// interface without importing it (the apps hand one to the other, and the compiler checks the fit there), so the
// database package never depends on the Exact client.

const columns = {
  id: connections.id,
  status: connections.status,
  statusReason: connections.statusReason,
  exactBaseUrl: connections.exactBaseUrl,
  division: connections.division,
  accessTokenEnc: connections.accessTokenEnc,
  refreshTokenEnc: connections.refreshTokenEnc,
  accessTokenExpiresAt: connections.accessTokenExpiresAt,
  accessTokenLifetimeMs: connections.accessTokenLifetimeMs,
  tokenIssuedAt: connections.tokenIssuedAt,
  refreshTokenIssuedAt: connections.refreshTokenIssuedAt,
  reauthorizeRequestedAt: connections.reauthorizeRequestedAt,
};

type TokenRow = Pick<typeof connections.$inferSelect, keyof typeof columns>;

interface StoredTokens {
  accessTokenEnc: string;
  refreshTokenEnc: string;
  issuedAt: Date;
  expiresAt: Date;
  lifetimeMs: number;
}

/** Writes to the locked connection, in the lock's transaction. */
interface LockedTokenWrites {
  saveTokens(tokens: StoredTokens, extra?: { status?: 'active'; division?: number }): Promise<void>;
  expireAccessToken(at: Date): Promise<void>;
  markNeedsReauth(reason: string): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Postgres `lock_not_available` (55P03), directly or as the cause of drizzle's query error. */
function isLockTimeout(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth += 1) {
    if ((e as { code?: unknown }).code === '55P03') return true;
  }
  return false;
}

/** Replaces both tokens at once: the rotated refresh token is never stored apart from its access token. */
async function saveTokens(
  db: Executor,
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
      accessTokenLifetimeMs: tokens.lifetimeMs,
      refreshTokenIssuedAt: tokens.issuedAt,
      ...(extra.status ? { status: extra.status, statusReason: null, reauthorizeRequestedAt: null } : {}),
      ...(extra.division !== undefined ? { division: extra.division } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(connections.id, id));
}

/** Moves the connection to `needs_reauth` and forgets its dead tokens. */
async function markNeedsReauth(db: Executor, id: string, reason: string): Promise<void> {
  await db
    .update(connections)
    .set({
      status: 'needs_reauth',
      statusReason: reason,
      accessTokenEnc: null,
      refreshTokenEnc: null,
      accessTokenExpiresAt: null,
      accessTokenLifetimeMs: null,
      updatedAt: sql`now()`,
    })
    .where(eq(connections.id, id));
}

/**
 * The token store over the `connections` table. The row lock is `SELECT … FOR NO KEY UPDATE` in a transaction whose
 * `lock_timeout` bounds the wait; the writes made under it commit with that transaction. Not `FOR UPDATE`: that
 * would also wait for every open transaction that inserted a row referencing the connection (a first sync page
 * holds one while it calls Exact, and so waits for this very refresh).
 */
export function createTokenStore(db: Database) {
  return {
    async readTokenRow(id: string): Promise<TokenRow | undefined> {
      if (!UUID.test(id)) return undefined;
      const [row] = await db.select(columns).from(connections).where(eq(connections.id, id)).limit(1);
      return row;
    },

    async withLockedRow<T>(
      id: string,
      lockTimeoutMs: number,
      work: (writes: LockedTokenWrites, row: TokenRow | undefined) => Promise<T>,
    ): Promise<{ locked: true; value: T } | { locked: false }> {
      try {
        const value = await db.transaction(async (tx) => {
          await tx.execute(sql.raw(`set local lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`));
          const row = UUID.test(id)
            ? (
                await tx.select(columns).from(connections).where(eq(connections.id, id)).for('no key update')
              )[0]
            : undefined;
          const writes: LockedTokenWrites = {
            saveTokens: (tokens, extra) => saveTokens(tx, id, tokens, extra),
            expireAccessToken: async (at) => {
              await tx.update(connections).set({ accessTokenExpiresAt: at }).where(eq(connections.id, id));
            },
            markNeedsReauth: (reason) => markNeedsReauth(tx, id, reason),
          };
          return await work(writes, row);
        });
        return { locked: true, value };
      } catch (error) {
        if (isLockTimeout(error)) return { locked: false };
        throw error;
      }
    },

    async connectionsIssuedBefore(before: Date): Promise<string[]> {
      const rows = await db
        .select({ id: connections.id })
        .from(connections)
        .where(and(eq(connections.status, 'active'), lt(connections.refreshTokenIssuedAt, before)));
      return rows.map((r) => r.id);
    },
  };
}
