import type { DbProvider } from '../db/url.js';
import type { DbClient } from '../services/db.js';

/** What the index needs of a product: its id and the fields from `productSearchFields`. */
export interface IndexedProduct {
  id: string;
  searchName: string;
  searchText: string;
}

/**
 * Keeps the SQLite FTS5 table "ProductSearch" in step with a product, on the same client (so in the
 * same transaction as the change). PostgreSQL indexes the columns themselves (pg_trgm): nothing to do.
 */
export async function indexProduct(
  db: DbClient,
  provider: DbProvider,
  product: IndexedProduct,
): Promise<void> {
  if (provider !== 'sqlite') return;
  await db.$executeRaw`DELETE FROM "ProductSearch" WHERE "productId" = ${product.id}`;
  await db.$executeRaw`INSERT INTO "ProductSearch" ("productId", "name", "body")
    VALUES (${product.id}, ${product.searchName}, ${product.searchText})`;
}

/** Removes a deleted product from the SQLite FTS5 table. */
export async function unindexProduct(db: DbClient, provider: DbProvider, productId: string): Promise<void> {
  if (provider !== 'sqlite') return;
  await db.$executeRaw`DELETE FROM "ProductSearch" WHERE "productId" = ${productId}`;
}
