import { describe, expect, it } from 'vitest';
import { FairLane } from '../src/sync/fair-lane.ts';

/** A run that holds its slot until released by the test. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('FairLane', () => {
  it('runs at most its slots at once, and any connection may use every free slot when nobody else waits', async () => {
    const lane = new FairLane(2);
    const started: string[] = [];
    const gates = [gate(), gate(), gate()];
    const runs = gates.map((g, i) =>
      lane.run('A', async () => {
        started.push(`A${i}`);
        await g.opened;
      }),
    );
    await settle();
    expect(started).toEqual(['A0', 'A1']);
    expect(lane.queued).toBe(1);
    gates[0]?.open();
    await settle();
    expect(started).toEqual(['A0', 'A1', 'A2']);
    for (const g of gates) g.open();
    await Promise.all(runs);
    expect(lane.queued).toBe(0);
  });

  it('hands freed slots round-robin by connection, not in arrival order, preferring connections with no run going', async () => {
    const lane = new FairLane(1);
    const order: string[] = [];
    const first = gate();
    const holding = lane.run('A', async () => {
      order.push('A');
      await first.opened;
    });
    // Arrival order: three runs of A, then B, then two of C, then D.
    const rest = ['A', 'A', 'A', 'B', 'C', 'C', 'D'].map((key) =>
      lane.run(key, async () => {
        order.push(key);
      }),
    );
    await settle();
    first.open();
    await Promise.all([holding, ...rest]);
    // A was served first, so B, C and D go before A's second run; then the round goes on.
    expect(order).toEqual(['A', 'B', 'C', 'D', 'A', 'C', 'A', 'A']);
  });

  it('gives the slot of a long run to a waiting connection between pages, and takes it back in turn', async () => {
    const lane = new FairLane(1);
    const order: string[] = [];
    const long = lane.run('A', async () => {
      order.push('A page 1');
      await settle();
      await lane.turn('A');
      order.push('A page 2');
      await lane.turn('A');
      order.push('A page 3');
    });
    const others = ['B', 'C'].map((key) =>
      lane.run(key, async () => {
        order.push(key);
      }),
    );
    await Promise.all([long, ...others]);
    expect(order).toEqual(['A page 1', 'B', 'C', 'A page 2', 'A page 3']);
  });

  it('answers a turn at once when no other connection waits', async () => {
    const lane = new FairLane(1);
    const order: string[] = [];
    await lane.run('A', async () => {
      order.push('page 1');
      await lane.turn('A');
      order.push('page 2');
    });
    expect(order).toEqual(['page 1', 'page 2']);
  });

  it('frees the slot when a run throws', async () => {
    const lane = new FairLane(1);
    await expect(
      lane.run('A', async () => {
        throw new Error('Exact is down');
      }),
    ).rejects.toThrow('Exact is down');
    await expect(lane.run('B', async () => 'ran')).resolves.toBe('ran');
  });
});
