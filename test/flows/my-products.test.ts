import { describe, expect, it } from 'vitest';
import type { Cooperative } from '../../src/generated/sqlite/client.js';
import { formatPrice } from '../../src/i18n/format.js';
import type { ProductDraft } from '../../src/services/product-rules.js';
import { coordinatorPosts, seedCooperative, seedMembership } from '../support/cooperatives.js';
import { labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { onboardMember } from '../support/onboarding.js';
import { seedPhoto, seedProduct } from '../support/products.js';

const ADMIN_CHAT = '-100777';
const COORDINATOR = { label: 'admin-token:test', channel: 'api' };
/** Before the harness clock (09:00): products exist before the member opens "my products". */
const EARLIER = new Date('2026-11-29T08:00:00Z');

const SOAP: ProductDraft = {
  name: 'صابون زيت الزيتون',
  description: 'صابون نابلسي مصنوع يدويًا',
  category: 'cosmetics',
  priceMinor: 1500,
  currency: 'ILS',
  unit: 'piece',
  availability: 'available',
  paymentMethods: ['cash', 'bank_app'],
  photoMediaIds: [],
};

const h = useEngineHarness({ adminChatId: ADMIN_CHAT });
const mine = (key: string, options?: Record<string, unknown>) => h.ar(`products:mine.${key}`, options);
const status = (s: string) => mine('status', { status: mine(`statuses.${s}`) });
const contactId = async (user: string) => (await h.contactOf(user))?.id ?? '';

/** An onboarded member of `cooperative` (a new approved one unless given). */
async function member(user: string, cooperative?: Cooperative) {
  await onboardMember(h, user, 'ريم');
  const joined = cooperative ?? (await seedCooperative(h.prisma));
  await seedMembership(h.prisma, await contactId(user), joined.id);
  return joined;
}

/** A product she posted some minutes before now; published by a coordinator unless `approve` is false. */
async function posted(user: string, fields: Partial<ProductDraft> = {}, { approve = true, minute = 0 } = {}) {
  const services = h.services();
  const at = new Date(EARLIER.getTime() + minute * 60_000);
  const created = await services.products.create(await contactId(user), { ...SOAP, ...fields }, at);
  if (!created.ok) throw new Error(`not posted: ${created.error}`);
  if (!approve) return created.product;
  const published = await services.products.publish(created.product.id, COORDINATOR, at);
  if (!published.ok) throw new Error(`not published: ${published.error}`);
  return published.product;
}

/** From the menu to one product's card in "my products". */
async function open(user: string, name: string) {
  await h.send(user, 'القائمة');
  await h.press(user, h.ar('products:menu.mine'));
  return h.press(user, name);
}

const row = (id: string) => h.prisma.product.findUniqueOrThrow({ where: { id } });

describe('my products', () => {
  it('lists her cooperative’s products newest first, five to a page', async () => {
    await member('m1');
    for (let i = 1; i <= 6; i++) await posted('m1', { name: `منتج رقم ${i}` }, { minute: i });
    await h.send('m1', 'القائمة');
    const list = await h.press('m1', h.ar('products:menu.mine'));
    expect(textOf(list)).toContain(mine('count', { count: 6 }));
    expect(textOf(list)).toContain(
      mine('line', { number: 1, name: 'منتج رقم 6', status: mine('statuses.PUBLISHED') }),
    );
    expect(labelsOf(list).slice(0, 5)).toEqual([6, 5, 4, 3, 2].map((i) => `منتج رقم ${i}`));
    expect(labelsOf(list)).toContain(h.ar('funding:paging.next'));
    expect(labelsOf(list)).toContain(mine('post'));

    const second = await h.press('m1', h.ar('funding:paging.next'));
    expect(textOf(second)).toContain(
      mine('line', { number: 6, name: 'منتج رقم 1', status: mine('statuses.PUBLISHED') }),
    );
    expect(labelsOf(second)).toContain(h.ar('funding:paging.previous'));

    const card = await h.press('m1', 'منتج رقم 1');
    expect(textOf(card)).toContain('صابون نابلسي مصنوع يدويًا');
    expect(textOf(card)).toContain(formatPrice(1500, 'ILS', 'ar'));
    expect(textOf(card)).toContain(status('PUBLISHED'));
    expect(labelsOf(card)).toEqual(
      expect.arrayContaining([mine('edit'), mine('hide'), mine('soldOut'), mine('delete')]),
    );
  });

  it('changes the price at once, and sends a new name back to the coordinators', async () => {
    await member('m1');
    const product = await posted('m1');
    await open('m1', SOAP.name);
    await h.press('m1', mine('edit'));
    await h.press('m1', h.ar('products:fields.price.label'));
    const badPrice = await h.send('m1', 'غالي');
    expect(textOf(badPrice)).toContain(h.ar('products:fields.price.errors.not_a_number'));
    const saved = await h.send('m1', '٣٠ شيكل');
    expect(textOf(saved)).toContain(mine('saved'));
    expect(textOf(saved)).toContain(formatPrice(3000, 'ILS', 'ar'));
    expect(textOf(saved)).toContain(status('PUBLISHED'));
    expect(await row(product.id)).toMatchObject({
      priceMinor: 3000,
      status: 'PUBLISHED',
      approvedAt: EARLIER,
    });
    const postsBefore = (await coordinatorPosts(h.prisma, ADMIN_CHAT)).length;

    // The same name again is no change for the coordinators.
    await h.press('m1', mine('edit'));
    await h.press('m1', h.ar('products:fields.name.label'));
    const same = await h.send('m1', SOAP.name);
    expect(textOf(same)).toContain(mine('saved'));
    expect(await row(product.id)).toMatchObject({ status: 'PUBLISHED', approvedAt: EARLIER });

    await h.press('m1', mine('edit'));
    await h.press('m1', h.ar('products:fields.name.label'));
    const renamed = await h.send('m1', 'صابون بلدي بزيت الزيتون');
    expect(textOf(renamed)).toContain(mine('savedForReview'));
    expect(textOf(renamed)).toContain(status('PENDING'));
    expect(await row(product.id)).toMatchObject({
      name: 'صابون بلدي بزيت الزيتون',
      status: 'PENDING',
      approvedAt: null,
    });
    const posts = await coordinatorPosts(h.prisma, ADMIN_CHAT);
    expect(posts).toHaveLength(postsBefore + 1);
    expect(posts.at(-1)?.text).toContain(h.ar('products:review.edited'));
    const fts = await h.prisma.$queryRaw<{ name: string }[]>`
      SELECT "name" FROM "ProductSearch" WHERE "productId" = ${product.id}`;
    expect(fts).toEqual([{ name: 'صابون بلدي بزيت زيتون' }]);
  });

  it('hides and shows a product, and marks it sold out and available again', async () => {
    await member('m1');
    const product = await posted('m1');
    await open('m1', SOAP.name);
    const hidden = await h.press('m1', mine('hide'));
    expect(textOf(hidden)).toContain(mine('hidden', { name: SOAP.name }));
    expect(labelsOf(hidden)).toContain(mine('show'));
    expect((await row(product.id)).status).toBe('HIDDEN');
    const shown = await h.press('m1', mine('show'));
    expect(textOf(shown)).toContain(mine('shown', { name: SOAP.name }));
    expect(await row(product.id)).toMatchObject({ status: 'PUBLISHED', approvedAt: EARLIER });

    const soldOut = await h.press('m1', mine('soldOut'));
    expect(textOf(soldOut)).toContain(mine('markedSoldOut', { name: SOAP.name }));
    expect(textOf(soldOut)).toContain(h.ar('products:availability.sold_out'));
    expect(await row(product.id)).toMatchObject({ availability: 'sold_out', status: 'PUBLISHED' });
    const available = await h.press('m1', mine('available'));
    expect(textOf(available)).toContain(mine('markedAvailable', { name: SOAP.name }));
    expect((await row(product.id)).availability).toBe('available');
  });

  it('keeps a product no coordinator approved waiting when she shows it again', async () => {
    await member('m1');
    const product = await posted('m1', {}, { approve: false });
    await open('m1', SOAP.name);
    await h.press('m1', mine('hide'));
    const shown = await h.press('m1', mine('show'));
    expect(textOf(shown)).toContain(mine('shownForReview', { name: SOAP.name }));
    expect((await row(product.id)).status).toBe('PENDING');
    expect((await coordinatorPosts(h.prisma, ADMIN_CHAT)).at(-1)?.text).toContain(
      h.ar('products:review.shown'),
    );
  });

  it('sends a product the coordinators hid back to them when she shows it, until they publish it again', async () => {
    await member('m1');
    const product = await posted('m1');
    const services = h.services();
    expect(await services.products.hide(product.id, COORDINATOR, EARLIER)).toMatchObject({ ok: true });
    expect(await row(product.id)).toMatchObject({ status: 'HIDDEN', approvedAt: null, refusedAt: EARLIER });

    await open('m1', SOAP.name);
    const shown = await h.press('m1', mine('show'));
    expect(textOf(shown)).toContain(mine('shownForReview', { name: SOAP.name }));
    expect((await row(product.id)).status).toBe('PENDING');
    expect((await coordinatorPosts(h.prisma, ADMIN_CHAT)).at(-1)?.text).toContain(
      h.ar('products:review.shown'),
    );

    expect(await services.products.publish(product.id, COORDINATOR, EARLIER)).toMatchObject({ ok: true });
    expect(await row(product.id)).toMatchObject({
      status: 'PUBLISHED',
      approvedAt: EARLIER,
      refusedAt: null,
    });
    await h.press('m1', mine('hide'));
    const again = await h.press('m1', mine('show'));
    expect(textOf(again)).toContain(mine('shown', { name: SOAP.name }));
    expect((await row(product.id)).status).toBe('PUBLISHED');
  });

  it('keeps a product edited while hidden out of sight, and sends it to the coordinators when shown', async () => {
    await member('m1');
    const product = await posted('m1');
    await open('m1', SOAP.name);
    await h.press('m1', mine('hide'));
    const postsBefore = (await coordinatorPosts(h.prisma, ADMIN_CHAT)).length;
    await h.press('m1', mine('edit'));
    await h.press('m1', h.ar('products:fields.description.label'));
    const saved = await h.send('m1', 'صابون بزيت الزيتون والغار');
    expect(textOf(saved)).toContain(mine('saved'));
    expect(await row(product.id)).toMatchObject({ status: 'HIDDEN', approvedAt: null });
    expect(await coordinatorPosts(h.prisma, ADMIN_CHAT)).toHaveLength(postsBefore);

    const shown = await h.press('m1', mine('show'));
    expect(textOf(shown)).toContain(mine('shownForReview', { name: SOAP.name }));
    expect((await row(product.id)).status).toBe('PENDING');
    expect(await coordinatorPosts(h.prisma, ADMIN_CHAT)).toHaveLength(postsBefore + 1);
  });

  it('replaces, keeps or removes the photos, each on its own choice', async () => {
    await member('m1');
    const [a, b, c] = [
      await seedPhoto(h.prisma, 'a'),
      await seedPhoto(h.prisma, 'b'),
      await seedPhoto(h.prisma, 'c'),
    ];
    const product = await posted('m1', { photoMediaIds: [a.media.id, b.media.id] });
    const photos = async () =>
      (
        await h.prisma.productMedia.findMany({
          where: { productId: product.id },
          orderBy: { position: 'asc' },
        })
      ).map((photo) => photo.mediaId);
    const photoField = h.ar('products:fields.photos.label');
    await open('m1', SOAP.name);
    await h.press('m1', mine('edit'));
    const question = await h.press('m1', photoField);
    expect(textOf(question)).toContain(h.ar('products:fields.photos.editPrompt', { count: 4 }));
    const choices = [h.ar('products:fields.photos.keep'), h.ar('products:fields.photos.removeAll')];
    expect(labelsOf(question)).toEqual(expect.arrayContaining(choices));
    expect(labelsOf(question)).not.toContain(h.ar('products:fields.photos.skip'));

    const kept = await h.press('m1', h.ar('products:fields.photos.keep'));
    expect(textOf(kept)).toContain(mine('unchanged'));
    expect(await photos()).toEqual([a.media.id, b.media.id]);
    expect(await row(product.id)).toMatchObject({ status: 'PUBLISHED', approvedAt: EARLIER });
    expect(await h.prisma.auditLog.count({ where: { action: 'product.update' } })).toBe(0);

    await h.press('m1', mine('edit'));
    await h.press('m1', photoField);
    const received = await h.send('m1', c.content);
    expect(labelsOf(received)).toContain(h.ar('products:fields.photos.done'));
    expect(labelsOf(received)).not.toContain(h.ar('products:fields.photos.removeAll'));
    const replaced = await h.press('m1', h.ar('products:fields.photos.done'));
    expect(textOf(replaced)).toContain(mine('savedForReview'));
    expect(await photos()).toEqual([c.media.id]);
    expect(await row(product.id)).toMatchObject({ status: 'PENDING', approvedAt: null });

    await h.press('m1', mine('edit'));
    await h.press('m1', photoField);
    const removed = await h.press('m1', h.ar('products:fields.photos.removeAll'));
    expect(textOf(removed)).toContain(mine('savedForReview'));
    expect(await photos()).toEqual([]);
  });

  it('deletes a product only after she confirms', async () => {
    await member('m1');
    const product = await posted('m1');
    await open('m1', SOAP.name);
    const confirm = await h.press('m1', mine('delete'));
    expect(textOf(confirm)).toContain(mine('deleteConfirm', { name: SOAP.name }));
    const kept = await h.press('m1', mine('no'));
    expect(textOf(kept)).toContain(mine('kept'));
    expect(await h.prisma.product.count()).toBe(1);

    await h.press('m1', mine('delete'));
    const deleted = await h.send('m1', 'نعم');
    expect(textOf(deleted)).toContain(mine('deleted', { name: SOAP.name }));
    expect(textOf(deleted)).toContain(mine('count', { count: 0 }));
    expect(await h.prisma.product.count()).toBe(0);
    expect(await h.prisma.$queryRaw`SELECT * FROM "ProductSearch"`).toEqual([]);
    expect(await h.prisma.auditLog.count({ where: { action: 'product.delete', targetId: product.id } })).toBe(
      1,
    );
  });

  it('lets another member of the same cooperative manage it, and nobody from another cooperative', async () => {
    const cooperative = await member('m1');
    const product = await posted('m1');
    await member('m2', cooperative);
    await open('m2', SOAP.name);
    await h.press('m2', mine('soldOut'));
    expect((await row(product.id)).availability).toBe('sold_out');

    await member('other', await seedCooperative(h.prisma, { name: 'جمعية أخرى' }));
    await h.send('other', 'القائمة');
    const list = await h.press('other', h.ar('products:menu.mine'));
    expect(textOf(list)).toContain(mine('count', { count: 0 }));
    const forged = await h.send('other', { kind: 'choice', choiceId: `product:${product.id}` });
    expect(textOf(forged)).toContain(h.ar('engine:unknownChoice'));

    const { products } = h.services();
    const stranger = await contactId('other');
    const refused = { ok: false, error: 'not_allowed' };
    expect(await products.update(stranger, product.id, { priceMinor: 1 })).toEqual(refused);
    expect(await products.setVisibility(stranger, product.id, 'hidden')).toEqual(refused);
    expect(await products.remove(stranger, product.id)).toEqual(refused);
    expect(await row(product.id)).toMatchObject({ priceMinor: 1500, status: 'PUBLISHED' });
  });
});

describe('my products (moderation off)', () => {
  const off = useEngineHarness({ adminChatId: ADMIN_CHAT, productModeration: false });

  it('publishes a product nobody approved when shown again, but not one the coordinators hid', async () => {
    await onboardMember(off, 'm1', 'ريم');
    const cooperative = await seedCooperative(off.prisma);
    const contact = (await off.contactOf('m1'))?.id ?? '';
    await seedMembership(off.prisma, contact, cooperative.id);
    const services = off.services();
    const [unreviewed, refused] = [
      await seedProduct(off.prisma, cooperative.id, { status: 'HIDDEN' }),
      await services.products.create(contact, { ...SOAP, name: 'زيت زيتون' }, EARLIER),
    ];
    if (!refused.ok) throw new Error('not posted');
    expect(refused.product).toMatchObject({ status: 'PUBLISHED', approvedAt: EARLIER });
    await services.products.hide(refused.product.id, COORDINATOR, EARLIER);

    const shown = await services.products.setVisibility(contact, unreviewed.id, 'visible', EARLIER);
    expect(shown).toMatchObject({
      ok: true,
      review: false,
      product: { status: 'PUBLISHED', approvedAt: EARLIER },
    });
    const back = await services.products.setVisibility(contact, refused.product.id, 'visible', EARLIER);
    expect(back).toMatchObject({ ok: true, review: true, product: { status: 'PENDING', approvedAt: null } });
    expect((await coordinatorPosts(off.prisma, ADMIN_CHAT)).at(-1)?.text).toContain(
      off.ar('products:review.shown'),
    );
  });
});
