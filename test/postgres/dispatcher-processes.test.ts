import { describe, expect, it } from 'vitest';
import { useCleanups } from '../support/cleanups.js';
import { createTestDatabase } from '../support/db.js';
import { type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.js';
import { killed, queuedBroadcast, spawnTaawun } from '../support/processes.js';
import { eventually } from '../support/telegram-app.js';

const RECIPIENTS = 400;
const FIRST_ID = 900_000;
/** What the fake Bot API allows; each process is set a little under it, as ours is under Telegram's. */
const LIMITS = { perSecond: 40, perChatPerSecond: 1 };
const cleanups = useCleanups();

/**
 * Issue 5: two processes of the app (`npm start` twice) on one PostgreSQL database, over one broadcast.
 * One at a time sends on Telegram (its channel lock), so nobody gets it twice and the channel's rate
 * holds across both: the fake Bot API, which refuses anything over its limit with a 429, never has to.
 */
describe('two app processes on PostgreSQL over one broadcast', () => {
  it('send each message once, within one channel rate between them', async () => {
    const fake: FakeTelegram = await startFakeTelegram({ maxHoldMs: 300, limits: LIMITS });
    cleanups.push(() => fake.close());
    // Each send takes a moment, as over the network.
    fake.intercept('sendMessage', () => new Promise((resolve) => setTimeout(resolve, 5)));
    const testDb = await createTestDatabase('postgresql');
    cleanups.push(() => testDb.cleanup());
    const { ids, broadcastId } = await queuedBroadcast(testDb.db.prisma, FIRST_ID, RECIPIENTS);

    const env = { TELEGRAM_RATE_PER_SECOND: String(LIMITS.perSecond * 0.95) };
    const children = [0, 1].map(() => spawnTaawun(fake, testDb.dataDir, testDb.databaseUrl, env));
    for (const child of children) cleanups.push(() => killed(child));
    await eventually(async () => {
      const left = await testDb.db.prisma.outboxMessage.count({
        where: { broadcastId, status: { not: 'SENT' } },
      });
      return left === 0 ? true : undefined;
    }, 60_000);

    expect(ids.map((id) => fake.messagesTo(id).length)).toEqual(ids.map(() => 1));
    expect(fake.rateLimited()).toBe(0);
    // Both were up all along: the other one was held back, not absent.
    expect(children.map((child) => child.exitCode)).toEqual([null, null]);
  }, 90_000);
});
