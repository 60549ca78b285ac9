-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "deliveredAt" DATETIME;
ALTER TABLE "OutboxMessage" ADD COLUMN "deliveryStatus" TEXT;
ALTER TABLE "OutboxMessage" ADD COLUMN "readAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Product" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cooperativeId" TEXT NOT NULL,
    "createdById" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "category" TEXT NOT NULL,
    "priceMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'ILS',
    "unit" TEXT NOT NULL,
    "availability" TEXT NOT NULL,
    "paymentMethods" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "searchName" TEXT NOT NULL DEFAULT '',
    "searchText" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Product_cooperativeId_fkey" FOREIGN KEY ("cooperativeId") REFERENCES "Cooperative" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Product_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Product" ("availability", "category", "cooperativeId", "createdAt", "createdById", "currency", "description", "id", "name", "paymentMethods", "priceMinor", "searchText", "status", "unit", "updatedAt") SELECT "availability", "category", "cooperativeId", "createdAt", "createdById", "currency", "description", "id", "name", "paymentMethods", "priceMinor", "searchText", "status", "unit", "updatedAt" FROM "Product";
DROP TABLE "Product";
ALTER TABLE "new_Product" RENAME TO "Product";
CREATE INDEX "Product_status_category_idx" ON "Product"("status", "category");
CREATE INDEX "Product_cooperativeId_idx" ON "Product"("cooperativeId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Product search (hand-written, src/search): FTS5 over the normalised name and text, kept in step by
-- the product service in the same transaction as each change. Not an external-content table on
-- "Product": Prisma rebuilds that table when a column changes, which renumbers rowids and drops triggers.
CREATE VIRTUAL TABLE "ProductSearch" USING fts5(
    "productId" UNINDEXED,
    "name",
    "body",
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO "ProductSearch" ("productId", "name", "body") SELECT "id", "searchName", "searchText" FROM "Product";
