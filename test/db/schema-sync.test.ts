import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listMigrations, prismaPaths } from '../../src/db/migrate.js';

// DESIGN §4: the PostgreSQL schema is the SQLite one with another provider and output, and both
// providers carry the same migrations (`npm run db:new-migration` keeps all of this in step).

const read = (file: string) => fs.readFileSync(file, 'utf8');
const withoutProviderAndOutput = (schema: string) =>
  schema
    .replace(/^(\s*output\s*=\s*).*$/m, '$1<output>')
    .replace(/(datasource\s+db\s*\{[^}]*?provider\s*=\s*).*$/m, '$1<provider>');

describe('schema sync', () => {
  it('prisma/postgres/schema.prisma is prisma/schema.prisma apart from provider and output', () => {
    const sqlite = read(prismaPaths('sqlite').schemaFile);
    const postgres = read(prismaPaths('postgresql').schemaFile);
    expect(sqlite).toMatch(/provider\s*=\s*"sqlite"/);
    expect(postgres).toMatch(/provider\s*=\s*"postgresql"/);
    expect(withoutProviderAndOutput(postgres)).toBe(withoutProviderAndOutput(sqlite));
  });

  it('both providers have the same migrations, each with its lock file', () => {
    expect(listMigrations('postgresql')).toEqual(listMigrations('sqlite'));
    expect(listMigrations('sqlite').length).toBeGreaterThan(0);
    for (const provider of ['sqlite', 'postgresql'] as const) {
      const lock = read(path.join(prismaPaths(provider).migrationsDir, 'migration_lock.toml'));
      expect(lock).toContain(`provider = "${provider}"`);
    }
  });

  it.each(['sqlite', 'postgresql'] as const)(
    'the last %s migration is up to date with the schema',
    (provider) => {
      const { schemaFile, migrationsDir } = prismaPaths(provider);
      const last = listMigrations(provider).at(-1) ?? '';
      const snapshot = read(path.join(migrationsDir, last, 'schema.prisma'));
      // Differs when the schema changed without `npm run db:new-migration -- <name>`.
      expect(snapshot).toBe(read(schemaFile));
    },
  );
});
