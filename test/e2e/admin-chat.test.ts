import { describe, expect, it } from 'vitest';
import { ADMIN_CHAT_MODULES } from '../../src/admin-chat/index.js';
import { ADMIN_CHOICE_TOKEN, type AdminChatModule, adminChoice } from '../../src/admin-chat/types.js';
import { createI18n } from '../../src/i18n/i18n.js';
import { createServices } from '../../src/services/index.js';
import { useCleanups } from '../support/cleanups.js';
import { testServiceDeps } from '../support/service-deps.js';
import { ADMIN_CHAT, COORDINATOR, inlineButtons, startTelegramApp } from '../support/telegram-app.js';

const STRANGER = 7002;
const MEMBER = 8001;

/** A module registered the way feature modules are: appended to ADMIN_CHAT_MODULES. */
const e2eModule: AdminChatModule = {
  actions: {
    'e2e.approve': async ({ services, actor, targetId, now }) => {
      await services.audit.record({ actor, action: 'e2e.approve', targetType: 'contact', targetId, at: now });
      await services.notify.toContact(targetId, () => ({ text: 'قُبل طلبكِ' }), { kind: 'notice' });
      return { update: { appendLine: '✅', removeChoices: true }, notice: 'تم' };
    },
  },
};

const cleanups = useCleanups();

// The whole app as `npm start` builds it: the dispatcher and the coordinators' console wired in.
describe('the coordinators chat in the composed app', () => {
  it('posts queued work to the chat and runs a coordinator press end to end', async () => {
    ADMIN_CHAT_MODULES.push(e2eModule);
    cleanups.push(() => void ADMIN_CHAT_MODULES.splice(ADMIN_CHAT_MODULES.indexOf(e2eModule), 1));
    const { fake, app, prisma, cleanup } = await startTelegramApp();
    cleanups.push(cleanup);

    await fake.sendText(MEMBER, '/start');
    await fake.waitForCalls('sendMessage', 1);
    const member = await prisma.contactChannel.findFirstOrThrow({ where: { externalId: String(MEMBER) } });

    const i18n = createI18n({ defaultLocale: 'ar' });
    const services = createServices(prisma, testServiceDeps({ i18n, adminChatId: String(ADMIN_CHAT) }));
    await services.notify.toCoordinators(
      { type: 'contact', id: member.contactId },
      () => ({
        text: 'عضوة جديدة',
        choices: [adminChoice('e2e.approve', member.contactId, 'موافقة')],
        choiceToken: ADMIN_CHOICE_TOKEN,
      }),
      { kind: 'admin' },
    );
    app.taawun.dispatcher.kick();
    await fake.waitForCalls('sendMessage', 2);
    const post = fake.lastMessageTo(ADMIN_CHAT);
    const data = `adm|e2e.approve:${member.contactId}`;
    expect(inlineButtons(post)).toEqual([{ text: 'موافقة', callback_data: data }]);

    await fake.pressButtonInChat(ADMIN_CHAT, STRANGER, post?.message_id ?? 0, data);
    const [refused] = await fake.waitForCalls('answerCallbackQuery', 1);
    expect(refused?.params.text).toBe('هذه الأزرار للمنسّقات فقط.');

    await fake.pressButtonInChat(ADMIN_CHAT, COORDINATOR, post?.message_id ?? 0, data);
    const answers = await fake.waitForCalls('answerCallbackQuery', 2);
    expect(answers[1]?.params.text).toBe('تم');
    await fake.waitForCalls('editMessageText', 1);
    expect(fake.lastMessageTo(ADMIN_CHAT)?.text).toBe('عضوة جديدة\n✅');
    // The decision's notification leaves at once: the console kicks the dispatcher.
    await fake.waitForCalls('sendMessage', 3);
    expect(fake.lastMessageTo(MEMBER)?.text).toBe('قُبل طلبكِ');
    expect(await prisma.auditLog.count({ where: { action: 'e2e.approve' } })).toBe(1);
    expect(await prisma.adminPost.count()).toBe(1);
  });
});
