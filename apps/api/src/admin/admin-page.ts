import type { StatusView } from '../connections/connection.schemas.ts';
import { connectionCard } from './connection-card.ts';
import { utc } from './format.ts';
import { html, SafeHtml } from './html.ts';

/** Seconds between the page's own refreshes. */
const REFRESH_SECONDS = 5;

// A constant of this file: markup, not data, so it goes in unescaped.
const STYLE = new SafeHtml(`
:root { --bg: #f4f5f7; --card: #fff; --ink: #1d2330; --muted: #6b7385; --line: #e2e5ea;
  --sync: #2f6fde; --order: #e07a1f; --ok: #1f8a4c; --warn: #c98a00; --bad: #c6372f; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
.top { display: flex; align-items: baseline; gap: 1.5rem; padding: .9rem 1.5rem; background: #151a21; color: #e8ebf0; }
.top h1 { margin: 0; font-size: 1.15rem; letter-spacing: .02em; }
.top nav a { color: #9fc1ff; margin-right: 1rem; text-decoration: none; }
.top .stamp { margin-left: auto; color: #8b96a5; font-size: .85rem; }
main { padding: 1.25rem 1.5rem; display: grid; gap: 1.25rem; max-width: 1200px; }
.connection { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.25rem; }
.card-head { display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; }
.card-head h2 { margin: 0 .5rem 0 0; font-size: 1.2rem; }
.meta { color: var(--muted); margin: .35rem 0 .75rem; }
.reason { background: #fdecea; color: var(--bad); padding: .4rem .6rem; border-radius: 6px; }
.badge { border-radius: 999px; padding: .1rem .6rem; font-size: .78rem; font-weight: 600; border: 1px solid transparent; }
.badge-active { background: #e3f4ea; color: var(--ok); } .badge-pending { background: #eef0f3; color: var(--muted); }
.badge-needs_reauth, .badge-reauth { background: #fdecea; color: var(--bad); }
.badge-paused { background: #fff4d6; color: var(--warn); } .badge-running { border-color: var(--line); color: var(--muted); }
.grid { display: grid; grid-template-columns: 1.6fr 1fr; gap: 1rem; }
.panel { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; }
.panel.wide { grid-column: 1 / -1; }
.panel h3 { margin: 0 0 .5rem; font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.panel h3 .hint { text-transform: none; letter-spacing: 0; font-weight: 400; margin-left: .4rem; }
.window + .window { margin-top: .9rem; }
.window-head { display: flex; gap: .2rem .9rem; flex-wrap: wrap; margin-bottom: .35rem; color: var(--muted); font-size: .9rem; }
.window-head strong:first-child { color: var(--ink); min-width: 6rem; }
.lane { display: grid; grid-template-columns: 6rem 1fr 8rem; align-items: center; gap: .6rem; margin: .2rem 0; }
.lane-name { color: var(--muted); } .lane-figures { text-align: right; font-variant-numeric: tabular-nums; }
meter { width: 100%; height: .85rem; }
.lane-sync meter::-webkit-meter-optimum-value { background: var(--sync); }
.lane-order meter::-webkit-meter-optimum-value { background: var(--order); }
meter::-webkit-meter-bar { background: #eceff3; border: 0; border-radius: 4px; }
.tiles { display: grid; grid-template-columns: repeat(5, 1fr); gap: .5rem; }
.tile { border-radius: 8px; padding: .5rem; text-align: center; background: #f6f7f9; }
.tile strong { display: block; font-size: 1.35rem; font-variant-numeric: tabular-nums; }
.tile span { color: var(--muted); font-size: .8rem; }
.tile-submitted strong { color: var(--ok); } .tile-rejected strong, .tile-failed strong { color: var(--bad); }
.links { margin: .75rem 0 0; color: var(--muted); } a { color: var(--sync); }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
thead th { color: var(--muted); font-weight: 500; font-size: .8rem; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.phase-initial { color: var(--warn); } .phase-incremental { color: var(--ok); } .phase-error { color: var(--bad); font-weight: 600; }
.error { color: var(--bad); max-width: 28rem; overflow-wrap: anywhere; }
.muted { color: var(--muted); } code { font-size: .8rem; color: var(--muted); }
.empty { background: var(--card); border: 1px dashed var(--line); border-radius: 10px; padding: 2rem; text-align: center; }
`);

/** The operator page: every connection's budget, sync progress and orders; it reloads itself every few seconds. */
export function adminPage(statuses: StatusView[], input: { now: number; queuesPath: string }): string {
  const cards = statuses.map((status) => connectionCard(status, input.now, input.queuesPath));
  const empty = html`<div class="empty">No connections yet. Create one with <code>POST /v1/connections</code>.</div>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<title>exact-sync · operator</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top">
  <h1>exact-sync</h1>
  <nav><a href="${input.queuesPath}">Queues (Bull Board)</a><a href="/docs">API docs</a></nav>
  <span class="stamp">${statuses.length} connection(s) · ${utc(new Date(input.now).toISOString())} · refreshes every ${REFRESH_SECONDS} s</span>
</header>
<main>${statuses.length > 0 ? cards : empty}</main>
</body>
</html>
`.value;
}
