/** The parts of `GET /v1/connections/:id/status` the CLI prints. */
export interface StatusAnswer {
  id: string;
  name: string;
  division: number | null;
  status: string;
  paused: boolean;
  needsReauth: boolean;
  statusReason: string | null;
  entities: Record<
    string,
    {
      phase: string;
      records: number;
      lastSuccessAt: string | null;
      lagSeconds: number | null;
      lastError: string | null;
      plannedIntervalSeconds?: number | null;
      targetLagSeconds?: number;
      meetsTarget?: boolean | null;
      retryAt?: string | null;
      droppedFields?: string[];
    }
  >;
  deletions?: {
    strategy: string;
    cost: { windowSeconds: number; callsAll: number; callsPerType: number } | null;
    chains: Record<
      string,
      { active: boolean; staleResyncAt: string | null; staleResyncReason: string | null }
    >;
  };
  budget: Record<
    'minute' | 'day',
    { limit: number; used: { sync: number; order: number }; remaining: number; resetAt: string }
  > | null;
  orders: Record<string, number>;
  callbacks?: Record<
    string,
    { pending: number; failing: number; held: number; givenUp: number; lastError: string | null }
  >;
}

export interface ConnectionAnswer {
  id: string;
  name: string;
  division: number | null;
  status: string;
  paused: boolean;
  statusReason: string | null;
}

const dash = (v: unknown) => (v === null || v === undefined ? '-' : String(v));

function lag(seconds: number | null): string {
  if (seconds === null) return 'never synced';
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m ago`;
  return `${Math.round(seconds / 3600)}h ago`;
}

function state(c: { status: string; paused: boolean }): string {
  return c.paused ? `${c.status}, paused` : c.status;
}

function target(e: StatusAnswer['entities'][string]): string {
  if (e.targetLagSeconds === undefined) return '';
  const planned = e.plannedIntervalSeconds ? `every ${e.plannedIntervalSeconds}s` : 'not planned';
  const verdict = e.meetsTarget === false ? ', misses target' : '';
  return `   ${planned} / target ${e.targetLagSeconds}s${verdict}`;
}

const span = (seconds: number) => (seconds < 7200 ? `${seconds}s` : `${Math.round(seconds / 3600)}h`);

function deletionLines(d: NonNullable<StatusAnswer['deletions']>): string[] {
  const cost = d.cost
    ? `   calls over ${span(d.cost.windowSeconds)}: unfiltered ${d.cost.callsAll}, per type ${d.cost.callsPerType}`
    : '';
  const lines = [`  deletions ${d.strategy}${cost}`];
  for (const [chain, c] of Object.entries(d.chains)) {
    if (c.staleResyncAt)
      lines.push(`  ${chain}: ${c.staleResyncReason ?? 'full resync'} (${c.staleResyncAt})`);
  }
  return lines;
}

export function formatStatus(s: StatusAnswer): string {
  const lines = [`${s.name} (${s.id})`, `  status    ${state(s)}   division ${dash(s.division)}`];
  if (s.statusReason) lines.push(`  reason    ${s.statusReason}`);
  if (s.needsReauth) lines.push('  action    run `authorize-link <id>` and open the link to authorize again');
  for (const [name, e] of Object.entries(s.entities)) {
    const error = e.lastError
      ? `   last error: ${e.lastError}${e.retryAt ? ` (retry ${e.retryAt})` : ''}`
      : '';
    const dropped = e.droppedFields?.length ? `   dropped: ${e.droppedFields.join(', ')}` : '';
    lines.push(
      `  ${name.padEnd(9)} ${e.phase.padEnd(11)} ${String(e.records).padStart(7)} records   ${lag(e.lagSeconds)}${target(e)}${error}${dropped}`,
    );
  }
  if (s.deletions) lines.push(...deletionLines(s.deletions));
  if (s.budget) {
    for (const window of ['minute', 'day'] as const) {
      const w = s.budget[window];
      lines.push(
        `  budget    ${window.padEnd(6)} ${w.remaining}/${w.limit} left (sync ${w.used.sync}, orders ${w.used.order}), resets ${w.resetAt}`,
      );
    }
  } else {
    lines.push('  budget    unknown (no division yet, or Redis unreachable)');
  }
  const orders = Object.entries(s.orders).map(([k, v]) => `${k} ${v}`);
  lines.push(`  orders    ${orders.join(', ')}`);
  for (const [channel, c] of Object.entries(s.callbacks ?? {})) {
    if (c.pending === 0 && c.givenUp === 0) continue;
    const error = c.lastError ? `   last error: ${c.lastError}` : '';
    lines.push(
      `  callbacks ${channel} ${c.pending} pending (${c.failing} failing, ${c.held} held), ${c.givenUp} given up in 7 days${error}`,
    );
  }
  return lines.join('\n');
}

export function formatConnections(list: ConnectionAnswer[]): string {
  if (list.length === 0) return 'no connections yet; create one with `create <name>`';
  return list
    .map(
      (c) =>
        `${c.id}  ${c.name}  ${state(c)}  division ${dash(c.division)}${c.statusReason ? `  (${c.statusReason})` : ''}`,
    )
    .join('\n');
}
