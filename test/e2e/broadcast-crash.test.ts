import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createServices } from '../../src/services/index.js';
import { useCleanups } from '../support/cleanups.js';
import { type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.js';
import { testServiceDeps } from '../support/service-deps.js';
import { eventually } from '../support/telegram-app.js';

const RECIPIENTS = 300;
const FIRST_ID = 700_000;
const cleanups = useCleanups();

/** `npm start` as a process of its own (node with tsx loaded, so SIGKILL reaches the app itself). */
function startTaawun(fake: FakeTelegram, dataDir: string, databaseUrl: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_RATE_PER_SECOND: '60',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanups.push(() => {
    child.kill('SIGKILL');
  });
  return child;
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

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

    const ids = Array.from({ length: RECIPIENTS }, (_, i) => FIRST_ID + i);
    await prisma.$transaction(async (tx) => {
      for (const id of ids)
        await tx.contact.create({
          data: {
            subscribed: true,
            consentAt: new Date(),
            channels: { create: { channel: 'telegram', externalId: String(id), lastInboundAt: new Date() } },
          },
        });
    });
    const { broadcast } = await prisma.$transaction((tx) =>
      createServices(tx, testServiceDeps()).broadcasts.publish(
        { text: { ar: 'اجتماع الجمعيات يوم السبت' }, audience: { kind: 'all' } },
        { label: 'crash test', channel: 'test' },
        new Date(),
      ),
    );
    const reached = () => ids.filter((id) => fake.messagesTo(id).length > 0).length;

    const first = startTaawun(fake, dataDir, databaseUrl);
    await eventually(() => (reached() >= RECIPIENTS / 3 ? true : undefined), 20_000);
    await killed(first);
    const reachedAtKill = reached();
    expect(reachedAtKill).toBeLessThan(RECIPIENTS);
    const inFlight = await prisma.outboxMessage.findMany({
      where: { broadcastId: broadcast.id, status: 'SENDING', lockedUntil: { not: null } },
    });
    // The leases run out (60 s) as they would while the process is down: moved back, not waited for.
    await prisma.outboxMessage.updateMany({
      where: { id: { in: inFlight.map((row) => row.id) } },
      data: { lockedUntil: new Date(Date.now() - 1) },
    });

    startTaawun(fake, dataDir, databaseUrl);
    await eventually(async () => {
      const left = await prisma.outboxMessage.count({
        where: { broadcastId: broadcast.id, status: { not: 'SENT' } },
      });
      return left === 0 ? true : undefined;
    }, 25_000);

    const counts = ids.map((id) => fake.messagesTo(id).length);
    expect(counts.filter((n) => n === 0)).toEqual([]);
    const duplicates = counts.reduce((sum, n) => sum + n - 1, 0);
    expect(duplicates).toBeLessThanOrEqual(inFlight.length);
  }, 60_000);
});
