import type { TestingModule } from '@nestjs/testing';
import { PatronsService } from '@carrel/patrons';
import { domainModule } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';

const HEADER = 'cardnumber,surname,firstname,categorycode,branchcode,email,dateexpiry,password,dateofbirth,phone,address,city,zipcode,lost,borrowernotes';

function csv(...rows: string[]): Buffer {
  return Buffer.from([HEADER, ...rows].join('\r\n') + '\r\n', 'utf8');
}

async function seedCodes(db: { prisma: import('@carrel/db').CarrelPrisma }) {
  const inst = await db.prisma.institution.create({ data: { code: 'MAIN', name: 'Test library' } });
  await db.prisma.branch.create({ data: { code: 'CPL', name: 'Centerville', institutionId: inst.id } });
  await db.prisma.patronCategory.create({ data: { code: 'ADULT', name: 'Adult' } });
}

describeEachDatabase('Koha patron CSV import', (db) => {
  let mod: TestingModule;
  let patrons: PatronsService;

  beforeAll(async () => {
    await seedCodes(db());
    mod = await domainModule(db());
    patrons = mod.get(PatronsService);
  });
  afterAll(() => mod?.close());

  const good = csv(
    '23000000000011,Brontë,Anne,ADULT,CPL,anne@example.org,2027-12-31,1234,1990-01-17,555-0101,1 Main St,Centerville,12345,0,likes poetry',
    '23000000000029,García Márquez,Gabriel,ADULT,CPL,,2026-01-31,,,,,,,1,',
    '23000000000037,Okafor,Chidi,ADULT,CPL,chidi@example.org,,9999,,,,,,0,',
  );

  it('loads every good row, hashing PINs, folding names for search', async () => {
    const report = await patrons.importKohaCsv(good);
    expect(report).toMatchObject({ total: 3, created: 3, updated: 0, unchanged: 0, rejected: [] });
    const anne = await db().prisma.patron.findUniqueOrThrow({ where: { barcode: '23000000000011' } });
    expect(anne).toMatchObject({ surname: 'Brontë', firstname: 'Anne', email: 'anne@example.org', phone: '555-0101', postcode: '12345', notes: 'likes poetry', lostCard: false });
    expect(anne.expiryDate?.toISOString()).toBe('2027-12-31T00:00:00.000Z');
    expect(anne.dateOfBirth?.toISOString()).toBe('1990-01-17T00:00:00.000Z');
    expect(anne.pinHash).toMatch(/^scrypt\$/);
    expect(anne.pinHash).not.toContain('1234');
    expect(await patrons.checkPin('23000000000011', '1234')).toBe(true);
    expect(await patrons.checkPin('23000000000011', '4321')).toBe(false);
    const gabo = await db().prisma.patron.findUniqueOrThrow({ where: { barcode: '23000000000029' } });
    expect(gabo).toMatchObject({ lostCard: true, email: null, pinHash: null });
    expect((await patrons.search({ q: 'garcia marquez' })).patrons.map((p) => p.barcode)).toEqual(['23000000000029']);
    expect((await patrons.search({ q: 'BRONTE' })).patrons.map((p) => p.barcode)).toEqual(['23000000000011']);
  });

  it('changes nothing when the same file is loaded twice', async () => {
    const auditBefore = await db().prisma.auditEntry.count();
    const stamp = (await db().prisma.patron.findUniqueOrThrow({ where: { barcode: '23000000000011' } })).updatedAt;
    const report = await patrons.importKohaCsv(good);
    expect(report).toMatchObject({ total: 3, created: 0, updated: 0, unchanged: 3, rejected: [] });
    expect(await db().prisma.auditEntry.count()).toBe(auditBefore);
    expect((await db().prisma.patron.findUniqueOrThrow({ where: { barcode: '23000000000011' } })).updatedAt).toEqual(stamp);
  });

  it('updates by barcode and audits the change', async () => {
    const report = await patrons.importKohaCsv(csv('23000000000037,Okafor,Chidi,ADULT,CPL,chidi.okafor@example.org,,9999,,,,,,0,'));
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const audit = await db().prisma.auditEntry.findFirstOrThrow({ where: { entity: 'Patron', action: 'import' }, orderBy: { id: 'desc' } });
    expect(JSON.parse(audit.before!).email).toBe('chidi@example.org');
    expect(JSON.parse(audit.after!).email).toBe('chidi.okafor@example.org');
    expect(audit.after).not.toContain('scrypt');
    expect(JSON.parse(audit.context!)).toMatchObject({ source: 'koha patron CSV', line: 2 });
  });

  it('rejects each bad row with its line and reason and loads the rest', async () => {
    const report = await patrons.importKohaCsv(
      csv(
        '23000000000045,Nakamura,Yui,ADULT,CPL,yui@example.org,2027-02-30,,,,,,,0,', // not a real date
        ',Nobody,No,ADULT,CPL,,,,,,,,,0,', // no barcode
        '23000000000052,Lee,Min,KIDS,CPL,,,,,,,,,0,', // unknown category
        '23000000000060,Singh,Arjun,ADULT,ELSEWHERE,,,,,,,,,0,', // unknown branch
        '23000000000078,Smith,Jo,ADULT,CPL,not-an-email,,,,,,,,0,',
        '23000000000086,Lopez,Ana,ADULT,CPL,,,,,,,,,2,', // bad flag
        '23000000000094,Ok,Row,ADULT,CPL,,,,,,,,,0,',
        '23000000000094,Dup,Row,ADULT,CPL,,,,,,,,,0,',
        '23000000000102,Too,Many,ADULT,CPL,,,,,,,,,0,,extra',
      ),
    );
    expect(report.created).toBe(1);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.line, r.reason]));
    expect(reasons[2]).toMatch(/dateexpiry "2027-02-30" is not a real date/);
    expect(reasons[3]).toMatch(/cardnumber is empty/);
    expect(reasons[4]).toMatch(/unknown patron category "KIDS"/);
    expect(reasons[5]).toMatch(/unknown branch "ELSEWHERE"/);
    expect(reasons[6]).toMatch(/email "not-an-email"/);
    expect(reasons[7]).toMatch(/lost must be 0 or 1/);
    expect(reasons[9]).toMatch(/also on line 8/);
    expect(reasons[10]).toMatch(/16 fields but the header has 15/);
    expect(report.rejected).toHaveLength(8);
    expect(await db().prisma.patron.findUnique({ where: { barcode: '23000000000052' } })).toBeNull();
  });

  it('creates missing codes only with createMissing, and lists them', async () => {
    const report = await patrons.importKohaCsv(csv('23000000000110,Lee,Min,KIDS,EAST,,,,,,,,,0,'), { createMissing: true });
    expect(report.created).toBe(1);
    expect(report.createdCodes).toEqual(expect.arrayContaining([{ kind: 'patron category', code: 'KIDS' }, { kind: 'branch', code: 'EAST' }]));
    expect(await db().prisma.branch.findUnique({ where: { code: 'EAST' } })).not.toBeNull();
  });

  it('reads a Windows-1252 file, says so, and keeps the accents', async () => {
    const text = `${HEADER}\r\n23000000000128,Müller,Zoë,ADULT,CPL,,,,,,,,,0,\r\n`;
    const report = await patrons.importKohaCsv(Buffer.from(text, 'latin1'));
    expect(report.warnings.join()).toMatch(/not valid UTF-8; read as Windows-1252/);
    expect((await db().prisma.patron.findUniqueOrThrow({ where: { barcode: '23000000000128' } })).surname).toBe('Müller');
  });

  it('rejects files that are not patron CSVs at all', async () => {
    expect((await patrons.importKohaCsv(Buffer.from('name,age\nx,1\n'))).rejected[0].reason).toMatch(/header lacks required Koha column\(s\): cardnumber, surname, categorycode, branchcode/);
    expect((await patrons.importKohaCsv(Buffer.from(''))).warnings).toContain('file is empty');
    const hostile = await patrons.importKohaCsv(Buffer.from(`${HEADER}\n"unterminated,quote\n`));
    expect(hostile.rejected[0].reason).toMatch(/not a readable CSV/);
    const huge = await patrons.importKohaCsv(csv(`23000000000136,${'x'.repeat(5000)},A,ADULT,CPL,,,,,,,,,0,`));
    expect(huge.rejected[0].reason).toMatch(/longer than 2000/);
  });
});
