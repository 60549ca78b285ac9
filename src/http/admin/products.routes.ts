import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { GOVERNORATES } from '../../data/governorates.js';
import { CURRENCY_DIGITS, type Currency } from '../../i18n/format.js';
import type { ProductWithCard } from '../../products/card-query.js';
import { CATEGORIES } from '../../products/terms.js';
import { COORDINATOR_SEARCH_MAX, createCatalogueService } from '../../services/catalogue.js';
import type { DbClient } from '../../services/db.js';
import { createProductService, type ModerationOutcome } from '../../services/products.js';
import { conflict, notFound } from './errors.js';
import {
  type AdminRouteModule,
  fileReply,
  pageWindow,
  paginated,
  paginatedSchema,
  paginationQuery,
} from './routes.js';

const productStatus = z.enum(['PENDING', 'PUBLISHED', 'HIDDEN', 'SOLD_OUT', 'REJECTED']);
const governorate = z.enum(GOVERNORATES.map((g) => g.slug) as [string, ...string[]]);

/** A product as coordinators see it, with its cooperative. */
const productSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  category: z.string(),
  /** Integer minor units of `currency` (agorot, cents, fils). */
  priceMinor: z.number().int(),
  currency: z.enum(['ILS', 'USD', 'JOD']),
  unit: z.string(),
  availability: z.string(),
  paymentMethods: z.array(z.string()),
  status: productStatus,
  /** The media id of its first photo (the one cards show), when it has one. */
  photoMediaId: z.string().nullable(),
  cooperative: z.object({
    id: z.string(),
    name: z.string(),
    governorate: z.string(),
    status: z.enum(['PENDING', 'APPROVED', 'REJECTED', 'SUSPENDED']),
  }),
  createdById: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

const toProduct = (p: ProductWithCard) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  category: p.category,
  priceMinor: p.priceMinor,
  currency: p.currency,
  unit: p.unit,
  availability: p.availability,
  paymentMethods: Array.isArray(p.paymentMethods) ? p.paymentMethods : [],
  status: p.status,
  photoMediaId: p.photos[0]?.mediaId ?? null,
  cooperative: {
    id: p.cooperative.id,
    name: p.cooperative.name,
    governorate: p.cooperative.governorate,
    status: p.cooperative.status,
  },
  createdById: p.createdById,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

const CSV_COLUMNS = [
  'id',
  'name',
  'category',
  'price',
  'currency',
  'unit',
  'availability',
  'status',
  'cooperative',
  'governorate',
  'createdAt',
] as const;

/** "25.50": a price in major units with every digit of its currency's minor unit. */
const majorUnits = (minor: number, currency: Currency) =>
  (minor / 10 ** CURRENCY_DIGITS[currency]).toFixed(CURRENCY_DIGITS[currency]);

/** The CSV export, UTF-8 with a byte order mark so spreadsheet programs read the Arabic right. */
function toCsv(products: ProductWithCard[]): string {
  const rows = products.map((p) => ({
    id: p.id,
    name: p.name,
    category: p.category,
    price: majorUnits(p.priceMinor, p.currency),
    currency: p.currency,
    unit: p.unit,
    availability: p.availability,
    status: p.status,
    cooperative: p.cooperative.name,
    governorate: p.cooperative.governorate,
    createdAt: p.createdAt.toISOString(),
  }));
  return `\uFEFF${stringify(rows, { header: true, columns: [...CSV_COLUMNS] })}`;
}

const listQuery = paginationQuery.extend({
  q: z.string().trim().min(1).max(100).optional(),
  category: z.enum(CATEGORIES).optional(),
  governorate: governorate.optional(),
  cooperative: z.string().max(64).optional(),
  status: productStatus.optional(),
  /** `csv` downloads every matching product (no paging) instead of a JSON page. */
  format: z.enum(['json', 'csv']).default('json'),
});

const idParams = z.object({ id: z.string().max(64) });

/**
 * Products for coordinators: the list (words, category, governorate, cooperative, status), its CSV
 * export, and the moderation decisions through the same service as the coordinators' chat, so the
 * members are told and the decision audited.
 */
export const productRoutes: AdminRouteModule = (api, deps) => {
  const catalogue = (db: DbClient) => createCatalogueService(db, deps.services);
  const products = (db: DbClient) => createProductService(db, deps.services);

  /** A decision's answer: the product after it, or why nothing changed. */
  function decided(outcome: ModerationOutcome) {
    if (outcome.ok) return toProduct(outcome.product);
    if (outcome.error === 'not_found') throw notFound('Product');
    throw conflict(`The product is ${outcome.product?.status ?? 'decided'} already`, 'already_handled');
  }

  api.route({
    method: 'get',
    path: '/products',
    summary: 'List products of every status, newest first (best match first with q)',
    description:
      '`q` searches names and descriptions in any spelling (hamza, harakat, ة/ه, ى/ي, digits) and ranks ' +
      `at most ${COORDINATOR_SEARCH_MAX} matches. \`cooperative\` is a cooperative id. \`format=csv\` ` +
      `downloads every matching product as UTF-8 CSV with a BOM (columns ${CSV_COLUMNS.join(', ')}; ` +
      'price in major units), ignoring page and pageSize.',
    tags: ['products'],
    query: listQuery,
    responses: { 200: paginatedSchema(productSchema) },
    async handler({ query, db }) {
      const { page, pageSize, format, cooperative, ...filter } = query;
      const narrow = { ...filter, cooperativeId: cooperative };
      if (format === 'csv') {
        const { items } = await catalogue(db).list(narrow);
        return fileReply('text/csv; charset=utf-8', 'products.csv', toCsv(items));
      }
      const { items, total } = await catalogue(db).list(narrow, pageWindow(query));
      return paginated(items.map(toProduct), total, page, pageSize);
    },
  });

  api.route({
    method: 'post',
    path: '/products/:id/publish',
    summary: 'Publish a product waiting for approval',
    description: 'Its author (or cooperative) is told. 409 `already_handled` when it is not pending.',
    tags: ['products'],
    params: idParams,
    responses: { 200: productSchema },
    handler: ({ params, actor, db, now }) =>
      db.$transaction(async (tx) => decided(await products(tx).publish(params.id, actor, now))),
  });

  api.route({
    method: 'post',
    path: '/products/:id/hide',
    summary: 'Hide a pending or published product from buyers',
    description: 'Its author (or cooperative) is told. 409 `already_handled` when it is hidden already.',
    tags: ['products'],
    params: idParams,
    responses: { 200: productSchema },
    handler: ({ params, actor, db, now }) =>
      db.$transaction(async (tx) => decided(await products(tx).hide(params.id, actor, now))),
  });
};
