-- CreateTable
CREATE TABLE "Vendor" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "san" TEXT,
    "ean" TEXT,
    "accountNumbers" TEXT NOT NULL DEFAULT '[]',
    "email" TEXT,
    "claimsEmail" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "priceTolerancePercent" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "priceToleranceAmount" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "marcMapping" TEXT,
    "marcMatchPoints" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Vendor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VendorContact" (
    "id" SERIAL NOT NULL,
    "vendorId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VendorContact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SftpConnector" (
    "id" SERIAL NOT NULL,
    "vendorId" INTEGER NOT NULL,
    "name" TEXT NOT NULL DEFAULT 'default',
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 22,
    "username" TEXT NOT NULL,
    "privateKeyPath" TEXT,
    "passphraseEnv" TEXT,
    "passwordEnv" TEXT,
    "hostKey" TEXT NOT NULL,
    "folders" TEXT NOT NULL,
    "afterDownload" TEXT NOT NULL DEFAULT 'leave',
    "moveTo" TEXT,
    "schedule" TEXT NOT NULL DEFAULT '0 */30 * * * *',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "lastPollAt" TIMESTAMP(3),
    "lastSuccessAt" TIMESTAMP(3),
    "lastErrorAt" TIMESTAMP(3),
    "lastError" TEXT,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "nextRetryAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SftpConnector_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConnectorEvent" (
    "id" SERIAL NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "level" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "remotePath" TEXT,

    CONSTRAINT "ConnectorEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntakeFile" (
    "id" SERIAL NOT NULL,
    "vendorId" INTEGER NOT NULL,
    "connectorId" INTEGER,
    "kind" TEXT NOT NULL,
    "originalName" TEXT NOT NULL,
    "remotePath" TEXT,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storedPath" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'downloaded',
    "quarantineReason" TEXT,
    "warnings" TEXT NOT NULL DEFAULT '[]',
    "messageType" TEXT,
    "documentCount" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "processingStartedAt" TIMESTAMP(3),
    "processedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IntakeFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntakeArrival" (
    "id" SERIAL NOT NULL,
    "vendorId" INTEGER NOT NULL,
    "connectorId" INTEGER,
    "intakeFileId" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "remotePath" TEXT,
    "size" INTEGER NOT NULL,
    "remoteModified" TIMESTAMP(3),
    "outcome" TEXT NOT NULL,
    "remoteAction" TEXT,
    "remoteActionAt" TIMESTAMP(3),
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IntakeArrival_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" SERIAL NOT NULL,
    "vendorId" INTEGER NOT NULL,
    "orderNumber" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "orderedAt" TIMESTAMP(3),
    "intakeFileId" INTEGER,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" SERIAL NOT NULL,
    "orderId" INTEGER NOT NULL,
    "lineReference" TEXT NOT NULL,
    "isbn" TEXT,
    "issn" TEXT,
    "ean" TEXT,
    "vendorReference" TEXT,
    "identifiers" TEXT NOT NULL DEFAULT '[]',
    "title" TEXT,
    "author" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPrice" DECIMAL(65,30),
    "currency" TEXT NOT NULL,
    "fundCode" TEXT,
    "branchCode" TEXT,
    "recordId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'ordered',
    "receivedQuantity" INTEGER NOT NULL DEFAULT 0,
    "invoicedQuantity" INTEGER NOT NULL DEFAULT 0,
    "backOrderedQuantity" INTEGER NOT NULL DEFAULT 0,
    "expectedAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReceivedCopy" (
    "id" SERIAL NOT NULL,
    "vendorId" INTEGER NOT NULL,
    "orderLineId" INTEGER,
    "intakeFileId" INTEGER,
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "barcode" TEXT,
    "itemId" INTEGER,
    "copyData" TEXT,
    "source" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReceivedCopy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invoice" (
    "id" SERIAL NOT NULL,
    "vendorId" INTEGER NOT NULL,
    "invoiceNumber" TEXT NOT NULL,
    "documentCode" TEXT NOT NULL DEFAULT '380',
    "invoiceDate" TIMESTAMP(3),
    "currency" TEXT NOT NULL,
    "statedTotal" DECIMAL(65,30),
    "statedTotalQualifier" TEXT,
    "statedLinesTotal" DECIMAL(65,30),
    "statedTaxTotal" DECIMAL(65,30),
    "charges" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "chargeDetails" TEXT NOT NULL DEFAULT '[]',
    "state" TEXT NOT NULL DEFAULT 'open',
    "headerChecks" TEXT NOT NULL DEFAULT '[]',
    "intakeFileId" INTEGER,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InvoiceLine" (
    "id" SERIAL NOT NULL,
    "invoiceId" INTEGER NOT NULL,
    "lineNumber" INTEGER NOT NULL,
    "lineReference" TEXT,
    "orderNumber" TEXT,
    "isbn" TEXT,
    "vendorReference" TEXT,
    "identifiers" TEXT NOT NULL DEFAULT '[]',
    "title" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPrice" DECIMAL(65,30),
    "grossUnitPrice" DECIMAL(65,30),
    "lineAmount" DECIMAL(65,30),
    "taxAmount" DECIMAL(65,30),
    "taxRate" DECIMAL(65,30),
    "charges" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "orderLineId" INTEGER,
    "verdict" TEXT,
    "verdictDetail" TEXT,
    "decision" TEXT,
    "correctedQuantity" INTEGER,
    "correctedUnitPrice" DECIMAL(65,30),
    "decisionNote" TEXT,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InvoiceLine_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Vendor_code_key" ON "Vendor"("code");

-- CreateIndex
CREATE INDEX "VendorContact_vendorId_idx" ON "VendorContact"("vendorId");

-- CreateIndex
CREATE UNIQUE INDEX "SftpConnector_vendorId_name_key" ON "SftpConnector"("vendorId", "name");

-- CreateIndex
CREATE INDEX "ConnectorEvent_connectorId_at_idx" ON "ConnectorEvent"("connectorId", "at");

-- CreateIndex
CREATE INDEX "IntakeFile_state_idx" ON "IntakeFile"("state");

-- CreateIndex
CREATE INDEX "IntakeFile_vendorId_receivedAt_idx" ON "IntakeFile"("vendorId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "IntakeFile_vendorId_sha256_key" ON "IntakeFile"("vendorId", "sha256");

-- CreateIndex
CREATE INDEX "IntakeArrival_connectorId_remotePath_idx" ON "IntakeArrival"("connectorId", "remotePath");

-- CreateIndex
CREATE INDEX "IntakeArrival_intakeFileId_idx" ON "IntakeArrival"("intakeFileId");

-- CreateIndex
CREATE UNIQUE INDEX "Order_vendorId_orderNumber_key" ON "Order"("vendorId", "orderNumber");

-- CreateIndex
CREATE INDEX "OrderLine_lineReference_idx" ON "OrderLine"("lineReference");

-- CreateIndex
CREATE INDEX "OrderLine_isbn_idx" ON "OrderLine"("isbn");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLine_orderId_lineReference_key" ON "OrderLine"("orderId", "lineReference");

-- CreateIndex
CREATE INDEX "ReceivedCopy_orderLineId_idx" ON "ReceivedCopy"("orderLineId");

-- CreateIndex
CREATE INDEX "ReceivedCopy_barcode_idx" ON "ReceivedCopy"("barcode");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_vendorId_invoiceNumber_key" ON "Invoice"("vendorId", "invoiceNumber");

-- CreateIndex
CREATE INDEX "InvoiceLine_orderLineId_idx" ON "InvoiceLine"("orderLineId");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceLine_invoiceId_lineNumber_key" ON "InvoiceLine"("invoiceId", "lineNumber");

-- AddForeignKey
ALTER TABLE "VendorContact" ADD CONSTRAINT "VendorContact_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SftpConnector" ADD CONSTRAINT "SftpConnector_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectorEvent" ADD CONSTRAINT "ConnectorEvent_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "SftpConnector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntakeFile" ADD CONSTRAINT "IntakeFile_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntakeFile" ADD CONSTRAINT "IntakeFile_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "SftpConnector"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntakeArrival" ADD CONSTRAINT "IntakeArrival_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntakeArrival" ADD CONSTRAINT "IntakeArrival_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "SftpConnector"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntakeArrival" ADD CONSTRAINT "IntakeArrival_intakeFileId_fkey" FOREIGN KEY ("intakeFileId") REFERENCES "IntakeFile"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_intakeFileId_fkey" FOREIGN KEY ("intakeFileId") REFERENCES "IntakeFile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceivedCopy" ADD CONSTRAINT "ReceivedCopy_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceivedCopy" ADD CONSTRAINT "ReceivedCopy_orderLineId_fkey" FOREIGN KEY ("orderLineId") REFERENCES "OrderLine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceivedCopy" ADD CONSTRAINT "ReceivedCopy_intakeFileId_fkey" FOREIGN KEY ("intakeFileId") REFERENCES "IntakeFile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReceivedCopy" ADD CONSTRAINT "ReceivedCopy_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_intakeFileId_fkey" FOREIGN KEY ("intakeFileId") REFERENCES "IntakeFile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_orderLineId_fkey" FOREIGN KEY ("orderLineId") REFERENCES "OrderLine"("id") ON DELETE SET NULL ON UPDATE CASCADE;
