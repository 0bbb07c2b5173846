-- CreateTable
CREATE TABLE "CirculationRule" (
    "id" SERIAL NOT NULL,
    "branchCode" TEXT NOT NULL DEFAULT '*',
    "patronCategoryCode" TEXT NOT NULL DEFAULT '*',
    "itemTypeCode" TEXT NOT NULL DEFAULT '*',
    "loanPeriod" INTEGER NOT NULL DEFAULT 21,
    "loanPeriodUnit" TEXT NOT NULL DEFAULT 'days',
    "renewalsAllowed" INTEGER NOT NULL DEFAULT 2,
    "finePerPeriod" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "fineCap" DECIMAL(65,30),
    "maxItems" INTEGER,
    "holdsAllowed" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CirculationRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClosedDay" (
    "id" SERIAL NOT NULL,
    "branchCode" TEXT NOT NULL,
    "date" TIMESTAMP(3) NOT NULL,
    "reason" TEXT,

    CONSTRAINT "ClosedDay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClosedWeekday" (
    "id" SERIAL NOT NULL,
    "branchCode" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL,

    CONSTRAINT "ClosedWeekday_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Loan" (
    "id" SERIAL NOT NULL,
    "itemId" INTEGER NOT NULL,
    "patronId" INTEGER NOT NULL,
    "branchCode" TEXT NOT NULL,
    "checkedOutAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "renewals" INTEGER NOT NULL DEFAULT 0,
    "returnedAt" TIMESTAMP(3),
    "returnBranch" TEXT,
    "checkoutBy" TEXT,
    "checkinBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Loan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Hold" (
    "id" SERIAL NOT NULL,
    "patronId" INTEGER NOT NULL,
    "recordId" INTEGER NOT NULL,
    "itemId" INTEGER,
    "pickupBranch" TEXT NOT NULL,
    "placedAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "capturedItemId" INTEGER,
    "capturedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Hold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Transit" (
    "id" SERIAL NOT NULL,
    "itemId" INTEGER NOT NULL,
    "fromBranch" TEXT NOT NULL,
    "toBranch" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "holdId" INTEGER,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Transit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Fee" (
    "id" SERIAL NOT NULL,
    "patronId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "amount" DECIMAL(65,30) NOT NULL,
    "outstanding" DECIMAL(65,30) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "description" TEXT,
    "itemId" INTEGER,
    "loanId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Fee_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" SERIAL NOT NULL,
    "patronId" INTEGER NOT NULL,
    "amount" DECIMAL(65,30) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "paymentType" TEXT NOT NULL,
    "transactionId" TEXT,
    "feeId" INTEGER,
    "device" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CirculationLogEntry" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "account" TEXT,
    "device" TEXT,
    "clientAddr" TEXT,
    "messageId" TEXT NOT NULL,
    "request" TEXT NOT NULL,
    "response" TEXT,
    "outcome" TEXT NOT NULL,
    "ms" INTEGER,

    CONSTRAINT "CirculationLogEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CirculationRule_branchCode_patronCategoryCode_itemTypeCode_key" ON "CirculationRule"("branchCode", "patronCategoryCode", "itemTypeCode");

-- CreateIndex
CREATE UNIQUE INDEX "ClosedDay_branchCode_date_key" ON "ClosedDay"("branchCode", "date");

-- CreateIndex
CREATE UNIQUE INDEX "ClosedWeekday_branchCode_weekday_key" ON "ClosedWeekday"("branchCode", "weekday");

-- CreateIndex
CREATE INDEX "Loan_itemId_returnedAt_idx" ON "Loan"("itemId", "returnedAt");

-- CreateIndex
CREATE INDEX "Loan_patronId_returnedAt_idx" ON "Loan"("patronId", "returnedAt");

-- CreateIndex
CREATE INDEX "Loan_dueAt_idx" ON "Loan"("dueAt");

-- CreateIndex
CREATE INDEX "Hold_recordId_status_placedAt_idx" ON "Hold"("recordId", "status", "placedAt");

-- CreateIndex
CREATE INDEX "Hold_itemId_status_idx" ON "Hold"("itemId", "status");

-- CreateIndex
CREATE INDEX "Hold_patronId_status_idx" ON "Hold"("patronId", "status");

-- CreateIndex
CREATE INDEX "Hold_capturedItemId_status_idx" ON "Hold"("capturedItemId", "status");

-- CreateIndex
CREATE INDEX "Transit_itemId_receivedAt_idx" ON "Transit"("itemId", "receivedAt");

-- CreateIndex
CREATE INDEX "Fee_patronId_closedAt_idx" ON "Fee"("patronId", "closedAt");

-- CreateIndex
CREATE INDEX "Payment_patronId_idx" ON "Payment"("patronId");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_patronId_transactionId_key" ON "Payment"("patronId", "transactionId");

-- CreateIndex
CREATE INDEX "CirculationLogEntry_at_idx" ON "CirculationLogEntry"("at");

-- CreateIndex
CREATE INDEX "CirculationLogEntry_device_at_idx" ON "CirculationLogEntry"("device", "at");

-- AddForeignKey
ALTER TABLE "Loan" ADD CONSTRAINT "Loan_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Loan" ADD CONSTRAINT "Loan_patronId_fkey" FOREIGN KEY ("patronId") REFERENCES "Patron"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hold" ADD CONSTRAINT "Hold_patronId_fkey" FOREIGN KEY ("patronId") REFERENCES "Patron"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hold" ADD CONSTRAINT "Hold_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "BibRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hold" ADD CONSTRAINT "Hold_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hold" ADD CONSTRAINT "Hold_capturedItemId_fkey" FOREIGN KEY ("capturedItemId") REFERENCES "Item"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transit" ADD CONSTRAINT "Transit_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Fee" ADD CONSTRAINT "Fee_patronId_fkey" FOREIGN KEY ("patronId") REFERENCES "Patron"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_patronId_fkey" FOREIGN KEY ("patronId") REFERENCES "Patron"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
