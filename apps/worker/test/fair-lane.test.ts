import { BudgetExhaustedError, EndpointGuardedError } from '@exact-sync/exact';
import { describe, expect, it } from 'vitest';
import { laneWait } from '../src/services.ts';
import { FairLane, LaneClosedError } from '../src/sync/fair-lane.ts';
import { localPicker } from '../src/sync/lane-picker.ts';

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

/** Lets every job of the test arrive before the lane's first turn (the picker answers asynchronously). */
async function arrivals(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await settle();
}

describe('FairLane over many connections', () => {
  it('serves every connection with due work before it serves any a second time, whatever the arrival order', async () => {
    const lane = new FairLane(4);
    const started: string[] = [];
    const runs: Promise<void>[] = [];
    // 40 connections with 12 datasets each, queued connection by connection (as a job scheduler queues them).
    for (let c = 0; c < 40; c++) {
      for (let d = 0; d < 12; d++) {
        runs.push(
          lane.run(
            `c${c}`,
            async () => {
              started.push(`c${c}`);
              await settle();
            },
            { dataset: `d${d}` },
          ),
        );
      }
    }
    await Promise.all(runs);
    expect(started).toHaveLength(40 * 12);
    // Every prefix of the order: no connection is two runs ahead of another.
    const counts = new Map<string, number>();
    for (const [i, key] of started.entries()) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const served = [...counts.values()];
      const least = served.length < 40 ? 0 : Math.min(...served);
      expect(Math.max(...served) - least, `after run ${i + 1}`).toBeLessThanOrEqual(1);
    }
  });

  it('shares turns by calls made: a connection whose runs cost three calls gets a third of the runs', async () => {
    const lane = new FairLane(1);
    const calls = new Map<string, number>();
    const runs: Promise<void>[] = [];
    const run = (key: string, cost: number) =>
      lane.run(key, async () => {
        // The Exact client's observer reports each call; the first of a turn was charged in advance.
        for (let i = 0; i < cost; i++) lane.callMade(key);
        calls.set(key, (calls.get(key) ?? 0) + cost);
        await settle();
      });
    for (let i = 0; i < 60; i++) runs.push(run('heavy', 3), run('light', 1));
    // Measured while both still have work: the first 40 runs.
    const done: string[] = [];
    await Promise.all(runs.map((r, i) => r.then(() => done.push(i % 2 === 0 ? 'heavy' : 'light'))));
    const first = done.slice(0, 40);
    const heavy = first.filter((k) => k === 'heavy').length;
    expect(heavy).toBeGreaterThanOrEqual(9);
    expect(heavy).toBeLessThanOrEqual(11);
  });

  it('runs the jobs of one waiting dataset once, and a job that comes during its run once more after it', async () => {
    const lane = new FairLane(1);
    const ran: string[] = [];
    const running = gate();
    const first = lane.run(
      'A',
      async () => {
        ran.push('items 1');
        await running.opened;
        return 'first';
      },
      { dataset: 'items' },
    );
    await arrivals();
    // During the run: a webhook and a planned poll of the same dataset wait for one run after it.
    const during = [1, 2].map(() =>
      lane.run(
        'A',
        async () => {
          ran.push('items 2');
          return 'second';
        },
        { dataset: 'items' },
      ),
    );
    const other = lane.run('A', async () => ran.push('stock'), { dataset: 'stock' });
    await arrivals();
    // A dataset never runs twice at once: stock may go, items waits.
    expect(ran).toEqual(['items 1']);
    running.open();
    expect(await first).toBe('first');
    expect(await Promise.all(during)).toEqual(['second', 'second']);
    await other;
    expect(ran.filter((r) => r === 'items 2')).toHaveLength(1);
    expect(ran).toHaveLength(3);
  });

  it('passes a connection over while its budget makes it wait, serves the others meanwhile, then runs it for all its jobs', async () => {
    let now = 1_000;
    const later = new Error('budget: not before 1,500');
    const lane = new FairLane(1, {
      now: () => now,
      waitOf: (error) => (error === later ? { until: 1_500, scope: 'connection' } : undefined),
    });
    const order: string[] = [];
    let refused = false;
    const a = lane.run(
      'A',
      async () => {
        if (!refused) {
          refused = true;
          order.push('A refused');
          throw later;
        }
        order.push('A');
      },
      { dataset: 'items' },
    );
    await arrivals();
    const b = lane.run('B', async () => order.push('B'), { dataset: 'items' });
    const c = lane.run('C', async () => order.push('C'), { dataset: 'items' });
    // Another job of A's waiting dataset joins the run that waits.
    const a2 = lane.run('A', async () => order.push('A again'), { dataset: 'items' });
    await Promise.all([b, c]);
    expect(order).toEqual(['A refused', 'B', 'C']);
    expect(lane.queued).toBe(2);
    now = 1_500;
    await Promise.all([a, a2]);
    expect(order).toEqual(['A refused', 'B', 'C', 'A']);
  });

  it('gives a job the error of a wait longer than the lane holds runs through', async () => {
    const lane = new FairLane(1, { waitOf: () => undefined });
    await expect(
      lane.run('A', async () => {
        throw new Error('budget: not before tomorrow');
      }),
    ).rejects.toThrow('tomorrow');
  });

  it('sends the jobs still waiting back when it closes, and stops a run in progress at its next page', async () => {
    const lane = new FairLane(1);
    const page = gate();
    const long = lane.run('A', async () => {
      await page.opened;
      await lane.turn('A');
    });
    await arrivals();
    const waiting = lane.run('B', async () => 'never');
    lane.close();
    await expect(waiting).rejects.toBeInstanceOf(LaneClosedError);
    page.open();
    await expect(long).rejects.toBeInstanceOf(LaneClosedError);
    await expect(lane.run('C', async () => 'late')).rejects.toBeInstanceOf(LaneClosedError);
  });

  it('is fair across processes that share the picker: each serves the connection with the fewest calls', async () => {
    const picker = localPicker();
    const lanes = [new FairLane(2, { picker }), new FairLane(2, { picker })];
    const started: string[] = [];
    const runs: Promise<unknown>[] = [];
    // Each process holds jobs of its own connections, and a few of both; all are due at once.
    for (let d = 0; d < 8; d++) {
      for (let c = 0; c < 12; c++) {
        const lane = lanes[c < 4 ? 0 : c < 8 ? 1 : d % 2] as FairLane;
        runs.push(
          lane.run(
            `c${c}`,
            async () => {
              started.push(`c${c}`);
              await settle();
            },
            { dataset: `d${d}` },
          ),
        );
      }
    }
    await Promise.all(runs);
    const counts = new Map<string, number>();
    for (const key of started.slice(0, 48)) counts.set(key, (counts.get(key) ?? 0) + 1);
    expect(counts.size).toBe(12);
    for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(3);
  });
});

describe('the waits the sync lane holds a run through', () => {
  const now = 1_000_000;
  it('holds the budget’s waits within a minute window for the whole connection', () => {
    expect(laneWait(new BudgetExhaustedError(now + 1_200, 'pacing'), now)).toEqual({
      until: now + 1_200,
      scope: 'connection',
    });
    expect(laneWait(new BudgetExhaustedError(now + 60_000, 'minute'), now)?.scope).toBe('connection');
  });

  it('holds an endpoint’s error guard for its dataset only', () => {
    expect(laneWait(new EndpointGuardedError('sync/Logistics/Items', now + 30_000), now)?.scope).toBe(
      'dataset',
    );
  });

  it('leaves longer waits (the day’s share used) and other errors to the job', () => {
    expect(laneWait(new BudgetExhaustedError(now + 3_600_000, 'day'), now)).toBeUndefined();
    expect(laneWait(new Error('Exact answered 503'), now)).toBeUndefined();
  });
});
