import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBroadcastProgress } from '../../src/broadcasts/progress.js';
import { createServices } from '../../src/services/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { testServiceDeps } from '../support/service-deps.js';

const NOW = new Date('2026-11-29T09:00:00Z');
const CHAT = '-1005555';
const API = { label: 'admin-token:test', channel: 'admin-api' };
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe.each(['sqlite', 'postgresql'] as const)('the progress message of a broadcast on %s', (provider) => {
  let testDb: TestDatabase;
  beforeEach(async () => {
    testDb = await createTestDatabase(provider);
  });
  afterEach(() => testDb.cleanup());

  const db = () => testDb.db.prisma;
  const broadcasts = (now: Date) => createServices(db(), testServiceDeps({ clock: () => now })).broadcasts;

  /** A broadcast queued from the coordinators' chat, with one Telegram message still to send. */
  async function queued(): Promise<string> {
    await db().contact.create({
      data: { subscribed: true, channels: { create: { channel: 'telegram', externalId: '1' } } },
    });
    return db().$transaction(async (tx) => {
      const s = createServices(tx, testServiceDeps({ clock: () => NOW })).broadcasts;
      const { broadcast } = await s.createDraft({ text: { ar: 'خبر' }, audience: { kind: 'all' } }, API, NOW);
      await s.queue(broadcast.id, API, NOW, { progressChatId: CHAT });
      return broadcast.id;
    });
  }

  /** The progress job of a process whose clock reads `now`, posting into a chat that records posts. */
  function progressJob(now: Date) {
    const posted: string[] = [];
    const chat = {
      send: async (_chatId: string, message: { text: string }) => posted.push(message.text) + 100,
      editText: async () => {},
    };
    const serviceDeps = testServiceDeps({ clock: () => now });
    const job = createBroadcastProgress({
      prisma: db(),
      serviceDeps,
      chat,
      logger: pino({ level: 'silent' }),
    });
    return { job, posted };
  }

  it('is claimed by one process; a claim left by a process that died expires after a minute', async () => {
    const id = await queued();
    // A process claims the post, then dies before recording the message it sent (or before sending).
    expect(await broadcasts(NOW).claimProgressMessage(id, NOW)).toBe(true);
    expect(await broadcasts(NOW).claimProgressMessage(id, later(1_000))).toBe(false);

    const soon = progressJob(later(30_000));
    await soon.job.runOnce();
    expect(soon.posted).toEqual([]);

    const afterExpiry = progressJob(later(61_000));
    await afterExpiry.job.runOnce();
    expect(afterExpiry.posted).toHaveLength(1);
    expect((await db().broadcast.findUniqueOrThrow({ where: { id } })).progressMsgId).toBe('101');
    // Posted now: later passes edit it, never post a second one, and nobody can claim it again.
    await afterExpiry.job.runOnce();
    expect(afterExpiry.posted).toHaveLength(1);
    expect(await broadcasts(NOW).claimProgressMessage(id, later(3_600_000))).toBe(false);
  });
});
