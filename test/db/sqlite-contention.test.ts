import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type Db } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/url.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

// DESIGN §14: no acknowledged write may be lost. The first two cases lose writes with Prisma's stock
// better-sqlite3 adapter (checked by hand): a failed COMMIT leaves its connection inside the transaction
// (prisma/orm#29933), and a plain write made while another transaction is open joins that transaction.

const row = (id: string) => ({
  id,
  actorLabel: 'test',
  channel: 'test',
  action: 'write',
  targetType: 'test',
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A separate thread (its own connection, like another process) that keeps taking the write lock.
const LOCK_HOLDER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file, { timeout: 10000 });
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const insert = db.prepare("INSERT INTO AuditLog (id, actorLabel, channel, action, targetType) VALUES (?, 'raw', 'raw', 'write', 'raw')");
let n = 0;
for (const end = Date.now() + workerData.ms; Date.now() < end; n++) {
  db.exec('BEGIN IMMEDIATE');
  insert.run('raw-' + n);
  pause(80);
  db.exec('COMMIT');
  pause(5);
}
db.close();
parentPort.postMessage(n);
`;

function holdWriteLock(file: string, ms: number): Promise<number> {
  const worker = new Worker(LOCK_HOLDER, {
    eval: true,
    workerData: { file, ms, betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

// Plain writes, batch transactions and interactive read-then-write transactions (the pattern that
// fails mid-transaction with DEFERRED transactions), with the ids each one writes.
function mixedWrites(client: Db, prefix: string): { ids: string[]; run: () => Promise<unknown> }[] {
  return Array.from({ length: 40 }, (_, i) => {
    const id = `${prefix}-${i}`;
    if (i % 3 === 0) return { ids: [id], run: () => client.auditLog.create({ data: row(id) }) };
    if (i % 3 === 1) {
      const batch = () =>
        client.$transaction([
          client.auditLog.create({ data: row(id) }),
          client.auditLog.create({ data: row(`${id}-b`) }),
        ]);
      return { ids: [id, `${id}-b`], run: batch };
    }
    const readThenWrite = () =>
      client.$transaction(async (tx) => {
        await tx.auditLog.count();
        await sleep(2);
        await tx.auditLog.create({ data: row(id) });
      });
    return { ids: [id], run: readThenWrite };
  });
}

describe('SQLite under contention', () => {
  let testDb: TestDatabase;
  let file: string;
  let prisma: Db;

  const committedIds = () => {
    const raw = new Database(file, { readonly: true });
    try {
      return new Set(
        raw
          .prepare('SELECT id FROM AuditLog')
          .all()
          .map((r) => (r as { id: string }).id),
      );
    } finally {
      raw.close();
    }
  };

  beforeEach(async () => {
    testDb = await createTestDatabase('sqlite');
    prisma = testDb.db.prisma;
    const target = parseDatabaseUrl(testDb.databaseUrl);
    if (target.provider !== 'sqlite') throw new Error('expected SQLite');
    file = target.filePath;
  });
  afterEach(() => testDb.cleanup());

  it('rolls back a transaction whose COMMIT failed, so later writes are committed', async () => {
    // A deferred foreign key makes COMMIT itself fail, as SQLITE_BUSY at COMMIT does.
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('PRAGMA defer_foreign_keys = ON');
        await tx.auditLog.create({ data: { ...row('broken'), actorId: 'no-such-contact' } });
      }),
    ).rejects.toThrow();
    await prisma.auditLog.create({ data: row('after') });
    expect(committedIds()).toEqual(new Set(['after']));
  });

  it('does not let a plain write join a transaction that then rolls back', async () => {
    const aborted = prisma.$transaction(async (tx) => {
      await tx.auditLog.create({ data: row('in-tx') });
      await sleep(100);
      throw new Error('abort');
    });
    await sleep(20);
    await prisma.auditLog.create({ data: row('outside') });
    await expect(aborted).rejects.toThrow('abort');
    expect(committedIds()).toEqual(new Set(['outside']));
  });

  it('keeps every acknowledged write from two clients while another connection holds the lock', async () => {
    const other = createDatabase({ databaseUrl: testDb.databaseUrl, dataDir: testDb.dataDir });
    try {
      const lockHolder = holdWriteLock(file, 1_500);
      await sleep(50);

      const acknowledged: string[] = [];
      const failures: unknown[] = [];
      const writes = [...mixedWrites(prisma, 'a'), ...mixedWrites(other.prisma, 'b')].map(({ ids, run }) =>
        run().then(
          () => acknowledged.push(...ids),
          (err) => failures.push(err),
        ),
      );
      await Promise.all(writes);
      const rawWrites = await lockHolder;

      expect(failures).toEqual([]);
      const committed = committedIds();
      expect(acknowledged.filter((id) => !committed.has(id))).toEqual([]);
      expect(committed.size).toBe(acknowledged.length + rawWrites);
      await prisma.auditLog.create({ data: row('later-0') });
      await other.prisma.auditLog.create({ data: row('later-1') });
      expect(committedIds()).toEqual(new Set([...committed, 'later-0', 'later-1']));
    } finally {
      await other.close();
    }
  });
});
