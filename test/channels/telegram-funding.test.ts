import type { Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { useCleanups } from '../support/cleanups.js';
import {
  ADMIN_CHAT,
  COORDINATOR,
  inlineButtons,
  messageWith,
  plain,
  startTelegramApp,
  telegramUser,
} from '../support/telegram-app.js';

const STRANGER = 7102;
const MEMBER = 8101;

const i18n = createI18n({ defaultLocale: 'ar' });
const ar = i18n.translator('ar');
const cleanups = useCleanups();

/** The app on the fake Bot API and the member, who is onboarded by typing (labels match like buttons). */
async function startWithMember() {
  const { fake, prisma, cleanup } = await startTelegramApp();
  cleanups.push(cleanup);
  const member = telegramUser(fake, MEMBER);
  await member.type('/start', ar('onboarding:welcome.text'));
  await member.type(ar('onboarding:welcome.continue'), ar('onboarding:consent.text'));
  await member.type(ar('onboarding:consent.agree'), ar('onboarding:persona.text'));
  await member.type(ar('onboarding:persona.member'), ar('onboarding:news.text'));
  await member.type(ar('onboarding:news.no'), ar('menu:title'));
  return { fake, prisma, member };
}

const buttonData = (message: Message) =>
  inlineButtons(message).map((b) => ('callback_data' in b ? b.callback_data : ''));

describe('funding on Telegram', () => {
  it('posts a request to the coordinators chat; a press and a reply there reach the member', async () => {
    const { fake, prisma, member } = await startWithMember();
    await member.type(ar('funding:menu.programs'), ar('funding:programs.count', { count: 0 }));
    await member.type(ar('funding:programs.need'), ar('funding:request.amount'));
    await member.type('٥٠٠ دولار', ar('funding:request.purpose'));
    await member.type('ماكينة خياطة صناعية', ar('funding:request.summary.question'));
    await member.type('نعم', ar('menu:title'));

    const request = await prisma.fundingRequest.findFirstOrThrow();
    const post = await messageWith(fake, ADMIN_CHAT, 'ماكينة خياطة صناعية');
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
    await member.receives(status);
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
    await member.receives(answer);
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
    const { fake, prisma, member } = await startWithMember();
    await member.type(ar('tickets:menu'), ar('tickets:ask'));
    await member.type('متى الاجتماع القادم للجمعيات؟', ar('tickets:sent.opened'));
    const ticket = await prisma.handoffTicket.findFirstOrThrow();
    const post = await messageWith(fake, ADMIN_CHAT, 'متى الاجتماع القادم');

    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, post.message_id, 'يوم الأحد الساعة العاشرة');
    await member.receives('يوم الأحد الساعة العاشرة');
    await member.type('شكرًا، سأحضر', ar('tickets:sent.added'));
    const more = await messageWith(fake, ADMIN_CHAT, 'شكرًا، سأحضر');

    await fake.pressButtonInChat(ADMIN_CHAT, COORDINATOR, more.message_id, `adm|ticket.close:${ticket.id}`);
    await member.receives(ar('tickets:notice.closed'));
    const closed = await prisma.handoffTicket.findUniqueOrThrow({
      where: { id: ticket.id },
      include: { messages: true },
    });
    expect(closed.status).toBe('CLOSED');
    expect(closed.messages.map((m) => m.authorRole).sort()).toEqual(['contact', 'contact', 'coordinator']);
  });
});
