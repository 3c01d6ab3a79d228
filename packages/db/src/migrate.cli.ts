import { migrateDatabase } from './migrate.ts';

// The one place in this package that reads the environment: it is a command, not library code.
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required, e.g. postgres://postgres@127.0.0.1:5432/exact_sync');
  process.exit(2);
}
try {
  await migrateDatabase(url);
  console.log('migrations applied');
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
