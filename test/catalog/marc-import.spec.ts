import { readFileSync } from 'node:fs';
import type { TestingModule } from '@nestjs/testing';
import { CatalogService, decodeStoredRecord, MarcImportService, resolveItemMapping } from '@carrel/catalog';
import type { CarrelPrisma } from '@carrel/db';
import { writeIso2709, writeMarcXml, type MarcRecord } from '@carrel/marc';
import { domainModule } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { describeWithFixtures, fixturePath } from '../support/fixtures.js';

const df = (tag: string, subfields: [string, string][], ind1 = ' ', ind2 = ' ') => ({ tag, ind1, ind2, subfields: subfields.map(([code, value]) => ({ code, value })) });

function bib(n: number, title: string, items: [string, string][][]): MarcRecord {
  return {
    leader: '00000nam a2200000 a 4500',
    fields: [
      { tag: '001', value: `ctl${n}` },
      { tag: '003', value: 'CaRL' },
      df('020', [['a', '9780306406157']]),
      df('100', [['a', 'Author, Test']], '1'),
      df('245', [['a', title]], '1', '0'),
      ...items.map((sf) => df('952', sf)),
    ],
  };
}

const item = (barcode: string, extra: [string, string][] = []): [string, string][] => {
  const base: [string, string][] = [['a', 'CPL'], ['b', 'CPL'], ['c', 'STACKS'], ['o', 'QA76.73.J38 S65 2019'], ['p', barcode], ['y', 'BOOK'], ['g', '24.95']];
  return [...base.filter(([c]) => !extra.some(([e]) => e === c)), ...extra];
};

async function seedCodes(prisma: CarrelPrisma) {
  const inst = await prisma.institution.create({ data: { code: 'MAIN', name: 'Test library' } });
  const cpl = await prisma.branch.create({ data: { code: 'CPL', name: 'Centerville', institutionId: inst.id } });
  await prisma.shelvingLocation.create({ data: { branchId: cpl.id, code: 'STACKS', name: 'Stacks' } });
  await prisma.itemType.create({ data: { code: 'BOOK', name: 'Book' } });
}

