import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Where Bull Board is mounted; the operator page links into it. */
export const BULL_BOARD_PATH = '/admin/queues';

/** Bull Board over both queues (sync and orders, with the installation's BullMQ prefix), for operators only. */
async function bullBoardPlugin(app: FastifyInstance): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: Object.values(app.queues).map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'exact-sync' } },
  });
  // The security plugin guards these routes (static files included) like every operator route: the admin token as
  // bearer or Basic password, and a Basic challenge so a browser prompts.
  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}

export default fp(bullBoardPlugin, { name: 'bull-board', dependencies: ['queues', 'auth', 'security'] });
