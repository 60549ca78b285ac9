import { describe, expect, it } from 'vitest';
import { useAdminApp } from '../support/admin-api.js';
import { seedCooperative } from '../support/cooperatives.js';
import { seedProduct } from '../support/products.js';

describe('products through the admin API', () => {
  const { prisma, get, post, api } = useAdminApp();

  /** Four products of every status, oldest first, in a cooperative approved in Gaza and one pending in Nablus. */
  async function seed() {
    // The app (and its database) lives for the whole file: each test starts from no products.
    await prisma().product.deleteMany();
    await prisma().cooperative.deleteMany();
    await prisma().$executeRaw`DELETE FROM "ProductSearch"`;
    const gaza = await seedCooperative(prisma(), { name: 'جمعية نساء بيت حانون', governorate: 'north-gaza' });
    const nablus = await seedCooperative(prisma(), {
      name: 'جمعية سيدات نابلس',
      governorate: 'nablus',
      status: 'PENDING',
    });
    const oil = await seedProduct(prisma(), gaza.id, { name: 'زيت زيتون بلدي', priceMinor: 2550 });
    const zaatar = await seedProduct(prisma(), gaza.id, { name: 'زعتر بلدي', status: 'PENDING' });
    const soap = await seedProduct(prisma(), gaza.id, {
      name: 'صابون زيت الزيتون',
      category: 'cosmetics',
      status: 'HIDDEN',
    });
    const cheese = await seedProduct(prisma(), nablus.id, {
      name: 'جبنة نابلسية',
      category: 'dairy',
      priceMinor: 5250,
      currency: 'JOD',
      unit: 'kg',
    });
    for (const [i, p] of [oil, zaatar, soap, cheese].entries()) {
      await prisma().product.update({
        where: { id: p.id },
        data: { createdAt: new Date(Date.UTC(2026, 0, 1 + i)) },
      });
    }
    return { gaza, nablus, oil, zaatar, soap, cheese };
  }

  const ids = (body: { items: { id: string }[] }) => body.items.map((p) => p.id);

  it('lists every product, filtered by words, category, governorate, cooperative and status', async () => {
    const { gaza, oil, zaatar, soap, cheese } = await seed();

    const all = await get('/products');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 4, page: 1, pageSize: 20 });
    expect(ids(all.body)).toEqual([cheese.id, soap.id, zaatar.id, oil.id]);
    expect(all.body.items[0]).toMatchObject({
      name: 'جبنة نابلسية',
      category: 'dairy',
      priceMinor: 5250,
      currency: 'JOD',
      status: 'PUBLISHED',
      photoMediaId: null,
      cooperative: { name: 'جمعية سيدات نابلس', governorate: 'nablus', status: 'PENDING' },
    });

    const cases: [string, string[]][] = [
      ['?status=PENDING', [zaatar.id]],
      ['?category=dairy', [cheese.id]],
      ['?governorate=nablus', [cheese.id]],
      [`?cooperative=${gaza.id}`, [soap.id, zaatar.id, oil.id]],
      [`?q=${encodeURIComponent('الزيت')}`, [oil.id, soap.id]],
      [`?q=${encodeURIComponent('زَيت')}&status=HIDDEN`, [soap.id]],
      [`?q=${encodeURIComponent('بلدى')}&category=food`, [zaatar.id, oil.id]],
      [`?q=${encodeURIComponent('شوكولاتة')}`, []],
      ['?pageSize=2&page=2', [zaatar.id, oil.id]],
    ];
    for (const [query, expected] of cases) {
      const res = await get(`/products${query}`);
      expect(res.status, query).toBe(200);
      expect(ids(res.body), query).toEqual(expected);
    }

    const bad = await get('/products?status=BOGUS');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('exports the products as UTF-8 CSV with a BOM, Arabic intact', async () => {
    const { oil, cheese } = await seed();
    const res = await get('/products?format=csv&governorate=north-gaza&category=food&status=PUBLISHED');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('products.csv');
    const text = res.text;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trim().split('\n');
    expect(lines).toEqual([
      'id,name,category,price,currency,unit,availability,status,cooperative,governorate,createdAt',
      `${oil.id},زيت زيتون بلدي,food,25.50,ILS,litre,available,PUBLISHED,جمعية نساء بيت حانون,north-gaza,2026-01-01T00:00:00.000Z`,
    ]);

    const dinar = await get(`/products?format=csv&q=${encodeURIComponent('جبنه')}`);
    expect(dinar.text).toContain(`${cheese.id},جبنة نابلسية,dairy,5.250,JOD,kg`);
  });

  it('publishes a pending product and hides a published one, once each, audited', async () => {
    const { oil, zaatar } = await seed();

    const published = await post(`/products/${zaatar.id}/publish`);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ id: zaatar.id, status: 'PUBLISHED' });
    expect(await prisma().product.findUniqueOrThrow({ where: { id: zaatar.id } })).toMatchObject({
      status: 'PUBLISHED',
    });
    const again = await post(`/products/${zaatar.id}/publish`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_handled');

    const hidden = await post(`/products/${oil.id}/hide`);
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ id: oil.id, status: 'HIDDEN' });
    expect((await post(`/products/${oil.id}/hide`)).status).toBe(409);

    expect((await post('/products/nope/publish')).status).toBe(404);
    const audited = await prisma().auditLog.findMany({
      where: { targetType: 'product' },
      orderBy: { at: 'asc' },
    });
    expect(audited.map((a) => [a.targetId, a.actorLabel, a.channel])).toEqual([
      [zaatar.id, 'admin-token:env', 'api'],
      [oil.id, 'admin-token:env', 'api'],
    ]);
  });

  it('answers only with a token', async () => {
    const { zaatar } = await seed();
    for (const res of [
      await api().get('/api/products'),
      await api().get('/api/products?format=csv'),
      await api().post(`/api/products/${zaatar.id}/publish`),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    expect(await prisma().product.findUniqueOrThrow({ where: { id: zaatar.id } })).toMatchObject({
      status: 'PENDING',
    });
  });
});
