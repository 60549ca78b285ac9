-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "approvedAt" TIMESTAMP(3),
ADD COLUMN     "refusedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ChannelState" ADD COLUMN     "countedFrom" TIMESTAMP(3),
ADD COLUMN     "sentCount" INTEGER NOT NULL DEFAULT 0;
