import type { DeletionChain, DeletionStrategy, EntityName } from '@exact-sync/core';
import type { Database, SyncDataset } from '@exact-sync/db';
import type { Clock } from '@exact-sync/exact';
import type { Logger } from 'pino';

/** What the sync lane reports beyond its logs (the worker counts them for Prometheus). */
export interface SyncEvents {
  /** Exact refused a dataset for good: it is in `error` until its retry time. */
  held(dataset: SyncDataset): void;
  /** An optional field Exact no longer has was left out of the entity's `$select`. */
  fieldDropped(entity: EntityName, field: string): void;
  /** A deletions chain's cursor outlived Exact's retention: its entities are re-read in full. */
  staleResync(chain: DeletionChain): void;
  strategySwitched(to: DeletionStrategy): void;
  /** A page of `records` rows was committed with its cursor, `seconds` after Exact's answer arrived. */
  pageCommitted(entity: EntityName, records: number, seconds: number): void;
}

/** What a sync run works with. Time comes from `clock`, so tests can move it (retries, retention, windows). */
export interface SyncRunDeps {
  db: Database;
  log: Logger;
  clock: Clock;
  /** How long a dataset in `error` waits before it calls Exact again. */
  errorRetryMs: number;
  events?: SyncEvents | undefined;
  /** Called between two pages of a run: the sync lane may give the run's slot to another connection meanwhile. */
  turn?: (() => Promise<void>) | undefined;
}

/** A deletions run also knows Exact's retention and the strategy window. */
export interface DeletionRunDeps extends SyncRunDeps {
  /** How long a deletions cursor may go without a complete run before it is older than Exact's memory. */
  retentionMs: number;
  /** The window the two strategies are compared over; also how often the unfiltered chain is probed. */
  strategyWindowMs: number;
}
