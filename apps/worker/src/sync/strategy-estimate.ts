import type { EntityName } from '@exact-sync/core';
import type { DeletionRoundRow } from '@exact-sync/db';

/** Records in one page of `sync/Deleted`. */
const PAGE = 1_000;
const pagesFor = (records: number) => Math.max(1, Math.ceil(records / PAGE));

/** What the two deletions strategies cost, or would have cost, over a window of rounds. */
export interface StrategyEstimate {
  /** One unfiltered chain: measured pages of its rounds, estimated for the per-type rounds. */
  callsAll: number;
  /** One chain per synced type (and the probe): measured for its rounds, estimated for the unfiltered ones. */
  callsPerType: number;
  rounds: number;
  records: number;
  /** Deletions of types this service does not sync, in the window (measured or extrapolated from probes). */
  foreign: number;
}

type Round = Pick<
  DeletionRoundRow,
  'roundAt' | 'chain' | 'probe' | 'pages' | 'records' | 'foreign' | 'foreignSpanMs' | 'byEntity'
>;

/**
 * Compares the strategies over the rounds of a window. An unfiltered round costs its pages; as per-type chains it
 * would have cost `Σ types max(1, ceil(type's deletions / 1000))`, plus one probe call per window. A per-type round
 * costs its chains' pages; unfiltered it would have cost `max(1, ceil((its own deletions + foreign) / 1000))`, with
 * the foreign volume taken from the rate the unfiltered chain last saw (its rounds, or the probe's sample) spread
 * over the window's rounds.
 */
export function estimateStrategies(
  rounds: readonly Round[],
  windowMs: number,
  /** The entities the connection syncs: the per-type strategy runs one chain for each. */
  entities: readonly EntityName[],
): StrategyEstimate {
  const groups = new Map<number, Round[]>();
  for (const r of rounds) groups.set(r.roundAt.getTime(), [...(groups.get(r.roundAt.getTime()) ?? []), r]);
  // The rate comes from what the unfiltered chain read lately; a first run's (or a resumed connection's) backlog
  // stands for weeks and would dilute it, so it counts only when nothing more recent was read.
  const unfiltered = rounds.filter((r) => r.chain === 'deleted');
  const recent = unfiltered.filter((r) => r.foreignSpanMs <= windowMs);
  const basis = recent.length > 0 ? recent : unfiltered;
  const span = basis.reduce((n, r) => n + r.foreignSpanMs, 0);
  const seen = basis.reduce((n, r) => n + r.foreign, 0);
  const foreign = span > 0 ? Math.round((seen / span) * windowMs) : seen;
  // A probe runs within a round of the typed chains; a group of a probe alone is no round of its own.
  const roundCount = [...groups.values()].filter((g) => g.some((r) => !r.probe)).length;
  const foreignPerRound = roundCount > 0 ? foreign / roundCount : 0;

  const out: StrategyEstimate = { callsAll: 0, callsPerType: 0, rounds: roundCount, records: 0, foreign };
  let probed = false;
  let allRounds = 0;
  for (const group of groups.values()) {
    for (const r of group) {
      if (r.chain === 'deleted' && r.probe) {
        probed = true;
        out.callsPerType += r.pages;
      } else if (r.chain === 'deleted') {
        allRounds += 1;
        out.records += r.records;
        out.callsAll += r.pages;
        out.callsPerType += entities.reduce((n, e) => n + pagesFor(r.byEntity[e] ?? 0), 0);
      }
    }
    const typed = group.filter((r) => r.chain !== 'deleted');
    if (typed.length === 0) continue;
    const own = typed.reduce((n, r) => n + r.records, 0);
    out.records += own + Math.round(foreignPerRound);
    out.callsPerType += typed.reduce((n, r) => n + r.pages, 0);
    out.callsAll += pagesFor(own + foreignPerRound);
  }
  if (allRounds > 0 && !probed) out.callsPerType += 1;
  return out;
}
