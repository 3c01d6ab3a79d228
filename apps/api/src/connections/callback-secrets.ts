import { callbackSecretContext, generateCallbackSecret } from '@exact-sync/callbacks';
import { CHANNELS, type Channel } from '@exact-sync/core';
import {
  type ConnectionChanges,
  type ConnectionRow,
  type Database,
  releaseHeldCallbacks,
  rotateCallbackSecret,
  saveFirstCallbackSecret,
  updateConnection,
} from '@exact-sync/db';
import type { TokenCipher } from '@exact-sync/exact';
import { invalidFields } from '../errors.ts';
import { channelProblems } from './channel-rules.ts';

/** How long a replaced secret keeps signing (second) after a rotation: a storefront's time to switch. */
export const CALLBACK_SECRET_OVERLAP_MS = 24 * 3_600_000;

type Secrets = Partial<Record<Channel, string>>;

const encrypted = (cipher: TokenCipher, connectionId: string, channel: Channel, secret: string) => ({
  connectionId,
  channel,
  secretEnc: cipher.encrypt(secret, callbackSecretContext(connectionId, channel)),
});

/**
 * Applies an operator's changes to a connection in one transaction with what they mean for callbacks: each channel
 * given a `callbackUrl` gets a signing secret if it has none (answered here, the only time it is shown), and its
 * held callbacks are tried again, since the URL may be what held them. Channels that end up breaking their rules
 * (`channelProblems`) are a 400, and nothing is changed.
 */
export async function updateConnectionAndSecrets(
  db: Database,
  cipher: TokenCipher,
  id: string,
  changes: ConnectionChanges,
): Promise<{ row: ConnectionRow | undefined; callbackSecrets?: Secrets }> {
  return db.transaction(async (tx) => {
    const row = await updateConnection(tx, id, changes);
    if (!row) return { row };
    const problems = changes.channels ? channelProblems(row.channels) : [];
    if (problems.length > 0) throw invalidFields(problems);
    const made: Secrets = {};
    for (const channel of CHANNELS) {
      if (typeof changes.channels?.[channel]?.callbackUrl !== 'string') continue;
      const secret = generateCallbackSecret();
      if (await saveFirstCallbackSecret(tx, encrypted(cipher, id, channel, secret))) made[channel] = secret;
      await releaseHeldCallbacks(tx, { connectionId: id, channel });
    }
    return Object.keys(made).length > 0 ? { row, callbackSecrets: made } : { row };
  });
}

/**
 * A new signing secret for a channel's callbacks, answered once; the one it replaces keeps signing, second, for
 * `CALLBACK_SECRET_OVERLAP_MS`. Callbacks held for want of a secret are tried again.
 */
export async function rotateChannelSecret(
  db: Database,
  cipher: TokenCipher,
  input: { connectionId: string; channel: Channel },
): Promise<string> {
  const secret = generateCallbackSecret();
  await rotateCallbackSecret(db, {
    ...encrypted(cipher, input.connectionId, input.channel, secret),
    overlapMs: CALLBACK_SECRET_OVERLAP_MS,
  });
  await releaseHeldCallbacks(db, input);
  return secret;
}
