import { GOVERNORATES } from '../data/governorates.js';
import type { Prisma } from '../generated/sqlite/client.js';
import { CooperativeStatus, ProductStatus } from '../generated/sqlite/enums.js';
import { CARD_INCLUDE, type ProductWithCard } from '../products/card-query.js';
import { CATEGORIES } from '../products/terms.js';
import { searchProducts } from '../search/product-search.js';
import type { DbClient, PageWindow } from './db.js';
import type { ServiceDeps } from './deps.js';

/** What buyers narrow the catalogue by; every one narrows it. */
export interface CatalogueFilter {
  category?: string;
  /** Governorate slug of the cooperative. */
  governorate?: string;
  cooperativeId?: string;
}

/** What coordinators narrow the list of every product by: words and a status besides the rest. */
export interface ProductListFilter extends CatalogueFilter {
  q?: string;
  status?: ProductStatus;
}

/** Results a coordinator's search ranks at most (buyers' searches rank SEARCH_MAX). */
export const COORDINATOR_SEARCH_MAX = 1000;

/** What buyers may see, everywhere: published products of approved cooperatives. */
export const VISIBLE_PRODUCT = {
  status: 'PUBLISHED',
  cooperative: { status: 'APPROVED' },
} as const satisfies Prisma.ProductWhereInput;

const visibleWhere = (filter: CatalogueFilter): Prisma.ProductWhereInput => ({
  ...VISIBLE_PRODUCT,
  category: filter.category,
  cooperativeId: filter.cooperativeId,
  cooperative: { status: 'APPROVED', governorate: filter.governorate },
});

/** A count per slug, in the order of `order`, leaving out the empty ones. */
function ordered<T extends string>(order: readonly T[], counts: Map<string, number>) {
  return order.flatMap((slug) => {
    const count = counts.get(slug) ?? 0;
    return count > 0 ? [{ slug, count }] : [];
  });
}

/**
 * The catalogue buyers browse and search (DESIGN §9, issue 4): only visible products, with what
 * their cards need; categories and governorates only where there is something to see.
 */
export function createCatalogueService(db: DbClient, deps: ServiceDeps) {
  /** Products with what their cards need, in the order of `ids` (a search's ranking). */
  async function inOrder(ids: string[]): Promise<ProductWithCard[]> {
    const rows = await db.product.findMany({ where: { id: { in: ids } }, include: CARD_INCLUDE });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** A page of the products `where` picks, with what their cards need, newest first; and their count. */
  async function newest(where: Prisma.ProductWhereInput, window: PageWindow) {
    const items = await db.product.findMany({
      where,
      include: CARD_INCLUDE,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: window.skip,
      take: window.take,
    });
    return { items, total: await db.product.count({ where }) };
  }

  return {
    /** A page of visible products, newest first. */
    browse: (filter: CatalogueFilter, window: PageWindow = {}) => newest(visibleWhere(filter), window),

    /**
     * A page of visible products matching `query` (src/search/product-search.ts), best first;
     * `more` when more products match than the search ranks.
     */
    async search(query: string, filter: CatalogueFilter, window: PageWindow = {}) {
      const { ids, total, more } = await searchProducts(db, deps.dbProvider, query, { ...filter, window });
      return { items: await inOrder(ids), total, more };
    },

    /**
     * Every product, whatever its status or its cooperative's, for coordinators (the admin API):
     * newest first, or best first when `q` searches (at most COORDINATOR_SEARCH_MAX of them).
     */
    async list(filter: ProductListFilter, window: PageWindow = {}) {
      const { q, status, ...narrow } = filter;
      if (q) {
        const { ids, total } = await searchProducts(db, deps.dbProvider, q, {
          ...narrow,
          statuses: status ? [status] : Object.values(ProductStatus),
          cooperativeStatuses: Object.values(CooperativeStatus),
          max: COORDINATOR_SEARCH_MAX,
          window,
        });
        return { items: await inOrder(ids), total };
      }
      const where: Prisma.ProductWhereInput = {
        status,
        category: narrow.category,
        cooperativeId: narrow.cooperativeId,
        ...(narrow.governorate ? { cooperative: { governorate: narrow.governorate } } : {}),
      };
      return newest(where, window);
    },

    /** One product as buyers see it, or null when it is not (or no longer) visible. */
    card: (productId: string): Promise<ProductWithCard | null> =>
      db.product.findFirst({ where: { id: productId, ...VISIBLE_PRODUCT }, include: CARD_INCLUDE }),

    /** Categories with visible products, in the vocabulary's order, with how many each has. */
    async categories(): Promise<{ slug: string; count: number }[]> {
      const groups = await db.product.groupBy({
        by: ['category'],
        where: VISIBLE_PRODUCT,
        _count: { _all: true },
      });
      return ordered(CATEGORIES, new Map(groups.map((g) => [g.category, g._count._all])));
    },

    /** Governorates with visible products (in `category`, when given), in display order, with counts. */
    async governorates(category?: string): Promise<{ slug: string; count: number }[]> {
      const groups = await db.product.groupBy({
        by: ['cooperativeId'],
        where: visibleWhere({ category }),
        _count: { _all: true },
      });
      const cooperatives = await db.cooperative.findMany({
        where: { id: { in: groups.map((g) => g.cooperativeId) } },
        select: { id: true, governorate: true },
      });
      const governorateOf = new Map(cooperatives.map((c) => [c.id, c.governorate]));
      const counts = new Map<string, number>();
      for (const group of groups) {
        const slug = governorateOf.get(group.cooperativeId);
        if (slug) counts.set(slug, (counts.get(slug) ?? 0) + group._count._all);
      }
      return ordered(
        GOVERNORATES.map((g) => g.slug),
        counts,
      );
    },

    /** An approved cooperative's name, for the heading of "more from this cooperative". */
    async cooperativeName(cooperativeId: string): Promise<string | null> {
      const cooperative = await db.cooperative.findFirst({
        where: { id: cooperativeId, status: 'APPROVED' },
        select: { name: true },
      });
      return cooperative?.name ?? null;
    },
  };
}

export type CatalogueService = ReturnType<typeof createCatalogueService>;
