-- Shelf order is the byte order of the call-number sort key (libs/callnumber). A database created with a
-- language collation (en_US.UTF-8, ICU) would order these keys by its own rules, so the column compares
-- bytewise whatever the database collation: ORDER BY it is shelf order everywhere, and the index on
-- (branchId, locationId, callNumberSortKey) serves shelf lists. SQLite compares bytewise already.
-- (No semicolons or quotes in these comments: the migration runner splits statements on them.)
ALTER TABLE "Item" ALTER COLUMN "callNumberSortKey" SET DATA TYPE TEXT COLLATE "C";
