-- AlterTable
ALTER TABLE "Vendor" ADD COLUMN     "autoSendClaims" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "claimIntervalDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "maxClaims" INTEGER NOT NULL DEFAULT 3;

-- CreateTable
CREATE TABLE "Subscription" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubscriptionPattern" (
    "id" SERIAL NOT NULL,
    "subscriptionId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "caption" TEXT NOT NULL,
    "firstIssue" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SubscriptionPattern_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SerialIssue" (
    "id" SERIAL NOT NULL,
    "subscriptionId" INTEGER NOT NULL,
    "patternId" INTEGER,
    "sequence" INTEGER,
    "values" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "publicationDate" TEXT NOT NULL,
    "expectedDate" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'expected',
    "combinedIntoId" INTEGER,
    "receivedAt" TIMESTAMP(3),
    "itemId" INTEGER,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SerialIssue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SerialClaimBatch" (
    "id" SERIAL NOT NULL,
    "vendorId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "channel" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3),
    "messageId" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SerialClaimBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SerialClaim" (
    "id" SERIAL NOT NULL,
    "issueId" INTEGER NOT NULL,
    "vendorId" INTEGER NOT NULL,
    "batchId" INTEGER,
    "claimNumber" INTEGER NOT NULL,
    "claimedOn" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "sentAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SerialClaim_pkey" PRIMARY KEY ("id")
);

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

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_bibRecordId_fkey" FOREIGN KEY ("bibRecordId") REFERENCES "BibRecord"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "ShelvingLocation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubscriptionPattern" ADD CONSTRAINT "SubscriptionPattern_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SerialIssue" ADD CONSTRAINT "SerialIssue_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SerialIssue" ADD CONSTRAINT "SerialIssue_patternId_fkey" FOREIGN KEY ("patternId") REFERENCES "SubscriptionPattern"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SerialIssue" ADD CONSTRAINT "SerialIssue_combinedIntoId_fkey" FOREIGN KEY ("combinedIntoId") REFERENCES "SerialIssue"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SerialIssue" ADD CONSTRAINT "SerialIssue_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SerialClaimBatch" ADD CONSTRAINT "SerialClaimBatch_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SerialClaim" ADD CONSTRAINT "SerialClaim_issueId_fkey" FOREIGN KEY ("issueId") REFERENCES "SerialIssue"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SerialClaim" ADD CONSTRAINT "SerialClaim_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SerialClaim" ADD CONSTRAINT "SerialClaim_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "SerialClaimBatch"("id") ON DELETE SET NULL ON UPDATE CASCADE;
