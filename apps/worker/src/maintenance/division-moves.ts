import { ENTITY_NAMES } from '@exact-sync/core';
import { restartAfterDivisionMove } from '@exact-sync/db';
import { RetryLaterError } from '@exact-sync/exact';
import { exactFor, type WorkerServices } from '../services.ts';

/**
 * Watches `system/Divisions` for a division move: Exact restarts every Timestamp when a division moves to another
 * database, so the stored cursors mean nothing afterwards. A move newer than the last one seen (or than the
 * connection itself) requests a full resync of every entity and restarts the deletions chain. One call per
 * connection per `everyMs`, on the sync lane.
 */
export function divisionMoveWatch(services: WorkerServices, everyMs: number) {
  const checkedAt = new Map<string, number>();
  return async function check(connectionId: string): Promise<boolean> {
    const now = services.clock.now();
    if (now - (checkedAt.get(connectionId) ?? 0) < everyMs) return false;
    const access = await exactFor(services, connectionId);
    if (!access.ok) return false;
    let divisions: Awaited<ReturnType<typeof access.exact.divisions>>;
    try {
      divisions = await access.exact.divisions('sync');
    } catch (error) {
      if (error instanceof RetryLaterError) return false;
      throw error;
    }
    checkedAt.set(connectionId, now);
    const { connection } = access;
    const moved = divisions.find((d) => d.code === connection.division)?.divisionMoveDate;
    const known = connection.divisionMoveDate ?? connection.createdAt;
    if (!moved || moved.getTime() <= known.getTime()) return false;
    await restartAfterDivisionMove(services.database.db, connectionId, {
      entities: ENTITY_NAMES,
      movedAt: moved,
    });
    services.log.warn({ connectionId, moved: moved.toISOString() }, 'division moved; full resync requested');
    return true;
  };
}
