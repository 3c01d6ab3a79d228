import type { WorkerServices } from '../services.ts';
import type { HandlerMap } from './handler.ts';
import { orderSubmitHandler } from './order.jobs.ts';
import { syncDeletedHandler, syncEntityHandler, syncListHandler } from './sync.jobs.ts';

/** The handler of every job of the catalogue. */
export function createHandlers(services: WorkerServices): HandlerMap {
  return {
    'sync.entity': syncEntityHandler(services),
    'sync.deleted': syncDeletedHandler(services),
    'sync.list': syncListHandler(services),
    'order.submit': orderSubmitHandler(services),
    'tokens.refresh-idle': async (_payload, { log }) => {
      log.info(await services.tokens.refreshIdle(), 'idle connections refreshed');
    },
  };
}
