import { describe, expect, it } from 'vitest';
import {
  canTransition,
  JOB_NAMES,
  JOBS,
  jobsOfQueue,
  parsePayload,
  schedulerTemplate,
  yourRefFor,
} from '../src/index.ts';

describe('job catalogue', () => {
  it('puts sync jobs on the sync queue and order jobs on the orders queue', () => {
    expect(jobsOfQueue('sync').sort()).toEqual([
      'sync.deleted',
      'sync.entity',
      'sync.list',
      'tokens.refresh-idle',
    ]);
    expect(jobsOfQueue('orders')).toEqual(['order.submit']);
    for (const name of JOB_NAMES) expect(JOBS[name].options.removeOnComplete).not.toBe(false);
  });

  it('refuses payloads with unknown entities, non-uuid ids or extra fields', () => {
    const id = '6f1f8f3a-2b7c-4d2e-9a51-0c7d3f1e2a44';
    expect(parsePayload('sync.entity', { connectionId: id, entity: 'items' })).toEqual({
      connectionId: id,
      entity: 'items',
    });
    expect(() => parsePayload('sync.entity', { connectionId: id, entity: 'orders' })).toThrow(/entity/);
    expect(() => parsePayload('sync.list', { connectionId: id, list: 'items' })).toThrow(/list/);
    expect(() => parsePayload('order.submit', { orderId: '42' })).toThrow(/orderId/);
    expect(() => parsePayload('order.submit', { orderId: id, token: 'x' })).toThrow(/token/);
  });

  it('builds job scheduler templates from the catalogue, refusing a bad payload as an enqueue would', () => {
    const id = '6f1f8f3a-2b7c-4d2e-9a51-0c7d3f1e2a44';
    expect(schedulerTemplate('sync.entity', { connectionId: id, entity: 'stock' })).toEqual({
      name: 'sync.entity',
      data: { connectionId: id, entity: 'stock' },
      opts: JOBS['sync.entity'].options,
    });
    expect(schedulerTemplate('tokens.refresh-idle', {}).opts).toMatchObject({ removeOnComplete: true });
    expect(() => schedulerTemplate('sync.deleted', { connectionId: 'connection-1' })).toThrow(/connectionId/);
  });
});

describe('orders', () => {
  it('only moves forward, except failed orders that are retried', () => {
    expect(canTransition('accepted', 'submitting')).toBe(true);
    expect(canTransition('submitted', 'accepted')).toBe(false);
    expect(canTransition('rejected', 'submitting')).toBe(false);
    expect(canTransition('failed', 'accepted')).toBe(true);
  });

  it('prefixes YourRef with the channel', () => {
    expect(yourRefFor('b2c', '100231')).toBe('B2C-100231');
    expect(yourRefFor('b2b', '100231')).toBe('B2B-100231');
  });
});
