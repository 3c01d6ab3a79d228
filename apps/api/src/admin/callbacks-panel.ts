import { CHANNELS } from '@exact-sync/core';
import type { StatusView } from '../connections/connection.schemas.ts';
import { figure, when } from './format.ts';
import { html, type SafeHtml } from './html.ts';

const COUNTS = ['pending', 'failing', 'held', 'overdue', 'givenUp'] as const;

/** Where a channel's callbacks go: scheme, host and path, never the query (it may carry the shop's credentials). */
function target(url: string | undefined): SafeHtml | string {
  if (url === undefined) return html`<span class="muted">no callback URL</span>`;
  try {
    const { origin, pathname } = new URL(url);
    return `${origin}${pathname}`;
  } catch {
    return 'not a URL';
  }
}

/** Per channel: the callbacks waiting, failing, held or given up, and the last error. */
export function callbacksPanel(status: StatusView, now: number): SafeHtml {
  const rows = CHANNELS.map((channel) => {
    const c = status.callbacks[channel];
    const at = `callbacks.${channel}`;
    const counts = COUNTS.map((name) =>
      figure(`${at}.${name}`, c[name], {
        tag: 'td',
        className: c[name] > 0 && name !== 'pending' ? 'num error' : 'num',
      }),
    );
    return html`<tr data-channel="${channel}">
      <th scope="row">${channel}</th>
      <td>${target(status.channels[channel]?.callbackUrl)}</td>
      ${counts}
      ${figure(`${at}.lastError`, c.lastError, { tag: 'td', className: 'error', shown: c.lastError ?? '' })}
      ${figure(`${at}.lastErrorAt`, c.lastErrorAt, { tag: 'td', shown: when(c.lastErrorAt, now, '') })}
    </tr>`;
  });
  return html`<table class="callbacks">
    <thead><tr><th>Channel</th><th>Posts to</th><th class="num">Pending</th><th class="num">Failing</th>
      <th class="num">Held</th><th class="num">Overdue</th><th class="num">Given up (7 d)</th><th>Last error</th><th></th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}
