import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { type PageMessage, startTestApp, webUser } from '../support/app.js';
import { useCleanups } from '../support/cleanups.js';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { onboardChatUser } from '../support/onboarding.js';
import { PDF, PHOTOS } from '../support/photos.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const cleanups = useCleanups();
const texts = (messages: PageMessage[]) => messages.map((m) => m.text).join('\n');

/**
 * Posting a product from the web chat page, over HTTP as the page does it: a PDF is refused and the
 * photo question stays, a price the bot cannot read is answered politely and nothing she gave is
 * lost, and with moderation off the product is in the catalogue at once, with its photo.
 */
describe('posting a product on the web chat', () => {
  it('goes from photo to published product, through a refused file and a bad price', async () => {
    const app = await startTestApp({ PRODUCT_MODERATION: 'false' });
    cleanups.push(app.cleanup);
    const prisma = app.taawun.database.prisma;
    const member = webUser(app, 'web-member-embroidery');
    await onboardChatUser(member);
    const cooperative = await seedCooperative(prisma, { name: 'جمعية خيوط الخليل', governorate: 'hebron' });
    await seedMembership(prisma, await member.contactId(), cooperative.id);

    await member.say('القائمة');
    await member.press(ar('products:menu.post'));
    const refused = await member.photo(PDF);
    expect(texts(refused)).toContain(ar('engine:unsupported.photo_type'));
    const kept = await member.photo(PHOTOS.png);
    expect(texts(kept)).toContain(ar('products:fields.photos.received'));
    await member.press(ar('products:fields.photos.done'));
    await member.say('مخدة مطرزة بالغرزة الفلاحية');
    await member.press(ar('products:categories.embroidery'));
    await member.press(ar('products:fields.description.skip'));

    const euros = await member.say('25 يورو');
    expect(texts(euros)).toContain(ar('products:fields.price.errors.unsupported_currency'));
    const words = await member.say('غالي شوي');
    expect(texts(words)).toContain(ar('products:fields.price.errors.not_a_number'));
    await member.say('$12.5');
    await member.press(ar('products:units.piece'));
    await member.press(ar('products:availability.on_order'));
    await member.press(ar('products:payment.e_wallet'));
    const preview = await member.press(ar('products:fields.payment.done'));
    const card = preview.find((m) => m.photo);
    expect(card?.text).toContain('مخدة مطرزة بالغرزة الفلاحية');
    expect(card?.text).toContain('$');
    await member.press(ar('products:post.publish'));

    const product = await prisma.product.findFirstOrThrow({
      include: { photos: { include: { media: true } } },
    });
    expect(product).toMatchObject({
      name: 'مخدة مطرزة بالغرزة الفلاحية',
      priceMinor: 1250,
      currency: 'USD',
      unit: 'piece',
      availability: 'on_order',
      paymentMethods: ['e_wallet'],
      status: 'PUBLISHED',
    });
    expect(product.photos.map((p) => p.media.mime)).toEqual(['image/png']);

    // A buyer finds it at once and sees the same photo.
    const buyer = webUser(app, 'web-buyer-embroidery');
    await onboardChatUser(buyer);
    await buyer.say('القائمة');
    await buyer.press(ar('catalogue:menu.catalogue'));
    await buyer.press(ar('catalogue:search.button'));
    const found = await buyer.say('مخده مطرزه');
    const choice = found.flatMap((m) => m.choices ?? []).find((c) => c.label.includes('مخدة مطرزة'));
    expect(choice).toBeDefined();
    const shown = (await buyer.press(choice?.label ?? '')).find((m) => m.photo);
    const image = await fetch(new URL(shown?.photo ?? '', `${app.baseUrl}/`));
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PHOTOS.png);
  });
});
