import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, isUniqueViolation } from '../../src/db/client.js';
import { applyMigrations, diffSchemas, listMigrations, prismaPaths } from '../../src/db/migrate.js';

const schemaText = fs.readFileSync(prismaPaths('sqlite').schemaFile, 'utf8');
const modelNames = [...schemaText.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]).sort();

describe('applyMigrations on SQLite', () => {
  let dir: string;
  let databaseUrl: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taawun-migrate-'));
    databaseUrl = `file:${path.join(dir, 'nested', 'taawun.db')}`;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates every table of the schema once, and then applies nothing', async () => {
    const started = Date.now();
    expect(await applyMigrations({ databaseUrl })).toEqual(listMigrations('sqlite'));
    expect(Date.now() - started).toBeLessThan(2_000);

    const raw = new Database(path.join(dir, 'nested', 'taawun.db'), { readonly: true });
    const tables = raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all()
      .map((r) => (r as { name: string }).name);
    const recorded = raw.prepare('SELECT migration_name, finished_at FROM _prisma_migrations').all();
    raw.close();
    // Besides the models: the hand-written FTS5 index of products and the shadow tables FTS5 keeps.
    const handWritten = (t: string) => t === '_prisma_migrations' || t.startsWith('ProductSearch');
    expect(tables.filter((t) => !handWritten(t)).sort()).toEqual(modelNames);
    expect(tables).toContain('ProductSearch');
    expect(recorded).toHaveLength(listMigrations('sqlite').length);

    expect(await applyMigrations({ databaseUrl })).toEqual([]);
  });

  it('opens clients with WAL, a busy timeout of at least 5 s, foreign keys on, and reports unique violations', async () => {
    await applyMigrations({ databaseUrl });
    const db = createDatabase({ databaseUrl, dataDir: dir });
    try {
      expect(db.provider).toBe('sqlite');
      expect(await db.ping()).toBe(true);
      const pragma = async (name: string) =>
        Object.values(
          (await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`))[0] ?? {},
        )[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(Number(await pragma('busy_timeout'))).toBeGreaterThanOrEqual(5_000);
      expect(Number(await pragma('foreign_keys'))).toBe(1);
      await db.prisma.channelState.create({ data: { channel: 'web' } });
      const duplicate = await db.prisma.channelState.create({ data: { channel: 'web' } }).catch((err) => err);
      expect(isUniqueViolation(duplicate)).toBe(true);
      expect(isUniqueViolation(new Error('other'))).toBe(false);
    } finally {
      await db.close();
    }
  });
});

describe('diffSchemas', () => {
  const addNote = (schema: string) =>
    schema.replace('model ChannelState {', 'model ChannelState {\n  note String?');

  it.each(['sqlite', 'postgresql'] as const)('gives only what changed for %s, offline', async (provider) => {
    const schema = fs.readFileSync(prismaPaths(provider).schemaFile, 'utf8');
    expect(await diffSchemas(provider, schema, schema)).toBe('');
    const sql = await diffSchemas(provider, schema, addNote(schema));
    expect(sql).toMatch(/^-- AlterTable\nALTER TABLE "ChannelState" ADD COLUMN\s+"note" TEXT;\s*$/);
  });

  it('creates every table from an empty database', async () => {
    const sql = await diffSchemas('sqlite', null, schemaText);
    for (const model of modelNames) expect(sql).toContain(`CREATE TABLE "${model}"`);
  });
});
