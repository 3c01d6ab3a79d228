import { describe, expect, it } from 'vitest';
import { type Database, transitionOrder } from '../src/index.ts';

// A database that fails the test if it is touched: a refused move must not reach SQL.
const untouchable = new Proxy({} as Database, {
  get() {
    throw new Error('the database was used');
  },
});

describe('transitionOrder', () => {
  it('refuses a move the order state machine does not allow, before writing anything', async () => {
    await expect(
      transitionOrder(untouchable, 'order-1', ['accepted', 'submitted'], 'submitting'),
    ).rejects.toThrow('an order cannot move from submitted to submitting');
    await expect(transitionOrder(untouchable, 'order-1', ['rejected'], 'accepted')).rejects.toThrow(
      'an order cannot move from rejected to accepted',
    );
  });
});
