-- CreateTable
CREATE TABLE "Subscription" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "issn" TEXT,
    "bibRecordId" INTEGER,
    "vendorId" INTEGER,
    "vendorReference" TEXT,
    "vendorAccount" TEXT,
    "branchId" INTEGER NOT NULL,
    "locationId" INTEGER,
    "startDate" TEXT NOT NULL,
    "endDate" TEXT,
    "expectedOffsetDays" INTEGER NOT NULL DEFAULT 0,
    "graceDays" INTEGER,
    "routingNotes" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Subscription_bibRecordId_fkey" FOREIGN KEY ("bibRecordId") REFERENCES "BibRecord" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Subscription_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Subscription_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Subscription_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "ShelvingLocation" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SubscriptionPattern" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "subscriptionId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "caption" TEXT NOT NULL,
    "firstIssue" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SubscriptionPattern_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SerialIssue" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "subscriptionId" INTEGER NOT NULL,
    "patternId" INTEGER,
    "sequence" INTEGER,
    "values" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "publicationDate" TEXT NOT NULL,
    "expectedDate" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'expected',
    "combinedIntoId" INTEGER,
    "receivedAt" DATETIME,
    "itemId" INTEGER,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SerialIssue_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "SerialIssue_patternId_fkey" FOREIGN KEY ("patternId") REFERENCES "SubscriptionPattern" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "SerialIssue_combinedIntoId_fkey" FOREIGN KEY ("combinedIntoId") REFERENCES "SerialIssue" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "SerialIssue_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SerialClaimBatch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "vendorId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "channel" TEXT NOT NULL,
    "sentAt" DATETIME,
    "messageId" TEXT,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SerialClaimBatch_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SerialClaim" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "issueId" INTEGER NOT NULL,
    "vendorId" INTEGER NOT NULL,
    "batchId" INTEGER,
    "claimNumber" INTEGER NOT NULL,
    "claimedOn" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "sentAt" DATETIME,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SerialClaim_issueId_fkey" FOREIGN KEY ("issueId") REFERENCES "SerialIssue" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "SerialClaim_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "SerialClaim_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "SerialClaimBatch" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Vendor" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "san" TEXT,
    "ean" TEXT,
    "accountNumbers" TEXT NOT NULL DEFAULT '[]',
    "email" TEXT,
    "claimsEmail" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "priceTolerancePercent" DECIMAL NOT NULL DEFAULT 0,
    "priceToleranceAmount" DECIMAL NOT NULL DEFAULT 0,
    "marcMapping" TEXT,
    "marcMatchPoints" TEXT,
    "claimIntervalDays" INTEGER NOT NULL DEFAULT 30,
    "maxClaims" INTEGER NOT NULL DEFAULT 3,
    "autoSendClaims" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "notes" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Vendor" ("accountNumbers", "active", "claimsEmail", "code", "createdAt", "currency", "ean", "email", "id", "marcMapping", "marcMatchPoints", "name", "notes", "priceToleranceAmount", "priceTolerancePercent", "san", "updatedAt") SELECT "accountNumbers", "active", "claimsEmail", "code", "createdAt", "currency", "ean", "email", "id", "marcMapping", "marcMatchPoints", "name", "notes", "priceToleranceAmount", "priceTolerancePercent", "san", "updatedAt" FROM "Vendor";
DROP TABLE "Vendor";
ALTER TABLE "new_Vendor" RENAME TO "Vendor";
CREATE UNIQUE INDEX "Vendor_code_key" ON "Vendor"("code");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Subscription_vendorId_idx" ON "Subscription"("vendorId");

-- CreateIndex
CREATE INDEX "SubscriptionPattern_subscriptionId_idx" ON "SubscriptionPattern"("subscriptionId");

-- CreateIndex
CREATE INDEX "SerialIssue_status_expectedDate_idx" ON "SerialIssue"("status", "expectedDate");

-- CreateIndex
CREATE INDEX "SerialIssue_subscriptionId_publicationDate_idx" ON "SerialIssue"("subscriptionId", "publicationDate");

-- CreateIndex
CREATE UNIQUE INDEX "SerialIssue_patternId_sequence_key" ON "SerialIssue"("patternId", "sequence");

-- CreateIndex
CREATE INDEX "SerialClaimBatch_vendorId_idx" ON "SerialClaimBatch"("vendorId");

-- CreateIndex
CREATE INDEX "SerialClaim_vendorId_status_idx" ON "SerialClaim"("vendorId", "status");

-- CreateIndex
CREATE INDEX "SerialClaim_batchId_idx" ON "SerialClaim"("batchId");

-- CreateIndex
CREATE UNIQUE INDEX "SerialClaim_issueId_claimNumber_key" ON "SerialClaim"("issueId", "claimNumber");
