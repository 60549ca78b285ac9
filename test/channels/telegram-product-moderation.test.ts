import type { Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { useCleanups } from '../support/cleanups.js';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { onboardChatUser } from '../support/onboarding.js';
import {
  ADMIN_CHAT,
  COORDINATOR,
  chatPost,
  inlineButtons,
  plain,
  startTelegramApp,
  telegramUser,
} from '../support/telegram-app.js';

const MEMBER = 5201;
const STRANGER = 7002;
const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const p = (key: string, options?: Record<string, unknown>) => ar(`products:${key}`, options);
/** The callback data of a post's buttons, in order. */
const callbackData = (message: Message) =>
  inlineButtons(message).map((b) => ('callback_data' in b ? b.callback_data : ''));
const cleanups = useCleanups();

/** The app with a member of an approved cooperative who posted a jar of za'atar through the bot. */
async function postedOnTelegram() {
  const started = await startTelegramApp();
  cleanups.push(started.cleanup);
  const { fake, prisma } = started;
  const member = telegramUser(fake, MEMBER);
  await onboardChatUser(member);
  const address = await prisma.contactChannel.findFirstOrThrow({ where: { externalId: String(MEMBER) } });
  const cooperative = await seedCooperative(prisma);
  await seedMembership(prisma, address.contactId, cooperative.id);

  await member.say('القائمة');
  await member.press(p('menu.post'));
  await member.press(p('fields.photos.skip'));
  await member.say('زعتر بلدي');
  await member.press(p('categories.food'));
  await member.press(p('fields.description.skip'));
  await member.say('٣٥ شيكل');
  await member.press(p('units.jar'));
  await member.press(p('availability.available'));
  await member.press(p('payment.cash'));
  await member.press(p('fields.payment.done'));
  const sentAt = member.sent();
  await member.press(p('post.publish'));
  expect(member.textsSince(sentAt).join('\n')).toContain(p('post.sentForReview', { name: 'زعتر بلدي' }));
  const product = await prisma.product.findFirstOrThrow();
  const post = await chatPost(fake, (m) => inlineButtons(m).length === 2);
  /** A press on a post (the first one unless told) in the coordinators' chat; resolves with its notice. */
  async function press(userId: number, data: string, messageId = post.message_id) {
    const answered = fake.callsTo('answerCallbackQuery').length;
    await fake.pressButtonInChat(ADMIN_CHAT, userId, messageId, data);
    return String((await fake.waitForCalls('answerCallbackQuery', answered + 1)).at(-1)?.params.text);
  }
  return { ...started, member, product, post, press };
}

describe('products in the coordinators’ chat', () => {
  it('publishes on a coordinator’s press only, tells the member, and lets her hide it after', async () => {
    const { fake, prisma, member, product, post, press } = await postedOnTelegram();
    expect(product.status).toBe('PENDING');
    expect(post.text).toContain(p('review.new'));
    expect(post.text).toContain('زعتر بلدي');
    const [publish = '', hide = ''] = callbackData(post);
    expect(publish).toMatch(new RegExp(`^adm\\|product\\.publish:${product.id}:[\\w-]{10}$`));
    expect(hide).toBe(`adm|product.hide:${product.id}`);
    const status = async () => (await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).status;

    expect(await press(STRANGER, publish)).toBe(ar('admin:notCoordinator'));
    expect(await press(STRANGER, hide)).toBe(ar('admin:notCoordinator'));
    expect(await status()).toBe('PENDING');
    expect(await press(COORDINATOR, 'adm|product.publish:forged:x')).toBe(p('review.notFound'));
    expect(fake.callsTo('editMessageText')).toHaveLength(0);

    const before = member.sent();
    const published = await press(COORDINATOR, publish);
    expect(plain(published)).toContain(plain(p('review.published', { by: '' })).trim());
    const [edited] = await fake.waitForCalls('editMessageText', 1);
    expect(plain(String(edited?.params.text))).toContain(plain(published));
    expect(await status()).toBe('PUBLISHED');
    await member.receives(p('notify.published', { name: 'زعتر بلدي' }), before);
    // The hide button stays under a published product.
    expect(inlineButtons(fake.lastMessageTo(ADMIN_CHAT))).toHaveLength(2);
    expect(await prisma.auditLog.findFirstOrThrow({ where: { action: 'product.publish' } })).toMatchObject({
      targetId: product.id,
      channel: 'telegram-admin-chat',
    });

    expect(await press(COORDINATOR, publish)).toBe(
      p('review.alreadyHandled', { status: p('mine.statuses.PUBLISHED') }),
    );
    expect(await prisma.auditLog.count({ where: { action: 'product.publish' } })).toBe(1);

    const beforeHide = member.sent();
    await press(COORDINATOR, hide);
    await fake.waitForCalls('editMessageText', 2);
    expect(await status()).toBe('HIDDEN');
    await member.receives(p('notify.hidden', { name: 'زعتر بلدي' }), beforeHide);
    expect(inlineButtons(fake.lastMessageTo(ADMIN_CHAT))).toEqual([]);
  });

  it('publishes nothing from a card older than the product’s words and photos; the newest card works', async () => {
    const { fake, prisma, member, product, post, press } = await postedOnTelegram();
    const [oldPublish = ''] = callbackData(post);
    await press(COORDINATOR, oldPublish);
    await fake.waitForCalls('editMessageText', 1);
    const row = () => prisma.product.findUniqueOrThrow({ where: { id: product.id } });
    expect(await row()).toMatchObject({ status: 'PUBLISHED', approvedAt: expect.any(Date) });

    // She renames it: it waits for the coordinators again, on a new card.
    await member.say('القائمة');
    await member.press(p('menu.mine'));
    await member.press('زعتر بلدي');
    await member.press(p('mine.edit'));
    await member.press(p('fields.name.label'));
    await member.say('زعتر نابلسي');
    expect(await row()).toMatchObject({ status: 'PENDING', approvedAt: null });
    const newer = await chatPost(
      fake,
      (m) => m.message_id !== post.message_id && inlineButtons(m).length === 2,
    );
    expect(newer.text).toContain(p('review.edited'));
    expect(newer.text).toContain('زعتر نابلسي');
    const [newPublish = ''] = callbackData(newer);
    expect(newPublish).not.toBe(oldPublish);

    // The old card, which showed the old name, publishes nothing and loses its buttons.
    const before = member.sent();
    expect(await press(COORDINATOR, oldPublish)).toBe(p('review.stale'));
    const [, staled] = await fake.waitForCalls('editMessageText', 2);
    expect(staled?.params.message_id).toBe(post.message_id);
    expect(plain(String(staled?.params.text))).toContain(plain(p('review.stale')));
    expect(inlineButtons(fake.messagesTo(ADMIN_CHAT).find((m) => m.message_id === post.message_id))).toEqual(
      [],
    );
    expect(await row()).toMatchObject({ status: 'PENDING', approvedAt: null });
    expect(await prisma.auditLog.count({ where: { action: 'product.publish' } })).toBe(1);
    // A forged button without a revision publishes nothing either.
    expect(await press(COORDINATOR, `adm|product.publish:${product.id}`, newer.message_id)).toBe(
      p('review.stale'),
    );
    await fake.waitForCalls('editMessageText', 3);

    expect(plain(await press(COORDINATOR, newPublish, newer.message_id))).toContain(
      plain(p('review.published', { by: '' })).trim(),
    );
    expect(await row()).toMatchObject({ status: 'PUBLISHED', approvedAt: expect.any(Date) });
    await member.receives(p('notify.published', { name: 'زعتر نابلسي' }), before);
    const told = plain(member.textsSince(before).join('\n'));
    expect(told).not.toContain(plain(p('notify.published', { name: 'زعتر بلدي' })));
  });

  it('hides a waiting product on a coordinator’s press, and the member is told', async () => {
    const { prisma, member, product, press } = await postedOnTelegram();
    const before = member.sent();
    await press(COORDINATOR, `adm|product.hide:${product.id}`);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).status).toBe('HIDDEN');
    await member.receives(p('notify.hidden', { name: 'زعتر بلدي' }), before);
    expect(await prisma.auditLog.count({ where: { action: 'product.hide', targetId: product.id } })).toBe(1);
  });
});
