import {
  type CallbackPolicy,
  type CallbackRefusal,
  CallbackTargetError,
  resolveCallbackTarget,
} from '@exact-sync/callbacks';
import { CHANNELS, type Channel } from '@exact-sync/core';
import { invalidField } from '../errors.ts';

// The setting that lifts a refusal, for an operator whose receiver is on their own network on purpose.
const LIFTED_BY: Partial<Record<CallbackRefusal, string>> = {
  insecure_scheme: 'CALLBACK_ALLOW_HTTP',
  non_public_address: 'CALLBACK_ALLOW_PRIVATE',
};

/**
 * Checks every `callbackUrl` a request sets, as the worker checks it again before each delivery: https, and a host
 * whose every address is public, unless the policy allows more. Answers 400 naming the field and the reason.
 */
export async function checkCallbackUrls(
  channels: Partial<Record<Channel, { callbackUrl?: string | null | undefined }>> | undefined,
  policy: CallbackPolicy,
): Promise<void> {
  for (const channel of CHANNELS) {
    const url = channels?.[channel]?.callbackUrl;
    if (typeof url !== 'string') continue;
    try {
      await resolveCallbackTarget(url, policy);
    } catch (error) {
      if (!(error instanceof CallbackTargetError)) throw error;
      const setting = LIFTED_BY[error.reason];
      const reason = setting ? `${error.message} (unless ${setting}=true)` : error.message;
      throw invalidField(`body.channels.${channel}.callbackUrl`, reason);
    }
  }
}
