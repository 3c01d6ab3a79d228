import { AsyncLocalStorage } from 'node:async_hooks';
import { type LanePicker, localPicker } from './lane-picker.ts';

/**
 * The run slots of the sync lane, handed out by connection in fair turns. The worker holds every due sync job
 * (see `lane-capacity.ts`), not only the head of BullMQ's queue; the jobs wait here, and a freed slot goes to the
 * connection whose turn it is by the `LanePicker` (shared in Redis by every worker process: the one with the fewest
 * sync calls made), preferring one that has no run going here (two runs of one connection would only meet at its
 * budget's pacing). A connection's long run gives its slot up between pages when another connection waits
 * (`turn`), so an initial sync of 100,000 items does not hold the lane while a hundred divisions queue behind it.
 * When nobody else waits, a connection may use every free slot (its datasets in parallel).
 *
 * Runs of one dataset are one run: a job for a dataset that already waits here joins the waiting run (a planned
 * poll, a webhook and the reconciler asking for the same entity cost one run), and a dataset never runs twice at
 * once here; a job that comes while its dataset runs waits for a run after it. A run refused for a while (the
 * budget's pacing, its window, an order going first: `waitOf`) goes back to waiting with its jobs, and its
 * connection is passed over until then: it neither holds a slot nor goes to the back of a queue.
 */

/** Thrown to the jobs still waiting when the lane closes (the worker stops): they go back to the queue. */
export class LaneClosedError extends Error {
  override readonly name = 'LaneClosedError';
  constructor() {
    super('the sync lane closed before this run had its turn');
  }
}

/** A refusal the lane waits out itself: until when, and whether the whole connection waits or only the dataset. */
export interface LaneWait {
  until: number;
  scope: 'connection' | 'dataset';
}

export interface FairLaneOptions {
  /** Whose turn it is; default a picker of this process alone. */
  picker?: LanePicker;
  /** The clock of `LaneWait.until`; default `Date.now`. */
  now?: () => number;
  /** Which errors of a run are waits the lane holds the run through (default: none, every error is the job's). */
  waitOf?: (error: unknown) => LaneWait | undefined;
  /** Waits one run may meet in a row before its jobs get the error after all; default 20. */
  maxWaits?: number;
}

export interface RunOptions {
  /** The dataset the run syncs: runs of one dataset of a connection are joined, and never run at once. */
  dataset?: string;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** A run waiting for its turn, with the jobs that wait for it. */
interface Pending {
  readonly dataset: string | undefined;
  readonly run: () => Promise<unknown>;
  readonly waiters: Waiter[];
  /** Not before then (a wait the lane holds it through). */
  notBefore: number;
  waits: number;
}

/** A run in progress, found through AsyncLocalStorage by `turn` and `callMade`. */
interface Running {
  readonly key: string;
  /** Whether it holds a slot now (not while it waits in `turn`). */
  holding: boolean;
  /** Calls charged in advance by the turn it holds, not made yet. */
  prepaid: number;
}

interface Connection {
  /** Runs waiting, in arrival order. */
  readonly pending: Pending[];
  /** Runs in progress waiting in `turn` for their slot back. */
  readonly turns: Waiter[];
  /** Slots held. */
  holding: number;
  /** Datasets running, with how many runs (runs without a dataset are not counted). */
  readonly running: Map<string, number>;
}

const NO_WAIT = (): undefined => undefined;

export class FairLane {
  private readonly picker: LanePicker;
  private readonly now: () => number;
  private readonly waitOf: (error: unknown) => LaneWait | undefined;
  private readonly maxWaits: number;
  private readonly storage = new AsyncLocalStorage<Running>();
  /** Connections with runs waiting or going, in the order they came. */
  private readonly connections = new Map<string, Connection>();
  /** Connections passed over until then (a wait of the whole connection). */
  private readonly blocked = new Map<string, number>();
  private running = 0;
  private closed = false;
  private pumping = false;
  private pumpAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly slots: number,
    options: FairLaneOptions = {},
  ) {
    this.picker = options.picker ?? localPicker();
    this.now = options.now ?? Date.now;
    this.waitOf = options.waitOf ?? NO_WAIT;
    this.maxWaits = options.maxWaits ?? 20;
  }

