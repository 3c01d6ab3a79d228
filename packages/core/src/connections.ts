/**
 * `pending`: created, waiting for a person to authorize in Exact. `active`: tokens held and working.
 * `needs_reauth`: the refresh token expired or was spent; work waits until a person authorizes again.
 */
export const CONNECTION_STATUSES = ['pending', 'active', 'needs_reauth'] as const;

type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/**
 * Whether an OAuth callback may (re)place a connection's tokens: one never authorized, one that lost its tokens, or
 * an active one an operator explicitly sent to authorize again. A live connection is never overwritten otherwise.
 */
export function mayAuthorize(connection: {
  status: ConnectionStatus;
  reauthorizeRequestedAt: Date | null;
}): boolean {
  return (
    connection.status === 'pending' ||
    connection.status === 'needs_reauth' ||
    connection.reauthorizeRequestedAt !== null
  );
}
