-- CreateTable
CREATE TABLE "CirculationRule" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "branchCode" TEXT NOT NULL DEFAULT '*',
    "patronCategoryCode" TEXT NOT NULL DEFAULT '*',
    "itemTypeCode" TEXT NOT NULL DEFAULT '*',
    "loanPeriod" INTEGER NOT NULL DEFAULT 21,
    "loanPeriodUnit" TEXT NOT NULL DEFAULT 'days',
    "renewalsAllowed" INTEGER NOT NULL DEFAULT 2,
    "finePerPeriod" DECIMAL NOT NULL DEFAULT 0,
    "fineCap" DECIMAL,
    "maxItems" INTEGER,
    "holdsAllowed" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ClosedDay" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "branchCode" TEXT NOT NULL,
    "date" DATETIME NOT NULL,
    "reason" TEXT
);

-- CreateTable
CREATE TABLE "ClosedWeekday" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "branchCode" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Loan" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "itemId" INTEGER NOT NULL,
    "patronId" INTEGER NOT NULL,
    "branchCode" TEXT NOT NULL,
    "checkedOutAt" DATETIME NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "renewals" INTEGER NOT NULL DEFAULT 0,
    "returnedAt" DATETIME,
    "returnBranch" TEXT,
    "checkoutBy" TEXT,
    "checkinBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Loan_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Loan_patronId_fkey" FOREIGN KEY ("patronId") REFERENCES "Patron" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Hold" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "patronId" INTEGER NOT NULL,
    "recordId" INTEGER NOT NULL,
    "itemId" INTEGER,
    "pickupBranch" TEXT NOT NULL,
    "placedAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "capturedItemId" INTEGER,
    "capturedAt" DATETIME,
    "expiresAt" DATETIME,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Hold_patronId_fkey" FOREIGN KEY ("patronId") REFERENCES "Patron" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Hold_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "BibRecord" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Hold_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Hold_capturedItemId_fkey" FOREIGN KEY ("capturedItemId") REFERENCES "Item" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Transit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "itemId" INTEGER NOT NULL,
    "fromBranch" TEXT NOT NULL,
    "toBranch" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "holdId" INTEGER,
    "sentAt" DATETIME NOT NULL,
    "receivedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Transit_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Fee" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "patronId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "amount" DECIMAL NOT NULL,
    "outstanding" DECIMAL NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "description" TEXT,
    "itemId" INTEGER,
    "loanId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    CONSTRAINT "Fee_patronId_fkey" FOREIGN KEY ("patronId") REFERENCES "Patron" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "patronId" INTEGER NOT NULL,
    "amount" DECIMAL NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "paymentType" TEXT NOT NULL,
    "transactionId" TEXT,
    "feeId" INTEGER,
    "device" TEXT,
    "at" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Payment_patronId_fkey" FOREIGN KEY ("patronId") REFERENCES "Patron" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CirculationLogEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "account" TEXT,
    "device" TEXT,
    "clientAddr" TEXT,
    "messageId" TEXT NOT NULL,
    "request" TEXT NOT NULL,
    "response" TEXT,
    "outcome" TEXT NOT NULL,
    "ms" INTEGER
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
