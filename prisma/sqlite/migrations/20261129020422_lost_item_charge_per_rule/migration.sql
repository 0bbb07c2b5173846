-- AlterTable
ALTER TABLE "CirculationRule" ADD COLUMN "lostItemCharge" DECIMAL;
