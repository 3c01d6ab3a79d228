import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { connections, oauthStates } from '../schema/connections.ts';

/** Records that an active connection may be authorized again (`POST …/reauthorize`). */
export async function requestReauthorization(db: Executor, connectionId: string): Promise<void> {
  await db
    .update(connections)
    .set({ reauthorizeRequestedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(connections.id, connectionId));
}

/** Stores the nonce of a new OAuth `state`, and drops the states that expired unused. */
export async function issueOAuthState(
  db: Executor,
  state: { nonce: string; connectionId: string; expiresAt: Date },
): Promise<void> {
  await db.delete(oauthStates).where(lt(oauthStates.expiresAt, sql`now()`));
  await db.insert(oauthStates).values(state);
}

/**
 * Consumes the nonce of a state brought back to the callback: true exactly once, for its own connection and before
 * it expires; false for a replay, a state of another connection, or one never issued.
 */
export async function consumeOAuthState(db: Executor, nonce: string, connectionId: string): Promise<boolean> {
  const rows = await db
    .delete(oauthStates)
    .where(
      and(
        eq(oauthStates.nonce, nonce),
        eq(oauthStates.connectionId, connectionId),
        gt(oauthStates.expiresAt, sql`now()`),
      ),
    )
    .returning({ nonce: oauthStates.nonce });
  return rows.length === 1;
}
