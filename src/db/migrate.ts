import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationDirectory } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { type DbLogger, offlinePostgresFactory, withSchemaEngine } from './schema-engine.js';
import { createSqliteAdapterFactory } from './sqlite.js';
import { type DatabaseTarget, type DbProvider, parseDatabaseUrl, pgPoolConfig } from './url.js';

const PRISMA_DIR = fileURLToPath(new URL('../../prisma/', import.meta.url));
const NO_FILTERS = { externalTables: [], externalEnums: [] };
const LOCKFILE = 'migration_lock.toml';

/** Where each provider's schema and migrations live: SQLite in prisma/, PostgreSQL in prisma/postgres/. */
export function prismaPaths(provider: DbProvider): { schemaFile: string; migrationsDir: string } {
  const dir = provider === 'sqlite' ? PRISMA_DIR : path.join(PRISMA_DIR, 'postgres');
  return { schemaFile: path.join(dir, 'schema.prisma'), migrationsDir: path.join(dir, 'migrations') };
}

/** The migration folders of a provider, oldest first (`<timestamp>_<name>` sorts by time). */
export function listMigrations(provider: DbProvider): string[] {
  const { migrationsDir } = prismaPaths(provider);
  if (!fs.existsSync(migrationsDir)) return [];
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && fs.existsSync(path.join(migrationsDir, entry.name, 'migration.sql')),
    )
    .map((entry) => entry.name)
    .sort();
}

/**
 * Applies the pending migrations to `databaseUrl` with the offline schema engine and returns their
 * names. It records them in `_prisma_migrations` as `prisma migrate deploy` does, so it is idempotent
 * and can run on every start; with PostgreSQL `?schema=x` everything goes into schema x.
 */
export async function applyMigrations(
  config: { databaseUrl: string; dataDir?: string },
  logger?: DbLogger,
): Promise<string[]> {
  const target = parseDatabaseUrl(config.databaseUrl);
  const { schemaFile, migrationsDir } = prismaPaths(target.provider);
  const lockfile = path.join(migrationsDir, LOCKFILE);
  const migrationDirectories: MigrationDirectory[] = listMigrations(target.provider).map((name) => ({
    path: name,
    migrationFile: {
      path: 'migration.sql',
      content: { tag: 'ok', value: fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8') },
    },
  }));
  const schema = { path: schemaFile, content: fs.readFileSync(schemaFile, 'utf8') };
  const { appliedMigrationNames } = await withSchemaEngine(
    adapterFactory(target),
    schema,
    (engine) =>
      engine.applyMigrations({
        migrationsList: {
          baseDir: migrationsDir,
          lockfile: {
            path: LOCKFILE,
            content: fs.existsSync(lockfile) ? fs.readFileSync(lockfile, 'utf8') : null,
          },
          shadowDbInitScript: '',
          migrationDirectories,
        },
        filters: NO_FILTERS,
      }),
    logger,
  );
  if (appliedMigrationNames.length > 0) {
    logger?.info({ migrations: appliedMigrationNames }, 'applied database migrations');
  }
  return appliedMigrationNames;
}

/**
 * The SQL that turns schema `from` (null: an empty database) into schema `to`, or '' when they match.
 * Needs no database: it compares the two schema texts.
 */
export async function diffSchemas(provider: DbProvider, from: string | null, to: string): Promise<string> {
  const factory =
    provider === 'sqlite' ? new PrismaBetterSqlite3({ url: ':memory:' }) : offlinePostgresFactory();
  const files = (content: string) => [{ path: 'schema.prisma', content }];
  const result = await withSchemaEngine(factory, { path: 'schema.prisma', content: to }, (engine) =>
    engine.diff({
      from: from === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: files(from) },
      to: { tag: 'schemaDatamodel', files: files(to) },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    }),
  );
  // exitCode 2 means "the schemas differ", as with `prisma migrate diff --exit-code`.
  return result.exitCode === 2 ? (result.stdout ?? '') : '';
}

function adapterFactory(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  if (target.provider === 'postgresql') {
    // The engine creates the schema when it is missing; the search_path makes the migration SQL
    // (unqualified names) land there too.
    return new PrismaPg(pgPoolConfig(target), { schema: target.schema });
  }
  fs.mkdirSync(path.dirname(target.filePath), { recursive: true });
  return createSqliteAdapterFactory(target.filePath);
}
