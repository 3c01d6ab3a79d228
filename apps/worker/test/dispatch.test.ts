import { describe, expect, it } from 'vitest';
import { assertHandlersComplete } from '../src/jobs/dispatch.ts';
import { createHandlers } from '../src/jobs/handlers.ts';

describe('handler map', () => {
  it('has a handler for every job of the catalogue', () => {
    expect(() => assertHandlersComplete(createHandlers())).not.toThrow();
  });

  it('refuses to boot when a handler is missing', () => {
    const { 'order.submit': _dropped, ...partial } = createHandlers();
    expect(() => assertHandlersComplete(partial)).toThrow('no handler for job(s): order.submit');
  });
});
