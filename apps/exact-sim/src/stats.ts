/** One row of call statistics. */
export interface CallRow {
  clientId: string | null;
  division: number | null;
  endpoint: string;
  method: string;
  status: number;
  count: number;
}

/** Counts every API call by client, division, endpoint, method and status. */
export class CallStats {
  private readonly rows = new Map<string, CallRow>();

  record(
    clientId: string | null,
    division: number | null,
    endpoint: string,
    method: string,
    status: number,
  ): void {
    const key = `${clientId}\u0000${division}\u0000${endpoint}\u0000${method}\u0000${status}`;
    const row = this.rows.get(key);
    if (row) row.count++;
    else this.rows.set(key, { clientId, division, endpoint, method, status, count: 1 });
  }

  snapshot(division?: number): { calls: CallRow[]; total: number; rateLimited: number } {
    const calls = [...this.rows.values()]
      .filter((row) => division === undefined || row.division === division)
      .map((row) => ({ ...row }));
    const total = calls.reduce((sum, row) => sum + row.count, 0);
    const rateLimited = calls.filter((row) => row.status === 429).reduce((sum, row) => sum + row.count, 0);
    return { calls, total, rateLimited };
  }

  clear(): void {
    this.rows.clear();
  }
}
