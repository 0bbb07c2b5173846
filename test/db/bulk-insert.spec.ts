import { DbService, insertRows, insertRowsPg, insertRowsSync } from '@carrel/db';
import { describeEachDatabase } from '../support/databases.js';

describeEachDatabase('insertRows (bulk INSERT beside Prisma)', (db) => {
  it('writes values Prisma reads back exactly: dates, booleans, bytes, decimals, nulls', async () => {
    const p = db().prisma;
    const inst = await p.institution.create({ data: { code: 'I', name: 'I' } });
    const branch = await p.branch.create({ data: { code: 'B', name: 'B', institutionId: inst.id } });
    const category = await p.patronCategory.create({ data: { code: 'C', name: 'C' } });
    const when = new Date('2027-03-04T05:06:07.089Z');
    const rows = Array.from({ length: 700 }, (_, i) => ({
      barcode: `b${i}`, surname: `S${i}`, firstname: i % 2 ? null : 'F', categoryId: category.id, homeBranchId: branch.id,
      expiryDate: when, blocked: i % 3 === 0, searchText: `s${i}`, createdAt: when, updatedAt: when,
    }));
    const returned = await insertRows<{ id: number; barcode: string }>(p, db().provider, 'Patron', rows, ['id', 'barcode']);
    expect(returned).toHaveLength(700);
    expect(new Set(returned.map((r) => Number(r.id))).size).toBe(700);
    const p3 = await p.patron.findUniqueOrThrow({ where: { barcode: 'b3' } });
    expect(p3).toMatchObject({ surname: 'S3', firstname: null, blocked: true, expiryDate: when, createdAt: when });
    expect((await p.patron.findUniqueOrThrow({ where: { barcode: 'b4' } })).blocked).toBe(false);

    const raw = Buffer.from([0, 1, 2, 0x1d, 0xff]);
    const [rec] = await insertRows<{ id: number }>(p, db().provider, 'BibRecord', [
      { title: 'T', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: new Uint8Array(raw), contentHash: 'h', searchText: 't', createdAt: when, updatedAt: when },
    ], ['id']);
    const back = await p.bibRecord.findUniqueOrThrow({ where: { id: Number(rec.id) } });
    expect(Buffer.from(back.marcRaw).equals(raw)).toBe(true);
    await insertRows(p, db().provider, 'Item', [
      { barcode: 'i1', recordId: Number(rec.id), homeBranchId: branch.id, branchId: branch.id, price: '24.95', status: 'available', createdAt: when, updatedAt: when },
    ]);
    expect(String((await p.item.findUniqueOrThrow({ where: { barcode: 'i1' } })).price)).toBe('24.95');
  });

  it('without the ORM (insertRowsSync on SQLite, insertRowsPg on PostgreSQL), writes values Prisma reads back exactly', async () => {
    const p = db().prisma;
    const service = new DbService({ prisma: p, target: db().target });
    const sync = service.sqliteSync();
    const pg = service.pgSql();
    const plain = (table: string, rows: Record<string, unknown>[]) =>
      sync ? sync.transaction((sql) => insertRowsSync(sql, table, rows)) : insertRowsPg(pg!, table, rows);
    expect(sync ?? pg).not.toBeNull();
    const when = new Date('2027-03-04T05:06:07.089Z');
    await plain('CirculationLogEntry', Array.from({ length: 60 }, (_, i) => ({
      at: when, account: i % 2 ? null : 'kiosk', device: 'sc-1', clientAddr: '127.0.0.1', messageId: '17',
      request: `17…|AB${i}|AQ"quoted"|`, response: i === 5 ? null : 'é ü 中 ✓', outcome: 'ok', ms: i === 7 ? null : i,
    })));
    const back = await p.circulationLogEntry.findMany({ orderBy: { id: 'asc' } });
    expect(back).toHaveLength(60);
    expect(back[4]).toMatchObject({ at: when, account: 'kiosk', request: '17…|AB4|AQ"quoted"|', response: 'é ü 中 ✓', ms: 4 });
    expect(back[5]).toMatchObject({ account: null, response: null, ms: 5 });
    expect(back[7].ms).toBeNull();

    const inst = await p.institution.create({ data: { code: 'PI', name: 'I' } });
    const branch = await p.branch.create({ data: { code: 'PB', name: 'B', institutionId: inst.id } });
    const category = await p.patronCategory.create({ data: { code: 'PC', name: 'C' } });
    await plain('Patron', [
      { barcode: 'plain1', surname: 'S', firstname: null, categoryId: category.id, homeBranchId: branch.id, expiryDate: when, blocked: true, searchText: 's', createdAt: when, updatedAt: when },
    ]);
    expect(await p.patron.findUniqueOrThrow({ where: { barcode: 'plain1' } })).toMatchObject({ firstname: null, blocked: true, expiryDate: when });
    const raw = Buffer.from([0, 1, 2, 0x1d, 0xff]);
    await plain('BibRecord', [{ title: 'plain', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: new Uint8Array(raw), contentHash: 'hp', searchText: 't', createdAt: when, updatedAt: when }]);
    const rec = await p.bibRecord.findFirstOrThrow({ where: { contentHash: 'hp' } });
    expect(Buffer.from(rec.marcRaw).equals(raw)).toBe(true);
    await plain('Item', [{ barcode: 'plain-i1', recordId: rec.id, homeBranchId: branch.id, branchId: branch.id, price: '24.95', status: 'available', createdAt: when, updatedAt: when }]);
    expect(String((await p.item.findUniqueOrThrow({ where: { barcode: 'plain-i1' } })).price)).toBe('24.95');
    await expect(plain('Item"; DROP TABLE "Item', [{ a: 1 }])).rejects.toThrow(/not a plain identifier/);
  });

  it('refuses names that are not plain identifiers and does nothing for no rows', async () => {
    await expect(insertRows(db().prisma, db().provider, 'Item"; DROP TABLE "Item', [{ a: 1 }])).rejects.toThrow(/not a plain identifier/);
    expect(await insertRows(db().prisma, db().provider, 'Item', [])).toEqual([]);
  });
});
