import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../src/services/index.js';
import { startTestApp } from '../support/app.js';
import { type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.js';
import { testServiceDeps } from '../support/service-deps.js';
import { eventually, telegramEnv } from '../support/telegram-app.js';

const FIRST_RECIPIENT = 700_000;
const USER = 42;
let cleanup: (() => Promise<void>) | undefined;

afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/**
 * The app against a fake Bot API that enforces `limits`, its own rate set under them as ours is under
 * Telegram's (25 of ~30), with room for a loaded machine's timing (bench:broadcast runs it at the limit).
 */
async function start(limits?: { perSecond: number; perChatPerSecond: number }) {
  const fake: FakeTelegram = await startFakeTelegram({ maxHoldMs: 300, limits });
  const rate: Record<string, string> = limits
    ? { TELEGRAM_RATE_PER_SECOND: String(limits.perSecond * 0.8) }
    : {};
  const app = await startTestApp({ ...telegramEnv(fake), ...rate });
  cleanup = async () => {
    await app.cleanup();
    await fake.close();
  };
  return { fake, app, prisma: app.taawun.database.prisma };
}

type Prisma = Awaited<ReturnType<typeof start>>['prisma'];

/** A contact who agreed to the terms, on Telegram with `id`. */
const contactOn = (prisma: Pick<Prisma, 'contact'>, id: number, subscribed = false) =>
  prisma.contact.create({
    data: {
      subscribed,
      consentAt: new Date(),
      channels: { create: { channel: 'telegram', externalId: String(id), lastInboundAt: new Date() } },
    },
    include: { channels: true },
  });

/** `count` subscribers on Telegram, ids from FIRST_RECIPIENT on. */
const subscribers = (prisma: Prisma, count: number) =>
  prisma.$transaction(async (tx) => {
    for (let id = FIRST_RECIPIENT; id < FIRST_RECIPIENT + count; id++) await contactOn(tx, id, true);
  });

describe('Telegram pacing: replies and the outbox share one rate', () => {
  it('answers a user at once during a broadcast, and Telegram never says 429', async () => {
    const { fake, app, prisma } = await start({ perSecond: 20, perChatPerSecond: 1 });
    await subscribers(prisma, 60);
    await contactOn(prisma, USER);
    const deps = testServiceDeps({ dbProvider: app.taawun.database.provider });
    await prisma.$transaction((tx) =>
      createServices(tx, deps).broadcasts.publish(
        { text: { ar: 'ورشة التسويق يوم السبت' }, audience: { kind: 'all' } },
        { label: 'test', channel: 'test' },
        new Date(),
      ),
    );
    app.taawun.dispatcher.kick();
    await eventually(() => (fake.callsTo('sendMessage').length >= 15 ? true : undefined));

    const asked = Date.now();
    await fake.sendText(USER, 'القائمة'); // her menu: one message, as Telegram's 1 a second per chat allows
    await eventually(() => (fake.messagesTo(USER).length > 0 ? true : undefined));
    // Ahead of the 40-odd broadcast messages still queued (2 s and more at this rate), even on a loaded machine.
    expect(Date.now() - asked).toBeLessThan(1_500);

    const recipients = Array.from({ length: 60 }, (_, i) => FIRST_RECIPIENT + i);
    await eventually(
      () => (recipients.every((id) => fake.messagesTo(id).length > 0) ? true : undefined),
      10_000,
    );
    expect(recipients.map((id) => fake.messagesTo(id).length)).toEqual(recipients.map(() => 1));
    expect(fake.rateLimited()).toBe(0);
    // No second saw more than the rate, replies included.
    const times = fake.callsTo('sendMessage').map((call) => call.at);
    const busiest = Math.max(...times.map((at) => times.filter((t) => t > at - 1_000 && t <= at).length));
    expect(busiest).toBeLessThanOrEqual(20);
  });

  it('resumes a long notice after the part that went, when a later part fails', async () => {
    const { fake, app, prisma } = await start();
    const contact = await contactOn(prisma, USER);
    const first = 'أ'.repeat(4_000);
    const second = 'ب'.repeat(500);
    let parts = 0;
    fake.intercept('sendMessage', (params) => {
      // The second part fails once, as a dropped connection would.
      if (Number(params.chat_id) === USER && ++parts === 2)
        fake.failNext('sendMessage', 1, { error_code: 502, description: 'Bad Gateway' });
    });
    const row = await prisma.outboxMessage.create({
      data: {
        kind: 'notice',
        channel: 'telegram',
        contactChannelId: contact.channels[0]?.id,
        payload: { text: `${first}\n\n${second}` },
      },
    });
    app.taawun.dispatcher.kick();
    const sent = await eventually(async () => {
      const now = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
      return now.status === 'SENT' ? now : undefined;
    }, 8_000);
    expect(sent).toMatchObject({ attempts: 1, payload: { partsSent: 1 } });
    const texts = fake.messagesTo(USER).map((m) => m.text ?? '');
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('أأأ');
    expect(texts[1]).toContain('ببب');
  });
});
