import { startSimulator } from '@exact-sync/testkit';
import type { Cleanup } from './cleanup.ts';

export interface NaivePaging {
  endpoint: string;
  calls: number;
  records: number;
}

const CRUD = ['logistics/Items', 'crm/Accounts'] as const;

/**
 * What a naive client spends: it pages the plain CRUD endpoints 60 records at a time. Exact refuses a CRUD list
 * without a filter, so it asks for every code (`Code ne ''`). Runs on a simulator of its own (same seed and sizes,
 * so the same records) with a limit high enough that it never waits, and counts the pages it took.
 */
export async function pageCrudNaively(
  cleanup: Cleanup,
  simEnv: Record<string, string>,
  division: number,
): Promise<NaivePaging[]> {
  const sim = await startSimulator({
    ...simEnv,
    SIM_DIVISIONS: String(division),
    SIM_MINUTE_LIMIT: '1000000',
    SIM_DAY_LIMIT: '10000000',
  });
  cleanup.defer('stop the naive-paging simulator', () => sim.stop());
  try {
    const tokenRes = await fetch(`${sim.url}/_sim/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ division }),
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const out: NaivePaging[] = [];
    for (const endpoint of CRUD) {
      let url: string | undefined =
        `${sim.url}/api/v1/${division}/${endpoint}?$filter=${encodeURIComponent("Code ne ''")}`;
      let calls = 0;
      let records = 0;
      while (url !== undefined && calls < 100_000) {
        const res = await fetch(url, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        });
        calls += 1;
        if (res.status !== 200) throw new Error(`${endpoint} answered ${res.status}: ${await res.text()}`);
        const body = (await res.json()) as { d: { results: unknown[]; __next?: string } };
        records += body.d.results.length;
        url = body.d.__next;
      }
      out.push({ endpoint, calls, records });
    }
    return out;
  } finally {
    await sim.stop();
  }
}
