import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import { Mutex } from './mutex.js';

/** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

// One lock per database file for the whole process. better-sqlite3 waits for a busy lock synchronously,
// blocking the event loop, so two connections of this process must never wait on each other inside
// SQLite: they queue here instead, and only other processes are left to the busy timeout.
const fileLocks = new Map<string, Mutex>();

function lockFor(filePath: string): Mutex {
  let lock = fileLocks.get(filePath);
  if (!lock) {
    lock = new Mutex();
    fileLocks.set(filePath, lock);
  }
  return lock;
}

const sql = (text: string): SqlQuery => ({ sql: text, args: [], argTypes: [] });
const ENDS_TRANSACTION = /^\s*(COMMIT|END|ROLLBACK)\s*;?\s*$/i;

/**
 * A Prisma adapter factory for a SQLite file with the reliability rules of DESIGN §14: WAL, a busy
 * timeout, foreign keys on, and writes serialised. Prisma's own adapter begins DEFERRED transactions,
 * lets plain queries run inside another caller's open transaction on its single connection, and leaves
 * the connection in a transaction when COMMIT fails (prisma/orm#29933), so later writes are lost.
 * Here every statement and every transaction of the process takes the file's lock, transactions begin
 * IMMEDIATE (the write lock is taken up front, so no SQLITE_BUSY mid-transaction), and a transaction
 * whose COMMIT failed is rolled back before the lock is released.
 */
export function createSqliteAdapterFactory(filePath: string): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaBetterSqlite3({ url: `file:${filePath}`, timeout: SQLITE_BUSY_TIMEOUT_MS });
  const lock = lockFor(filePath);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () =>
      lock.run(async () => {
        const adapter = await inner.connect();
        await adapter.queryRaw(sql('PRAGMA journal_mode = WAL'));
        await adapter.queryRaw(sql('PRAGMA foreign_keys = ON'));
        return serialised(adapter, lock);
      }),
    connectToShadowDb: () => inner.connectToShadowDb(),
  };
}

function serialised(adapter: SqlDriverAdapter, lock: Mutex): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => lock.run(() => adapter.queryRaw(query)),
    executeRaw: (query) => lock.run(() => adapter.executeRaw(query)),
    executeScript: (script) => lock.run(() => adapter.executeScript(script)),
    startTransaction: async (isolationLevel?: IsolationLevel) => {
      if (isolationLevel && isolationLevel !== 'SERIALIZABLE') {
        throw new DriverAdapterError({ kind: 'InvalidIsolationLevel', level: isolationLevel });
      }
      const release = await lock.acquire();
      try {
        await adapter.executeRaw(sql('BEGIN IMMEDIATE'));
      } catch (err) {
        release();
        throw err;
      }
      return immediateTransaction(adapter, release);
    },
    dispose: () => adapter.dispose(),
  };
}

// Prisma's client sends COMMIT / ROLLBACK as SQL through executeRaw, then calls commit() or rollback();
// after a failed COMMIT it calls rollback() only, which is where the connection gets cleaned up.
function immediateTransaction(adapter: SqlDriverAdapter, release: () => void): Transaction {
  let open = true;
  const finish = async () => {
    if (open) {
      open = false;
      await adapter.executeRaw(sql('ROLLBACK')).catch(() => undefined);
    }
    release();
  };
  const run = async (statement: string) => {
    await adapter.executeRaw(sql(statement));
  };
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    options: { usePhantomQuery: false },
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: async (query) => {
      const changes = await adapter.executeRaw(query);
      if (ENDS_TRANSACTION.test(query.sql)) open = false;
      return changes;
    },
    commit: finish,
    rollback: finish,
    createSavepoint: (name) => run(`SAVEPOINT ${name}`),
    rollbackToSavepoint: (name) => run(`ROLLBACK TO ${name}`),
    releaseSavepoint: (name) => run(`RELEASE SAVEPOINT ${name}`),
  };
}
