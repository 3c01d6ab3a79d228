import type { Stamped } from './types.ts';

/**
 * Live records by ID plus an append-only log ordered by Timestamp. Records are immutable: an update appends a new
 * object and the old one in the log goes stale (it is no longer the live value of its ID). A sync page is a binary
 * search plus a scan, so a 1,000-record page costs about 1,000 steps whatever the table's size.
 */
export class EntityTable<T extends Stamped> {
  private readonly byId = new Map<string, T>();
  private log: T[] = [];
  private stale = 0;

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<T> {
    return this.byId.values();
  }

  /** Stores a record whose Timestamp is higher than any stored before. */
  set(record: T): T | undefined {
    const previous = this.byId.get(record.ID);
    if (previous) this.stale++;
    this.byId.set(record.ID, record);
    this.log.push(record);
    this.compactIfWorthIt();
    return previous;
  }

  delete(id: string): T | undefined {
    const previous = this.byId.get(id);
    if (!previous) return undefined;
    this.byId.delete(id);
    this.stale++;
    this.compactIfWorthIt();
    return previous;
  }

  clear(): void {
    this.byId.clear();
    this.log = [];
    this.stale = 0;
  }

  /** Live records with Timestamp > after, ascending, at most `limit`; `more` tells whether others follow. */
  page(after: number, limit: number, accept?: (record: T) => boolean): { records: T[]; more: boolean } {
    const records: T[] = [];
    const log = this.log;
    for (let i = this.firstAfter(after); i < log.length; i++) {
      const record = log[i] as T;
      if (this.byId.get(record.ID) !== record || (accept && !accept(record))) continue;
      if (records.length === limit) return { records, more: true };
      records.push(record);
    }
    return { records, more: false };
  }

  private firstAfter(after: number): number {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.log[mid] as T).Timestamp <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compactIfWorthIt(): void {
    if (this.stale < 1024 || this.stale * 2 < this.log.length) return;
    this.log = this.log.filter((record) => this.byId.get(record.ID) === record);
    this.stale = 0;
  }
}
