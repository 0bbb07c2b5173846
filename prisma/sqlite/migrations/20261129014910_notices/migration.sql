-- AlterTable
ALTER TABLE "Patron" ADD COLUMN "language" TEXT;
ALTER TABLE "Patron" ADD COLUMN "noticeChannel" TEXT;

-- CreateTable
CREATE TABLE "NoticeLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "noticeId" INTEGER NOT NULL,
    "onceKey" TEXT NOT NULL,
    CONSTRAINT "NoticeLine_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "NoticeLine_onceKey_key" ON "NoticeLine"("onceKey");

-- CreateIndex
CREATE INDEX "NoticeLine_noticeId_idx" ON "NoticeLine"("noticeId");
