import type { Message } from 'grammy/types';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createAdminConsole } from '../../src/admin-chat/console.js';
import { AdminChatError } from '../../src/admin-chat/errors.js';
import { ADMIN_CHOICE_TOKEN, type AdminChatModule, adminChoice } from '../../src/admin-chat/types.js';
import { createTelegramAdapter } from '../../src/channels/telegram/adapter.js';
import { createTelegramOutboxSender } from '../../src/channels/telegram/outbox-sender.js';
import { createEngine } from '../../src/core/engine.js';
import { createMessageRouter } from '../../src/core/router.js';
import { createDispatcher } from '../../src/dispatch/dispatcher.js';
import { createFlowRegistry } from '../../src/flows/index.js';
import { createI18n } from '../../src/i18n/i18n.js';
import { CONFIG_ACTOR } from '../../src/services/coordinators.js';
import { createServices, type ServiceDeps } from '../../src/services/index.js';
import { useCleanups } from '../support/cleanups.js';
import { createTestDatabase } from '../support/db.js';
import { type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.js';
import { ADMIN_CHAT, COORDINATOR, eventually, inlineButtons } from '../support/telegram-app.js';
import { TELEGRAM_TEXTS } from '../support/telegram-harness.js';

const STRANGER = 7002;
const MEMBER = 8001;

/** A feature module that exists only here: approve (once), ask (a new post) and reply handlers. */
const testModule: AdminChatModule = {
  actions: {
    'test.approve': async ({ services, actor, targetId, now }) => {
      await services.contacts.get(targetId);
      if ((await services.audit.list({ action: 'test.approve', targetId })).total > 0)
        throw new AdminChatError('alreadyHandled');
      await services.audit.record({ actor, action: 'test.approve', targetType: 'test', targetId, at: now });
      await services.notify.toContact(targetId, () => ({ text: 'تمت الموافقة على طلبكِ' }), {
        kind: 'notice',
      });
      return { update: { appendLine: '✅ تمت الموافقة', removeChoices: true }, notice: 'ok' };
    },
    'test.ask': async ({ targetId }) => ({
      post: { message: { text: 'ردّي على هذه الرسالة' }, target: { type: 'test', id: targetId } },
    }),
  },
  replies: {
    test: async ({ services, actor, target, text, now }) => {
      await services.audit.record({
        actor,
        action: 'test.reply',
        targetType: 'test',
        targetId: target.id,
        data: { text },
        at: now,
      });
      return { notice: 'وصل الرد' };
    },
  },
};

const cleanups = useCleanups();

/** The engine, the Telegram adapter with the coordinators' chat, the console and the dispatcher. */
async function startAdminChat() {
  const fake = await startFakeTelegram({ maxHoldMs: 300 });
  const testDb = await createTestDatabase();
  const prisma = testDb.db.prisma;
  const logger = pino({ level: 'silent' });
  const i18n = createI18n({ defaultLocale: 'ar' });
  const serviceDeps: ServiceDeps = {
    i18n,
    adminChatId: String(ADMIN_CHAT),
    clock: () => new Date(),
    dbProvider: 'sqlite',
    productModeration: true,
  };
  const engine = createEngine({
    prisma,
    flows: createFlowRegistry(),
    services: serviceDeps,
    conversationTtlMs: 3_600_000,
    logger,
  });
  const router = createMessageRouter({ prisma, engine, say: (key) => key, logger });
  const adminConsole = createAdminConsole({ prisma, serviceDeps, modules: [testModule], logger });
  const adapter = createTelegramAdapter(
    { token: fake.token, apiRoot: fake.apiRoot, mode: { kind: 'polling' } },
    {
      router,
      logger,
      ...TELEGRAM_TEXTS,
      polling: { timeoutSeconds: 1, minBackoffMs: 20, maxBackoffMs: 100 },
      adminChat: { chatId: String(ADMIN_CHAT), console: adminConsole },
    },
  );
  const dispatcher = createDispatcher({
    prisma,
    senders: { telegram: createTelegramOutboxSender(adapter) },
    logger,
  });
  await adapter.start();
  cleanups.push(async () => {
    await adapter.stop();
    await router.drain();
    await fake.close();
    await testDb.cleanup();
  });

  const services = createServices(prisma, serviceDeps);
  await services.coordinators.grant({ telegramUserId: String(COORDINATOR) }, CONFIG_ACTOR);
  const member = await services.contacts.resolve('telegram', String(MEMBER), new Date());
  await services.notify.toCoordinators(
    { type: 'test', id: member.contact.id },
    () => ({
      text: 'طلب جديد من <أمل & سلمى>',
      choices: [
        adminChoice('test.approve', member.contact.id, 'موافقة'),
        adminChoice('test.ask', member.contact.id, 'سؤال'),
      ],
      choiceToken: ADMIN_CHOICE_TOKEN,
    }),
    { kind: 'admin' },
  );
  await dispatcher.runOnce();
  const post = fake.lastMessageTo(ADMIN_CHAT) as Message;
  const auditCount = (action: string) => prisma.auditLog.count({ where: { action } });
  return { fake, prisma, dispatcher, i18n, post, memberId: member.contact.id, auditCount };
}

const chatMessages = (fake: FakeTelegram) =>
  fake.callsTo('sendMessage').filter((c) => c.params.chat_id === ADMIN_CHAT);

describe('the coordinators chat on Telegram', () => {
  it('posts a queued notification with its admin buttons and records what it is about', async () => {
    const { fake, prisma, post, memberId } = await startAdminChat();
    expect(post.text).toBe('طلب جديد من <أمل & سلمى>');
    expect(inlineButtons(post)).toEqual([
      { text: 'موافقة', callback_data: `adm|test.approve:${memberId}` },
      { text: 'سؤال', callback_data: `adm|test.ask:${memberId}` },
    ]);
    expect(chatMessages(fake)).toHaveLength(1);
    const adminPost = await prisma.adminPost.findFirstOrThrow();
    expect(adminPost).toMatchObject({
      chatId: String(ADMIN_CHAT),
      messageId: String(post.message_id),
      targetType: 'test',
      targetId: memberId,
    });
  });

  it("runs a coordinator's press: one transaction, the post edited, her notification sent", async () => {
    const { fake, prisma, dispatcher, post, memberId, auditCount } = await startAdminChat();
    await fake.pressButtonInChat(ADMIN_CHAT, COORDINATOR, post.message_id, `adm|test.approve:${memberId}`);
    const [answer] = await fake.waitForCalls('answerCallbackQuery', 1);
    expect(answer?.params.text).toBe('ok');
    const [edit] = await fake.waitForCalls('editMessageText', 1);
    expect(edit?.params.text).toBe('طلب جديد من &lt;أمل &amp; سلمى&gt;\n✅ تمت الموافقة');
    expect(fake.lastMessageTo(ADMIN_CHAT)?.text).toBe('طلب جديد من <أمل & سلمى>\n✅ تمت الموافقة');
    expect(inlineButtons(fake.lastMessageTo(ADMIN_CHAT))).toEqual([]);

    const entry = await prisma.auditLog.findFirstOrThrow({ where: { action: 'test.approve' } });
    const coordinator = await prisma.contactChannel.findFirstOrThrow({
      where: { externalId: String(COORDINATOR) },
    });
    expect(entry).toMatchObject({
      actorId: coordinator.contactId,
      actorLabel: `telegram:${COORDINATOR} (Amal Test)`,
      channel: 'telegram-admin-chat',
      targetId: memberId,
    });
    await dispatcher.runOnce();
    expect(fake.lastMessageTo(MEMBER)?.text).toBe('تمت الموافقة على طلبكِ');

    await fake.pressButtonInChat(ADMIN_CHAT, COORDINATOR, post.message_id, `adm|test.approve:${memberId}`);
    const answers = await fake.waitForCalls('answerCallbackQuery', 2);
    expect(answers[1]?.params.text).toBe('عولج هذا الطلب من قبل.');
    expect(await auditCount('test.approve')).toBe(1);
    expect(await prisma.outboxMessage.count({ where: { kind: 'notice' } })).toBe(1);
  });

  it("answers a non-coordinator's press with a notice and changes nothing", async () => {
    const { fake, post, memberId, auditCount } = await startAdminChat();
    await fake.pressButtonInChat(ADMIN_CHAT, STRANGER, post.message_id, `adm|test.approve:${memberId}`);
    const [answer] = await fake.waitForCalls('answerCallbackQuery', 1);
    expect(answer?.params.text).toBe('هذه الأزرار للمنسّقات فقط.');
    expect(await auditCount('test.approve')).toBe(0);
    expect(fake.callsTo('editMessageText')).toHaveLength(0);
    expect(inlineButtons(fake.lastMessageTo(ADMIN_CHAT))).toHaveLength(2);
  });

  it('changes nothing for forged button data, whoever presses', async () => {
    const { fake, prisma, post, auditCount } = await startAdminChat();
    const forged = ['adm|test.approve:nonexistent', 'adm|nope:1', 'garbage', 'adm|test.approve:'];
    for (const data of forged) await fake.pressButtonInChat(ADMIN_CHAT, COORDINATOR, post.message_id, data);
    const answers = await fake.waitForCalls('answerCallbackQuery', forged.length);
    expect(answers.map((a) => a.params.text)).toEqual([
      'لم نجد هذا الطلب، ربما حُذف.',
      'هذا الزر غير معروف، لم يتغيّر شيء.',
      'هذا الزر غير معروف، لم يتغيّر شيء.',
      'هذا الزر غير معروف، لم يتغيّر شيء.',
    ]);
    expect(await auditCount('test.approve')).toBe(0);
    expect(await prisma.outboxMessage.count()).toBe(1);
    expect(fake.callsTo('editMessageText')).toHaveLength(0);
  });

  it("hands a coordinator's reply to the post to the reply handler and answers in the thread", async () => {
    const { fake, prisma, post, memberId } = await startAdminChat();
    const { update } = await fake.replyInChat(ADMIN_CHAT, COORDINATOR, post.message_id, 'نعم، تواصلي معها');
    await fake.waitForCalls('sendMessage', 2);
    const notice = fake.lastMessageTo(ADMIN_CHAT);
    expect(notice?.text).toBe('وصل الرد');
    expect(notice?.reply_to_message?.message_id).toBe(update.message?.message_id);
    const entry = await prisma.auditLog.findFirstOrThrow({ where: { action: 'test.reply' } });
    expect(entry).toMatchObject({ targetId: memberId, data: { text: 'نعم، تواصلي معها' } });

    await fake.replyInChat(ADMIN_CHAT, STRANGER, post.message_id, 'أنا أيضًا');
    await fake.waitForCalls('sendMessage', 3);
    expect(fake.lastMessageTo(ADMIN_CHAT)?.text).toBe('هذه الأزرار للمنسّقات فقط.');
    expect(await prisma.auditLog.count({ where: { action: 'test.reply' } })).toBe(1);
  });

  it('ignores chat among coordinators: other messages, commands and replies to other messages', async () => {
    const { fake, prisma, post } = await startAdminChat();
    const { update } = await fake.sendTextInChat(ADMIN_CHAT, COORDINATOR, 'صباح الخير');
    await fake.sendTextInChat(ADMIN_CHAT, COORDINATOR, '/broadcast');
    await fake.replyInChat(ADMIN_CHAT, STRANGER, update.message?.message_id ?? 0, 'صباح النور');
    // The bot's own notice is not a recorded post: a reply to it is conversation too.
    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, post.message_id, 'تم');
    await fake.waitForCalls('sendMessage', 2);
    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, fake.lastMessageTo(ADMIN_CHAT)?.message_id ?? 0, 'شكرًا');
    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, post.message_id, 'مرة ثانية');
    await fake.waitForCalls('sendMessage', 3);
    expect(chatMessages(fake).map((c) => c.params.text)).toEqual([
      'طلب جديد من &lt;أمل &amp; سلمى&gt;',
      'وصل الرد',
      'وصل الرد',
    ]);
    expect(await prisma.inboundEvent.count()).toBe(0);
  });

  it('sends a post a handler asks for as a reply to the pressed post, and routes replies to it', async () => {
    const { fake, prisma, post, memberId } = await startAdminChat();
    await fake.pressButtonInChat(ADMIN_CHAT, COORDINATOR, post.message_id, `adm|test.ask:${memberId}`);
    await fake.waitForCalls('sendMessage', 2);
    const question = fake.lastMessageTo(ADMIN_CHAT) as Message;
    expect(question.text).toBe('ردّي على هذه الرسالة');
    expect(question.reply_to_message?.message_id).toBe(post.message_id);
    const key = { chatId: String(ADMIN_CHAT), messageId: String(question.message_id) };
    await eventually(async () => ((await prisma.adminPost.count({ where: key })) === 1 ? true : undefined));
    expect(await prisma.adminPost.findFirst({ where: key })).toMatchObject({
      targetType: 'test',
      targetId: memberId,
    });

    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, question.message_id, 'الجواب');
    await fake.waitForCalls('sendMessage', 3);
    expect(fake.lastMessageTo(ADMIN_CHAT)?.text).toBe('وصل الرد');
  });

  it('leaves private chats to the engine, as before', async () => {
    const { fake, i18n } = await startAdminChat();
    await fake.sendText(COORDINATOR, '/start');
    await fake.waitForCalls('sendMessage', 2);
    expect(fake.lastMessageTo(COORDINATOR)?.text).toBe(i18n.t('ar', 'onboarding:welcome.text'));
  });
});
