-- AlterTable
ALTER TABLE "Patron" ADD COLUMN     "language" TEXT,
ADD COLUMN     "noticeChannel" TEXT;

-- CreateTable
CREATE TABLE "NoticeLine" (
    "id" SERIAL NOT NULL,
    "noticeId" INTEGER NOT NULL,
    "onceKey" TEXT NOT NULL,

    CONSTRAINT "NoticeLine_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "NoticeLine_onceKey_key" ON "NoticeLine"("onceKey");

-- CreateIndex
CREATE INDEX "NoticeLine_noticeId_idx" ON "NoticeLine"("noticeId");

-- AddForeignKey
ALTER TABLE "NoticeLine" ADD CONSTRAINT "NoticeLine_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice"("id") ON DELETE CASCADE ON UPDATE CASCADE;
