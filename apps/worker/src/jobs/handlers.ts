import type { HandlerMap } from './handler.ts';

/**
 * The handler of every job. The lanes replace these as they are built; until then a job is validated (by the
 * dispatcher) and logged, and nothing pretends to have synced or submitted anything.
 */
export function createHandlers(): HandlerMap {
  return {
    'sync.entity': async (payload, { log }) => {
      log.warn({ payload }, 'sync lane is not built yet; job acknowledged without syncing');
    },
    'sync.deleted': async (payload, { log }) => {
      log.warn({ payload }, 'sync lane is not built yet; job acknowledged without syncing');
    },
    'order.submit': async (payload, { log }) => {
      log.warn({ payload }, 'order lane is not built yet; job acknowledged without submitting');
    },
  };
}
