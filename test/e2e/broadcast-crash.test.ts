import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { useCleanups } from '../support/cleanups.js';
import { type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.js';
import { killed, queuedBroadcast, spawnTaawun } from '../support/processes.js';
import { eventually } from '../support/telegram-app.js';

/** Issue 5's "done when": a 3,000-recipient broadcast. */
const RECIPIENTS = 3_000;
const FIRST_ID = 700_000;
const cleanups = useCleanups();

/** `npm start` on the test's database, killed after the test at the latest. */
function startTaawun(fake: FakeTelegram, dataDir: string, databaseUrl: string): ChildProcess {
  const child = spawnTaawun(fake, dataDir, databaseUrl, { TELEGRAM_RATE_PER_SECOND: '400' });
  cleanups.push(() => killed(child));
  return child;
}

describe('a broadcast survives a crash', () => {
  it('after SIGKILL and a restart, everyone has it; duplicates are at most the rows in flight', async () => {
    const fake = await startFakeTelegram({ maxHoldMs: 300 });
    cleanups.push(() => fake.close());
    // Each send takes a moment, as over the network, so that a kill finds sends in flight.
    fake.intercept('sendMessage', () => sleep(15));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'taawun-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const databaseUrl = `file:${path.join(dataDir, 'taawun.db')}`;
    const logger = pino({ level: 'silent' });
    await applyMigrations({ databaseUrl, dataDir }, logger);
    const database = createDatabase({ databaseUrl, dataDir }, logger);
    cleanups.push(() => database.close());
    const { prisma } = database;

    const { ids, broadcastId } = await queuedBroadcast(prisma, FIRST_ID, RECIPIENTS);
    const reached = () => ids.filter((id) => fake.messagesTo(id).length > 0).length;

    const first = startTaawun(fake, dataDir, databaseUrl);
    await eventually(() => (reached() >= RECIPIENTS / 3 ? true : undefined), 40_000);
    await killed(first);
    const reachedAtKill = reached();
    expect(reachedAtKill).toBeLessThan(RECIPIENTS);
    const inFlight = await prisma.outboxMessage.findMany({
      where: { broadcastId: broadcastId, status: 'SENDING', lockedUntil: { not: null } },
    });
    // A pass keeps at most 8 sends on the wire: the few a crash may repeat.
    expect(inFlight.length).toBeLessThanOrEqual(8);
    // The leases run out (60 s) as they would while the process is down: moved back, not waited for.
    await prisma.outboxMessage.updateMany({
      where: { id: { in: inFlight.map((row) => row.id) } },
      data: { lockedUntil: new Date(Date.now() - 1) },
    });

    startTaawun(fake, dataDir, databaseUrl);
    await eventually(async () => {
      const left = await prisma.outboxMessage.count({
        where: { broadcastId: broadcastId, status: { not: 'SENT' } },
      });
      return left === 0 ? true : undefined;
    }, 60_000);

    const counts = ids.map((id) => fake.messagesTo(id).length);
    expect(counts.filter((n) => n === 0)).toEqual([]);
    const duplicates = counts.reduce((sum, n) => sum + n - 1, 0);
    expect(duplicates).toBeLessThanOrEqual(inFlight.length);
  }, 150_000);
});
