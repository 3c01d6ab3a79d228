import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../src/orders/group-commit.ts';

type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

/** A batch function that records its batches and answers each item doubled, refusing negative items. */
function recorder(options: { hold?: Promise<void> } = {}) {
  const batches: number[][] = [];
  return {
    batches,
    async run(items: readonly number[]): Promise<Settled<number>[]> {
      batches.push([...items]);
      await options.hold;
      if (items.some((item) => item < 0)) throw new Error(`negative item in ${items.join(',')}`);
      return items.map((item) => ({ ok: true, value: item * 2 }));
    },
  };
}

describe('group commit', () => {
  it('writes concurrent items as one batch and answers each its own result', async () => {
    const writes = recorder();
    const commit = createGroupCommit({ ...writes, maxItems: 100, maxWaitMs: 0, maxInFlight: 1 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => commit.submit(n)));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(writes.batches).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('flushes a full batch at once and puts the rest in the next', async () => {
    const writes = recorder();
    const commit = createGroupCommit({ ...writes, maxItems: 2, maxWaitMs: 60_000, maxInFlight: 4 });
    const results = await Promise.all([1, 2, 3, 4].map((n) => commit.submit(n)));
    expect(results).toEqual([2, 4, 6, 8]);
    expect(writes.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('gathers what arrives while a batch is written into the next one', async () => {
    let release = () => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const writes = recorder({ hold });
    const commit = createGroupCommit({ ...writes, maxItems: 100, maxWaitMs: 0, maxInFlight: 1 });
    const first = commit.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes.batches).toEqual([[1]]);
    const later = [2, 3, 4].map((n) => commit.submit(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes.batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6, 8]);
    expect(writes.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('fails only the item that fails: the batch is written again one item at a time', async () => {
    const writes = recorder();
    const commit = createGroupCommit({ ...writes, maxItems: 100, maxWaitMs: 0, maxInFlight: 1 });
    const results = await Promise.allSettled([1, -2, 3].map((n) => commit.submit(n)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('negative item in -2') },
      { status: 'fulfilled', value: 6 },
    ]);
    expect(writes.batches).toEqual([[1, -2, 3], [1], [-2], [3]]);
  });

  it('passes on an error the batch answers for one item, and the results of the others', async () => {
    const commit = createGroupCommit<number, number>({
      run: async (items) =>
        items.map((n) => (n === 2 ? { ok: false, error: new Error('two') } : { ok: true, value: n })),
      maxItems: 100,
      maxWaitMs: 0,
      maxInFlight: 1,
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => commit.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('never puts two items of one key in a batch: the later goes in the next', async () => {
    const writes = recorder();
    const commit = createGroupCommit({
      ...writes,
      maxItems: 100,
      maxWaitMs: 0,
      maxInFlight: 1,
      keyOf: (n: number) => String(n % 10),
    });
    await Promise.all([1, 11, 2, 21, 3].map((n) => commit.submit(n)));
    expect(writes.batches).toEqual([[1, 2, 3], [11], [21]]);
  });

  it('waits up to maxWaitMs for more items, and drains what waits', async () => {
    const writes = recorder();
    const commit = createGroupCommit({ ...writes, maxItems: 100, maxWaitMs: 60_000, maxInFlight: 1 });
    const pending = [1, 2].map((n) => commit.submit(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes.batches).toEqual([]);
    await commit.drain();
    expect(writes.batches).toEqual([[1, 2]]);
    expect(await Promise.all(pending)).toEqual([2, 4]);
  });
});
