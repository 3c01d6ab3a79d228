/**
 * Where the integration tiers find Postgres and Redis: the URLs exported by .ci/run (or set by hand), else the ones
 * the global setup started with testcontainers on a machine with Docker.
 */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set (the integration global setup provides it)');
  return url;
}

export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set (the integration global setup provides it)');
  return url;
}

let counter = 0;

/** A name no other test file or run uses: for BullMQ prefixes, Redis key prefixes, schema and database names. */
export function uniqueName(label: string): string {
  counter += 1;
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 24);
  return `t_${safe}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}
