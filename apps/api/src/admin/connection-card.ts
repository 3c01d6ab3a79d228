import { ORDER_STATUSES } from '@exact-sync/core';
import type { StatusView } from '../connections/connection.schemas.ts';
import { callbacksPanel } from './callbacks-panel.ts';
import { count, figure, when } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { deletionsPanel, entitiesTable, listsTable } from './sync-panel.ts';

type Window = NonNullable<StatusView['budget']>['minute'];

const LANES = [
  { key: 'sync', label: 'Sync lane' },
  { key: 'order', label: 'Order lane' },
] as const;

/** One budget window: per lane a gauge of the calls taken against what that lane may use. */
function budgetWindow(name: 'minute' | 'day', w: Window, now: number): SafeHtml {
  const at = `budget.${name}`;
  const lanes = LANES.map(({ key, label }) => {
    // The sync lane stops at its share; the order lane may use the whole window.
    const cap = key === 'sync' ? w.syncShare : w.limit;
    const used = w.used[key];
    return html`<div class="lane lane-${key}">
      <span class="lane-name">${label}</span>
      <meter min="0" max="${Math.max(cap, 1)}" high="${cap * 0.85}" optimum="0" value="${used}"></meter>
      <span class="lane-figures">${figure(`${at}.used.${key}`, used, { tag: 'strong', shown: count(used) })} / ${count(cap)}</span>
    </div>`;
  });
  return html`<div class="window" data-window="${name}">
    <div class="window-head">
      <strong>${name === 'minute' ? 'This minute' : 'Today'}</strong>
      <span>limit ${figure(`${at}.limit`, w.limit, { shown: count(w.limit) })}</span>
      <span>sync share ${figure(`${at}.syncShare`, w.syncShare, { shown: count(w.syncShare) })}</span>
      <span>left ${figure(`${at}.remaining`, w.remaining, { tag: 'strong', shown: count(w.remaining) })}</span>
      <span>resets ${figure(`${at}.resetAt`, w.resetAt, { shown: when(w.resetAt, now) })}</span>
    </div>
    ${lanes}
  </div>`;
}

function budget(status: StatusView, now: number): SafeHtml {
  if (!status.budget) {
    return html`<p class="muted">No budget to show: the connection has no division yet, or Redis is unreachable.</p>`;
  }
  return html`${budgetWindow('minute', status.budget.minute, now)}${budgetWindow('day', status.budget.day, now)}`;
}

function orders(status: StatusView, queuesPath: string): SafeHtml {
  const tiles = ORDER_STATUSES.map(
    (s) => html`<div class="tile tile-${s}">
      ${figure(`orders.${s}`, status.orders[s], { tag: 'strong' })}<span>${s}</span>
    </div>`,
  );
  return html`<div class="tiles">${tiles}</div>
    <p class="links">Jobs in Bull Board:
      <a href="${queuesPath}/queue/sync">sync queue</a> ·
      <a href="${queuesPath}/queue/orders">order queue</a> ·
      <a href="${queuesPath}/queue/orders?status=failed">failed order jobs</a></p>`;
}

function badges(status: StatusView): SafeHtml {
  return html`${figure('status', status.status, { className: `badge badge-${status.status}` })}
    ${figure('paused', status.paused, {
      className: status.paused ? 'badge badge-paused' : 'badge badge-running',
      shown: status.paused ? 'paused' : 'running',
    })}
    ${status.needsReauth ? figure('needsReauth', true, { className: 'badge badge-reauth', shown: 'needs reauthorization' }) : ''}`;
}

/** Everything an operator watches of one connection, from the same document as `GET /v1/connections/:id/status`. */
export function connectionCard(status: StatusView, now: number, queuesPath: string): SafeHtml {
  const refreshExpiry = status.tokens?.refreshTokenExpiresAt ?? null;
  return html`<section class="connection" data-connection-id="${status.id}">
    <header class="card-head">
      <h2>${figure('name', status.name)}</h2>
      ${badges(status)}
    </header>
    <p class="meta">
      Division ${figure('division', status.division, { shown: status.division === null ? 'not chosen yet' : String(status.division) })}
      · ${status.exactBaseUrl}
      · ${refreshExpiry ? html`refresh token expires ${when(refreshExpiry, now)}` : 'no tokens yet'}
      · <code>${status.id}</code>
    </p>
    ${status.statusReason ? html`<p class="reason">${status.statusReason}</p>` : ''}
    <div class="grid">
      <div class="panel">
        <h3>Rate budget <span class="hint">of the division, shared by every connection to it</span></h3>
        ${budget(status, now)}
      </div>
      <div class="panel"><h3>Orders by state</h3>${orders(status, queuesPath)}</div>
      <div class="panel wide"><h3>Sync</h3>${entitiesTable(status, now)}</div>
      <div class="panel wide"><h3>Lists <span class="hint">read whole through REST once a day</span></h3>${listsTable(status, now)}</div>
      <div class="panel wide"><h3>Deletions <span class="hint">sync/Deleted, applied per entity once its dataset is in</span></h3>${deletionsPanel(status, now)}</div>
      <div class="panel wide"><h3>Order callbacks <span class="hint">signed posts of every state change to the channel's URL</span></h3>${callbacksPanel(status, now)}</div>
    </div>
  </section>`;
}
