import { html, SafeHtml } from './html.ts';

/** A span of seconds as people read it: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** A whole number with thousands separators: `100,000`. */
export const count = (n: number): string => n.toLocaleString('en-US');

/** `2025-03-01 14:05:09 UTC`: unambiguous for operators in any time zone. */
export const utc = (iso: string): string => `${iso.slice(0, 19).replace('T', ' ')} UTC`;

/** A point in time relative to `now` (`12 s ago`, `in 40 s`), with the exact time on hover. */
export function when(iso: string | null, now: number, empty = 'never'): SafeHtml {
  if (iso === null) return html`<span class="muted">${empty}</span>`;
  const delta = (Date.parse(iso) - now) / 1000;
  const text = delta >= 0 ? `in ${duration(delta)}` : `${duration(-delta)} ago`;
  return html`<time datetime="${iso}" title="${utc(iso)}">${text}</time>`;
}

/**
 * A figure of the status document, marked for machines: `data-figure` is its path in
 * `GET /v1/connections/:id/status` and `data-value` its raw value (empty for null), whatever the text shows.
 */
export function figure(
  path: string,
  value: string | number | boolean | null,
  options: { shown?: SafeHtml | string; tag?: 'span' | 'td' | 'strong'; className?: string } = {},
): SafeHtml {
  const raw = value === null ? '' : String(value);
  // The tag comes from the closed list in the signature, so it may go in as markup.
  const tag = new SafeHtml(options.tag ?? 'span');
  const shown = options.shown ?? raw;
  return html`<${tag} class="${options.className ?? ''}" data-figure="${path}" data-value="${raw}">${shown}</${tag}>`;
}
