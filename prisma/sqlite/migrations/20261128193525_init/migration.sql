-- CreateTable
CREATE TABLE "Institution" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Branch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "institutionId" INTEGER NOT NULL,
    "address" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Branch_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ShelvingLocation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "branchId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShelvingLocation_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PatronCategory" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "loanLimit" INTEGER,
    "loanPeriodDays" INTEGER,
    "fineLimit" DECIMAL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Patron" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "barcode" TEXT NOT NULL,
    "surname" TEXT NOT NULL,
    "firstname" TEXT,
    "title" TEXT,
    "otherNames" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "address" TEXT,
    "city" TEXT,
    "postcode" TEXT,
    "country" TEXT,
    "dateOfBirth" DATETIME,
    "categoryId" INTEGER NOT NULL,
    "homeBranchId" INTEGER NOT NULL,
    "expiryDate" DATETIME,
    "pinHash" TEXT,
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "blockReason" TEXT,
    "lostCard" BOOLEAN NOT NULL DEFAULT false,
    "goneNoAddress" BOOLEAN NOT NULL DEFAULT false,
    "debarredUntil" DATETIME,
    "notes" TEXT,
    "externalId" TEXT,
    "searchText" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Patron_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "PatronCategory" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Patron_homeBranchId_fkey" FOREIGN KEY ("homeBranchId") REFERENCES "Branch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ItemType" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "BibRecord" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT,
    "author" TEXT,
    "publisher" TEXT,
    "publicationYear" TEXT,
    "isbn" TEXT,
    "issn" TEXT,
    "controlNumber" TEXT,
    "controlNumberIdentifier" TEXT,
    "marcFormat" TEXT NOT NULL,
    "marcEncoding" TEXT NOT NULL,
    "marcRaw" BLOB NOT NULL,
    "contentHash" TEXT NOT NULL,
    "searchText" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "BibIdentifier" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "recordId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    CONSTRAINT "BibIdentifier_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "BibRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Item" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "barcode" TEXT NOT NULL,
    "recordId" INTEGER NOT NULL,
    "callNumber" TEXT,
    "callNumberSortKey" TEXT,
    "callNumberScheme" TEXT,
    "homeBranchId" INTEGER NOT NULL,
    "branchId" INTEGER NOT NULL,
    "locationId" INTEGER,
    "itemTypeId" INTEGER,
    "collectionCode" TEXT,
    "copyNumber" TEXT,
    "status" TEXT NOT NULL DEFAULT 'available',
    "price" DECIMAL,
    "notes" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Item_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "BibRecord" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Item_homeBranchId_fkey" FOREIGN KEY ("homeBranchId") REFERENCES "Branch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Item_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Item_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "ShelvingLocation" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Item_itemTypeId_fkey" FOREIGN KEY ("itemTypeId") REFERENCES "ItemType" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT,
    "before" TEXT,
    "after" TEXT,
    "context" TEXT
);

-- CreateTable
CREATE TABLE "StaffToken" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "Institution_code_key" ON "Institution"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Branch_code_key" ON "Branch"("code");

-- CreateIndex
CREATE UNIQUE INDEX "ShelvingLocation_branchId_code_key" ON "ShelvingLocation"("branchId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "PatronCategory_code_key" ON "PatronCategory"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Patron_barcode_key" ON "Patron"("barcode");

-- CreateIndex
CREATE INDEX "Patron_surname_firstname_idx" ON "Patron"("surname", "firstname");

-- CreateIndex
CREATE INDEX "Patron_email_idx" ON "Patron"("email");

-- CreateIndex
CREATE UNIQUE INDEX "ItemType_code_key" ON "ItemType"("code");

-- CreateIndex
CREATE INDEX "BibRecord_title_idx" ON "BibRecord"("title");

-- CreateIndex
CREATE INDEX "BibRecord_contentHash_idx" ON "BibRecord"("contentHash");

-- CreateIndex
CREATE INDEX "BibIdentifier_type_value_idx" ON "BibIdentifier"("type", "value");

-- CreateIndex
CREATE UNIQUE INDEX "BibIdentifier_recordId_type_value_key" ON "BibIdentifier"("recordId", "type", "value");

-- CreateIndex
CREATE UNIQUE INDEX "Item_barcode_key" ON "Item"("barcode");

-- CreateIndex
CREATE INDEX "Item_recordId_idx" ON "Item"("recordId");

-- CreateIndex
CREATE INDEX "Item_branchId_locationId_callNumberSortKey_idx" ON "Item"("branchId", "locationId", "callNumberSortKey");

-- CreateIndex
CREATE INDEX "Item_status_idx" ON "Item"("status");

-- CreateIndex
CREATE INDEX "AuditEntry_entity_entityId_idx" ON "AuditEntry"("entity", "entityId");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE UNIQUE INDEX "StaffToken_tokenHash_key" ON "StaffToken"("tokenHash");
