import { ENTITY_NAMES } from '@exact-sync/core';
import { recordDivisionDates } from '@exact-sync/db';
import { RetryLaterError } from '@exact-sync/exact';
import { exactFor, type WorkerServices } from '../services.ts';

/**
 * Whether a date Exact reports for the division differs from the one last seen. Before any was seen, only a date
 * after the connection was made counts: an older one was already behind the Timestamps of the first sync.
 */
function changed(seen: Date | null, stored: Date | null, since: Date): boolean {
  if (seen === null) return false;
  return stored === null ? seen.getTime() > since.getTime() : seen.getTime() !== stored.getTime();
}

/**
 * Watches the connection's division in `system/Divisions` for the two events after which Exact says to "resync all
 * data": a move to another database (`DivisionMoveDate`) and a link to or unlink from Exact Online HR
 * (`DivisionHRLinkUnlinkDate`). Either regenerates every Timestamp, so the stored cursors mean nothing afterwards:
 * a change of either date requests a full resync of every entity and restarts the deletions chain. One call per
 * connection per `everyMs`, on the sync lane, reading only the connection's own division.
 */
export function divisionMoveWatch(services: WorkerServices, everyMs: number) {
  const checkedAt = new Map<string, number>();
  return async function check(connectionId: string): Promise<boolean> {
    const now = services.clock.now();
    if (now - (checkedAt.get(connectionId) ?? 0) < everyMs) return false;
    const access = await exactFor(services, connectionId);
    if (!access.ok) return false;
    const { connection, exact } = access;
    if (connection.division === null) return false;
    let division: Awaited<ReturnType<typeof exact.divisionInfo>>;
    try {
      division = await exact.divisionInfo(connection.division, 'sync');
    } catch (error) {
      if (error instanceof RetryLaterError) return false;
      throw error;
    }
    checkedAt.set(connectionId, now);
    if (!division) return false;
    const moved = division.divisionMoveDate;
    const relinked = division.hrLinkUnlinkDate;
    const resync =
      changed(moved, connection.divisionMoveDate, connection.createdAt) ||
      changed(relinked, connection.divisionHrLinkDate, connection.createdAt);
    const unseen =
      moved?.getTime() !== connection.divisionMoveDate?.getTime() ||
      relinked?.getTime() !== connection.divisionHrLinkDate?.getTime();
    if (!resync && !unseen) return false;
    await recordDivisionDates(services.database.db, connectionId, {
      moveDate: moved,
      hrLinkDate: relinked,
      resync: resync ? { entities: ENTITY_NAMES } : null,
    });
    if (resync) {
      services.log.warn(
        { connectionId, moved: moved?.toISOString(), hrLinkUnlink: relinked?.toISOString() },
        'division moved or relinked to Exact HR; full resync requested',
      );
    }
    return resync;
  };
}
