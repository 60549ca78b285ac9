import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { startTestApp } from '../support/app.js';
import { type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.js';

const ADMIN_CHAT = -100555;
const COORDINATOR = 7101;
const STRANGER = 7102;
const MEMBER = 8101;

const i18n = createI18n({ defaultLocale: 'ar' });
const ar = (key: string, options?: Record<string, unknown>) => i18n.t('ar', key, options);
/** Telegram shows text without our bidi isolates' effect on equality: compare without them. */
const plain = (text: string | undefined) => (text ?? '').replace(/[\u2066-\u2069]/g, '');

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** The composed app with Telegram against the fake Bot API, a coordinators' chat and one coordinator. */
async function start() {
  const fake: FakeTelegram = await startFakeTelegram({ maxHoldMs: 300 });
  cleanups.push(() => fake.close());
  const app = await startTestApp({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_ADMIN_CHAT_ID: String(ADMIN_CHAT),
    COORDINATOR_TELEGRAM_IDS: String(COORDINATOR),
  });
  cleanups.push(() => app.cleanup());
  return { fake, prisma: app.taawun.database.prisma };
}

/** Waits until one of the bot's messages to `chatId` (after the first `since`) contains `expected`. */
async function latest(fake: FakeTelegram, chatId: number, expected: string, since = 0): Promise<Message> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = fake
      .messagesTo(chatId)
      .slice(since)
      .findLast((m) => plain(m.text).includes(plain(expected)));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no message with "${expected}" to ${chatId}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Types a message as the member and waits for a reply that contains `expected`. */
async function say(fake: FakeTelegram, text: string, expected: string) {
  const since = fake.messagesTo(MEMBER).length;
  await fake.sendText(MEMBER, text);
  return latest(fake, MEMBER, expected, since);
}

/** A member onboarded on Telegram by typing (labels and numbers are matched like buttons). */
async function onboard(fake: FakeTelegram) {
  await say(fake, '/start', ar('onboarding:welcome.text'));
  await say(fake, ar('onboarding:welcome.continue'), ar('onboarding:consent.text'));
  await say(fake, ar('onboarding:consent.agree'), ar('onboarding:persona.text'));
  await say(fake, ar('onboarding:persona.member'), ar('onboarding:news.text'));
  await say(fake, ar('onboarding:news.no'), ar('menu:title'));
}

const buttonData = (message: Message) =>
  ((message.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => ('callback_data' in b ? b.callback_data : ''));

describe('funding on Telegram', () => {
  it('posts a request to the coordinators chat; a press and a reply there reach the member', async () => {
    const { fake, prisma } = await start();
    await onboard(fake);
    await say(fake, ar('funding:menu.programs'), ar('funding:programs.count', { count: 0 }));
    await say(fake, ar('funding:programs.need'), ar('funding:request.amount'));
    await say(fake, '٥٠٠ دولار', ar('funding:request.purpose'));
    await say(fake, 'ماكينة خياطة صناعية', ar('funding:request.summary.question'));
    await say(fake, 'نعم', ar('menu:title'));

    const request = await prisma.fundingRequest.findFirstOrThrow();
    const post = await latest(fake, ADMIN_CHAT, 'ماكينة خياطة صناعية');
    expect(buttonData(post)).toEqual([
      `adm|funding.inReview:${request.id}`,
      `adm|funding.answered:${request.id}`,
      `adm|funding.close:${request.id}`,
    ]);

    await fake.pressButtonInChat(ADMIN_CHAT, STRANGER, post.message_id, `adm|funding.inReview:${request.id}`);
    await fake.pressButtonInChat(
      ADMIN_CHAT,
      COORDINATOR,
      post.message_id,
      `adm|funding.inReview:${request.id}`,
    );
    const status = ar('funding:notice.status', {
      ref: request.id.slice(-6).toUpperCase(),
      status: ar('funding:status.IN_REVIEW'),
    });
    await latest(fake, MEMBER, status);
    await fake.pressButtonInChat(
      ADMIN_CHAT,
      COORDINATOR,
      post.message_id,
      `adm|funding.inReview:${request.id}`,
    );
    await fake.pressButtonInChat(ADMIN_CHAT, COORDINATOR, post.message_id, 'adm|funding.close:forged-id');
    const answers = await fake.waitForCalls('answerCallbackQuery', 4);
    expect(answers.map((a) => a.params.text)).toEqual([
      i18n.t('ar', 'admin:notCoordinator'),
      expect.stringContaining(ar('funding:status.IN_REVIEW')),
      ar('funding:admin.sameStatus'),
      ar('funding:admin.notFound'),
    ]);
    expect(plain(fake.lastMessageTo(ADMIN_CHAT)?.text)).toContain(plain(ar('funding:status.IN_REVIEW')));

    const answer = 'نعم، سنرشّحكِ لمنحة المعدات في الدورة القادمة';
    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, post.message_id, answer);
    await latest(fake, MEMBER, answer);
    const stored = await prisma.fundingRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored).toMatchObject({ status: 'ANSWERED', coordinatorReply: answer });
    expect((stored.history as { status: string }[]).map((e) => e.status)).toEqual([
      'NEW',
      'IN_REVIEW',
      'ANSWERED',
    ]);
    expect(await prisma.auditLog.count({ where: { action: 'funding-request.status' } })).toBe(2);
  });

  it('carries a question to the coordinators and their reply back, until a coordinator closes it', async () => {
    const { fake, prisma } = await start();
    await onboard(fake);
    await say(fake, ar('tickets:menu'), ar('tickets:ask'));
    await say(fake, 'متى الاجتماع القادم للجمعيات؟', ar('tickets:sent.opened'));
    const ticket = await prisma.handoffTicket.findFirstOrThrow();
    const post = await latest(fake, ADMIN_CHAT, 'متى الاجتماع القادم');

    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, post.message_id, 'يوم الأحد الساعة العاشرة');
    await latest(fake, MEMBER, 'يوم الأحد الساعة العاشرة');
    await say(fake, 'شكرًا، سأحضر', ar('tickets:sent.added'));
    const more = await latest(fake, ADMIN_CHAT, 'شكرًا، سأحضر');

    await fake.pressButtonInChat(ADMIN_CHAT, COORDINATOR, more.message_id, `adm|ticket.close:${ticket.id}`);
    await latest(fake, MEMBER, ar('tickets:notice.closed'));
    const closed = await prisma.handoffTicket.findUniqueOrThrow({
      where: { id: ticket.id },
      include: { messages: true },
    });
    expect(closed.status).toBe('CLOSED');
    expect(closed.messages.map((m) => m.authorRole).sort()).toEqual(['contact', 'contact', 'coordinator']);
  });
});
