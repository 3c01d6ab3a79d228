import type { ExactCallObserver } from '@exact-sync/exact';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { JobObserver } from './jobs/dispatch.ts';
import type { SyncEvents } from './sync/sync-run-deps.ts';

/**
 * What only a worker process knows: its calls to Exact and the jobs it ran. The state of budgets, queues, sync and
 * orders is shared by every process, so the api exports it once (see infra/README.md) instead of every worker
 * replica exporting a copy.
 */
export interface WorkerMetrics {
  /** This process's own registry (never prom-client's global one), served at `/metrics`. */
  readonly registry: Registry;
  /** Counts the calls of every Exact client the worker creates. */
  readonly exact: ExactCallObserver;
  readonly jobSettled: JobObserver;
  /** Counts what the sync lane reports: refusals, dropped fields, stale deletion cursors, strategy switches. */
  readonly sync: SyncEvents;
  /** An order became `submitted`, `seconds` after it was accepted. */
  orderSubmitted(seconds: number): void;
  /** What became of one order callback taken for delivery. */
  callbackSettled(outcome: 'delivered' | 'retry' | 'given_up' | 'held'): void;
}

export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'worker' });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const calls = new Counter({
    name: 'exs_exact_calls_total',
    help: 'Calls to Exact by endpoint, HTTP status (or "network" when no answer came) and lane',
    labelNames: ['endpoint', 'status', 'lane'] as const,
    registers,
  });
  const callSeconds = new Histogram({
    name: 'exs_exact_call_duration_seconds',
    help: 'Time Exact took to answer, by lane',
    labelNames: ['lane'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const rateLimited = new Counter({
    name: 'exs_exact_rate_limited_total',
    help: 'Responses 429 (rate limit) from Exact by endpoint; the governor waits them out',
    labelNames: ['endpoint'] as const,
    registers,
  });
  const guardBlocked = new Counter({
    name: 'exs_error_guard_blocked_total',
    help: 'Calls not made because the endpoint neared Exact’s error limit (10 errors an hour)',
    labelNames: ['endpoint'] as const,
    registers,
  });
  const jobSeconds = new Histogram({
    name: 'exs_job_duration_seconds',
    help: 'Run time of jobs by name and outcome (delayed: put back to wait for budget)',
    labelNames: ['job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers,
  });
  const orderLatency = new Histogram({
    name: 'exs_order_accepted_to_submitted_seconds',
    help: 'Time from an order’s acceptance by the api to its submission to Exact',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
    registers,
  });
  const held = new Counter({
    name: 'exs_sync_errors_total',
    help: 'Times Exact refused a dataset for good (400, 403, 404) and it went to error until its retry',
    labelNames: ['dataset'] as const,
    registers,
  });
  const dropped = new Counter({
    name: 'exs_sync_fields_dropped_total',
    help: 'Optional fields Exact no longer has that were left out of an entity’s $select (schema drift)',
    labelNames: ['entity', 'field'] as const,
    registers,
  });
  const stale = new Counter({
    name: 'exs_deletion_stale_resyncs_total',
    help: 'Deletions chains whose cursor outlived Exact’s retention, so their entities were re-read in full',
    labelNames: ['chain'] as const,
    registers,
  });
  const switches = new Counter({
    name: 'exs_deletion_strategy_switches_total',
    help: 'Switches of a connection’s deletions strategy, by the strategy switched to',
    labelNames: ['strategy'] as const,
    registers,
  });

  const pageSeconds = new Histogram({
    name: 'exs_sync_page_commit_seconds',
    help: 'Time from a sync page’s arrival from Exact to the commit of its rows and cursor, by entity',
    labelNames: ['entity'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const pageRecords = new Counter({
    name: 'exs_sync_records_committed_total',
    help: 'Records of sync pages committed, by entity (over exs_sync_page_commit_seconds_sum: records per second)',
    labelNames: ['entity'] as const,
    registers,
  });

  const callbacks = new Counter({
    name: 'exs_callback_deliveries_total',
    help: 'Order callbacks taken for delivery, by outcome: delivered (2xx), retry (failed, tried again later), given_up, held (URL refused or no secret: not posted)',
    labelNames: ['outcome'] as const,
    registers,
  });

  return {
    registry,
    sync: {
      held: (dataset) => held.inc({ dataset }),
      fieldDropped: (entity, field) => dropped.inc({ entity, field }),
      staleResync: (chain) => stale.inc({ chain }),
      strategySwitched: (strategy) => switches.inc({ strategy }),
      pageCommitted(entity, records, seconds) {
        pageSeconds.observe({ entity }, seconds);
        pageRecords.inc({ entity }, records);
      },
    },
    exact: {
      onResponse({ endpoint, lane, status, durationMs }) {
        calls.inc({ endpoint, lane, status: String(status) });
        if (status !== 'network') callSeconds.observe({ lane }, durationMs / 1000);
        if (status === 429) rateLimited.inc({ endpoint });
      },
      onGuardBlocked(endpoint) {
        guardBlocked.inc({ endpoint });
      },
    },
    jobSettled(job, outcome, seconds) {
      jobSeconds.observe({ job, outcome }, seconds);
    },
    orderSubmitted(seconds) {
      orderLatency.observe(Math.max(0, seconds));
    },
    callbackSettled(outcome) {
      callbacks.inc({ outcome });
    },
  };
}
