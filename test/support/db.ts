import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, type Database, type DbProvider } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';

/** The local PostgreSQL database tests create their schemas in. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** A migrated, empty database of its own for one test (file), and the way to throw it away. */
export interface TestDatabase {
  db: Database;
  databaseUrl: string;
  dataDir: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh migrated database: a SQLite file in a temp dir, or a random schema in PostgreSQL's `test`
 * database. `TEST_DB=postgresql` switches the default so whole suites run against PostgreSQL.
 */
export async function createTestDatabase(provider: DbProvider = defaultProvider()): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taawun-test-'));
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const databaseUrl =
    provider === 'sqlite'
      ? `file:${path.join(dataDir, 'taawun.db')}`
      : `${TEST_POSTGRES_URL}?schema=${schema}`;
  const removeAll = async () => {
    if (provider === 'postgresql') await dropPostgresSchema(schema);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await applyMigrations({ databaseUrl, dataDir });
  } catch (err) {
    await removeAll();
    throw err;
  }
  const db = createDatabase({ databaseUrl, dataDir });
  return {
    db,
    databaseUrl,
    dataDir,
    async cleanup() {
      await db.close();
      await removeAll();
    },
  };
}

/** Drops a test schema with everything in it. */
export async function dropPostgresSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

function defaultProvider(): DbProvider {
  const value = process.env.TEST_DB ?? 'sqlite';
  if (value !== 'sqlite' && value !== 'postgresql') {
    throw new Error(`TEST_DB must be sqlite or postgresql, not "${value}"`);
  }
  return value;
}
