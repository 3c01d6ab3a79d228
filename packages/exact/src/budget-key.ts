/**
 * The budget key of a connection: Exact counts calls per app and division, so two connections to one division on
 * one host share a budget. The host is lower-cased and keeps a non-default port (the simulator's).
 */
export function budgetKeyFor(baseUrl: string, division: number): string {
  if (!Number.isSafeInteger(division) || division <= 0) throw new TypeError(`invalid division ${division}`);
  const host = new URL(baseUrl).host.toLowerCase();
  // Braces would break the Redis Cluster hash tag the governor wraps the key in.
  if (/[{}\s]/.test(host)) throw new TypeError('invalid Exact host');
  return `${host}/${division}`;
}
