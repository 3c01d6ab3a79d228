import type { Keyed } from './record-base.ts';

/** Live records by ID, for the plain REST entities (no Timestamp, no sync log). */
export class RefTable<T extends Keyed> {
  private readonly byId = new Map<string, T>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<T> {
    return this.byId.values();
  }

  set(record: T): T | undefined {
    const previous = this.byId.get(record.ID);
    this.byId.set(record.ID, record);
    return previous;
  }

  delete(id: string): T | undefined {
    const previous = this.byId.get(id);
    this.byId.delete(id);
    return previous;
  }
}
