import type { Channel } from '@exact-sync/core';
import { sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { callbackSecrets } from '../schema/connections.ts';

interface SecretInput {
  connectionId: string;
  channel: Channel;
  /** The new secret, encrypted by the caller (bound to the connection and channel). */
  secretEnc: string;
}

/**
 * Stores a channel's first signing secret; answers false, storing nothing, when the channel has one already (a
 * secret is shown once, when made: an existing one is never replaced here).
 */
export async function saveFirstCallbackSecret(db: Executor, input: SecretInput): Promise<boolean> {
  const rows = await db
    .insert(callbackSecrets)
    .values(input)
    .onConflictDoNothing()
    .returning({ channel: callbackSecrets.channel });
  return rows.length > 0;
}

/**
 * Replaces a channel's signing secret (or stores its first). The replaced one keeps signing, second, for
 * `overlapMs`, so storefronts can switch without refusing a callback; a rotation within that window drops the
 * oldest.
 */
export async function rotateCallbackSecret(
  db: Executor,
  input: SecretInput & { overlapMs: number },
): Promise<void> {
  const { overlapMs, ...row } = input;
  await db
    .insert(callbackSecrets)
    .values(row)
    .onConflictDoUpdate({
      target: [callbackSecrets.connectionId, callbackSecrets.channel],
      set: {
        previousSecretEnc: sql`${callbackSecrets.secretEnc}`,
        previousExpiresAt: sql`now() + make_interval(secs => ${overlapMs / 1000})`,
        secretEnc: row.secretEnc,
        rotatedAt: sql`now()`,
      },
    });
}
