const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page a person sees in the browser after authorizing in Exact. */
export function connectionReadyPage(input: { name: string; division: number; syncStarted: boolean }): string {
  const name = escapeHtml(input.name);
  const sync = input.syncStarted
    ? 'The first sync has started; storefront data appears as it arrives.'
    : 'The first sync will start as soon as the queue is reachable (the connection is paused or Redis is down).';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Connection ready</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>Connection ready</h1>
<p><strong>${name}</strong> is connected to Exact Online division ${input.division}.</p>
<p>${sync}</p>
<p>You can close this window.</p>
</body></html>
`;
}
