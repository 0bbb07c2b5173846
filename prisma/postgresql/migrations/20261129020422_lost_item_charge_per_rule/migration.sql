-- AlterTable
ALTER TABLE "CirculationRule" ADD COLUMN     "lostItemCharge" DECIMAL(65,30);
