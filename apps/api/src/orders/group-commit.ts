/** What the batch function answers for one item: its own result, or its own error. */
type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface GroupCommitOptions<I, O> {
  /** Writes a batch; answers one result per item, in the items' order. Throwing fails the whole batch. */
  run(items: readonly I[]): Promise<Settled<O>[]>;
  /** A batch is flushed at once when it holds this many items. */
  maxItems: number;
  /** ...and otherwise this long after its first item arrived (0: once the current turn of the event loop ends). */
  maxWaitMs: number;
  /** Batches written at the same time; further items wait for one of them to finish, and go together. */
  maxInFlight: number;
  /**
   * Items with the same key never share a batch: the later ones go in the next batch, so they see what the earlier
   * one wrote. Without it, every item may share one.
   */
  keyOf?: (item: I) => string;
}

export interface GroupCommit<I, O> {
  /** Adds an item to the next batch; settles with its own result once its batch is written. */
  submit(item: I): Promise<O>;
  /** Writes what is waiting and answers once every batch is done. */
  drain(): Promise<void>;
}

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit: concurrent callers share one write. Items wait for at most `maxWaitMs` (or until `maxItems` are
 * waiting); while `maxInFlight` batches are being written, items gather and go as one batch when a write ends, so
 * the batch grows with the load and a caller waits about one write. When a batch throws, each of its items is
 * written alone, so one bad item fails only itself.
 */
export function createGroupCommit<I, O>(options: GroupCommitOptions<I, O>): GroupCommit<I, O> {
  let waiting: Waiting<I, O>[] = [];
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;
  let scheduled = false;
  const idle: (() => void)[] = [];

  const settle = (entries: readonly Waiting<I, O>[], results: readonly Settled<O>[]) => {
    entries.forEach((entry, i) => {
      const result = results[i] ?? {
        ok: false,
        error: new Error('the batch answered no result for an item'),
      };
      if (result.ok) entry.resolve(result.value);
      else entry.reject(result.error);
    });
  };

  const write = async (entries: Waiting<I, O>[]) => {
    try {
      settle(entries, await options.run(entries.map((e) => e.item)));
    } catch {
      // One item may have failed them all: each alone now, so it fails only itself.
      await Promise.all(
        entries.map(async (entry) => {
          try {
            settle([entry], await options.run([entry.item]));
          } catch (error) {
            entry.reject(error);
          }
        }),
      );
    }
  };

  const take = (): Waiting<I, O>[] => {
    if (!options.keyOf) {
      const batch = waiting.slice(0, options.maxItems);
      waiting = waiting.slice(batch.length);
      return batch;
    }
    const keys = new Set<string>();
    const batch: Waiting<I, O>[] = [];
    const later: Waiting<I, O>[] = [];
    for (const entry of waiting) {
      const key = options.keyOf(entry.item);
      if (batch.length < options.maxItems && !keys.has(key)) {
        keys.add(key);
        batch.push(entry);
      } else later.push(entry);
    }
    waiting = later;
    return batch;
  };

  const flush = () => {
    scheduled = false;
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (waiting.length > 0 && inFlight < options.maxInFlight) {
      const batch = take();
      inFlight += 1;
      void write(batch).finally(() => {
        inFlight -= 1;
        // What gathered while this batch was written has waited long enough.
        if (waiting.length > 0) flush();
        else if (inFlight === 0) for (const done of idle.splice(0)) done();
      });
    }
  };

  const schedule = () => {
    if (inFlight >= options.maxInFlight) return;
    if (waiting.length >= options.maxItems) return flush();
    if (scheduled) return;
    scheduled = true;
    if (options.maxWaitMs > 0) timer = setTimeout(flush, options.maxWaitMs);
    else setImmediate(flush);
  };

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        schedule();
      });
    },
    drain() {
      if (waiting.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        idle.push(resolve);
        flush();
      });
    },
  };
}
