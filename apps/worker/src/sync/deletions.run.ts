import {
  chainsOf,
  type DeletionStrategy,
  type EntityName,
  enabledEntities,
  typedChainOf,
} from '@exact-sync/core';
import {
  applyParkedDeletions,
  countParkedDeletions,
  type DeletionPlanRow,
  deletionRoundsSince,
  findConnection,
  finishedInRound,
  listSyncStates,
  loadDeletionPlan,
  markDeletionRound,
  pruneDeletionRounds,
  readyEntities,
  saveDeletionEstimate,
  switchDeletionStrategy,
} from '@exact-sync/db';
import type { ExactClient } from '@exact-sync/exact';
import { type ChainRunResult, runDeletionChain } from './deletion-chain.run.ts';
import { lowestVersion } from './exact-fields.ts';
import { estimateStrategies } from './strategy-estimate.ts';
import type { DeletionRunDeps } from './sync-run-deps.ts';

export interface DeletionRoundResult {
  strategy: DeletionStrategy;
  /** Set when this round switched the strategy. */
  switchedFrom?: DeletionStrategy;
  chains: Record<string, ChainRunResult['outcome']>;
  pages: number;
  applied: number;
  parked: number;
  /** Parked deletions applied at the start because their entity had become ready. */
  unparked: number;
  staleResync: EntityName[];
}

/**
 * Measures the strategies over the window and switches when the other would have cost fewer calls, at most once a
 * window (the new strategy is measured a whole window before it is judged).
 */
async function chooseStrategy(
  deps: DeletionRunDeps,
  plan: DeletionPlanRow,
  now: Date,
  entities: readonly EntityName[],
): Promise<{ strategy: DeletionStrategy; switchedFrom?: DeletionStrategy }> {
  const { connectionId } = plan;
  const windowMs = deps.strategyWindowMs;
  const rounds = await deletionRoundsSince(deps.db, connectionId, new Date(now.getTime() - windowMs));
  const estimate = estimateStrategies(rounds, windowMs, entities);
  await saveDeletionEstimate(deps.db, connectionId, { ...estimate, decidedAt: now, windowMs });
  const current = plan.strategy;
  const other: DeletionStrategy = current === 'all' ? 'per_type' : 'all';
  const cost = (s: DeletionStrategy) => (s === 'all' ? estimate.callsAll : estimate.callsPerType);
  const judged = now.getTime() - plan.since.getTime() >= windowMs;
  if (!judged || cost(other) >= cost(current)) return { strategy: current };
  if (!(await switchDeletionStrategy(deps.db, connectionId, other, now))) return { strategy: current };
  deps.events?.strategySwitched(other);
  deps.log.info(
    { connectionId, from: current, to: other, ...estimate },
    'deletions strategy switched: the other would have cost fewer calls over the window',
  );
  return { strategy: other, switchedFrom: current };
}

/** Applies what was parked for entities that are ready now (their run may have ended while a chain parked more). */
async function unpark(deps: DeletionRunDeps, connectionId: string): Promise<number> {
  const parked = await countParkedDeletions(deps.db, { connectionId });
  if (parked.length === 0) return 0;
  return deps.db.transaction(async (tx) => {
    const ready = await readyEntities(tx, connectionId);
    let applied = 0;
    for (const { entity } of parked) {
      if (ready.has(entity)) applied += await applyParkedDeletions(tx, connectionId, entity);
    }
    return applied;
  });
}

/** Whether the unfiltered chain should be sampled this round (per-type strategy, once a window). */
async function probeCursor(
  deps: DeletionRunDeps,
  connectionId: string,
  now: number,
  enabled: readonly EntityName[],
): Promise<bigint | undefined> {
  const states = await listSyncStates(deps.db, connectionId);
  const unfiltered = states.find((s) => s.entity === 'deleted');
  const last = unfiltered?.lastSuccessAt?.getTime() ?? 0;
  if (now - last < deps.strategyWindowMs) return undefined;
  const [first = 0n, ...rest] = enabled.map(
    (e) => states.find((s) => s.entity === typedChainOf(e))?.cursor ?? 0n,
  );
  return lowestVersion(first, ...rest);
}

/**
 * One round of deletions for a connection: the chains of its strategy, each to its end, and once a window while
 * on per-type chains a one-page probe of the unfiltered chain, so the comparison stays honest about the deletions
 * of types this service does not sync.
 */
export async function runDeletions(
  deps: DeletionRunDeps,
  exact: ExactClient,
  input: { connectionId: string },
): Promise<DeletionRoundResult> {
  const { connectionId } = input;
  const now = new Date(deps.clock.now());
  const plan = await loadDeletionPlan(deps.db, connectionId, now);
  const enabledList = enabledEntities((await findConnection(deps.db, connectionId))?.entitySettings ?? {});
  const enabled = new Set(enabledList);
  // A round that met a budget wait (or a crash) goes on where it stopped, with the strategy it started with.
  const started = plan.roundStartedAt;
  const resuming = started !== null && now.getTime() - started.getTime() < deps.strategyWindowMs;
  const roundAt = resuming ? started : now;
  const unparked = await unpark(deps, connectionId);
  const { strategy, switchedFrom } = resuming
    ? { strategy: plan.strategy, switchedFrom: undefined }
    : await chooseStrategy(deps, plan, now, enabledList);
  if (!resuming) await markDeletionRound(deps.db, connectionId, roundAt);
  const result: DeletionRoundResult = {
    strategy,
    ...(switchedFrom && { switchedFrom }),
    ...{ chains: {}, pages: 0, applied: 0, parked: 0, unparked, staleResync: [] },
  };
  const add = (chain: string, run: ChainRunResult) => {
    result.chains[chain] = run.outcome;
    result.pages += run.pages;
    result.applied += run.applied;
    result.parked += run.parked;
    result.staleResync.push(...run.staleResync);
  };
  const finished = resuming ? await finishedInRound(deps.db, connectionId, roundAt) : new Set<string>();
  for (const chain of chainsOf(strategy, enabledList)) {
    if (finished.has(chain)) continue;
    add(chain, await runDeletionChain(deps, exact, { connectionId, chain, strategy, roundAt, enabled }));
  }
  const resetTo =
    strategy === 'per_type' && !finished.has('probe')
      ? await probeCursor(deps, connectionId, now.getTime(), enabledList)
      : undefined;
  if (resetTo !== undefined) {
    const probe = { resetTo };
    add(
      'probe',
      await runDeletionChain(deps, exact, {
        connectionId,
        chain: 'deleted',
        strategy,
        roundAt,
        probe,
        enabled,
      }),
    );
  }
  await markDeletionRound(deps.db, connectionId, null);
  await pruneDeletionRounds(deps.db, connectionId, new Date(now.getTime() - 2 * deps.strategyWindowMs));
  return result;
}
