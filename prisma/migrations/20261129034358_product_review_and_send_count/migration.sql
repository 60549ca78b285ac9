-- AlterTable
ALTER TABLE "Product" ADD COLUMN "approvedAt" DATETIME;
ALTER TABLE "Product" ADD COLUMN "refusedAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ChannelState" (
    "channel" TEXT NOT NULL PRIMARY KEY,
    "pausedUntil" DATETIME,
    "reason" TEXT,
    "sentCount" INTEGER NOT NULL DEFAULT 0,
    "countedFrom" DATETIME,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ChannelState" ("channel", "pausedUntil", "reason", "updatedAt") SELECT "channel", "pausedUntil", "reason", "updatedAt" FROM "ChannelState";
DROP TABLE "ChannelState";
ALTER TABLE "new_ChannelState" RENAME TO "ChannelState";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