  /**
   * Runs `fn` in a slot, once it is `key`'s turn; with a dataset, joins the run of that dataset already waiting
   * (and answers what that run answers).
   */
  run<T>(key: string, fn: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new LaneClosedError());
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = { resolve: resolve as (value: unknown) => void, reject };
      const connection = this.connection(key);
      const dataset = options.dataset;
      const joined =
        dataset === undefined ? undefined : connection.pending.find((p) => p.dataset === dataset);
      if (joined) joined.waiters.push(waiter);
      else connection.pending.push({ dataset, run: fn, waiters: [waiter], notBefore: 0, waits: 0 });
      this.pump();
    });
  }

  /**
   * Between two pages of a run holding a slot: when another connection waits, gives the slot up and waits for the
   * next turn; otherwise answers at once. Throws `LaneClosedError` once the lane closed, so the run stops there.
   */
  async turn(key: string): Promise<void> {
    if (this.closed) throw new LaneClosedError();
    const running = this.storage.getStore();
    if (!running || running.key !== key || !running.holding) return;
    if (!this.othersWait(key, this.now())) return;
    const connection = this.connection(key);
    this.release(running, connection);
    await new Promise<void>((resolve, reject) => {
      connection.turns.push({
        resolve: () => {
          running.holding = true;
          running.prepaid = 1;
          resolve();
        },
        reject,
      });
      this.pump();
    });
  }

  /**
   * Counts a sync call made for connection `key` (the Exact client's observer calls it): toward the turn of the run
   * it is called from, and for calls made outside the lane (the maintenance's webhook subscriptions and division
   * checks use the same budget), straight toward the connection's next turns.
   */
  callMade(key: string): void {
    const running = this.storage.getStore();
    if (running?.key === key && running.prepaid > 0) running.prepaid -= 1;
    else this.picker.charge(key, 1);
  }

  /** Jobs waiting for a run to start or for a turn (for metrics and tests). */
  get queued(): number {
    let n = 0;
    for (const connection of this.connections.values()) {
      n += connection.turns.length;
      for (const pending of connection.pending) n += pending.waiters.length;
    }
    return n;
  }

  /**
   * Stops handing out turns: the jobs still waiting get `LaneClosedError` (they go back to the queue), runs in
   * progress stop at their next `turn`.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    for (const connection of this.connections.values()) {
      for (const pending of connection.pending.splice(0)) {
        for (const waiter of pending.waiters) waiter.reject(new LaneClosedError());
      }
      for (const turn of connection.turns.splice(0)) turn.reject(new LaneClosedError());
    }
  }

  private connection(key: string): Connection {
    let connection = this.connections.get(key);
    if (!connection) {
      connection = { pending: [], turns: [], holding: 0, running: new Map() };
      this.connections.set(key, connection);
    }
    return connection;
  }

  private forget(key: string, connection: Connection): void {
    const idle = connection.pending.length === 0 && connection.turns.length === 0 && connection.holding === 0;
    if (idle && connection.running.size === 0) this.connections.delete(key);
  }

  /** The first run of the connection that may start now, if any. */
  private startable(connection: Connection, now: number): number {
    return connection.pending.findIndex(
      (p) => p.notBefore <= now && (p.dataset === undefined || !connection.running.has(p.dataset)),
    );
  }

  private isBlocked(key: string, now: number): boolean {
    const until = this.blocked.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.blocked.delete(key);
    return false;
  }

  private othersWait(key: string, now: number): boolean {
    for (const [other, connection] of this.connections) {
      if (other === key || this.isBlocked(other, now)) continue;
      if (connection.turns.length > 0 || this.startable(connection, now) >= 0) return true;
    }
    return false;
  }

  /** Hands out free slots, one turn at a time (the choice may ask Redis). */
  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    void this.handOut().finally(() => {
      this.pumping = false;
      if (this.pumpAgain) {
        this.pumpAgain = false;
        this.pump();
      }
    });
  }

  private async handOut(): Promise<void> {
    while (!this.closed && this.running < this.slots) {
      this.pumpAgain = false;
      const now = this.now();
      // Connections with work that may start now, those with no run going here first.
      const free: string[] = [];
      const busy: string[] = [];
      let wake = Number.POSITIVE_INFINITY;
      for (const [key, connection] of this.connections) {
        if (connection.pending.length === 0 && connection.turns.length === 0) continue;
        if (this.isBlocked(key, now)) {
          wake = Math.min(wake, this.blocked.get(key) ?? now);
          continue;
        }
        if (connection.turns.length > 0 || this.startable(connection, now) >= 0) {
          (connection.holding === 0 ? free : busy).push(key);
        } else {
          for (const p of connection.pending) if (p.notBefore > now) wake = Math.min(wake, p.notBefore);
        }
      }
      const candidates = free.length > 0 ? free : busy;
      if (candidates.length === 0) {
        this.wakeAt(wake);
        return;
      }
      this.running += 1; // the slot is taken while the picker answers
      let key = candidates[0] ?? '';
      try {
        key = await this.picker.pick(candidates);
      } catch {
        // A picker that failed (it should fall back itself): the longest waiting goes.
      }
      if (!this.grant(key)) {
        this.running -= 1;
        this.picker.charge(key, -1);
      }
    }
  }

  /**
   * Gives the slot taken to `key`: a run waiting in `turn` first, else its first run that may start. The connection
   * goes to the end of the order, which breaks ties between connections charged alike.
   */
  private grant(key: string): boolean {
    const connection = this.connections.get(key);
    if (!connection || this.closed) return false;
    this.connections.delete(key);
    this.connections.set(key, connection);
    const turn = connection.turns.shift();
    if (turn) {
      connection.holding += 1;
      turn.resolve(undefined);
      return true;
    }
    const index = this.startable(connection, this.now());
    const [pending] = index >= 0 ? connection.pending.splice(index, 1) : [];
    if (!pending) return false;
    void this.execute(key, connection, pending);
    return true;
  }

  private async execute(key: string, connection: Connection, pending: Pending): Promise<void> {
    const running: Running = { key, holding: true, prepaid: 1 };
    connection.holding += 1;
    const { dataset } = pending;
    if (dataset !== undefined) connection.running.set(dataset, (connection.running.get(dataset) ?? 0) + 1);
    try {
      const value = await this.storage.run(running, pending.run);
      for (const waiter of pending.waiters) waiter.resolve(value);
    } catch (error) {
      const wait = this.closed ? undefined : this.waitOf(error);
      if (wait && pending.waits < this.maxWaits) {
        // Refused before its first call: the turn was not had, and is not charged.
        this.release(running, connection, true);
        pending.waits += 1;
        pending.notBefore = wait.until;
        if (wait.scope === 'connection')
          this.blocked.set(key, Math.max(this.blocked.get(key) ?? 0, wait.until));
        // Jobs that came meanwhile wait for a run after this one began: the run to come serves them too.
        const later = connection.pending.findIndex((p) => p.dataset !== undefined && p.dataset === dataset);
        const [joined] = later >= 0 ? connection.pending.splice(later, 1) : [];
        if (joined) pending.waiters.push(...joined.waiters);
        connection.pending.unshift(pending);
      } else {
        for (const waiter of pending.waiters) waiter.reject(error);
      }
    } finally {
      if (dataset !== undefined) {
        const left = (connection.running.get(dataset) ?? 1) - 1;
        if (left > 0) connection.running.set(dataset, left);
        else connection.running.delete(dataset);
      }
      this.release(running, connection);
      this.forget(key, connection);
      this.pump();
    }
  }

  /**
   * Frees the slot a run holds. A turn costs one call even when it made none (it took the slot), except a turn
   * refused by a wait (`refund`).
   */
  private release(running: Running, connection: Connection, refund = false): void {
    if (!running.holding) return;
    running.holding = false;
    this.running -= 1;
    connection.holding -= 1;
    if (refund && running.prepaid > 0) this.picker.charge(running.key, -running.prepaid);
    running.prepaid = 0;
  }

  private wakeAt(at: number): void {
    if (!Number.isFinite(at) || (this.timer !== undefined && this.timerAt <= at)) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, at - this.now()),
    );
    this.timer.unref();
  }
}
