-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "searchName" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "deliveredAt" TIMESTAMP(3),
ADD COLUMN     "deliveryStatus" TEXT,
ADD COLUMN     "readAt" TIMESTAMP(3);

-- Product search (hand-written, src/search): trigram indexes over the normalised name and text.
-- The extension lives in "public" so that a schema dropped with CASCADE never takes it along.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX "Product_searchName_trgm_idx" ON "Product" USING gin ("searchName" public.gin_trgm_ops);
CREATE INDEX "Product_searchText_trgm_idx" ON "Product" USING gin ("searchText" public.gin_trgm_ops);
