import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.js';
import { createPgChannelLocks } from '../../src/dispatch/channel-lock.js';
import { createDispatcher, type Dispatcher } from '../../src/dispatch/dispatcher.js';
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from '../support/db.js';

const logger = pino({ level: 'silent' });
const RECIPIENTS = 300;

/** Polls until `done()` holds, failing after `ms`. */
async function until(done: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

describe('two dispatcher instances on PostgreSQL over one broadcast', () => {
  let testDb: TestDatabase;
  let second: Database;
  let dispatchers: Dispatcher[] = [];

  beforeEach(async () => {
    testDb = await createTestDatabase('postgresql');
    second = createDatabase({ databaseUrl: testDb.databaseUrl, dataDir: testDb.dataDir });
  });
  afterEach(async () => {
    for (const dispatcher of dispatchers) await dispatcher.stop();
    dispatchers = [];
    await second.close();
    await testDb.cleanup();
  });

  it('sends every row once, one instance at a time, and the other takes over when the holder dies', async () => {
    const { prisma } = testDb.db;
    const broadcast = await prisma.broadcast.create({
      data: { text: { ar: 'خبر' }, audience: { kind: 'all' }, status: 'SENDING' },
    });
    await prisma.outboxMessage.createMany({
      data: Array.from({ length: RECIPIENTS }, (_, i) => ({
        broadcastId: broadcast.id,
        kind: 'broadcast',
        channel: 'telegram',
        chatId: String(1000 + i),
        payload: { text: 'خبر' },
      })),
    });

    const sends: { id: string; by: string }[] = [];
    const lockName = (name: string) => `${name}-${testDb.databaseUrl.split('schema=')[1]}`;
    const instance = (name: string, db: Database) =>
      createDispatcher({
        prisma: db.prisma,
        logger,
        pollMs: 20,
        rates: { telegram: { perSecond: 500, perChatPerSecond: 1 } },
        locks: createPgChannelLocks({
          databaseUrl: testDb.databaseUrl,
          logger,
          retryMs: 100,
          name: lockName(name),
        }),
        senders: {
          telegram: {
            async send(row) {
              sends.push({ id: row.id, by: name });
              await sleep(2);
              return { providerMessageId: `${name}-${sends.length}` };
            },
          },
        },
      });
    const byName = { a: instance('a', testDb.db), b: instance('b', second) };
    dispatchers = Object.values(byName);
    for (const dispatcher of dispatchers) dispatcher.start();

    // Both run: the lock holder alone sends.
    await until(() => sends.length >= RECIPIENTS / 3);
    const holder = sends[0]?.by as 'a' | 'b';
    const other = holder === 'a' ? 'b' : 'a';
    expect(sends.every((send) => send.by === holder)).toBe(true);

    // The holder dies: its lock's connection drops (as with a killed process) and its loop ends.
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        'SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1',
        [lockName(holder)],
      );
      expect(rows).toEqual([{ killed: true }]);
    } finally {
      await admin.end();
    }
    await byName[holder].stop();
    const sentBeforeTakeover = sends.length;
    expect(sentBeforeTakeover).toBeLessThan(RECIPIENTS);

    await until(() => sends.length >= RECIPIENTS);
    await sleep(200);
    // Exactly once each, and one instance at a time: the holder's sends, then only the other's — but for
    // the few the holder already had on the wire when its lock went (a pass keeps up to 8 in flight).
    expect(sends).toHaveLength(RECIPIENTS);
    expect(new Set(sends.map((send) => send.id)).size).toBe(RECIPIENTS);
    const switchAt = sends.findIndex((send) => send.by === other);
    expect(switchAt).toBeGreaterThan(0);
    expect(sends.slice(switchAt).filter((send) => send.by === holder).length).toBeLessThan(8);
    expect(sends.slice(sentBeforeTakeover).every((send) => send.by === other)).toBe(true);
    expect(await prisma.outboxMessage.count({ where: { status: 'SENT' } })).toBe(RECIPIENTS);
  }, 60_000);
});
