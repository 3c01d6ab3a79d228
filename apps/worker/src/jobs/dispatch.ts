import {
  errorSummary,
  isJobName,
  JOB_NAMES,
  type JobName,
  jobsOfQueue,
  parsePayload,
  type QueueName,
} from '@exact-sync/core';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { Handler, HandlerMap, JobContext } from './handler.ts';

/** How a job's run ended: `delayed` means it went back to wait (for budget), without using an attempt. */
export type JobOutcome = 'completed' | 'delayed' | 'failed';

/** Told how each run ended and how long its handler took, in seconds (for metrics). */
export type JobObserver = (job: JobName, outcome: JobOutcome, seconds: number) => void;

/** Refuses to start when a job name of the catalogue has no handler (the type already demands one). */
export function assertHandlersComplete(handlers: Partial<Record<string, unknown>>): void {
  const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
  if (missing.length > 0) throw new Error(`no handler for job(s): ${missing.join(', ')}`);
}

/**
 * The error BullMQ keeps as a failed job's reason and stack (in Redis, on the operator's board): its summary
 * (`errorSummary`), so a query's parameters or a row quoted by Postgres never land there; the original is its cause. Same class for
 * UnrecoverableError, which decides whether BullMQ retries.
 */
function keptError(error: unknown): unknown {
  if (error instanceof DelayedError) return error;
  const summary = errorSummary(error);
  if (error instanceof Error && error.message === summary) return error;
  const kept = error instanceof UnrecoverableError ? new UnrecoverableError(summary) : new Error(summary);
  if (error instanceof Error && !(error instanceof UnrecoverableError)) kept.name = error.name;
  // For the worker's own log of the failure, which describes causes by their codes and names (`errorForLog`);
  // BullMQ keeps only the message and the stack.
  kept.cause = error;
  const frames =
    error instanceof Error
      ? (error.stack ?? '').split('\n').filter((l) => l.trimStart().startsWith('at '))
      : [];
  kept.stack = [`${kept.name}: ${summary}`, ...frames].join('\n');
  return kept;
}

/**
 * Builds the BullMQ processor of one queue: it refuses job names that do not belong there, validates the payload
 * again (Redis is not trusted to hold what was enqueued), and runs the handler.
 */
export function processorFor(queue: QueueName, handlers: HandlerMap, log: Logger, observe?: JobObserver) {
  const allowed = new Set<JobName>(jobsOfQueue(queue));
  return async (job: Job, token?: string): Promise<void> => {
    if (!isJobName(job.name) || !allowed.has(job.name)) {
      throw new UnrecoverableError(`job ${job.name} does not belong to queue ${queue}`);
    }
    const name: JobName = job.name;
    let payload: unknown;
    try {
      payload = parsePayload(name, job.data);
    } catch (error) {
      throw new UnrecoverableError(`invalid payload for ${name}: ${(error as Error).message}`);
    }
    const context: JobContext = {
      jobId: job.id ?? '',
      attempt: job.attemptsMade + 1,
      maxAttempts: job.opts.attempts ?? 1,
      log: log.child({ job: name, jobId: job.id }),
      schedulerId: job.repeatJobKey,
      async delayUntil(until: number): Promise<never> {
        await job.moveToDelayed(until, token);
        throw new DelayedError();
      },
    };
    const started = performance.now();
    const settled = (outcome: JobOutcome) => observe?.(name, outcome, (performance.now() - started) / 1000);
    try {
      await (handlers[name] as Handler<typeof name>)(payload as never, context);
    } catch (error) {
      settled(error instanceof DelayedError ? 'delayed' : 'failed');
      throw keptError(error);
    }
    settled('completed');
  };
}
