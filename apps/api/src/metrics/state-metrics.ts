import { ORDER_STATUSES, QUEUE_NAMES, withTimeout } from '@exact-sync/core';
import {
  callbackCounts,
  countOrdersByStatus,
  countParkedDeletions,
  type Database,
  listAllSyncStates,
  listConnections,
  listDeletionPlans,
} from '@exact-sync/db';
import { budgetKeyFor, type Governor, type WindowSnapshot } from '@exact-sync/exact';
import type { Queues } from '@exact-sync/queues';
import { Gauge, type Registry } from 'prom-client';

export interface StateMetricsDeps {
  db: Database;
  governor: Governor;
  queues: Queues;
  now: () => number;
  /** Told when Postgres or Redis could not be read; the scrape then goes on without that part. */
  onError: (source: 'postgres' | 'redis', error: unknown) => void;
}

// The job states an operator watches; completed jobs are removed (or bounded) and would say nothing.
const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;
// Redis must not hold up a scrape for long: the api keeps serving when it is down.
const REDIS_TIMEOUT_MS = 2_000;

/**
 * Gauges of the state every process shares (connections, budgets, queues, sync progress, orders), read at scrape
 * time from Postgres and Redis. `refresh()` rewrites them all; concurrent scrapes share one refresh.
 */
