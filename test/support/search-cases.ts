import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbProvider } from '../../src/db/client.js';
import { type ProductSearchOptions, searchProducts } from '../../src/search/product-search.js';
import { seedCooperative } from './cooperatives.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { type SeedProductFields, seedProduct } from './products.js';

/**
 * One catalogue and one table of queries that product search must answer the same way on SQLite
 * (FTS5) and PostgreSQL (pg_trgm): spelling variants, harakat, tatweel, the article, Arabic-Indic
 * digits, name matches before description matches, and what buyers must never see.
 */

const COOPERATIVES = {
  gaza: { name: 'جمعية نساء بيت حانون', governorate: 'north-gaza', status: 'APPROVED' },
  nablus: { name: 'جمعية سيدات نابلس', governorate: 'nablus', status: 'APPROVED' },
  pending: { name: 'جمعية تنتظر الموافقة', governorate: 'hebron', status: 'PENDING' },
  suspended: { name: 'جمعية موقوفة', governorate: 'jenin', status: 'SUSPENDED' },
} as const;
type CooperativeKey = keyof typeof COOPERATIVES;

interface CatalogueProduct extends Partial<SeedProductFields> {
  cooperative: CooperativeKey;
}

/** The products, by a short key the cases name. */
const PRODUCTS = {
  oil: { cooperative: 'gaza', name: 'زيت زيتون بلدي', description: 'عصرة أولى من كروم بيت حانون' },
  zaatar: {
    cooperative: 'gaza',
    name: 'زعتر بلدي مطحون',
    description: 'زعتر مع سمسم محمص، يؤكل مع زيت الزيتون',
  },
  soap: {
    cooperative: 'nablus',
    name: 'صابون زيت الزيتون النابلسي',
    description: 'صابون تقليدي مصنوع يدويًا',
    category: 'cosmetics',
  },
  maftoul: { cooperative: 'gaza', name: 'مفتول يدوي', description: 'مفتول فلسطيني من القمح البلدي' },
  thobe: {
    cooperative: 'nablus',
    name: 'ثوب مطرّز بالتطريز الفلاحي',
    description: 'ثوب أسود بغرزة الصليب',
    category: 'embroidery',
    unit: 'piece',
  },
  cheese: {
    cooperative: 'gaza',
    name: 'جبنة بيضاء',
    description: 'جبنة غنم مغلية',
    category: 'dairy',
    unit: 'kg',
  },
  figJam: { cooperative: 'nablus', name: 'مربى التين', description: 'تين من جنين بسكر قليل', unit: 'jar' },
  makdous: { cooperative: 'nablus', name: 'مكدوس باذنجان ١٢ حبة', description: null, unit: 'jar' },
  jug: {
    cooperative: 'gaza',
    name: 'إبريق فخّار',
    description: 'فخار مشغول باليد',
    category: 'crafts',
    unit: 'piece',
  },
  hiddenOil: { cooperative: 'gaza', name: 'زيت زيتون مخفي', description: null, status: 'HIDDEN' },
  pendingOil: { cooperative: 'gaza', name: 'زيت زيتون ينتظر المراجعة', description: null, status: 'PENDING' },
  pendingCoopOil: { cooperative: 'pending', name: 'زيت زيتون من جمعية جديدة', description: null },
  suspendedCoopSoap: { cooperative: 'suspended', name: 'صابون زيت موقوف', description: null },
} satisfies Record<string, CatalogueProduct>;
export type ProductKey = keyof typeof PRODUCTS;

/** One query, its filters (by cooperative key), and the products it finds, best first. */
export interface SearchCase {
  query: string;
  filters?: Omit<ProductSearchOptions, 'window' | 'cooperativeId'> & { cooperative?: CooperativeKey };
  expected: ProductKey[];
}

export const SEARCH_CASES: SearchCase[] = [
  // Names that hold both words first, the description match last.
  { query: 'زيت الزيتون', expected: ['oil', 'soap', 'zaatar'] },
  { query: 'زيت زيتون', expected: ['oil', 'soap', 'zaatar'] },
  { query: 'زَيْت', expected: ['oil', 'soap', 'zaatar'] },
  { query: 'زيت', expected: ['oil', 'soap', 'zaatar'] },
  { query: 'الزيت', expected: ['oil', 'soap', 'zaatar'] },
  { query: 'زيـــت', expected: ['oil', 'soap', 'zaatar'] },
  { query: 'صابون', expected: ['soap'] },
  { query: 'صابون زيت', expected: ['soap'] },
  // Prepositions say nothing about a product; a place in an adjective still matches.
  { query: 'صابون من نابلس', expected: ['soap'] },
  { query: 'مطرز', expected: ['thobe'] },
  { query: 'مُطَرَّز', expected: ['thobe'] },
  { query: 'تطريز', expected: ['thobe'] },
  { query: 'جبنه', expected: ['cheese'] },
  { query: 'الجبنة البيضا', expected: ['cheese'] },
  { query: 'مربي', expected: ['figJam'] },
  { query: 'مربى', expected: ['figJam'] },
  // A word in the description only.
  { query: 'جنين', expected: ['figJam'] },
  { query: 'قمح', expected: ['maftoul'] },
  // Hamza carriers and Arabic-Indic digits.
  { query: 'ابريق', expected: ['jug'] },
  { query: 'أبريق الفخار', expected: ['jug'] },
  { query: 'مكدوس 12', expected: ['makdous'] },
  { query: '١٢ حبه', expected: ['makdous'] },
  // No product has every word: those with the most words come, nothing unrelated.
  { query: 'مربى تفاح', expected: ['figJam'] },
  { query: 'تين جنين جبنة', expected: ['figJam', 'cheese'] },
  // Nothing at all.
  { query: 'ZAYT', expected: [] },
  { query: 'عسل', expected: [] },
  { query: '؟!…', expected: [] },
  // Filters.
  { query: 'زيت', filters: { category: 'cosmetics' }, expected: ['soap'] },
  { query: 'زيت', filters: { governorate: 'north-gaza' }, expected: ['oil', 'zaatar'] },
  { query: 'زيت', filters: { cooperative: 'nablus' }, expected: ['soap'] },
  { query: 'يدوي', expected: ['maftoul', 'soap'] },
  { query: 'يدوي', filters: { category: 'food', governorate: 'north-gaza' }, expected: ['maftoul'] },
  // Hidden and pending products, and those of cooperatives not approved: buyers never find them,
  // coordinators do when they ask for those statuses (the admin API).
  { query: 'مخفي', expected: [] },
  { query: 'ينتظر المراجعة', expected: [] },
  { query: 'جمعية جديدة', expected: [] },
  { query: 'موقوف', expected: [] },
  { query: 'مخفي', filters: { statuses: ['HIDDEN'] }, expected: ['hiddenOil'] },
  { query: 'ينتظر المراجعة', filters: { statuses: ['PENDING', 'PUBLISHED'] }, expected: ['pendingOil'] },
  { query: 'جمعية جديدة', filters: { cooperativeStatuses: ['PENDING'] }, expected: ['pendingCoopOil'] },
  { query: 'موقوف', filters: { cooperativeStatuses: ['SUSPENDED'] }, expected: ['suspendedCoopSoap'] },
];