describeEachDatabase('MARC import', (db) => {
  let mod: TestingModule;
  let importer: MarcImportService;
  let catalog: CatalogService;

  beforeAll(async () => {
    await seedCodes(db().prisma);
    mod = await domainModule(db());
    importer = mod.get(MarcImportService);
    catalog = mod.get(CatalogService);
  });
  afterAll(() => mod?.close());

  const file = Buffer.concat([
    writeIso2709(bib(1, 'Programming Java', [item('39000000000011'), item('39000000000029', [['7', '1']])])),
    writeIso2709(bib(2, 'Brontë: the poems', [item('39000000000037', [['c', 'NOWHERE']])])), // unknown location
    writeIso2709(bib(3, 'No barcode here', [[['a', 'CPL'], ['b', 'CPL']]])),
    writeIso2709(bib(4, 'Cataloguing in Rust', [item('39000000000011')])), // barcode already in record 1
    writeIso2709(bib(5, 'A plain record', [])),
  ]);

  it('loads good records with their items and rejects the bad ones one by one, each with its reason', async () => {
    const report = await importer.importFile(file, { source: 'test.mrc' });
    expect(report.records).toEqual({ seen: 5, created: 2, updated: 0, unchanged: 0 });
    expect(report.items).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(report.rejected.map((r) => r.record)).toEqual([2, 3, 4]);
    expect(report.rejected[0].reason).toMatch(/unknown location "CPL\/NOWHERE"/);
    expect(report.rejected[1].reason).toMatch(/item 1 \(952\) has no barcode/);
    expect(report.rejected[2].reason).toMatch(/barcode 39000000000011 already belongs to record 1/);

    const rec = await db().prisma.bibRecord.findFirstOrThrow({ where: { controlNumber: 'ctl1' }, include: { identifiers: true } });
    expect(rec).toMatchObject({ title: 'Programming Java', author: 'Author, Test', isbn: '9780306406157', controlNumberIdentifier: 'CaRL', marcFormat: 'iso2709', marcEncoding: 'utf-8' });
    expect(rec.identifiers.map((i) => `${i.type}=${i.value}`).sort()).toEqual(['control-number=CaRL:ctl1', 'isbn=9780306406157']);
    // the record is kept whole: the stored bytes are the bytes of the file
    expect(Buffer.from(rec.marcRaw).equals(writeIso2709(bib(1, 'Programming Java', [item('39000000000011'), item('39000000000029', [['7', '1']])])))).toBe(true);

    const it1 = await catalog.getItem('39000000000011');
    expect(it1).toMatchObject({ branchCode: 'CPL', homeBranchCode: 'CPL', locationCode: 'STACKS', itemTypeCode: 'BOOK', callNumber: 'QA76.73.J38 S65 2019', callNumberScheme: 'lc', status: 'available' });
    expect(String(it1.price)).toBe('24.95');
    expect(it1.callNumberSortKey).toBeTruthy();
    expect((await catalog.getItem('39000000000029')).status).toBe('not_for_loan');
    expect((await catalog.searchRecords({ q: 'bronte' })).total).toBe(0);
  });

  it('changes nothing when the same file is loaded twice', async () => {
    const audit = await db().prisma.auditEntry.count();
    const counts = [await db().prisma.bibRecord.count(), await db().prisma.item.count()];
    const report = await importer.importFile(file);
    expect(report.records).toEqual({ seen: 5, created: 0, updated: 0, unchanged: 2 });
    expect(report.items).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect([await db().prisma.bibRecord.count(), await db().prisma.item.count()]).toEqual(counts);
    expect(await db().prisma.auditEntry.count()).toBe(audit);
  });

  it('updates a record matched by 001/003 and an item moved to another call number, auditing both', async () => {
    const changed = writeIso2709(bib(1, 'Programming Java, 2nd edition', [item('39000000000011', [['o', 'QA76.73.J38 S65 2024']]), item('39000000000029', [['7', '1']])]));
    const report = await importer.importFile(changed);
    expect(report.records).toMatchObject({ created: 0, updated: 1 });
    expect(report.items).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect(await db().prisma.bibRecord.count({ where: { controlNumber: 'ctl1' } })).toBe(1);
    expect((await catalog.getItem('39000000000011')).callNumber).toBe('QA76.73.J38 S65 2024');
    const entry = await db().prisma.auditEntry.findFirstOrThrow({ where: { entity: 'Item' }, orderBy: { id: 'desc' } });
    expect(JSON.parse(entry.before!)).toMatchObject({ callNumber: 'QA76.73.J38 S65 2019' });
  });

  it('creates missing codes with createMissing and lists them', async () => {
    const report = await importer.importFile(writeIso2709(bib(2, 'Brontë: the poems', [item('39000000000037', [['c', 'NOWHERE'], ['y', 'ZINE']])])), { createMissing: true });
    expect(report.records.created).toBe(1);
    expect(report.createdCodes).toEqual(expect.arrayContaining([{ kind: 'location', code: 'CPL/NOWHERE' }, { kind: 'item type', code: 'ZINE' }]));
    expect((await catalog.searchRecords({ q: 'bronte' })).total).toBe(1);
  });

  it('loads MARCXML, with the marc: prefix or without', async () => {
    const rec = bib(7, 'Über XML', [item('39000000000045')]);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">${writeMarcXml(rec)}</collection>`;
    const report = await importer.importFile(Buffer.from(xml));
    expect(report.records.created).toBe(1);
    const stored = await db().prisma.bibRecord.findFirstOrThrow({ where: { controlNumber: 'ctl7' } });
    expect(stored).toMatchObject({ title: 'Über XML', marcFormat: 'marcxml' });
  });

  it('reads items from MARC holdings 852 and from Evergreen\'s 852 export, by configuration', async () => {
    const holdings = bib(20, 'Holdings in 852', []);
    holdings.fields.push(df('852', [['b', 'CPL'], ['c', 'STACKS'], ['h', '823.914'], ['i', 'ROW'], ['p', '39000000000520'], ['t', '2']]));
    const r1 = await importer.importFile(writeIso2709(holdings), { itemMapping: resolveItemMapping('marc-852') });
    expect(r1.rejected).toEqual([]);
    expect(await catalog.getItem('39000000000520')).toMatchObject({ branchCode: 'CPL', locationCode: 'STACKS', callNumber: '823.914 ROW', callNumberScheme: 'dewey', copyNumber: '2' });

    const evergreen = bib(21, 'Exported by Evergreen', []);
    evergreen.fields.push(df('852', [['b', 'CPL'], ['b', 'CPL'], ['c', 'STACKS'], ['j', 'FIC TOL'], ['g', 'BOOK'], ['p', '39000000000538'], ['y', '$18.99'], ['s', 'Checked out']]));
    const r2 = await importer.importFile(writeIso2709(evergreen), { itemMapping: resolveItemMapping('evergreen-852') });
    expect(r2.rejected).toEqual([]);
    const it2 = await catalog.getItem('39000000000538');
    expect(it2).toMatchObject({ callNumber: 'FIC TOL', itemTypeCode: 'BOOK', status: 'checked_out' });
    expect(String(it2.price)).toBe('18.99');

    const odd = bib(22, 'Odd status', []);
    odd.fields.push(df('852', [['b', 'CPL'], ['p', '39000000000546'], ['s', 'Sent to the moon']]));
    const r3 = await importer.importFile(writeIso2709(odd), { itemMapping: resolveItemMapping('evergreen-852') });
    expect(r3.rejected[0].reason).toMatch(/status "Sent to the moon" is not one Carrel knows/);
  });

  it('survives hostile input: random bytes, a truncated file, an empty file', async () => {
    let seed = 7;
    const rnd = Buffer.alloc(4096, 0).map(() => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff);
    const r1 = await importer.importFile(Buffer.from(rnd));
    expect(r1.records.created).toBe(0);
    const good = writeIso2709(bib(8, 'Truncated', []));
    const r2 = await importer.importFile(good.subarray(0, good.length - 10));
    expect(r2.records.created).toBe(0);
    expect(r2.rejected.length).toBe(1);
    const r3 = await importer.importFile(Buffer.alloc(0));
    expect(r3.records.created).toBe(0);
    expect(r3.rejected.length).toBeLessThanOrEqual(1);
  });
});

