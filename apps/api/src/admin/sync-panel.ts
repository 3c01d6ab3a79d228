import { DELETION_CHAINS, ENTITY_NAMES, LIST_NAMES } from '@exact-sync/core';
import type { StatusView } from '../connections/connection.schemas.ts';
import { count, duration, figure, when } from './format.ts';
import { html, type SafeHtml } from './html.ts';

const every = (seconds: number | null) => (seconds === null ? '–' : `every ${duration(seconds)}`);

/** Planned interval against the target: the budget meets it, or it does not (and by how much). */
function freshness(e: StatusView['entities'][keyof StatusView['entities']], at: string): SafeHtml {
  const verdict =
    e.meetsTarget === null ? 'not planned yet' : e.meetsTarget ? 'meets target' : 'misses target';
  return html`${figure(`${at}.plannedIntervalSeconds`, e.plannedIntervalSeconds, { shown: every(e.plannedIntervalSeconds) })}
    / ${figure(`${at}.targetLagSeconds`, e.targetLagSeconds, { shown: duration(e.targetLagSeconds) })}
    ${figure(`${at}.meetsTarget`, e.meetsTarget, { className: e.meetsTarget === false ? 'error' : 'muted', shown: verdict })}`;
}

/** What Exact refused or no longer has: the message, the retry, the dropped fields, the parked deletions. */
function trouble(e: StatusView['entities'][keyof StatusView['entities']], at: string, now: number): SafeHtml {
  return html`${figure(`${at}.lastError`, e.lastError, { className: 'error', shown: e.lastError ?? '' })}
    ${e.retryAt ? html`<span class="muted"> retry ${figure(`${at}.retryAt`, e.retryAt, { shown: when(e.retryAt, now) })}</span>` : ''}
    ${e.droppedFields.length > 0 ? html`<div class="muted">dropped: ${figure(`${at}.droppedFields`, e.droppedFields.join(','))}</div>` : ''}
    ${e.parkedDeletions > 0 ? html`<div class="muted">${figure(`${at}.parkedDeletions`, e.parkedDeletions)} deletions parked</div>` : ''}`;
}

/** Per entity: phase, records, freshness against its target, and what went wrong. */
export function entitiesTable(status: StatusView, now: number): SafeHtml {
  const rows = ENTITY_NAMES.map((name) => {
    const e = status.entities[name];
    const at = `entities.${name}`;
    return html`<tr data-entity="${name}"${e.enabled ? '' : html` class="muted"`}>
      <th scope="row">${name}${e.enabled ? '' : html` ${figure(`${at}.enabled`, e.enabled, { className: 'muted', shown: '(off)' })}`}</th>
      ${figure(`${at}.phase`, e.phase, { tag: 'td', className: `phase phase-${e.phase}` })}
      ${figure(`${at}.records`, e.records, { tag: 'td', className: 'num', shown: count(e.records) })}
      ${figure(`${at}.lastSuccessAt`, e.lastSuccessAt, { tag: 'td', shown: when(e.lastSuccessAt, now) })}
      ${figure(`${at}.lagSeconds`, e.lagSeconds, {
        tag: 'td',
        className: 'num',
        shown: e.lagSeconds === null ? '–' : duration(e.lagSeconds),
      })}
      <td class="num">${freshness(e, at)}</td>
      <td>${trouble(e, at, now)}</td>
    </tr>`;
  });
  return html`<table class="entities">
    <thead><tr><th>Entity</th><th>Phase</th><th class="num">Records</th><th>Last success</th>
      <th class="num">Lag</th><th class="num">Planned / target</th><th>Errors</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

/** Per REST list: phase, records, its last complete read and the next one, and Exact's refusal. */
export function listsTable(status: StatusView, now: number): SafeHtml {
  const rows = LIST_NAMES.map((name) => {
    const l = status.lists[name];
    const at = `lists.${name}`;
    return html`<tr data-list="${name}">
      <th scope="row">${name}</th>
      ${figure(`${at}.phase`, l.phase, { tag: 'td', className: `phase phase-${l.phase}` })}
      ${figure(`${at}.records`, l.records, { tag: 'td', className: 'num', shown: count(l.records) })}
      ${figure(`${at}.lastSuccessAt`, l.lastSuccessAt, { tag: 'td', shown: when(l.lastSuccessAt, now) })}
      <td class="num">${every(l.plannedIntervalSeconds)}</td>
      <td>${figure(`${at}.lastError`, l.lastError, { className: 'error', shown: l.lastError ?? '' })}</td>
    </tr>`;
  });
  return html`<table class="lists">
    <thead><tr><th>List</th><th>Phase</th><th class="num">Records</th><th>Last read</th>
      <th class="num">Planned</th><th>Errors</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

/** The deletions strategy, its cost against the other's over the window, and each chain's cursor. */
export function deletionsPanel(status: StatusView, now: number): SafeHtml {
  const d = status.deletions;
  const cost = d.cost;
  const chains = DELETION_CHAINS.filter((c) => d.chains[c].active || d.chains[c].staleResyncAt).map(
    (name) => {
      const c = d.chains[name];
      const at = `deletions.chains.${name}`;
      return html`<tr data-chain="${name}">
      <th scope="row">${name}</th>
      ${figure(`${at}.phase`, c.phase, { tag: 'td', className: `phase phase-${c.phase}` })}
      ${figure(`${at}.lastSuccessAt`, c.lastSuccessAt, { tag: 'td', shown: when(c.lastSuccessAt, now) })}
      <td>${c.staleResyncAt ? html`${figure(`${at}.staleResyncReason`, c.staleResyncReason)} (${when(c.staleResyncAt, now)})` : ''}
        ${figure(`${at}.lastError`, c.lastError, { className: 'error', shown: c.lastError ?? '' })}</td>
    </tr>`;
    },
  );
  // The figures of the cost move with every round, so they are shown but not marked as status figures.
  const costLine = cost
    ? html`<p class="meta">Over the last ${duration(cost.windowSeconds)}: ${count(cost.rounds)} rounds,
        ${count(cost.records)} deletions read (${count(cost.foreign)} of types not synced) ·
        unfiltered chain ${count(cost.callsAll)} calls${d.strategy === 'all' ? ' (chosen)' : ' (estimate)'} ·
        one chain per type ${count(cost.callsPerType)} calls${d.strategy === 'per_type' ? ' (chosen)' : ' (estimate)'}</p>`
    : html`<p class="meta">No rounds measured yet.</p>`;
  return html`<p>Strategy ${figure('deletions.strategy', d.strategy, { tag: 'strong' })}
      · ${every(d.plannedIntervalSeconds)}</p>
    ${costLine}
    <table class="chains">
      <thead><tr><th>Chain</th><th>Phase</th><th>Last complete</th><th>Notes</th></tr></thead>
      <tbody>${chains}</tbody>
    </table>`;
}
