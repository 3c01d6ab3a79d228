import { listConnections } from '@exact-sync/db';
import type { FastifyInstance } from 'fastify';
import { adminPage } from '../admin/admin-page.ts';
import type { StatusView } from '../connections/connection.schemas.ts';
import { connectionStatus } from '../connections/connection-view.ts';
import { BULL_BOARD_PATH } from '../plugins/bull-board.plugin.ts';

/** The operator page at `/admin`: the figures of `GET /v1/connections/:id/status` for every connection, as HTML. */
export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.database;
  const { governor } = app;

  // A page: the security plugin takes the admin token as bearer or Basic password, with a Basic challenge.
  app.get('/admin', { config: { access: 'operator' }, schema: { hide: true } }, async (_request, reply) => {
    const rows = await listConnections(db);
    const now = Date.now();
    const found = await Promise.all(
      rows.map((row) =>
        connectionStatus({ db, governor, now, plannedInterval: app.plannedSyncInterval }, row.id),
      ),
    );
    const statuses = found.filter((s): s is StatusView => s !== undefined);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(adminPage(statuses, { now, queuesPath: BULL_BOARD_PATH }));
  });
}
