import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { repoRoot } from './processes.ts';
import { testDatabaseUrl, uniqueName } from './services.ts';

// The migration runs through the db package's own command, so testkit (which db's tests use) needs no import of db.
async function migrateDatabase(url: string): Promise<void> {
  await promisify(execFile)(
    `${repoRoot}node_modules/.bin/tsx`,
    [`${repoRoot}packages/db/src/migrate.cli.ts`],
    {
      env: { ...process.env, DATABASE_URL: url },
    },
  );
}

// One template per checkout: two clones of the repository may run their suites against one Postgres at once.
const TEMPLATE = `exs_test_template_${createHash('sha1').update(repoRoot).digest('hex').slice(0, 8)}`;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Builds the migrated template database that every test database is cloned from; run once by the global setup.
 * Recreated each run so a changed migration is always picked up.
 */
export async function prepareTemplateDatabase(baseUrl: string): Promise<void> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${TEMPLATE} with (force)`);
    await admin.unsafe(`create database ${TEMPLATE}`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(withDatabase(baseUrl, TEMPLATE));
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of this test file's own, cloned from the template; `drop()` removes it. */
export async function createTestDatabase(label = 'db'): Promise<TestDatabase> {
  const base = testDatabaseUrl();
  const name = uniqueName(label);
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    // Two clones of one template at the same instant can collide; a short retry settles it.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database ${name} template ${TEMPLATE}`);
        break;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(base, name),
    name,
    async drop() {
      const sql = postgres(base, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}
