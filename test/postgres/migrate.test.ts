import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, isUniqueViolation } from '../../src/db/client.js';
import { applyMigrations, listMigrations, prismaPaths } from '../../src/db/migrate.js';
import { dropPostgresSchema, TEST_POSTGRES_URL } from '../support/db.js';

const schemaText = fs.readFileSync(prismaPaths('postgresql').schemaFile, 'utf8');
const modelNames = [...schemaText.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]).sort();

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const tablesIn = async (schema: string) =>
  (
    await query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [schema],
    )
  ).map((r) => r.table_name);

describe('applyMigrations on PostgreSQL', () => {
  let schema: string;
  let databaseUrl: string;

  beforeEach(() => {
    schema = `test_${randomBytes(6).toString('hex')}`;
    databaseUrl = `${TEST_POSTGRES_URL}?schema=${schema}`;
  });
  afterEach(() => dropPostgresSchema(schema));

  it('creates the schema and every table in it once, and then applies nothing', async () => {
    const publicBefore = await tablesIn('public');
    expect(await applyMigrations({ databaseUrl })).toEqual(listMigrations('postgresql'));

    expect((await tablesIn(schema)).filter((t) => t !== '_prisma_migrations').sort()).toEqual(modelNames);
    const recorded = await query(
      `SELECT migration_name FROM "${schema}"._prisma_migrations WHERE finished_at IS NOT NULL`,
    );
    expect(recorded).toHaveLength(listMigrations('postgresql').length);
    expect(await tablesIn('public')).toEqual(publicBefore);

    expect(await applyMigrations({ databaseUrl })).toEqual([]);
  });

  it('opens a client that reads and writes in that schema and reports unique violations', async () => {
    await applyMigrations({ databaseUrl });
    const db = createDatabase({ databaseUrl, dataDir: '.' });
    try {
      expect(db.provider).toBe('postgresql');
      expect(await db.ping()).toBe(true);
      await db.prisma.channelState.create({ data: { channel: 'telegram', reason: 'تجربة' } });
      const rows = await query<{ reason: string }>(`SELECT reason FROM "${schema}"."ChannelState"`);
      expect(rows).toEqual([{ reason: 'تجربة' }]);
      expect(await db.prisma.channelState.count()).toBe(1);
      const duplicate = await db.prisma.channelState
        .create({ data: { channel: 'telegram' } })
        .catch((err) => err);
      expect(isUniqueViolation(duplicate)).toBe(true);
    } finally {
      await db.close();
    }
  });
});