export function createStateMetrics(registry: Registry, deps: StateMetricsDeps): { refresh(): Promise<void> } {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });

  const sourceUp = gauge(
    'exs_metrics_source_up',
    'Whether this scrape could read the source (1) or not (0)',
    ['source'],
  );
  const info = gauge('exs_connection_info', 'One per connection: its name, budget key and status', [
    'connection_id',
    'name',
    'budget_key',
    'status',
  ]);
  const needsReauth = gauge('exs_connection_needs_reauth', 'Connection needs a new authorization (1)', [
    'connection_id',
  ]);
  const paused = gauge('exs_connection_paused', 'Connection paused by an operator (1)', ['connection_id']);
  const lag = gauge('exs_sync_lag_seconds', 'Seconds since the last successful sync run', [
    'connection_id',
    'entity',
  ]);
  const records = gauge('exs_sync_records', 'Records synced and stored', ['connection_id', 'entity']);
  const orderCount = gauge('exs_orders', 'Orders by state', ['connection_id', 'status']);
  const inError = gauge(
    'exs_sync_in_error',
    'Dataset (entity or deletions chain) in error since Exact refused it for good (1); retried hourly',
    ['connection_id', 'entity'],
  );
  const droppedFields = gauge(
    'exs_sync_dropped_fields',
    'Optional fields Exact no longer has, dropped from the entity’s sync (schema drift)',
    ['connection_id', 'entity'],
  );
  const parked = gauge('exs_deletions_parked', 'Deletions waiting for their entity’s dataset to be in', [
    'connection_id',
    'entity',
  ]);
  const strategy = gauge('exs_deletion_strategy', 'The deletions strategy a connection follows (1)', [
    'connection_id',
    'strategy',
  ]);
  const windowCalls = gauge(
    'exs_deletion_window_calls',
    'Calls each deletions strategy cost (or would have cost) over the comparison window',
    ['connection_id', 'strategy'],
  );
  const staleResync = gauge(
    'exs_deletion_stale_resync_timestamp_seconds',
    'When a deletions chain was found older than Exact’s retention and its entities were re-read in full',
    ['connection_id', 'chain'],
  );
  const used = gauge('exs_budget_used', 'Calls taken in the current rate window, by lane', [
    'budget_key',
    'window',
    'lane',
  ]);
  const remaining = gauge('exs_budget_remaining', 'Calls left in the current rate window', [
    'budget_key',
    'window',
  ]);
  const limit = gauge('exs_budget_limit', 'Calls Exact allows in the rate window', ['budget_key', 'window']);
  const syncShare = gauge('exs_budget_sync_share', 'Most calls of the window the sync lane may take', [
    'budget_key',
    'window',
  ]);
  const callbacks = gauge(
    'exs_order_callbacks',
    'Order callbacks by state: pending, failing (retried), held (URL refused or no secret), overdue (due over a minute, not taken), given_up (last 7 days)',
    ['connection_id', 'channel', 'state'],
  );
  const queueJobs = gauge('exs_queue_jobs', 'Jobs in a queue by state', ['queue', 'state']);

  const fromPostgresGauges = [
    ...[info, needsReauth, paused, lag, records, orderCount, callbacks],
    ...[inError, droppedFields, parked, strategy, windowCalls, staleResync],
  ];
  const fromRedisGauges = [used, remaining, limit, syncShare, queueJobs];

  async function fromPostgres(): Promise<string[]> {
    const [rows, states, counts, plans, parkedCounts, callbackRows] = await Promise.all([
      listConnections(deps.db),
      listAllSyncStates(deps.db),
      countOrdersByStatus(deps.db),
      listDeletionPlans(deps.db),
      countParkedDeletions(deps.db),
      callbackCounts(deps.db, { now: new Date(deps.now()) }),
    ]);
    for (const g of fromPostgresGauges) g.reset();
    const budgetKeys = new Set<string>();
    for (const row of rows) {
      const budgetKey = row.division === null ? '' : budgetKeyFor(row.exactBaseUrl, row.division);
      if (budgetKey) budgetKeys.add(budgetKey);
      const connection_id = row.id;
      info.set({ connection_id, name: row.name, budget_key: budgetKey, status: row.status }, 1);
      needsReauth.set({ connection_id }, row.status === 'needs_reauth' ? 1 : 0);
      paused.set({ connection_id }, row.paused ? 1 : 0);
      for (const status of ORDER_STATUSES) orderCount.set({ connection_id, status }, 0);
    }
    for (const { connectionId, status, n } of counts)
      orderCount.set({ connection_id: connectionId, status }, n);
    for (const c of callbackRows) {
      const labels = { connection_id: c.connectionId, channel: c.channel };
      callbacks.set({ ...labels, state: 'pending' }, c.pending);
      callbacks.set({ ...labels, state: 'failing' }, c.failing);
      callbacks.set({ ...labels, state: 'held' }, c.held);
      callbacks.set({ ...labels, state: 'overdue' }, c.overdue);
      callbacks.set({ ...labels, state: 'given_up' }, c.givenUp);
    }
    for (const s of states) {
      const labels = { connection_id: s.connectionId, entity: s.entity };
      records.set(labels, s.records);
      if (s.lastSuccessAt) lag.set(labels, Math.max(0, (deps.now() - s.lastSuccessAt.getTime()) / 1000));
      inError.set(labels, s.errorSince ? 1 : 0);
      if (!s.entity.startsWith('deleted')) droppedFields.set(labels, s.droppedFields.length);
      if (s.staleResyncAt) {
        staleResync.set({ connection_id: s.connectionId, chain: s.entity }, s.staleResyncAt.getTime() / 1000);
      }
    }
    for (const p of plans) {
      strategy.set({ connection_id: p.connectionId, strategy: p.strategy }, 1);
      windowCalls.set({ connection_id: p.connectionId, strategy: 'all' }, p.callsAll);
      windowCalls.set({ connection_id: p.connectionId, strategy: 'per_type' }, p.callsPerType);
    }
    for (const { connectionId, entity, n } of parkedCounts)
      parked.set({ connection_id: connectionId, entity }, n);
    return [...budgetKeys];
  }

  async function fromRedis(budgetKeys: string[]): Promise<void> {
    const [snapshots, jobCounts] = await withTimeout(
      Promise.all([
        Promise.all(budgetKeys.map((key) => deps.governor.snapshot(key))),
        Promise.all(QUEUE_NAMES.map((queue) => deps.queues[queue].getJobCounts(...JOB_STATES))),
      ]),
      REDIS_TIMEOUT_MS,
    );
    for (const g of fromRedisGauges) g.reset();
    budgetKeys.forEach((budget_key, i) => {
      const snapshot = snapshots[i];
      if (!snapshot) return;
      const windows: [string, WindowSnapshot][] = [
        ['minute', snapshot.minute],
        ['day', snapshot.day],
      ];
      for (const [window, w] of windows) {
        for (const lane of ['sync', 'order', 'unattributed'] as const) {
          used.set({ budget_key, window, lane }, w.used[lane]);
        }
        remaining.set({ budget_key, window }, w.remaining);
        limit.set({ budget_key, window }, w.limit);
        syncShare.set({ budget_key, window }, w.syncShare);
      }
    });
    QUEUE_NAMES.forEach((queue, i) => {
      for (const state of JOB_STATES) queueJobs.set({ queue, state }, jobCounts[i]?.[state] ?? 0);
    });
  }

  // A source that cannot be read leaves no stale values behind: its gauges go empty and `exs_metrics_source_up` 0.
  async function refresh(): Promise<void> {
    let budgetKeys: string[] = [];
    try {
      budgetKeys = await fromPostgres();
      sourceUp.set({ source: 'postgres' }, 1);
    } catch (error) {
      for (const g of fromPostgresGauges) g.reset();
      sourceUp.set({ source: 'postgres' }, 0);
      deps.onError('postgres', error);
    }
    try {
      await fromRedis(budgetKeys);
      sourceUp.set({ source: 'redis' }, 1);
    } catch (error) {
      for (const g of fromRedisGauges) g.reset();
      sourceUp.set({ source: 'redis' }, 0);
      deps.onError('redis', error);
    }
  }

  let inFlight: Promise<void> | undefined;
  return {
    refresh() {
      inFlight ??= refresh().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
