import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { webUser } from '../support/app.js';
import { useCleanups } from '../support/cleanups.js';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { onboardChatUser } from '../support/onboarding.js';
import { PHOTOS } from '../support/photos.js';
import {
  ADMIN_CHAT,
  COORDINATOR,
  chatPost,
  eventually,
  inlineButtons,
  startTelegramApp,
  telegramUser,
} from '../support/telegram-app.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const MEMBER = 6201;
const cleanups = useCleanups();

/** Text as read on screen: without bidi controls, and with the no-break space of prices as a space. */
const readable = (text: string) => text.replace(/[\u200e\u200f\u2066-\u2069]/g, '').replace(/\u00a0/g, ' ');

type PageMessage = { text: string; photo?: string; choices?: { id: string; label: string }[] };

/**
 * Issue 4's "done when", as people would live it: a member posts olive oil with a photo on Telegram at
 * "٤٥ شيكل", a coordinator publishes it in the coordinators' chat, a buyer on the web chat finds it by
 * "زيت الزيتون" and by "زَيْت" with its photo and price, asks the cooperative, and gets the member's answer.
 */
describe('a product from a member’s phone to a buyer’s question', () => {
  it('works across Telegram, the coordinators chat and the web chat', async () => {
    const { fake, app, prisma, cleanup } = await startTelegramApp();
    cleanups.push(cleanup);

    // A member of an approved cooperative in Beit Hanoun, on Telegram.
    const member = telegramUser(fake, MEMBER);
    await onboardChatUser(member);
    const memberAddress = await prisma.contactChannel.findFirstOrThrow({
      where: { channel: 'telegram', externalId: String(MEMBER) },
    });
    const cooperative = await seedCooperative(prisma, {
      name: 'جمعية زيتونات بيت حانون',
      governorate: 'north-gaza',
    });
    await seedMembership(prisma, memberAddress.contactId, cooperative.id, { role: 'LEAD' });

    // She posts "زيت زيتون بلدي" with a photo, at "٤٥ شيكل".
    await member.say('القائمة');
    await member.press(ar('products:menu.post'));
    await member.sendPhoto(PHOTOS.jpeg);
    await member.press(ar('products:fields.photos.done'));
    await member.say('زيت زيتون بلدي');
    await member.press(ar('products:categories.food'));
    await member.say('عصرة أولى من كروم بيت حانون');
    await member.say('٤٥ شيكل');
    await member.press(ar('products:units.litre'));
    await member.press(ar('products:availability.available'));
    await member.press(ar('products:payment.cash'));
    await member.press(ar('products:fields.payment.done'));
    await member.press(ar('products:post.publish'));
    const product = await prisma.product.findFirstOrThrow({ include: { photos: true } });
    expect(product).toMatchObject({
      name: 'زيت زيتون بلدي',
      priceMinor: 4500,
      currency: 'ILS',
      status: 'PENDING',
    });
    expect(product.photos).toHaveLength(1);

    // A coordinator publishes it from the coordinators' chat; the post carries the photo.
    const post = await chatPost(fake, (m) =>
      inlineButtons(m).some((b) => b.text === ar('products:review.publish')),
    );
    expect(post.photo).toBeDefined();
    const publish = inlineButtons(post).find((b) => b.text === ar('products:review.publish'));
    if (!publish || !('callback_data' in publish)) throw new Error('no publish button');
    await fake.pressButtonInChat(ADMIN_CHAT, COORDINATOR, post.message_id, publish.callback_data);
    await eventually(async () =>
      (await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).status === 'PUBLISHED'
        ? true
        : undefined,
    );

    // A buyer on the web chat searches "زيت الزيتون", then "زَيْت": both find it, with photo and price.
    const buyer = webUser(app, 'buyer-session-olive');
    await onboardChatUser(buyer);
    const productChoice = `زيت زيتون بلدي`;
    for (const query of ['زيت الزيتون', 'زَيْت']) {
      await buyer.say('القائمة');
      await buyer.press(ar('catalogue:menu.catalogue'));
      await buyer.press(ar('catalogue:search.button'));
      const results = (await buyer.say(query)) as PageMessage[];
      const label = results.flatMap((m) => m.choices ?? []).find((c) => c.label.includes(productChoice));
      expect(label, `"${query}" finds the oil`).toBeDefined();
      expect(readable(label?.label ?? '')).toContain('45 ₪');
      const card = ((await buyer.press(label?.label ?? '')) as PageMessage[]).find((m) => m.photo);
      expect(readable(card?.text ?? '')).toContain('45 ₪');
      expect(card?.text).toContain('زيت زيتون بلدي');
      const image = await fetch(new URL(card?.photo ?? '', `${app.baseUrl}/`));
      expect(image.status).toBe(200);
      expect(Buffer.from(await image.arrayBuffer())).toEqual(PHOTOS.jpeg);
    }

    // She asks the cooperative; the member is told on Telegram and answers through the bot.
    await buyer.press(ar('catalogue:card.contact'));
    const asked = member.sent();
    await buyer.say('هل يتوفر بعبوة ٥ لترات؟');
    await member.receives('هل يتوفر بعبوة ٥ لترات؟', asked);
    await member.say('القائمة');
    await member.press(ar('catalogue:menu.buyerQuestions'));
    await member.say('1');
    await member.say('نعم، عبوة ٥ لترات بـ ٢٢٠ شيكل');

    // The answer reaches the buyer on the web chat.
    const answer = await eventually(async () => {
      const res = await fetch(`${app.baseUrl}/web/messages?sessionId=buyer-session-olive`);
      const { messages } = (await res.json()) as { messages: PageMessage[] };
      return messages.find((m) => m.text.includes('نعم، عبوة ٥ لترات'));
    });
    expect(answer.text).toContain('زيت زيتون بلدي');
  });
});
