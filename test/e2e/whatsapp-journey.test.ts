import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { type PageMessage, webUser } from '../support/app.js';
import { type ChannelSession, WHATSAPP_DRIVERS } from '../support/channel-drivers.js';
import { useCleanups } from '../support/cleanups.js';
import { startFakeTelegram } from '../support/fake-telegram.js';
import { onboardChatUser } from '../support/onboarding.js';
import { PHOTOS } from '../support/photos.js';
import { eventually, inlineButtons, telegramEnv, telegramUser } from '../support/telegram-app.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const TOKEN = 'whatsapp-journey-admin-token-0123456789';
const TEMPLATE = 'taawun_news';
const TELEGRAM_BUYER = 7501;
const PRODUCT = 'مفتول بقمح بلدي';
const NEWS = 'ورشة تسويق المنتجات يوم الأحد في مقر الائتلاف';
const DAY = 24 * 3_600_000;
const cleanups = useCleanups();

/** Waits for a message to her whose text contains `expected`. */
const receives = (she: ChannelSession, expected: string) =>
  eventually(() => she.received().find((r) => r.text.includes(expected)));

/**
 * Issue 6's "done when": a member who talks only on WhatsApp (the Cloud API, then WhatsApp Web)
 * onboards and registers her cooperative in Arabic, receives a broadcast (by template when she has
 * been silent for more than a day on the Cloud API), and the product photo she posts reaches a buyer
 * on Telegram and one on the web chat, byte for byte.
 */
describe.each(WHATSAPP_DRIVERS)('a member on $name only', (driver) => {
  it('onboards, registers her cooperative, gets the news, and her photo reaches Telegram and the web', async () => {
    const telegram = await startFakeTelegram({ maxHoldMs: 300 });
    cleanups.push(() => telegram.close());
    const she = await driver.start({
      ...telegramEnv(telegram),
      ADMIN_API_TOKEN: TOKEN,
      WHATSAPP_CLOUD_TEMPLATE_NAME: TEMPLATE,
      PRODUCT_MODERATION: 'false',
      // WhatsApp's pace of one message per person every ~6 s would hold the news behind the approval.
      WHATSAPP_CLOUD_RATE_PER_CHAT_PER_SECOND: '10',
    });
    cleanups.push(she.cleanup);
    const { app, prisma } = she;
    const api = (path: string, body: unknown) =>
      fetch(`${app.baseUrl}/api${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    // She writes for the first time, agrees, and asks for the news.
    expect((await she.say('السلام عليكم')).map((r) => r.text).join('\n')).toContain(
      ar('onboarding:welcome.text'),
    );
    await she.press(ar('onboarding:welcome.continue'));
    await she.press(ar('onboarding:consent.agree'));
    await she.press(ar('onboarding:persona.member'));
    await she.press(ar('onboarding:news.yes'));

    // She registers her cooperative.
    await she.say('القائمة');
    await she.press(ar('cooperatives:menu.register'));
    await she.say('جمعية سنابل الخير في دير البلح');
    await she.press(ar('cooperatives:legalForms.CHARITY'));
    await she.say('دير البلح');
    await she.say('دير البلح');
    await she.press(ar('cooperatives:sectors.food-processing'));
    await she.press(ar('cooperatives:fields.sectors.done'));
    await she.say('١٥');
    await she.say('نصنع المفتول والمعجنات من قمح بلدي');
    await she.say('0599123456');
    const submitted = await she.press(ar('cooperatives:register.submit'));
    expect(submitted.map((r) => r.text).join('\n')).toContain('جمعية سنابل الخير في دير البلح');
    const cooperative = await prisma.cooperative.findFirstOrThrow();
    expect(cooperative).toMatchObject({ status: 'PENDING', membersCount: 15, contactPhone: '+970599123456' });

    // The coordinators approve it through the admin API; she is told on WhatsApp with the join code.
    expect((await api(`/cooperatives/${cooperative.id}/approve`, {})).status).toBe(200);
    const { joinCode } = await prisma.cooperative.findUniqueOrThrow({ where: { id: cooperative.id } });
    await receives(she, joinCode ?? 'no join code');

    // A day of silence later, the coalition's news still reaches her (by template on the Cloud API).
    const address = await prisma.contactChannel.findFirstOrThrow({ where: { channel: driver.channel } });
    await prisma.contactChannel.update({
      where: { id: address.id },
      data: { lastInboundAt: new Date(Date.now() - DAY - 3_600_000) },
    });
    expect((await api('/broadcasts', { text: { ar: NEWS }, audience: { kind: 'all' } })).status).toBe(202);
    const news = await receives(she, NEWS);
    expect(news.template).toBe(driver.channel === 'whatsapp-cloud' ? TEMPLATE : undefined);

    // She posts her maftoul with a photo: published at once.
    await she.say('القائمة');
    await she.press(ar('products:menu.post'));
    await she.sendPhoto(PHOTOS.jpeg);
    await she.press(ar('products:fields.photos.done'));
    await she.say(PRODUCT);
    await she.press(ar('products:categories.food'));
    await she.say('مفتول مفتول باليد ومجفف تحت الشمس');
    await she.say('٢٥ شيكل');
    await she.press(ar('products:units.kg'));
    await she.press(ar('products:availability.available'));
    await she.press(ar('products:payment.cash'));
    await she.press(ar('products:fields.payment.done'));
    await she.press(ar('products:post.publish'));
    const product = await prisma.product.findFirstOrThrow({ include: { photos: true } });
    expect(product).toMatchObject({ name: PRODUCT, status: 'PUBLISHED', cooperativeId: cooperative.id });
    expect(product.photos).toHaveLength(1);

    // A buyer on Telegram finds it: the bot uploads her photo, the same bytes.
    const buyer = telegramUser(telegram, TELEGRAM_BUYER);
    await onboardChatUser(buyer);
    await buyer.say('القائمة');
    await buyer.press(ar('catalogue:menu.catalogue'));
    await buyer.press(ar('catalogue:search.button'));
    const results = await buyer.say('مفتول');
    const found = inlineButtons(results).find((b) => b.text.includes(PRODUCT));
    expect(found, 'the Telegram search finds it').toBeDefined();
    await buyer.press(found?.text ?? '');
    const upload = await eventually(() =>
      telegram.uploads.find((u) => u.chatId === TELEGRAM_BUYER && u.method === 'sendPhoto'),
    );
    expect(upload.bytes).toEqual(PHOTOS.jpeg);

    // A buyer on the web chat finds it too: its photo URL serves the same bytes.
    const webBuyer = webUser(app, 'whatsapp-journey-web-buyer');
    await onboardChatUser(webBuyer);
    await webBuyer.say('القائمة');
    await webBuyer.press(ar('catalogue:menu.catalogue'));
    await webBuyer.press(ar('catalogue:search.button'));
    const listed = (await webBuyer.say('مفتول')) as PageMessage[];
    const choice = listed.flatMap((m) => m.choices ?? []).find((c) => c.label.includes(PRODUCT));
    expect(choice, 'the web search finds it').toBeDefined();
    const card = ((await webBuyer.press(choice?.label ?? '')) as PageMessage[]).find((m) => m.photo);
    const image = await fetch(new URL(card?.photo ?? '', `${app.baseUrl}/`));
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PHOTOS.jpeg);
  });
});
