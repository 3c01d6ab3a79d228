import { ORDER_LIMIT_WINDOW_MS } from '@exact-sync/core';
import {
  answerLookup,
  claimLookups,
  type Database,
  type LookupAnswer,
  type LookupRef,
  releaseLookup,
} from '@exact-sync/db';
import type { ExactClient } from '@exact-sync/exact';

/** What the order lane learned of a code the synced data lacks. */
export type LookupOutcome =
  | { status: 'found'; exactId: string; blocked: boolean; isSalesItem: boolean }
  | { status: 'not_found' }
  /** The key's lookups of the hour are spent: the code was not asked about. */
  | { status: 'over_limit' };

interface LookupInput {
  connectionId: string;
  apiKeyId: string | null;
  /** Lookups one key's orders may cause in an hour. */
  perKeyLimit: number;
  refs: readonly LookupRef[];
}

/** A claim no answer followed for this long was left by a process that died; another may take it. */
const STALE_CLAIM_MS = 60_000;

async function ask(exact: ExactClient, ref: LookupRef): Promise<LookupAnswer> {
  const record =
    ref.kind === 'item_code'
      ? await exact.itemByCode(ref.code)
      : ref.kind === 'account_code'
        ? await exact.accountByCode(ref.code)
        : await exact.accountById(ref.code);
  if (!record || typeof record.ID !== 'string') return { exactId: null, blocked: null, isSalesItem: null };
  return {
    exactId: record.ID,
    blocked: ref.kind === 'item_code' ? null : record.Blocked === true,
    isSalesItem: ref.kind === 'item_code' ? record.IsSalesItem !== false : null,
  };
}

function outcomeOf(answer: LookupAnswer): LookupOutcome {
  if (answer.exactId === null) return { status: 'not_found' };
  return {
    status: 'found',
    exactId: answer.exactId,
    blocked: answer.blocked === true,
    isSalesItem: answer.isSalesItem !== false,
  };
}

/** Another process is asking Exact about a code of this order right now: try again in a moment. */
export class LookupInProgressError extends Error {
  override readonly name = 'LookupInProgressError';
}

/**
 * Looks codes up in Exact, at most once per code and hour per connection (every process shares the answers through
 * Postgres, found or not) and within the ordering key's hourly allowance. Each lookup is a `$filter` query, which
 * answers an empty 200 when nothing matches: a made-up code never costs one of Exact's errors. Throws
 * `LookupInProgressError` when another process is asking about one of the codes, and rethrows Exact's failures
 * after giving up the claims not yet answered, so the next try asks again. Answers in the order of `refs`.
 */
export async function lookUpCodes(
  deps: { pool: Database; exact: ExactClient },
  input: LookupInput,
): Promise<LookupOutcome[]> {
  const { connectionId, refs } = input;
  const claims = await claimLookups(deps.pool, {
    ...input,
    windowMs: ORDER_LIMIT_WINDOW_MS,
    staleMs: STALE_CLAIM_MS,
  });
  const claimed = refs.filter((_, i) => claims[i]?.status === 'claimed');
  const answers = new Map<LookupRef, LookupAnswer>();
  try {
    for (const ref of claimed) {
      const answer = await ask(deps.exact, ref);
      await answerLookup(deps.pool, connectionId, ref, answer);
      answers.set(ref, answer);
    }
  } catch (error) {
    for (const ref of claimed) if (!answers.has(ref)) await releaseLookup(deps.pool, connectionId, ref);
    throw error;
  }
  if (claims.some((c) => c.status === 'pending')) {
    throw new LookupInProgressError('another process is looking up a code of this order');
  }
  return refs.map((ref, i): LookupOutcome => {
    const claim = claims[i];
    if (claim?.status === 'answered') return outcomeOf(claim.answer);
    if (claim?.status === 'over_limit') return { status: 'over_limit' };
    const answer = answers.get(ref);
    return answer ? outcomeOf(answer) : { status: 'not_found' };
  });
}
