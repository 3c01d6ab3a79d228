import { and, count, eq, gt, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client.ts';
import { exactLookups, type LookupKind } from '../schema/lookups.ts';

/** One code to look up in Exact. */
export interface LookupRef {
  kind: LookupKind;
  code: string;
}

/** Exact's answer to a lookup; `exactId` null when Exact has no such record. */
export interface LookupAnswer {
  exactId: string | null;
  blocked: boolean | null;
  isSalesItem: boolean | null;
}

/**
 * Where a code stands: answered within the window; `claimed` by this caller, who asks Exact now and records the
 * answer; `pending`, another process is asking; `over_limit`, the key's lookups of the window are spent.
 */
export type LookupClaim =
  | { status: 'answered'; answer: LookupAnswer }
  | { status: 'claimed' }
  | { status: 'pending' }
  | { status: 'over_limit' };

interface ClaimInput {
  connectionId: string;
  /** The key whose order asks; null for orders placed before keys were recorded (no allowance then). */
  apiKeyId: string | null;
  /** Lookups a key may cause in the window. */
  perKeyLimit: number;
  /** A code is looked up at most once in this window, and the key's lookups are counted in it. */
  windowMs: number;
  /** A claim left unanswered this long was dropped by a process that died: it may be taken again. */
  staleMs: number;
  refs: readonly LookupRef[];
}

const ago = (ms: number): SQL => sql`now() - make_interval(secs => ${ms / 1000})`;
const refKey = (ref: LookupRef): string => `${ref.kind}\u0000${ref.code}`;

/**
 * Decides, for each code, whether it was answered within the window, or may be looked up now by this caller (the
 * claim is written before Exact is asked, so no other process asks too), or must wait or be refused. Claims of one
 * key are made under a lock on the key, so concurrent orders of the key never exceed its allowance together.
 * Answers in the order of `refs`.
 */
export async function claimLookups(db: Database, input: ClaimInput): Promise<LookupClaim[]> {
  if (input.refs.length === 0) return [];
  return db.transaction(async (tx) => {
    const { connectionId, apiKeyId } = input;
    let used = 0;
    if (apiKeyId !== null) {
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${`exact-lookups:${apiKeyId}`}, 0))`,
      );
      const [row] = await tx
        .select({ n: count() })
        .from(exactLookups)
        .where(and(eq(exactLookups.apiKeyId, apiKeyId), gt(exactLookups.lookedUpAt, ago(input.windowMs))));
      used = row?.n ?? 0;
    }
    const rows = await tx
      .select({
        kind: exactLookups.kind,
        code: exactLookups.code,
        answeredAt: exactLookups.answeredAt,
        exactId: exactLookups.exactId,
        blocked: exactLookups.blocked,
        isSalesItem: exactLookups.isSalesItem,
        live: sql<boolean>`${exactLookups.lookedUpAt} > ${ago(input.staleMs)}`,
      })
      .from(exactLookups)
      .where(
        and(
          eq(exactLookups.connectionId, connectionId),
          or(...input.refs.map((r) => and(eq(exactLookups.kind, r.kind), eq(exactLookups.code, r.code)))),
          gt(exactLookups.lookedUpAt, ago(input.windowMs)),
        ),
      );
    const fresh = new Map(rows.map((row) => [refKey(row), row]));
    const claims: LookupClaim[] = [];
    for (const ref of input.refs) {
      const row = fresh.get(refKey(ref));
      if (row?.answeredAt) {
        const { exactId, blocked, isSalesItem } = row;
        claims.push({ status: 'answered', answer: { exactId, blocked, isSalesItem } });
      } else if (row?.live) {
        claims.push({ status: 'pending' });
      } else if (apiKeyId !== null && used >= input.perKeyLimit) {
        claims.push({ status: 'over_limit' });
      } else {
        const claimed = await claim(tx, { connectionId, apiKeyId, ...ref }, input);
        if (claimed) used += 1;
        claims.push({ status: claimed ? 'claimed' : 'pending' });
      }
    }
    // Answers older than the window are asked again anyway: drop them while asking, so the table stays small.
    if (claims.some((c) => c.status === 'claimed')) {
      await tx
        .delete(exactLookups)
        .where(
          and(
            eq(exactLookups.connectionId, connectionId),
            sql`${exactLookups.lookedUpAt} <= ${ago(input.windowMs)}`,
          ),
        );
    }
    return claims;
  });
}

/** Writes the claim unless another process holds a live one or the code was answered within the window. */
async function claim(
  db: Executor,
  ref: LookupRef & { connectionId: string; apiKeyId: string | null },
  input: { windowMs: number; staleMs: number },
): Promise<boolean> {
  const row = { ...ref, lookedUpAt: sql`now()`, answeredAt: null, exactId: null, blocked: null };
  const taken = await db
    .insert(exactLookups)
    .values({ ...row, isSalesItem: null })
    .onConflictDoUpdate({
      target: [exactLookups.connectionId, exactLookups.kind, exactLookups.code],
      set: { ...row, isSalesItem: null },
      setWhere: or(
        sql`${exactLookups.lookedUpAt} <= ${ago(input.windowMs)}`,
        and(isNull(exactLookups.answeredAt), sql`${exactLookups.lookedUpAt} <= ${ago(input.staleMs)}`),
      ),
    })
    .returning({ code: exactLookups.code });
  return taken.length > 0;
}

const refIs = (connectionId: string, ref: LookupRef): SQL | undefined =>
  and(
    eq(exactLookups.connectionId, connectionId),
    eq(exactLookups.kind, ref.kind),
    eq(exactLookups.code, ref.code),
  );

/** Records Exact's answer to a claimed lookup. */
export async function answerLookup(
  db: Executor,
  connectionId: string,
  ref: LookupRef,
  answer: LookupAnswer,
): Promise<void> {
  await db
    .update(exactLookups)
    .set({ ...answer, answeredAt: sql`now()` })
    .where(refIs(connectionId, ref));
}

/** Gives a claim up when Exact gave no answer (budget wait, network, 5xx): the next try may ask again. */
export async function releaseLookup(db: Executor, connectionId: string, ref: LookupRef): Promise<void> {
  await db.delete(exactLookups).where(and(refIs(connectionId, ref), isNull(exactLookups.answeredAt)));
}
