import type { SimControl } from '@exact-sync/testkit';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sync-lane calls per division (every counted call except `salesorder/…`), from the simulator's statistics. */
async function syncCallsByDivision(sim: SimControl): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const c of (await sim.stats()).calls) {
    if (c.division === null || c.status === 429 || c.endpoint.toLowerCase().startsWith('salesorder/'))
      continue;
    out.set(c.division, (out.get(c.division) ?? 0) + c.count);
  }
  return out;
}

/**
 * Counts each division's sync-lane calls over `windows` whole rate windows: from just after the next window
 * boundary to just after the one `windows` later (the simulator's windows are aligned to `minuteMs` on a clock
 * equal to this one, and a window's calls end before its boundary).
 */
export async function sampleWindows(
  sim: SimControl,
  divisions: readonly number[],
  minuteMs: number,
  windows: number,
): Promise<{ syncCalls: Map<number, number>; startedAt: number }> {
  const start = (Math.floor(Date.now() / minuteMs) + 1) * minuteMs;
  await sleep(start - Date.now() + 20);
  const before = await syncCallsByDivision(sim);
  await sleep(start + windows * minuteMs - Date.now() + 20);
  const after = await syncCallsByDivision(sim);
  const syncCalls = new Map<number, number>();
  for (const d of divisions) syncCalls.set(d, (after.get(d) ?? 0) - (before.get(d) ?? 0));
  return { syncCalls, startedAt: start };
}
