import { describe, expect, it } from 'vitest';
import type { Product } from '../../src/generated/sqlite/client.js';
import { formatPrice } from '../../src/i18n/format.js';
import { seedCooperative } from '../support/cooperatives.js';
import { labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { onboardMember } from '../support/onboarding.js';
import { seedProduct } from '../support/products.js';

const h = useEngineHarness();

const counted = (label: string, n: number) => h.ar('catalogue:browse.counted', { label, n });
const category = (slug: string, n: number) => counted(h.ar(`products:categories.${slug}`), n);
const choice = (p: Product) =>
  h.ar('catalogue:list.choice', { name: p.name, price: formatPrice(p.priceMinor, p.currency, 'ar') });
const nav = () => [h.ar('engine:nav.back'), h.ar('engine:nav.menu')];

/** Two approved cooperatives, seven food products in Gaza, one in Nablus, cheese; and what buyers never see. */
async function seedCatalogue() {
  const gaza = await seedCooperative(h.prisma, { name: 'جمعية نساء بيت حانون', governorate: 'north-gaza' });
  const nablus = await seedCooperative(h.prisma, {
    name: 'جمعية سيدات نابلس',
    governorate: 'nablus',
    publishContact: true,
    contactPhone: '+970599123456',
  });
  const pending = await seedCooperative(h.prisma, { name: 'جمعية جديدة', status: 'PENDING' });
  const gazaFood: Product[] = [];
  for (const [i, name] of [
    'زيت زيتون بلدي',
    'زعتر بلدي',
    'مفتول يدوي',
    'فريكة',
    'دبس خروب',
    'مربى التين',
    'مكدوس',
  ].entries()) {
    gazaFood.push(await seedProduct(h.prisma, gaza.id, { name, priceMinor: 1000 + i * 100 }));
  }
  const soap = await seedProduct(h.prisma, nablus.id, {
    name: 'صابون زيت الزيتون',
    priceMinor: 1250,
    currency: 'USD',
  });
  const cheese = await seedProduct(h.prisma, nablus.id, {
    name: 'جبنة نابلسية',
    category: 'dairy',
    unit: 'kg',
  });
  await seedProduct(h.prisma, gaza.id, { name: 'زيت مخفي', status: 'HIDDEN' });
  await seedProduct(h.prisma, gaza.id, { name: 'زيت ينتظر', status: 'PENDING' });
  await seedProduct(h.prisma, pending.id, { name: 'زيت جمعية جديدة' });
  // Newest first: seedProduct stamps createdAt now, so order them explicitly.
  const all = [...gazaFood, soap, cheese];
  for (const [i, p] of all.entries()) {
    await h.prisma.product.update({
      where: { id: p.id },
      data: { createdAt: new Date(Date.UTC(2026, 0, 1 + i)) },
    });
  }
  return { gaza, nablus, gazaFood, soap, cheese };
}

describe('the product catalogue', () => {
  it('browses a category, a governorate and its pages, opens a card with its photo and goes back', async () => {
    const { gaza, gazaFood } = await seedCatalogue();
    const media = await h.prisma.media.create({
      data: { sha256: 'a'.repeat(64), mime: 'image/jpeg', size: 1234, path: 'aa/photo.jpg' },
    });
    const oil = gazaFood[0] as Product;
    await h.prisma.productMedia.create({ data: { productId: oil.id, mediaId: media.id, position: 0 } });

    const menu = await onboardMember(h, 'b1');
    expect(labelsOf(menu)).toContain(h.ar('catalogue:menu.catalogue'));

    const categories = await h.press('b1', h.ar('catalogue:menu.catalogue'));
    expect(textOf(categories)).toContain(h.ar('catalogue:browse.categories'));
    expect(labelsOf(categories)).toEqual([
      category('food', 8),
      category('dairy', 1),
      h.ar('catalogue:search.button'),
      h.ar('engine:nav.menu'),
    ]);

    const governorates = await h.press('b1', category('food', 8));
    expect(labelsOf(governorates)).toEqual([
      counted(h.ar('catalogue:browse.allGovernorates'), 8),
      counted('شمال غزة', 7),
      counted('نابلس', 1),
      ...nav(),
    ]);

    const page1 = await h.press('b1', counted('شمال غزة', 7));
    const newestFirst = [...gazaFood].reverse();
    expect(textOf(page1)).toContain(
      h.ar('catalogue:list.category', {
        category: h.ar('products:categories.food'),
        where: 'شمال غزة',
        count: 7,
      }),
    );
    expect(textOf(page1)).toContain(h.ar('funding:paging.page', { page: 1, pages: 2 }));
    expect(labelsOf(page1)).toEqual([
      ...newestFirst.slice(0, 5).map(choice),
      h.ar('funding:paging.next'),
      ...nav(),
    ]);

    const page2 = await h.press('b1', h.ar('funding:paging.next'));
    expect(textOf(page2)).toContain(h.ar('funding:paging.page', { page: 2, pages: 2 }));
    expect(labelsOf(page2)).toEqual([
      ...newestFirst.slice(5).map(choice),
      h.ar('funding:paging.previous'),
      h.ar('engine:nav.menu'),
    ]);

    const card = await h.press('b1', choice(oil));
    const [message] = card;
    expect(message?.photo).toEqual({ kind: 'stored', mediaId: media.id });
    expect(message?.text).toContain(oil.name);
    expect(message?.text).toContain(formatPrice(oil.priceMinor, 'ILS', 'ar'));
    expect(message?.text).toContain(gaza.name);
    expect(message?.text).toContain('شمال غزة');
    expect(message?.text).not.toContain('+970');
    expect(labelsOf(card)).toEqual([h.ar('catalogue:card.contact'), h.ar('catalogue:card.more'), ...nav()]);

    const back = await h.press('b1', h.ar('engine:nav.back'));
    expect(textOf(back)).toContain(h.ar('funding:paging.page', { page: 2, pages: 2 }));
    expect(labelsOf(back)).toContain(choice(oil));
  });

  it('shows more from the cooperative, and its phone only when it chose to publish one', async () => {
    const { nablus, soap, cheese } = await seedCatalogue();
    await onboardMember(h, 'b1');
    await h.press('b1', h.ar('catalogue:menu.catalogue'));
    await h.press('b1', category('dairy', 1));
    await h.press('b1', counted(h.ar('catalogue:browse.allGovernorates'), 1));
    const card = await h.press('b1', choice(cheese));
    expect(textOf(card)).toContain('+970599123456');

    const more = await h.press('b1', h.ar('catalogue:card.more'));
    expect(textOf(more)).toContain(h.ar('catalogue:list.cooperative', { name: nablus.name, count: 2 }));
    expect(labelsOf(more)).toEqual([choice(cheese), choice(soap), h.ar('engine:nav.menu')]);
    const soapCard = await h.press('b1', choice(soap));
    expect(textOf(soapCard)).toContain(formatPrice(1250, 'USD', 'ar'));
  });

  it('searches by words in any spelling, and suggests the categories when nothing matches', async () => {
    const { gazaFood, soap } = await seedCatalogue();
    await onboardMember(h, 'b1');
    await h.press('b1', h.ar('catalogue:menu.catalogue'));
    const ask = await h.press('b1', h.ar('catalogue:search.button'));
    expect(textOf(ask)).toContain(h.ar('catalogue:search.prompt'));

    const found = await h.send('b1', 'زَيْت الزّيتون');
    const oil = gazaFood[0] as Product;
    expect(textOf(found)).toContain(h.ar('catalogue:list.search', { query: 'زَيْت الزّيتون', count: 2 }));
    expect(labelsOf(found)).toEqual([choice(oil), choice(soap), ...nav()]);
    expect(textOf(found)).not.toContain('مخفي');

    await h.press('b1', h.ar('engine:nav.back'));
    const none = await h.send('b1', 'شوكولاتة');
    expect(textOf(none)).toContain(h.ar('catalogue:search.none', { query: 'شوكولاتة' }));
    expect(labelsOf(none)).toEqual([category('food', 8), category('dairy', 1), ...nav()]);
    expect((await h.conversationOf('b1'))?.step).toBe('search');

    const fromSuggestion = await h.press('b1', category('dairy', 1));
    expect(textOf(fromSuggestion)).toContain(
      h.ar('catalogue:browse.governorates', { category: h.ar('products:categories.dairy') }),
    );
  });

  it('says so when a product was hidden while the buyer looked at it', async () => {
    const { gazaFood } = await seedCatalogue();
    await onboardMember(h, 'b1');
    await h.press('b1', h.ar('catalogue:menu.catalogue'));
    await h.press('b1', h.ar('catalogue:search.button'));
    await h.send('b1', 'مكدوس');
    const makdous = gazaFood[6] as Product;
    await h.press('b1', choice(makdous));
    await h.prisma.product.update({ where: { id: makdous.id }, data: { status: 'HIDDEN' } });
    const gone = await h.press('b1', h.ar('catalogue:card.contact'));
    expect(textOf(gone)).toContain(h.ar('catalogue:card.gone'));
    expect(textOf(gone)).toContain(h.ar('catalogue:browse.categories'));
    expect(await h.prisma.buyerInquiry.count()).toBe(0);
  });

  it('has nothing to show while the catalogue is empty', async () => {
    await onboardMember(h, 'b1');
    const empty = await h.press('b1', h.ar('catalogue:menu.catalogue'));
    expect(textOf(empty)).toContain(h.ar('catalogue:browse.empty'));
    const none = await h.press('b1', h.ar('catalogue:search.button'));
    expect(labelsOf(none)).toEqual(nav());
    const nothing = await h.send('b1', 'زيت');
    expect(textOf(nothing)).toContain(h.ar('catalogue:search.noneAtAll', { query: 'زيت' }));
  });
});
