import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { createServices } from '../../src/services/index.js';
import { CHANNEL_DRIVERS, channelSessions } from '../support/channel-drivers.js';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { onboardChatUser } from '../support/onboarding.js';
import { PHOTOS } from '../support/photos.js';
import { testServiceDeps } from '../support/service-deps.js';
import { eventually } from '../support/telegram-app.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const texts = (replies: { text: string }[]) => replies.map((r) => r.text).join('\n');

/** The channel contract (issue 6): every adapter carries the same conversation within its own limits. */
describe.each(CHANNEL_DRIVERS)('the channel contract on $name', (driver) => {
  const start = channelSessions(driver);

  it('onboards her in Arabic to the main menu and opens help, changing nothing else', async () => {
    const she = await start();
    await onboardChatUser(she);
    const menu = she.lastReplies();
    expect(texts(menu)).toContain(ar('menu:title'));
    expect(menu.flatMap((r) => r.choices)).toContain(ar('menu:help'));
    const contact = await she.prisma.contact.findUniqueOrThrow({ where: { id: await she.contactId() } });
    expect(contact).toMatchObject({ persona: 'MEMBER', subscribed: false, locale: 'ar' });
    expect(contact.consentAt).not.toBeNull();

    const help = await she.press(ar('menu:help'));
    expect(help.length).toBeGreaterThan(0);
    expect(help.every((r) => /[\u0600-\u06ff]/.test(r.text))).toBe(true);
    // Only when she was last seen moves: her choices, consent and news stay as they were.
    const { lastSeenAt: _seen, updatedAt: _updated, ...settings } = contact;
    const after = await she.prisma.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after).toMatchObject(settings);
  });

  it('takes a product photo in, stored, and shows it back on the preview card, within its limits', async () => {
    const she = await start();
    await onboardChatUser(she);
    const cooperative = await seedCooperative(she.prisma, { name: 'جمعية سنابل', governorate: 'north-gaza' });
    await seedMembership(she.prisma, await she.contactId(), cooperative.id, { role: 'LEAD' });
    await she.say('القائمة');
    await she.press(ar('products:menu.post'));
    await she.sendPhoto(PHOTOS.jpeg);
    const stored = await she.prisma.media.findFirstOrThrow();
    expect(stored).toMatchObject({ mime: 'image/jpeg', size: PHOTOS.jpeg.length });
    await she.press(ar('products:fields.photos.done'));
    await she.say('مفتول يدوي');
    const categories = await she.press(ar('products:categories.food'));
    expect(categories.flatMap((r) => r.choices).length).toBeGreaterThan(0);
    await she.say('مفتول من قمح بلدي');
    await she.say('٢٠ شيكل');
    await she.press(ar('products:units.kg'));
    await she.press(ar('products:availability.available'));
    await she.press(ar('products:payment.cash'));
    const preview = await she.press(ar('products:fields.payment.done'));
    expect(preview.some((r) => r.photo)).toBe(true);
    expect(preview.flatMap((r) => r.choices)).toContain(ar('products:post.publish'));
    expect(await she.photosSent()).toContainEqual(PHOTOS.jpeg);
  });

  it('handles a message delivered twice once', async () => {
    const she = await start();
    await onboardChatUser(she);
    const handled = await she.prisma.inboundEvent.count();
    await she.sendDuplicate('القائمة');
    expect(await she.prisma.inboundEvent.count()).toBe(handled + 1);
    const replies = she.lastReplies();
    expect(replies.length).toBeGreaterThan(0);
    const first = replies[0]?.text ?? '';
    expect(replies.filter((r) => r.text === first)).toHaveLength(1);
  });

  it('records a notice its channel failed to send', async () => {
    const she = await start();
    await onboardChatUser(she);
    const services = createServices(she.prisma, testServiceDeps());
    she.failNextSend();
    await services.notify.toContact(await she.contactId(), () => ({ text: 'موعد الاجتماع غدًا' }), {
      kind: 'notice',
    });
    await she.flush();
    const row = await eventually(() =>
      she.prisma.outboxMessage
        .findFirstOrThrow({ where: { kind: 'notice' } })
        .then((r) => (r.lastError ? r : undefined)),
    );
    expect(row.status).not.toBe('SENT');
    if (driver.pushed) expect(row.attempts).toBeGreaterThanOrEqual(1);
    expect(texts(she.received())).not.toContain('موعد الاجتماع غدًا');
  });
});
