import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';

/**
 * A fingerprint of everything the api stores: the content of every table (not only its row count, so an update
 * shows too) and the number of jobs in every queue, in every state.
 */
export async function storedState(app: FastifyInstance): Promise<{ tables: string; jobs: number }> {
  const tables = await app.database.db.execute<{ name: string }>(
    sql`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`,
  );
  const parts = tables.map(
    ({ name }) =>
      sql`(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from ${sql.identifier(name)} t)`,
  );
  const [row] = await app.database.db.execute<{ state: string }>(
    sql`select concat_ws(',', ${sql.join(parts, sql`, `)}) as state`,
  );
  let jobs = 0;
  for (const queue of Object.values(app.queues)) {
    const counts = await queue.getJobCounts();
    jobs += Object.values(counts).reduce((sum, n) => sum + n, 0);
  }
  return { tables: row?.state ?? '', jobs };
}
