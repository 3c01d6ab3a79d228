import type { JobName, JobPayload } from '@exact-sync/core';
import type { Logger } from 'pino';

/** What a handler gets besides its payload: the BullMQ job's identity and a logger bound to it. */
export interface JobContext {
  readonly jobId: string;
  readonly attempt: number;
  /** Attempts the job has in all; on the last one a handler records why it gives up. */
  readonly maxAttempts: number;
  readonly log: Logger;
  /** The job scheduler that planned this job (a planned poll), if any. */
  readonly schedulerId?: string | undefined;
  /** Puts the job back into the delayed set until `until` without using an attempt (budget waits). */
  delayUntil(until: number): Promise<never>;
}

export type Handler<K extends JobName> = (payload: JobPayload<K>, context: JobContext) => Promise<void>;

/** One handler for every job of the catalogue: a missing one fails to compile. */
export type HandlerMap = { readonly [K in JobName]: Handler<K> };
