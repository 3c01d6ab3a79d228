import type { StartedTestContainer } from 'testcontainers';
import { prepareTemplateDatabase } from './database.ts';

const started: StartedTestContainer[] = [];

/**
 * Integration tests run against real services. CI and developers export TEST_DATABASE_URL and TEST_REDIS_URL for
 * local ones; on a machine with Docker and neither set, PostgreSQL and Redis containers are started instead.
 */
export async function setup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const pg = await new PostgreSqlContainer('postgres:15-alpine').start();
    started.push(pg);
    process.env.TEST_DATABASE_URL = pg.getConnectionUri();
  }
  if (!process.env.TEST_REDIS_URL) {
    const { RedisContainer } = await import('@testcontainers/redis');
    const redis = await new RedisContainer('redis:7-alpine').start();
    started.push(redis);
    process.env.TEST_REDIS_URL = redis.getConnectionUrl();
  }
  await prepareTemplateDatabase(process.env.TEST_DATABASE_URL);
}

export async function teardown(): Promise<void> {
  await Promise.all(started.map((c) => c.stop()));
}