/** Products that buyers must never find, whatever they type. */
export const INVISIBLE: ProductKey[] = ['hiddenOil', 'pendingOil', 'pendingCoopOil', 'suspendedCoopSoap'];

/** The seeded catalogue: ids by key. */
export interface SearchCatalogue {
  products: Record<ProductKey, string>;
  cooperatives: Record<CooperativeKey, string>;
}

/** Seeds the catalogue on `prisma` (indexed for `provider`), products in the table's order. */
export async function seedSearchCatalogue(prisma: Db, provider: DbProvider): Promise<SearchCatalogue> {
  const cooperatives = {} as Record<CooperativeKey, string>;
  for (const [key, fields] of Object.entries(COOPERATIVES)) {
    cooperatives[key as CooperativeKey] = (await seedCooperative(prisma, fields)).id;
  }
  const products = {} as Record<ProductKey, string>;
  for (const [key, { cooperative, ...fields }] of Object.entries(PRODUCTS) as [
    ProductKey,
    CatalogueProduct,
  ][]) {
    products[key] = (await seedProduct(prisma, cooperatives[cooperative], fields, provider)).id;
  }
  return { products, cooperatives };
}

/** The search options a case stands for, on a seeded catalogue. */
export function caseOptions(catalogue: SearchCatalogue, testCase: SearchCase): ProductSearchOptions {
  const { cooperative, ...filters } = testCase.filters ?? {};
  return {
    ...filters,
    ...(cooperative ? { cooperativeId: catalogue.cooperatives[cooperative] } : {}),
    window: { take: 50 },
  };
}

/** The table as a suite on one provider: each query finds exactly its products, in order. */
export function defineSearchSuite(provider: DbProvider) {
  describe(`product search on ${provider}`, () => {
    let testDb: TestDatabase;
    let catalogue: SearchCatalogue;
    beforeAll(async () => {
      testDb = await createTestDatabase(provider);
      catalogue = await seedSearchCatalogue(testDb.db.prisma, provider);
    });
    afterAll(() => testDb.cleanup());

    it.each(SEARCH_CASES)('$query $filters → $expected', async (testCase) => {
      const { ids, total } = await searchProducts(
        testDb.db.prisma,
        provider,
        testCase.query,
        caseOptions(catalogue, testCase),
      );
      expect(ids).toEqual(testCase.expected.map((key) => catalogue.products[key]));
      expect(total).toBe(testCase.expected.length);
    });

    it('pages through the ranked results with the same total', async () => {
      const search = (skip: number, take: number) =>
        searchProducts(testDb.db.prisma, provider, 'زيت', { window: { skip, take } });
      const all = (['oil', 'soap', 'zaatar'] as const).map((key) => catalogue.products[key]);
      expect(await search(0, 2)).toEqual({ ids: all.slice(0, 2), total: 3, more: false });
      expect(await search(2, 2)).toEqual({ ids: all.slice(2), total: 3, more: false });
      expect(await search(4, 2)).toEqual({ ids: [], total: 3, more: false });
      expect(await search(0, 0)).toEqual({ ids: [], total: 3, more: false });
    });

    it('ranks at most `max` results and says there are more', async () => {
      const capped = await searchProducts(testDb.db.prisma, provider, 'زيت', { max: 2, window: { take: 5 } });
      expect(capped).toEqual({
        ids: [catalogue.products.oil, catalogue.products.soap],
        total: 2,
        more: true,
      });
    });

    it('takes quotes, SQL and FTS syntax as plain words', async () => {
      for (const query of ['"زيت" OR *', 'زيت\'; DROP TABLE "Product"; --', 'NEAR(زيت صابون)', 'name:زيت']) {
        const { ids } = await searchProducts(testDb.db.prisma, provider, query, { window: { take: 10 } });
        expect(ids.every((id) => Object.values(catalogue.products).includes(id))).toBe(true);
      }
      expect(await testDb.db.prisma.product.count()).toBe(Object.keys(PRODUCTS).length);
    });
  });
}
