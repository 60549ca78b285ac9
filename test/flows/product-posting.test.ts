import { describe, expect, it } from 'vitest';
import type { Prisma } from '../../src/generated/sqlite/client.js';
import { formatPrice } from '../../src/i18n/format.js';
import { productCard } from '../../src/products/card.js';
import { toCardProduct } from '../../src/products/card-query.js';
import { type ProductDraft, reviewRevision } from '../../src/services/product-rules.js';
import { coordinatorPosts, seedCooperative, seedMembership } from '../support/cooperatives.js';
import { type EngineHarness, labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { onboardMember } from '../support/onboarding.js';
import { seedPhoto } from '../support/products.js';

const ADMIN_CHAT = '-100777';

/** A member (onboarded, named) of a cooperative seeded with `fields` (APPROVED unless told). */
async function memberOf(
  h: EngineHarness,
  user: string,
  fields: Partial<Prisma.CooperativeUncheckedCreateInput> = {},
) {
  await onboardMember(h, user, 'سلمى');
  const cooperative = await seedCooperative(h.prisma, fields);
  const contact = await h.contactOf(user);
  await seedMembership(h.prisma, contact?.id ?? '', cooperative.id);
  return cooperative;
}

/** From the menu through the questions before the price: no photo, name, category, description. */
async function upToPrice(h: EngineHarness, user: string) {
  const p = (key: string) => h.ar(`products:${key}`);
  await h.send(user, 'القائمة');
  await h.press(user, p('menu.post'));
  await h.press(user, p('fields.photos.skip'));
  await h.send(user, 'زيت زيتون بلدي');
  await h.press(user, p('categories.food'));
  return h.send(user, 'عصرة أولى من أشجار بيت حانون');
}

/** The questions after the price: unit, availability, payment ways (cash and e-wallet); the preview. */
async function afterPrice(h: EngineHarness, user: string) {
  const p = (key: string) => h.ar(`products:${key}`);
  await h.press(user, p('units.litre'));
  await h.press(user, p('availability.available'));
  await h.press(user, p('payment.cash'));
  await h.press(user, p('payment.e_wallet'));
  return h.press(user, p('fields.payment.done'));
}

describe('posting a product (moderation on)', () => {
  const h = useEngineHarness({ adminChatId: ADMIN_CHAT });
  const p = (key: string, options?: Record<string, unknown>) => h.ar(`products:${key}`, options);

  it('asks every question, previews the buyers’ card, and sends it to the coordinators', async () => {
    const cooperative = await memberOf(h, 'm1');
    const menu = await h.send('m1', 'القائمة');
    expect(labelsOf(menu)).toEqual(expect.arrayContaining([p('menu.post'), p('menu.mine')]));

    const photoStep = await h.press('m1', p('menu.post'));
    expect(textOf(photoStep)).toContain(p('post.intro', { cooperative: cooperative.name }));
    expect(labelsOf(photoStep)).toContain(p('fields.photos.skip'));
    const [first, second] = [await seedPhoto(h.prisma, 'a'), await seedPhoto(h.prisma, 'b')];
    const one = await h.send('m1', first.content);
    expect(textOf(one)).toContain(p('fields.photos.received'));
    expect(textOf(one)).toContain(p('fields.photos.more', { count: 1 }));
    expect(labelsOf(one)).toContain(p('fields.photos.done'));
    await h.send('m1', second.content);
    const name = await h.press('m1', p('fields.photos.done'));
    expect(textOf(name)).toContain(p('fields.name.prompt'));

    await h.send('m1', 'زيت زيتون بلدي');
    await h.press('m1', p('categories.food'));
    await h.send('m1', 'عصرة أولى من أشجار بيت حانون');
    await h.send('m1', '٤٥ شيكل');
    await h.press('m1', p('units.litre'));
    await h.press('m1', p('availability.available'));
    const toggled = await h.press('m1', p('payment.cash'));
    expect(labelsOf(toggled)).toContain(`✅ ${p('payment.cash')}`);
    await h.press('m1', p('payment.e_wallet'));
    const preview = await h.press('m1', p('fields.payment.done'));
    expect(textOf(preview)).toContain(p('post.preview'));
    expect(labelsOf(preview)).toEqual(
      expect.arrayContaining([p('post.publish'), p('post.edit'), p('post.cancel')]),
    );

    const sent = await h.press('m1', p('post.publish'));
    expect(textOf(sent)).toContain(p('post.sentForReview', { name: 'زيت زيتون بلدي' }));
    const row = await h.prisma.product.findFirstOrThrow({ include: { photos: true } });
    expect(row).toMatchObject({
      cooperativeId: cooperative.id,
      createdById: (await h.contactOf('m1'))?.id,
      status: 'PENDING',
      name: 'زيت زيتون بلدي',
      category: 'food',
      priceMinor: 4500,
      currency: 'ILS',
      unit: 'litre',
      availability: 'available',
      paymentMethods: ['cash', 'e_wallet'],
      searchName: 'زيت زيتون بلدي',
    });
    expect(row.photos.map((ph) => [ph.mediaId, ph.position])).toEqual(
      expect.arrayContaining([
        [first.media.id, 0],
        [second.media.id, 1],
      ]),
    );

    // The preview was the card the catalogue draws from the stored product, photo included.
    const stored = await h.services().products.get(row.id);
    const card = productCard(
      h.i18n.translator('ar'),
      'ar',
      toCardProduct(stored as NonNullable<typeof stored>),
    );
    const shown = preview.find((m) => m.photo);
    expect(shown?.text).toBe(card.text);
    expect(shown?.photo).toEqual({ kind: 'stored', mediaId: first.media.id });
    expect(card.text).toContain(formatPrice(4500, 'ILS', 'ar'));

    const [post, ...others] = await coordinatorPosts(h.prisma, ADMIN_CHAT);
    expect(others).toEqual([]);
    expect(post?.adminTarget).toEqual({ type: 'product', id: row.id });
    expect(post?.text).toContain(p('review.new'));
    expect(post?.text).toContain(card.text);
    expect(post?.text).toContain(p('review.author', { name: 'سلمى' }));
    // The publish button names what the post shows: the name, description and photos in order.
    const revision = reviewRevision({ ...row, photoMediaIds: [first.media.id, second.media.id] });
    expect(post?.choices).toEqual([
      { id: `product.publish:${row.id}:${revision}`, label: p('review.publish') },
      { id: `product.hide:${row.id}`, label: p('review.hide') },
    ]);
    expect(row).toMatchObject({ approvedAt: null, refusedAt: null });

    const fts = await h.prisma.$queryRaw<{ productId: string; name: string; body: string }[]>`
      SELECT * FROM "ProductSearch"`;
    expect(fts).toEqual([{ productId: row.id, name: 'زيت زيتون بلدي', body: row.searchText }]);
    expect(row.searchText).toContain('عصره');
    expect(await h.prisma.auditLog.count({ where: { action: 'product.create', targetId: row.id } })).toBe(1);
  });

  it.each([
    ['25', 2500, 'ILS'],
    ['٢٥', 2500, 'ILS'],
    ['25 شيكل', 2500, 'ILS'],
    ['₪25', 2500, 'ILS'],
    ['25.5', 2550, 'ILS'],
    ['$10', 1000, 'USD'],
    ['10 دولار', 1000, 'USD'],
    ['5 دينار', 5000, 'JOD'],
  ] as const)('reads the price "%s" as %i minor units of %s', async (typed, minor, currency) => {
    await memberOf(h, 'm2');
    const priceStep = await upToPrice(h, 'm2');
    expect(textOf(priceStep)).toContain(p('fields.price.prompt'));
    const unitStep = await h.send('m2', typed);
    expect(textOf(unitStep)).toContain(p('fields.unit.prompt'));
    const preview = await afterPrice(h, 'm2');
    expect(textOf(preview)).toContain(formatPrice(minor, currency, 'ar'));
    await h.press('m2', p('post.publish'));
    expect(await h.prisma.product.findFirstOrThrow()).toMatchObject({ priceMinor: minor, currency });
  });

  it('answers a price it cannot take politely, with examples, and keeps the question', async () => {
    await memberOf(h, 'm3');
    await upToPrice(h, 'm3');
    const cases = [
      ['خمسة وعشرون ونص', 'not_a_number'],
      ['0', 'not_positive'],
      ['10 يورو', 'unsupported_currency'],
      ['99999999', 'too_large'],
    ] as const;
    for (const [typed, error] of cases) {
      const replies = await h.send('m3', typed);
      expect(textOf(replies)).toContain(p(`fields.price.errors.${error}`));
      expect(textOf(replies)).toContain(p('fields.price.examples'));
      expect((await h.conversationOf('m3'))?.step).toBe('price');
    }
    await h.send('m3', '30');
    const preview = await afterPrice(h, 'm3');
    // Nothing typed before the bad prices was lost.
    expect(textOf(preview)).toContain('زيت زيتون بلدي');
    expect(textOf(preview)).toContain('عصرة أولى من أشجار بيت حانون');
    expect(textOf(preview)).toContain(formatPrice(3000, 'ILS', 'ar'));
  });

  it.each([
    [603, '(603 أحرف)'],
    [611, '(611 حرفًا)'],
    [700, '(700 حرف)'],
  ])(
    'counts a description of %i characters in the right plural form, and keeps the question',
    async (size, words) => {
      await memberOf(h, 'm7');
      await h.send('m7', 'القائمة');
      await h.press('m7', p('menu.post'));
      await h.press('m7', p('fields.photos.skip'));
      await h.send('m7', 'زيت زيتون بلدي');
      const descriptionStep = await h.press('m7', p('categories.food'));
      expect(textOf(descriptionStep)).toContain(p('fields.description.prompt', { count: 600 }));
      expect(textOf(descriptionStep)).toContain('(حتى 600 حرف)');
      const tooLong = await h.send('m7', 'ز'.repeat(size));
      expect(textOf(tooLong)).toContain(p('fields.description.tooLong', { count: size, max: 600 }));
      expect(textOf(tooLong)).toContain(words);
      expect((await h.conversationOf('m7'))?.step).toBe('description');
    },
  );

  it('changes one answer from the preview and comes back to it', async () => {
    await memberOf(h, 'm4');
    await upToPrice(h, 'm4');
    await h.send('m4', '20');
    await afterPrice(h, 'm4');
    await h.press('m4', p('post.edit'));
    const nameStep = await h.press('m4', p('fields.name.label'));
    expect(textOf(nameStep)).toContain(p('fields.name.prompt'));
    const tooShort = await h.send('m4', 'ز');
    expect(textOf(tooShort)).toContain(p('fields.name.invalid', { min: 2, count: 80 }));
    expect(textOf(tooShort)).toContain('بين 2 و80 حرفًا');
    const preview = await h.send('m4', 'زيت زيتون نبالي');
    expect(textOf(preview)).toContain(p('post.preview'));
    expect(textOf(preview)).toContain('زيت زيتون نبالي');
    expect(textOf(preview)).toContain(formatPrice(2000, 'ILS', 'ar'));
    await h.press('m4', p('post.publish'));
    expect((await h.prisma.product.findFirstOrThrow()).name).toBe('زيت زيتون نبالي');
  });

  it('asks again politely for a photo that was not stored, and takes the fourth photo as the last', async () => {
    await memberOf(h, 'm5');
    await h.send('m5', 'القائمة');
    await h.press('m5', p('menu.post'));
    const held = await h.send('m5', {
      kind: 'photo',
      media: { kind: 'channel', channel: 'web', fileId: 'f1' },
    });
    expect(textOf(held)).toContain(p('fields.photos.again'));
    expect(textOf(held)).not.toContain(p('post.intro', { cooperative: 'جمعية نساء بيت حانون' }));
    expect((await h.conversationOf('m5'))?.step).toBe('photos');
    const text = await h.send('m5', 'صورة');
    expect(textOf(text)).toContain(p('fields.photos.photoOnly'));
    for (const tag of ['1', '2', '3']) await h.send('m5', (await seedPhoto(h.prisma, tag)).content);
    const name = await h.send('m5', (await seedPhoto(h.prisma, '4')).content);
    expect(textOf(name)).toContain(p('fields.name.prompt'));
  });

  it('offers posting only to members of an approved cooperative, and refuses once she is not', async () => {
    await onboardMember(h, 'buyer');
    const forged = await h.send('buyer', { kind: 'choice', choiceId: 'post-product' });
    expect(labelsOf(forged)).not.toContain(p('menu.post'));
    expect(textOf(forged)).toContain(h.ar('engine:unknownChoice'));
    expect((await h.conversationOf('buyer'))?.flow).toBe('menu');

    await memberOf(h, 'waiting', { name: 'جمعية قيد المراجعة', status: 'PENDING' });
    const menu = await h.send('waiting', 'القائمة');
    expect(labelsOf(menu)).not.toContain(p('menu.post'));
    expect(labelsOf(menu)).not.toContain(p('menu.mine'));

    const cooperative = await memberOf(h, 'm6', { name: 'جمعية الزيتون' });
    await upToPrice(h, 'm6');
    await h.send('m6', '20');
    await afterPrice(h, 'm6');
    await h.prisma.cooperative.update({ where: { id: cooperative.id }, data: { status: 'SUSPENDED' } });
    const refused = await h.press('m6', p('post.publish'));
    expect(textOf(refused)).toContain(p('post.notMember'));
    expect(labelsOf(refused)).not.toContain(p('menu.post'));
    expect(await h.prisma.product.count()).toBe(0);
    const contactId = (await h.contactOf('buyer'))?.id ?? '';
    const draft: ProductDraft = {
      name: 'صابون',
      description: null,
      category: 'cosmetics',
      priceMinor: 1000,
      currency: 'ILS',
      unit: 'piece',
      availability: 'available',
      paymentMethods: ['cash'],
      photoMediaIds: [],
    };
    const services = h.services();
    expect(await services.products.create(contactId, draft)).toEqual({ ok: false, error: 'not_member' });
  });
});

describe('posting a product (moderation off)', () => {
  const h = useEngineHarness({ adminChatId: ADMIN_CHAT, productModeration: false });

  it('publishes at once, without a post for the coordinators', async () => {
    await memberOf(h, 'm1');
    await upToPrice(h, 'm1');
    await h.send('m1', '12.5');
    await afterPrice(h, 'm1');
    const done = await h.press('m1', h.ar('products:post.publish'));
    expect(textOf(done)).toContain(h.ar('products:post.published', { name: 'زيت زيتون بلدي' }));
    const row = await h.prisma.product.findFirstOrThrow();
    expect(row).toMatchObject({ status: 'PUBLISHED', priceMinor: 1250, refusedAt: null });
    // Published at once: the bot approved it when she posted it.
    expect(row.approvedAt).toEqual(row.createdAt);
    expect(await coordinatorPosts(h.prisma, ADMIN_CHAT)).toEqual([]);
    const fts = await h.prisma.$queryRaw<{ productId: string }[]>`SELECT "productId" FROM "ProductSearch"`;
    expect(fts).toEqual([{ productId: row.id }]);

    // Without moderation, a new name is not sent for review either.
    const edited = await h.services().products.update(row.createdById ?? '', row.id, { name: 'زيت بلدي' });
    expect(edited).toMatchObject({ ok: true, review: false, product: { status: 'PUBLISHED' } });
  });
});