describeWithFixtures('marc', 'MARC import of the shared sample files', () => {
  describeEachDatabase('real ILS exports', (db) => {
    let mod: TestingModule;
    let importer: MarcImportService;
    beforeAll(async () => {
      await seedCodes(db().prisma);
      mod = await domainModule(db());
      importer = mod.get(MarcImportService);
    });
    afterAll(() => mod?.close());

    it('camel.usmarc: 10 clean records, no items', async () => {
      const report = await importer.importFile(readFileSync(fixturePath('marc', 'camel.usmarc')));
      expect(report.records).toEqual({ seen: 10, created: 10, updated: 0, unchanged: 0 });
      expect(report.rejected).toEqual([]);
      const again = await importer.importFile(readFileSync(fixturePath('marc', 'camel.usmarc')));
      expect(again.records).toEqual({ seen: 10, created: 0, updated: 0, unchanged: 10 });
    });

    it('marc8.dat: a MARC-8 record decoded to the same text as its UTF-8 twin, original bytes kept', async () => {
      const marc8 = readFileSync(fixturePath('marc', 'marc8.dat'));
      const report = await importer.importFile(marc8);
      expect(report.records).toMatchObject({ seen: 1, created: 1 });
      const rec = await db().prisma.bibRecord.findFirstOrThrow({ where: { marcEncoding: 'marc-8' }, orderBy: { id: 'desc' } });
      expect(Buffer.from(rec.marcRaw).equals(marc8)).toBe(true);
      const utf8Report = await importer.importFile(readFileSync(fixturePath('marc', 'utf8_with_leader_flag.dat')));
      expect(utf8Report.rejected).toEqual([]);
      const twin = await db().prisma.bibRecord.findFirstOrThrow({ where: { marcEncoding: 'utf-8', controlNumber: rec.controlNumber } });
      const fields = (r: typeof rec) => JSON.parse(JSON.stringify(decodeStoredRecord(r.marcFormat, r.marcRaw).marc!.fields).normalize('NFC'));
      expect(fields(rec)).toEqual(fields(twin));
      expect(JSON.stringify(fields(rec))).toMatch(/[^\x00-\x7f]/);
    });

    it('batch.xml: MARCXML with the marc: prefix', async () => {
      const report = await importer.importFile(readFileSync(fixturePath('marc', 'batch.xml')));
      expect(report.records.seen).toBe(2);
      expect(report.rejected).toEqual([]);
    });

    it('bad_records.mrc: the readable records load, the corrupt ones are rejected with reasons', async () => {
      const report = await importer.importFile(readFileSync(fixturePath('marc', 'bad_records.mrc')));
      expect(report.rejected.length).toBeGreaterThan(0);
      expect(report.records.created + report.records.unchanged + report.records.updated + report.rejected.length).toBe(report.records.seen);
      for (const r of report.rejected) expect(r.reason).toMatch(/record \d+/);
    });

    it('escape.mrc: III-style 949 items through a custom mapping, creating their codes', async () => {
      const report = await importer.importFile(readFileSync(fixturePath('marc', 'escape.mrc')), {
        createMissing: true,
        itemMapping: { tag: '949', barcode: 'i', branch: 'm', location: 'l', callNumber: 'a', itemType: 't' },
      });
      expect(report.rejected).toEqual([]);
      expect(report.items.created).toBeGreaterThan(0);
      expect(report.createdCodes.length).toBeGreaterThan(0);
    });
  });
});
