// `npm run db:migrate`: applies pending migrations to DATABASE_URL (from the environment or .env).
import 'dotenv/config';
import { applyMigrations } from '../src/db/migrate.js';
import { parseDatabaseUrl } from '../src/db/url.js';

const databaseUrl = process.env.DATABASE_URL || 'file:./data/taawun.db';

try {
  const target = parseDatabaseUrl(databaseUrl);
  const where =
    target.provider === 'sqlite' ? target.filePath : `PostgreSQL schema ${target.schema ?? 'public'}`;
  const applied = await applyMigrations({ databaseUrl });
  if (applied.length === 0) console.log(`${where}: already up to date`);
  for (const name of applied) console.log(`${where}: applied ${name}`);
} catch (err) {
  console.error(`Migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
