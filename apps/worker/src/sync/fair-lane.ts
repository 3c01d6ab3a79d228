/**
 * The run slots of the sync lane, handed out round-robin by connection. BullMQ hands the worker more sync jobs than
 * it runs at once; they wait here, and a freed slot goes to the connection served longest ago,
 * preferring one that has no run going (two runs of one connection would only meet at its budget's pacing). A
 * connection's long run gives its slot up between pages when another connection waits (`turn`), so an initial sync
 * of 100,000 items does not hold the lane while a hundred divisions queue behind it. When nobody else waits, a
 * connection may use every free slot (its entities in parallel).
 */
/** Connections whose last turn the lane remembers (the longest unserved of the rest count as never served). */
const MAX_REMEMBERED = 100_000;

export class FairLane {
  private running = 0;
  /** Slots held, by connection. */
  private readonly holding = new Map<string, number>();
  /** Waiting runs by connection, in the order connections began to wait. */
  private readonly waiting = new Map<string, (() => void)[]>();
  /** When each connection was last given a slot (a count of grants), oldest first; bounded. */
  private readonly served = new Map<string, number>();
  private grants = 0;

  constructor(private readonly slots: number) {}

  /** Runs `fn` in a slot, once it is `key`'s turn. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    await this.acquire(key);
    try {
      return await fn();
    } finally {
      this.release(key);
    }
  }

  /**
   * Between two pages of a run holding a slot: when another connection waits, gives the slot to it and waits for
   * the next turn; otherwise answers at once.
   */
  async turn(key: string): Promise<void> {
    let othersWait = false;
    for (const waiter of this.waiting.keys()) if (waiter !== key) othersWait = true;
    if (!othersWait) return;
    this.release(key);
    await this.acquire(key);
  }

  /** Runs waiting for a slot (for metrics and tests). */
  get queued(): number {
    let n = 0;
    for (const queue of this.waiting.values()) n += queue.length;
    return n;
  }

  private acquire(key: string): Promise<void> {
    if (this.running < this.slots && this.waiting.size === 0) {
      this.take(key);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push(resolve);
      else this.waiting.set(key, [resolve]);
      this.dispatch();
    });
  }

  private release(key: string): void {
    this.running -= 1;
    const held = (this.holding.get(key) ?? 1) - 1;
    if (held > 0) this.holding.set(key, held);
    else this.holding.delete(key);
    this.dispatch();
  }

  private take(key: string): void {
    this.running += 1;
    this.holding.set(key, (this.holding.get(key) ?? 0) + 1);
    this.served.delete(key);
    this.served.set(key, ++this.grants);
    if (this.served.size > MAX_REMEMBERED) {
      const oldest = this.served.keys().next().value;
      if (oldest !== undefined) this.served.delete(oldest);
    }
  }

  private dispatch(): void {
    while (this.running < this.slots && this.waiting.size > 0) {
      // The connection served longest ago (never: first) among those with no run going; if all have one, among all.
      let chosen: string | undefined;
      let chosenFree = false;
      let chosenServed = Number.POSITIVE_INFINITY;
      for (const key of this.waiting.keys()) {
        const free = !this.holding.has(key);
        const served = this.served.get(key) ?? 0;
        if (chosen === undefined || (free && !chosenFree) || (free === chosenFree && served < chosenServed)) {
          chosen = key;
          chosenFree = free;
          chosenServed = served;
        }
      }
      if (chosen === undefined) return;
      const queue = this.waiting.get(chosen) ?? [];
      const wake = queue.shift();
      if (queue.length === 0) this.waiting.delete(chosen);
      this.take(chosen);
      wake?.();
    }
  }
}
