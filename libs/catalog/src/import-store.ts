import { DbService, inJsonList, insertRows, sqliteParam, type CarrelPrisma, type DatabaseProvider, type SqliteWriter } from '@carrel/db';

/** The raw-statement surface bulk writes need; both the Prisma transaction and the SQLite writer offer it. */
export type RawClient = Pick<CarrelPrisma, '$queryRawUnsafe' | '$executeRawUnsafe'>;

export interface ExistingItem {
  id: number;
  barcode: string;
  recordId: number;
  status: string;
  [column: string]: unknown;
}

/**
 * Where an import chunk is written, inside one transaction. On SQLite it is the direct connection
 * (SqliteWriter): the import's hot path, without the Prisma layer. On PostgreSQL it is a Prisma
 * transaction. The import's logic above it is the same for both.
 */
export interface ImportStore {
  provider: DatabaseProvider;
  raw: RawClient;
  recordIdsByHash(hashes: string[]): Promise<Map<string, number>>;
  identifierOwners(type: string, values: string[]): Promise<{ type: string; value: string; recordId: number }[]>;
  itemsByBarcode(barcodes: string[]): Promise<ExistingItem[]>;
  recordSummary(id: number): Promise<{ title: string | null; contentHash: string } | null>;
  updateRecord(id: number, data: Record<string, unknown>, identifiers: { type: string; value: string }[]): Promise<void>;
  updateItem(id: number, data: Record<string, unknown>): Promise<void>;
}

/** Runs fn with a store in one transaction on whichever database Carrel uses. */
export function withImportStore<T>(db: DbService, fn: (store: ImportStore) => Promise<T>): Promise<T> {
  const writer = db.sqliteWriter();
  if (writer) return writer.transaction(() => fn(sqliteStore(writer)));
  return db.prisma.$transaction((tx) => fn(prismaStore(tx as CarrelPrisma, db.target.provider)), { timeout: 120_000, maxWait: 30_000 });
}

function sqliteStore(w: SqliteWriter): ImportStore {
  const raw: RawClient = {
    $queryRawUnsafe: (async (sql: string, ...params: unknown[]) => w.all(sql, params.map(sqliteParam))) as RawClient['$queryRawUnsafe'],
    $executeRawUnsafe: (async (sql: string, ...params: unknown[]) => w.run(sql, params.map(sqliteParam))) as RawClient['$executeRawUnsafe'],
  };
  return {
    provider: 'sqlite',
    raw,
    recordIdsByHash: async (hashes) =>
      new Map(w.all<{ id: number; contentHash: string }>(`SELECT "id", "contentHash" FROM "BibRecord" WHERE ${inJsonList('sqlite', 'contentHash')}`, [JSON.stringify(hashes)]).map((r) => [r.contentHash, r.id])),
    identifierOwners: async (type, values) =>
      w.all(`SELECT "type", "value", "recordId" FROM "BibIdentifier" WHERE "type" = ? AND ${inJsonList('sqlite', 'value')} ORDER BY "recordId"`, [type, JSON.stringify(values)]),
    itemsByBarcode: async (barcodes) => w.all<ExistingItem>(`SELECT * FROM "Item" WHERE ${inJsonList('sqlite', 'barcode')}`, [JSON.stringify(barcodes)]),
    recordSummary: async (id) => w.all<{ title: string | null; contentHash: string }>(`SELECT "title", "contentHash" FROM "BibRecord" WHERE "id" = ?`, [id])[0] ?? null,
    updateRecord: async (id, data, identifiers) => {
      updateById(w, 'BibRecord', id, { ...data, updatedAt: new Date() });
      w.run(`DELETE FROM "BibIdentifier" WHERE "recordId" = ?`, [id]);
      await insertRows(raw, 'sqlite', 'BibIdentifier', identifiers.map((i) => ({ recordId: id, type: i.type, value: i.value })));
    },
    updateItem: async (id, data) => updateById(w, 'Item', id, { ...data, updatedAt: new Date() }),
  };
}

function updateById(w: SqliteWriter, table: string, id: number, data: Record<string, unknown>): void {
  const cols = Object.keys(data).filter((c) => data[c] !== undefined);
  for (const c of cols) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(c)) throw new Error(`not a column name: ${c}`);
  w.run(`UPDATE "${table}" SET ${cols.map((c) => `"${c}" = ?`).join(', ')} WHERE "id" = ?`, [...cols.map((c) => sqliteParam(data[c])), id]);
}

function prismaStore(tx: CarrelPrisma, provider: DatabaseProvider): ImportStore {
  return {
    provider,
    raw: tx,
    recordIdsByHash: async (hashes) =>
      new Map((await tx.bibRecord.findMany({ where: { contentHash: { in: hashes } }, select: { id: true, contentHash: true } })).map((r) => [r.contentHash, r.id])),
    identifierOwners: (type, values) =>
      tx.bibIdentifier.findMany({ where: { type, value: { in: values } }, orderBy: { recordId: 'asc' }, select: { type: true, value: true, recordId: true } }),
    itemsByBarcode: async (barcodes) => (await tx.item.findMany({ where: { barcode: { in: barcodes } } })) as unknown as ExistingItem[],
    recordSummary: (id) => tx.bibRecord.findUnique({ where: { id }, select: { title: true, contentHash: true } }),
    updateRecord: async (id, data, identifiers) => {
      await tx.bibRecord.update({ where: { id }, data });
      await tx.bibIdentifier.deleteMany({ where: { recordId: id } });
      await tx.bibIdentifier.createMany({ data: identifiers.map((i) => ({ ...i, recordId: id })) });
    },
    updateItem: async (id, data) => {
      await tx.item.update({ where: { id }, data });
    },
  };
}
