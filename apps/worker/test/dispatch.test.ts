import { describe, expect, it } from 'vitest';
import { assertHandlersComplete } from '../src/jobs/dispatch.ts';
import { createHandlers } from '../src/jobs/handlers.ts';
import type { WorkerServices } from '../src/services.ts';

// Handlers capture their services when called, not when built: the map can be checked without any.
const services = {} as WorkerServices;

describe('handler map', () => {
  it('has a handler for every job of the catalogue', () => {
    expect(() => assertHandlersComplete(createHandlers(services))).not.toThrow();
  });

  it('refuses to boot when a handler is missing', () => {
    const { 'order.submit': _dropped, ...partial } = createHandlers(services);
    expect(() => assertHandlersComplete(partial)).toThrow('no handler for job(s): order.submit');
  });
});
