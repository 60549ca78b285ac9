import type { ReplyKeyboardMarkup } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { createServices } from '../../src/services/index.js';
import { useCleanups } from '../support/cleanups.js';
import { onboardChatUser } from '../support/onboarding.js';
import { testServiceDeps } from '../support/service-deps.js';
import {
  ADMIN_CHAT,
  COORDINATOR,
  chatPost,
  eventually,
  inlineButtons,
  startTelegramApp,
  telegramUser,
} from '../support/telegram-app.js';

const LEAD = 5101;
const i18n = createI18n({ defaultLocale: 'ar' });
const ar = i18n.translator('ar');
const cleanups = useCleanups();

describe('cooperatives on Telegram', () => {
  it('registers with the share-phone button, and a coordinator approves in the coordinators chat', async () => {
    const { fake, prisma, cleanup } = await startTelegramApp();
    cleanups.push(cleanup);
    const lead = telegramUser(fake, LEAD);
    await onboardChatUser(lead);
    await lead.press(ar('cooperatives:menu.register'));
    await lead.say('جمعية سيدات خان يونس');
    const governorates = await lead.press(ar('cooperatives:legalForms.COOPERATIVE'));
    expect(inlineButtons(governorates).map((b) => b.text)).toContain(ar('telegram:next'));
    await lead.say('خان يونس');
    await lead.say('بني سهيلا');
    await lead.press(ar('cooperatives:sectors.crafts'));
    await lead.press(ar('cooperatives:fields.sectors.done'));
    await lead.say('٣٠');
    const phoneStep = await lead.press(ar('cooperatives:fields.description.skip'));
    const keyboard = (phoneStep.reply_markup as unknown as ReplyKeyboardMarkup).keyboard;
    expect(keyboard[0]?.[0]).toMatchObject({ text: ar('telegram:sharePhone'), request_contact: true });

    const summary = await lead.sharePhone('970599765432');
    expect(summary.text).toContain('+970599765432');
    // Her own number, verified by Telegram, is kept on her contact too (coordinators can call her).
    const her = await prisma.contactChannel.findFirstOrThrow({
      where: { externalId: String(LEAD) },
      include: { contact: true },
    });
    expect(her.contact.phone).toBe('+970599765432');
    const sentAt = lead.sent();
    await lead.press(ar('cooperatives:register.submit'));
    expect(lead.textsSince(sentAt).join('\n')).toContain(
      ar('cooperatives:register.submitted', { name: 'جمعية سيدات خان يونس' }),
    );

    const cooperative = await prisma.cooperative.findFirstOrThrow();
    expect(cooperative).toMatchObject({
      status: 'PENDING',
      governorate: 'khan-yunis',
      contactPhone: '+970599765432',
    });
    const post = await chatPost(fake, (m) => inlineButtons(m).length === 2);
    expect(post.text).toContain(ar('cooperatives:review.new'));
    const approve = inlineButtons(post).find((b) => b.text === ar('cooperatives:review.approve'));
    expect(approve && 'callback_data' in approve && approve.callback_data).toBe(
      `adm|cooperative.approve:${cooperative.id}`,
    );

    const before = lead.sent();
    await fake.pressButtonInChat(
      ADMIN_CHAT,
      COORDINATOR,
      post.message_id,
      `adm|cooperative.approve:${cooperative.id}`,
    );
    await fake.waitForCalls('editMessageText', 1);
    const approved = await prisma.cooperative.findUniqueOrThrow({ where: { id: cooperative.id } });
    expect(approved.status).toBe('APPROVED');
    const code = approved.joinCode ?? '';
    expect(inlineButtons(fake.lastMessageTo(ADMIN_CHAT))).toEqual([]);
    const told = await lead.receives(code, before);
    expect(told.text).toContain(approved.name);
    expect(
      await prisma.auditLog.findFirstOrThrow({ where: { action: 'cooperative.approve' } }),
    ).toMatchObject({
      targetId: cooperative.id,
      channel: 'telegram-admin-chat',
    });

    // A second press (the post was already edited, but a client may still show it) changes nothing.
    const answered = fake.callsTo('answerCallbackQuery').length;
    await fake.pressButtonInChat(
      ADMIN_CHAT,
      COORDINATOR,
      post.message_id,
      `adm|cooperative.approve:${cooperative.id}`,
    );
    const answers = await fake.waitForCalls('answerCallbackQuery', answered + 1);
    expect(String(answers.at(-1)?.params.text)).toContain(ar('cooperatives:statuses.APPROVED'));
    expect(await prisma.auditLog.count({ where: { action: 'cooperative.approve' } })).toBe(1);
  });

  it('rejects with the reason a coordinator writes as a reply, and the lead is told it', async () => {
    const { fake, app, prisma, cleanup } = await startTelegramApp();
    cleanups.push(cleanup);
    const lead = telegramUser(fake, LEAD);
    await lead.say('/start');
    await lead.press(ar('onboarding:welcome.continue'));
    await lead.press(ar('onboarding:consent.agree'));
    const contact = await prisma.contactChannel.findFirstOrThrow({ where: { externalId: String(LEAD) } });
    const services = createServices(prisma, testServiceDeps({ i18n, adminChatId: String(ADMIN_CHAT) }));
    const registered = await services.cooperatives.register(
      contact.contactId,
      {
        name: 'جمعية الأمل',
        legalForm: 'CHARITY',
        governorate: 'gaza',
        locality: 'الشجاعية',
        sectors: ['food-processing'],
        membersCount: 12,
        description: null,
        contactPhone: '+970599111222',
      },
      'telegram',
    );
    if (!registered.ok) throw new Error('not registered');
    const { cooperative } = registered;
    app.taawun.dispatcher.kick();

    const post = await chatPost(fake, (m) => inlineButtons(m).length === 2);
    await fake.pressButtonInChat(
      ADMIN_CHAT,
      COORDINATOR,
      post.message_id,
      `adm|cooperative.reject:${cooperative.id}`,
    );
    const ask = await chatPost(fake, (m) => m.reply_to_message?.message_id === post.message_id);
    expect(ask.text).toBe(ar('cooperatives:review.askReason', { name: 'جمعية الأمل' }));
    expect((await prisma.cooperative.findUniqueOrThrow({ where: { id: cooperative.id } })).status).toBe(
      'PENDING',
    );

    const before = lead.sent();
    await eventually(async () =>
      (await prisma.adminPost.count({ where: { targetType: 'cooperative-rejection' } })) ? true : undefined,
    );
    await fake.replyInChat(ADMIN_CHAT, COORDINATOR, ask.message_id, 'الرجاء إرفاق شهادة التسجيل');
    const told = await eventually(() => fake.messagesTo(LEAD).slice(before).at(-1));
    expect(told.text).toBe(
      ar('cooperatives:notify.rejected', { name: 'جمعية الأمل', reason: 'الرجاء إرفاق شهادة التسجيل' }),
    );
    expect(await prisma.cooperative.findUniqueOrThrow({ where: { id: cooperative.id } })).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'الرجاء إرفاق شهادة التسجيل',
    });
  });
});
