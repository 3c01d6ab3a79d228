import {
  chainsOf,
  type EntityName,
  enabledEntities,
  LIST_INTERVAL_SECONDS,
  LIST_NAMES,
  targetLagSeconds,
} from '@exact-sync/core';
import { type DatabaseHandle, findConnection, listSyncStates } from '@exact-sync/db';
import type { BudgetSnapshot } from '@exact-sync/exact';
import { type PlannedDataset, planSync } from '../../apps/worker/src/maintenance/sync-plan.ts';
import { num, printTable } from './figures.ts';

const DAY_MS = 86_400_000;
const SYNC_PAGE = 1_000;
const LIST_PAGE = 60;

/** Records of each entity that change (or come) in a day. */
export type DailyChanges = Partial<Record<EntityName, number>>;

/**
 * What a day of `ordersPerDay` orders changes in Exact's sales datasets: each order is created, delivered and
 * invoiced (its header three times, its lines three times each), with one goods delivery and one invoice.
 */
export function orderDayChanges(ordersPerDay: number, linesPerOrder: number): DailyChanges {
  return {
    orderHeaders: ordersPerDay * 3,
    orderLines: ordersPerDay * linesPerOrder * 3,
    deliveries: ordersPerDay,
    deliveryLines: ordersPerDay * linesPerOrder,
    invoices: ordersPerDay * linesPerOrder,
  };
}

interface DayRow {
  dataset: string;
  targetMs: number;
  intervalMs: number;
  callsPerDay: number;
}

/**
 * A whole day of this connection as the worker's planner plans it (its own `planSync`, on a fresh day window with
 * Exact's 5,000 calls and the configured reserve): each synced entity at its target, its deletions, and the REST
 * lists at their measured size. A poll costs one call, plus a page for each started 1,000 records that changed
 * since the last poll; a list costs its pages once a day. Answers whether every target is met within the share.
 */
export async function printDayPlan(input: {
  handle: DatabaseHandle;
  connectionId: string;
  dayLimit: number;
  reservePerDay: number;
  changes: DailyChanges;
  minIntervalMs: number;
}): Promise<{ allMet: boolean; callsPerDay: number; share: number }> {
  const { handle, connectionId } = input;
  const connection = await findConnection(handle.db, connectionId);
  if (!connection) throw new Error('no connection');
  const states = await listSyncStates(handle.db, connectionId);
  const entities = enabledEntities(connection.entitySettings);
  const share = input.dayLimit - input.reservePerDay;
  const changesPerPoll = (entity: EntityName, intervalMs: number) =>
    ((input.changes[entity] ?? 0) * intervalMs) / DAY_MS;
  // An idle poll is one call; one that finds changes reads a page per started 1,000 of them.
  const pagesPerPoll = (entity: EntityName, intervalMs: number) =>
    Math.max(1, Math.ceil(changesPerPoll(entity, intervalMs) / SYNC_PAGE));

  const datasets: (PlannedDataset & { dataset: string; entity?: EntityName })[] = [
    ...entities.map((entity) => ({
      dataset: entity,
      entity,
      targetMs: targetLagSeconds(connection.entitySettings, entity) * 1000,
      callsPerPoll: 1,
    })),
    {
      dataset: 'deleted',
      targetMs: Math.max(...entities.map((e) => targetLagSeconds(connection.entitySettings, e) * 1000)),
      callsPerPoll: chainsOf('all', entities).length,
    },
    ...LIST_NAMES.map((list) => ({
      dataset: list,
      targetMs: LIST_INTERVAL_SECONDS * 1000,
      callsPerPoll: Math.max(1, Math.ceil((states.find((s) => s.entity === list)?.records ?? 0) / LIST_PAGE)),
      fixed: true,
    })),
  ];
  const window = {
    limit: input.dayLimit,
    syncShare: share,
    lengthMs: DAY_MS,
    resetAt: DAY_MS,
    used: { sync: 0, order: 0, unattributed: 0 },
    remaining: input.dayLimit,
    exhaustedUntil: null,
  };
  const budget: BudgetSnapshot = { minute: window, day: window, ordersWaitingMs: 0, nextSyncAt: null };
  // Plan with the pages a poll at the target reads, then count what the planned intervals cost.
  for (const d of datasets) if (d.entity) d.callsPerPoll = pagesPerPoll(d.entity, d.targetMs);
  const plan = planSync({ now: 0, budget, minIntervalMs: input.minIntervalMs, datasets });
  const rows: DayRow[] = datasets.map((d, i) => {
    const intervalMs = plan.datasets[i]?.intervalMs ?? DAY_MS;
    const polls = DAY_MS / intervalMs;
    const perPoll = d.entity ? pagesPerPoll(d.entity, intervalMs) : d.callsPerPoll;
    return { dataset: d.dataset, targetMs: d.targetMs, intervalMs, callsPerDay: polls * perPoll };
  });
  const callsPerDay = rows.reduce((n, r) => n + r.callsPerDay, 0);
  const human = (ms: number) =>
    ms >= 3_600_000
      ? `${(ms / 3_600_000).toFixed(1)} h`
      : ms >= 60_000
        ? `${(ms / 60_000).toFixed(1)} min`
        : `${(ms / 1000).toFixed(0)} s`;
  printTable(
    ['dataset', 'records', 'changes a day', 'target lag', 'lag reached', 'meets', 'calls a day'],
    rows.map((r) => [
      r.dataset,
      num(states.find((s) => s.entity === r.dataset)?.records ?? 0),
      num((input.changes as Record<string, number>)[r.dataset] ?? 0),
      human(r.targetMs),
      human(r.intervalMs),
      r.intervalMs <= r.targetMs ? 'yes' : 'NO',
      num(Math.round(r.callsPerDay)),
    ]),
  );
  const allMet = rows.every((r) => r.intervalMs <= r.targetMs);
  console.log(
    `a day: ${num(Math.round(callsPerDay))} sync calls of a ${num(share)} daily sync share ` +
      `(${((100 * callsPerDay) / share).toFixed(0)} %); every target ${allMet ? 'met' : 'NOT met'}; the rest of the ` +
      'share goes to fresher data, as planned above (lag reached = planned interval; a run adds its own seconds)',
  );
  return { allMet, callsPerDay, share };
}
