import fs from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as PostgresClient } from '../generated/postgres/client.js';
import { PrismaClient } from '../generated/sqlite/client.js';
import type { DbLogger } from './schema-engine.js';
import { createSqliteAdapterFactory } from './sqlite.js';
import { type DbProvider, parseDatabaseUrl, pgPoolConfig } from './url.js';

export type { DbLogger } from './schema-engine.js';
export type { DbProvider } from './url.js';

/** The Prisma client every service uses, typed by the SQLite client whatever the provider. */
export type Db = PrismaClient;

/** An open database: the client, which provider it talks to, and health/shutdown hooks. */
export interface Database {
  prisma: Db;
  provider: DbProvider;
  close(): Promise<void>;
  ping(): Promise<boolean>;
}

// Waiting for the one SQLite writer is normal under load, so a transaction may queue longer than
// Prisma's 2 s default before it gives up.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 10_000 };

/**
 * Opens the database `databaseUrl` names (`file:` SQLite, `postgres(ql)://` PostgreSQL with an optional
 * `?schema=`). It does not migrate: run `applyMigrations` first. `dataDir` is accepted with the rest
 * of the config; the SQLite path comes from the URL alone.
 */
export function createDatabase(
  config: { databaseUrl: string; dataDir: string },
  logger?: DbLogger,
): Database {
  const target = parseDatabaseUrl(config.databaseUrl);
  let prisma: Db;
  if (target.provider === 'sqlite') {
    fs.mkdirSync(path.dirname(target.filePath), { recursive: true });
    prisma = new PrismaClient({
      adapter: createSqliteAdapterFactory(target.filePath),
      transactionOptions: TRANSACTION_OPTIONS,
    });
  } else {
    // The PostgreSQL client is generated from the same models as the SQLite one (only the provider
    // differs), so it has the same API and can stand behind the SQLite client's type.
    const postgres = new PostgresClient({
      adapter: new PrismaPg(pgPoolConfig(target), { schema: target.schema }),
      transactionOptions: TRANSACTION_OPTIONS,
    });
    prisma = postgres as unknown as Db;
  }
  logger?.info({ provider: target.provider }, 'database opened');
  return {
    prisma,
    provider: target.provider,
    close: () => prisma.$disconnect(),
    async ping() {
      try {
        await prisma.$queryRaw`SELECT 1`;
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * True for Prisma's unique-constraint error (P2002) from either provider; the engine relies on unique
 * keys for idempotency, so this is an expected outcome rather than a failure.
 */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}
