// The shelf list over HTTP in the hub, on both databases: the items of a branch and location between
// two call numbers in true shelf order (the sort key the catalog writes), paginated, refusals named,
// and the same list as a PDF whose text is read back with pdftotext.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { StaffTokenService } from '@carrel/auth';
import { CatalogService } from '@carrel/catalog';
import { createLogger } from '@carrel/logging';
import { createHub } from '../../apps/hub/src/bootstrap.js';
import { testSettings } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';

/** Shelf order as a cataloguer would check it by hand (the order the list must come out in). */
const STACKS = [
  'QA75.5 .Z9 1990',
  'QA76 .A1',
  'QA76.73.J38 S65 2019',
  'QA76.73.J38 S65 2019 v.2',
  'QA76.73.J38 S65 2019 v.10',
  'QA76.73.J385 B2',
  'QA76.9 .D3 1st',
  'QA77',
  'QA77 .B2 v.3',
  'QA77.5 .C1',
  'QA78 .A1',
  'QA770 .A1',
  'QB1 .A1',
];
const REFERENCE = ['REF QA76.73 .J38 2019', 'REF QA77 .E5'];

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-shelf-list-'));
  try {
    const file = path.join(dir, 'list.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describeEachDatabase('shelf list', (db) => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let auth: { Authorization: string };
  const barcodeOf = new Map<string, string>();

  beforeAll(async () => {
    const prisma = db().prisma;
    const inst = await prisma.institution.create({ data: { code: 'MAIN', name: 'Test library' } });
    const cpl = await prisma.branch.create({ data: { code: 'CPL', name: 'Central', institutionId: inst.id } });
    await prisma.branch.create({ data: { code: 'FPL', name: 'Fairview', institutionId: inst.id } });
    for (const code of ['STACKS', 'REF']) await prisma.shelvingLocation.create({ data: { branchId: cpl.id, code, name: code } });
    app = await createHub(testSettings(db()), createLogger('silent'));
    await app.listen(0, '127.0.0.1');
    http = request(app.getHttpServer());
    auth = { Authorization: `Bearer ${(await app.get(StaffTokenService).create('shelf-reader')).token}` };

    // Created through the catalog (which writes the sort key), out of order, with long and
    // non-Latin titles for the PDF.
    const catalog = app.get(CatalogService);
    const record = async (title: string) =>
      (await prisma.bibRecord.create({ data: { title, author: 'Author', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from(title), contentHash: `h-${title}` } })).id;
    const shuffled = [...STACKS].sort((a, b) => (a.length * 7919 + a.charCodeAt(a.length - 1)) % 13 - ((b.length * 7919 + b.charCodeAt(b.length - 1)) % 13));
    let n = 0;
    for (const cn of shuffled) {
      const barcode = `3900${String(100 + n++)}`;
      barcodeOf.set(cn, barcode);
      const title = n === 3 ? 'Ἰλιάς: a very long title that has to wrap inside its column on the printed shelf list, not run into the barcode' : `Book at ${cn}`;
      await catalog.createItem({ barcode, recordId: await record(title), callNumber: cn, branchCode: 'CPL', locationCode: 'STACKS', status: n === 5 ? 'checked_out' : 'available' });
    }
    for (const cn of REFERENCE) {
      const barcode = `3900${String(100 + n++)}`;
      barcodeOf.set(cn, barcode);
      await catalog.createItem({ barcode, recordId: await record(`Reference ${cn}`), callNumber: cn, branchCode: 'CPL', locationCode: 'REF' });
    }
    await catalog.createItem({ barcode: 'NOCALL', recordId: await record('No call number yet'), branchCode: 'CPL', locationCode: 'STACKS' });
    await catalog.createItem({ barcode: 'ELSEWHERE', recordId: await record('At Fairview'), callNumber: 'QA76.73 .B1', branchCode: 'FPL' });
  });
  afterAll(() => app?.close());

  const get = (query: string) => http.get(`/api/v1/items/shelf-list?${query}`).set(auth);
  const callNumbers = (body: { items: { callNumber: string | null }[] }) => body.items.map((i) => i.callNumber);

  it('lists a location in true shelf order, items without a call number last', async () => {
    const body = (await get('branch=CPL&location=STACKS&take=500').expect(200)).body;
    expect(callNumbers(body)).toEqual([...STACKS, null]);
    expect(body).toMatchObject({ branch: 'CPL', location: 'STACKS', from: null, to: null, total: STACKS.length + 1, skip: 0, take: 500 });
    expect(body.items[2]).toMatchObject({
      barcode: barcodeOf.get('QA76.73.J38 S65 2019'),
      title: expect.any(String),
      status: expect.stringMatching(/^(available|checked_out)$/),
      locationCode: 'STACKS',
      spine: ['QA', '76.73', '.J38', 'S65', '2019'],
    });
  });

  it('takes a from/to range: from inclusive, to with everything filed under it', async () => {
    const body = (await get('branch=CPL&location=STACKS&from=QA76&to=QA77').expect(200)).body;
    expect(callNumbers(body)).toEqual(STACKS.slice(1, 10));
    // A bare class starts at the head of the class.
    expect(callNumbers((await get('branch=CPL&location=STACKS&from=QA77').expect(200)).body)).toEqual(STACKS.slice(7));
    expect(callNumbers((await get('branch=CPL&location=STACKS&to=QA').expect(200)).body)).toEqual(STACKS.slice(0, 12));
  });

  it('lists the whole branch across locations: unprefixed stacks, then the REF collection', async () => {
    const body = (await get('branch=CPL&from=QA76.73&to=QA76.73').expect(200)).body;
    // REF items are a collection of their own, shelved after the unprefixed LC run.
    expect(callNumbers(body)).toEqual(['QA76.73.J38 S65 2019', 'QA76.73.J38 S65 2019 v.2', 'QA76.73.J38 S65 2019 v.10', 'QA76.73.J385 B2']);
    expect(callNumbers((await get('branch=CPL&from=REF QA1&to=REF QA99').expect(200)).body)).toEqual(REFERENCE);
    expect((await get('branch=FPL').expect(200)).body.items.map((i: { barcode: string }) => i.barcode)).toEqual(['ELSEWHERE']);
  });

  it('pages without overlap or gaps', async () => {
    const seen: (string | null)[] = [];
    for (let skip = 0; skip < 20; skip += 4) {
      const body = (await get(`branch=CPL&location=STACKS&skip=${skip}&take=4`).expect(200)).body;
      expect(body.total).toBe(STACKS.length + 1);
      seen.push(...callNumbers(body));
    }
    expect(seen).toEqual([...STACKS, null]);
  });

  it('refuses bad queries, naming what is wrong', async () => {
    await http.get('/api/v1/items/shelf-list?branch=CPL').expect(401);
    expect((await get('location=STACKS').expect(400)).body.message).toEqual(expect.arrayContaining([expect.stringMatching(/branch must be a branch code/)]));
    expect((await get('branch=NOPE').expect(404)).body.message).toBe('branch "NOPE" not found');
    expect((await get('branch=FPL&location=STACKS').expect(404)).body.message).toBe('shelving location "STACKS" not found at branch "FPL"');
    expect((await get('branch=CPL&from=QA77&to=QA76').expect(400)).body.message).toMatch(/from "QA77" files after to "QA76"/);
    expect((await get('branch=CPL&from=....').expect(400)).body.message).toBe('from "...." holds no call number');
    await get('branch=CPL&format=xlsx').expect(400);
    await get('branch=CPL&scheme=udc').expect(400);
    await get('branch=CPL&take=501').expect(400);
  });

  it('is in the OpenAPI description, JSON and PDF', async () => {
    const doc = (await http.get('/api/docs/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/items/shelf-list', '/api/v1/items/shelf-list.pdf', '/api/v1/items/{barcode}']));
    const params = doc.paths['/api/v1/items/shelf-list'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['branch', 'location', 'from', 'to', 'scheme', 'format', 'skip', 'take']));
  });

  it('still finds items by barcode next to the shelf-list route', async () => {
    const b = barcodeOf.get('QA77')!;
    expect((await http.get(`/api/v1/items/${b}`).set(auth).expect(200)).body).toMatchObject({ barcode: b, callNumber: 'QA77' });
  });

  it('prints the range as a PDF: call number, title, barcode and status per line, in shelf order, with page numbers', async () => {
    const res = await get('branch=CPL&location=STACKS&from=QA76&to=QA77&format=pdf').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('inline; filename="shelf-list-CPL-STACKS.pdf"');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toMatch(/Shelf list: CPL, STACKS/);
    expect(text).toMatch(/QA76 to QA77 · 9 items/);
    expect(text).toMatch(/Call number\s+Title\s+Barcode\s+Status/);
    const expected = STACKS.slice(1, 10);
    // Each item's row: call number, then its title, barcode and status on the same line.
    let at = -1;
    for (const cn of expected) {
      const row = new RegExp(`^\\s*${cn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s{2,}.*\\b${barcodeOf.get(cn)}\\s+(available|checked out)\\s*$`, 'm');
      const m = row.exec(text);
      expect({ cn, found: m !== null }).toEqual({ cn, found: true });
      expect(m!.index).toBeGreaterThan(at);
      at = m!.index;
    }
    expect(text).not.toMatch(/QA75\.5|QA78 \.A1|QA770|QB1/);
    expect(text).toMatch(/Page 1 of 1/);
    // The same through the .pdf route.
    const again = await http.get('/api/v1/items/shelf-list.pdf?branch=CPL&location=STACKS&from=QA76&to=QA77').set(auth).expect(200);
    expect(again.headers['content-type']).toBe('application/pdf');
  });

  it('runs onto further pages with "Page n of N" on each, the wrapped title kept whole', async () => {
    const catalog = app.get(CatalogService);
    const rec = (await db().prisma.bibRecord.create({ data: { title: 'Many copies', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from('m'), contentHash: 'h-many' } })).id;
    for (let v = 1; v <= 80; v++) {
      await catalog.createItem({ barcode: `VOL${String(v).padStart(3, '0')}`, recordId: rec, callNumber: `QB5 .M3 v.${v}`, branchCode: 'CPL', locationCode: 'STACKS' });
    }
    const res = await http.get('/api/v1/items/shelf-list.pdf?branch=CPL&location=STACKS').set(auth).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const text = pdfText(res.body as Buffer);
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((p, i) => {
      expect(p).toMatch(new RegExp(`Page ${i + 1} of ${pages.length}`));
      expect(p).toMatch(/Call number\s+Title\s+Barcode\s+Status/);
    });
    // Volumes in numeric order across the pages (v.9 before v.10), and the long title not cut.
    const vols = [...text.matchAll(/QB5 \.M3 v\.(\d+)/g)].map((m) => Number(m[1]));
    expect(vols).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    // The title wraps inside its column: its first line shares the row with the barcode and
    // status, the rest follows underneath, every word there.
    expect(text.replace(/\s+/g, ' ')).toMatch(/QA78 \.A1 Ἰλιάς: a very long title that has to wrap inside its 3900\d+ available column on the printed shelf list, not run into the barcode QA770/);
    expect(text).toMatch(/\(no call number\)/);
  });
  it('keeps byte order on PostgreSQL even where the column collates by language', async () => {
    if (db().provider === 'postgresql') {
      // As in a database created with a language locale: ICU puts ':' (the length mark of a
      // ten-digit number in the key) before the digits.
      await db().prisma.$executeRawUnsafe('ALTER TABLE "Item" ALTER COLUMN "callNumberSortKey" TYPE TEXT COLLATE "en-x-icu"');
      const icu = await db().prisma.$queryRawUnsafe<{ k: string }[]>(`SELECT k FROM (VALUES ('Z/DVD 299'), ('Z/DVD :1234567890')) t(k) ORDER BY k COLLATE "en-x-icu"`);
      expect(icu.map((r) => r.k)).toEqual(['Z/DVD :1234567890', 'Z/DVD 299']);
    }
    const catalog = app.get(CatalogService);
    const rec = (await db().prisma.bibRecord.create({ data: { title: 'Films', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from('f'), contentHash: 'h-films' } })).id;
    for (const [barcode, cn] of [['F1', 'DVD 1234567890'], ['F2', 'DVD 99'], ['F3', 'DVD 3100']]) {
      await catalog.createItem({ barcode: barcode!, recordId: rec, callNumber: cn, branchCode: 'FPL' });
    }
    expect(callNumbers((await get('branch=FPL').expect(200)).body)).toEqual(['QA76.73 .B1', 'DVD 99', 'DVD 3100', 'DVD 1234567890']);
    // Read freely, "DVD 100" is a Dewey number in a DVD collection; these bounds are local numbers.
    expect(callNumbers((await get('branch=FPL&from=DVD 100&to=DVD 9999&scheme=generic').expect(200)).body)).toEqual(['DVD 3100']);
    const open = (await get('branch=FPL&from=DVD 100&scheme=generic').expect(200)).body;
    expect(callNumbers(open)).toEqual(['DVD 3100', 'DVD 1234567890']);
    expect(open.total).toBe(2);
  });
});
