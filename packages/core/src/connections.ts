/**
 * `pending`: created, waiting for a person to authorize in Exact. `active`: tokens held and working.
 * `needs_reauth`: the refresh token expired or was spent; work waits until a person authorizes again.
 */
export const CONNECTION_STATUSES = ['pending', 'active', 'needs_reauth'] as const;
