import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callNumberSortKey, detectScheme, splitCallNumber } from '@carrel/callnumber';
import { LABEL_TEMPLATES, labelOrigin } from '@carrel/print';
import { describeEachDatabase, ROOT } from '../support/databases.js';
import { pdfWords, type PdfWord } from './labels-pdf.js';

/** The built `carrel` command (the suite builds before it runs), as an operator runs it. */
function carrel(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'carrel.js'), 'labels', ...args], {
    cwd: ROOT, env: { ...process.env, CARREL_CONFIG: '', CARREL_SEED_DEMO: 'false', ...env }, encoding: 'utf8', timeout: 300_000,
  });
  if (r.error) throw new Error(`carrel labels ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const T = LABEL_TEMPLATES['avery-5160'];
const ITEMS: [barcode: string, callNumber: string, location: string][] = [
  ['31234000000101', 'QA76.73 .J38 2019', 'ADULT'],
  ['31234000000102', 'QA76.9 .D3 C67 2004', 'ADULT'],
  ['31234000000103', 'QA76.73 .P98 L95 2013 v.2', 'ADULT'],
  ['31234000000104', 'QA77 .B2 v.3', 'ADULT'],
  ['31234000000105', 'QA78 .A1', 'ADULT'],
  ['31234000000106', 'J 599.75 SMI', 'JUV'],
  ['31234000000107', 'QA76.5 .S7', 'JUV'],
];

/** words of the label at `position` on a page, in reading order */
function labelWords(words: PdfWord[], position: number, dx = 0, dy = 0): string[] {
  const o = labelOrigin(T, position);
  return words.filter((w) => w.xMin >= o.x + dx - 0.05 && w.xMax <= o.x + dx + T.labelWidth + 0.05 && w.yMin >= o.y + dy - 0.05 && w.yMax <= o.y + dy + T.labelHeight + 0.05).map((w) => w.text);
}

describeEachDatabase('carrel labels', (db) => {
  let env: Record<string, string>;
  let dir: string;
  const out = (name: string) => path.join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-labels-cli-'));
    const prisma = db().prisma;
    const inst = await prisma.institution.create({ data: { code: 'LIB', name: 'Library' } });
    const cpl = await prisma.branch.create({ data: { code: 'CPL', name: 'Centerville', institutionId: inst.id } });
    const loc: Record<string, number> = {};
    for (const code of ['ADULT', 'JUV']) loc[code] = (await prisma.shelvingLocation.create({ data: { branchId: cpl.id, code, name: code } })).id;
    for (const [barcode, callNumber, location] of ITEMS) {
      const rec = await prisma.bibRecord.create({ data: { title: `Title ${barcode}`, marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from(barcode), contentHash: `h-${barcode}` } });
      const scheme = detectScheme(callNumber);
      await prisma.item.create({ data: { barcode, recordId: rec.id, homeBranchId: cpl.id, branchId: cpl.id, locationId: loc[location], callNumber, callNumberScheme: scheme, callNumberSortKey: callNumberSortKey(callNumber, scheme) } });
    }
    env = {
      DATABASE_URL: db().url,
      // migrated already; and this test process keeps the SQLite file open, which a migration would refuse
      CARREL_MIGRATE_ON_START: 'false',
      CARREL_PRINT_STORAGE_DIR: path.join(dir, 'jobs'),
      CARREL_PRINT_PRINTERS: JSON.stringify([{ name: 'workroom', uri: 'socket://127.0.0.1:9', labelProfile: { offsetX: 2.5, offsetY: -1.5 } }]),
    };
  });

  it('makes labels for barcodes in the order given from a start position, and reports barcodes it does not know', () => {
    const r = carrel(['--barcodes', '31234000000104,NO-SUCH,31234000000101', '--template', 'Avery 5160', '--start', '5', '--branch-line', '--out', out('b.pdf')], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/^barcode NO-SUCH: not in the catalog, no label$/m);
    expect(r.stdout).toMatch(/^2 labels on 1 sheet of avery-5160 from position 5$/m);
    const [page] = pdfWords(readFileSync(out('b.pdf')));
    expect(page.width).toBe(612);
    expect(labelWords(page.words, 4)).toEqual([]);
    expect(labelWords(page.words, 5)).toEqual([...splitCallNumber('QA77 .B2 v.3').flatMap((l) => l.split(' ')), 'CPL']);
    expect(labelWords(page.words, 6)).toEqual([...splitCallNumber('QA76.73 .J38 2019').flatMap((l) => l.split(' ')), 'CPL']);
    expect(page.words).toHaveLength(labelWords(page.words, 5).length + labelWords(page.words, 6).length);
  });

  it('makes labels for a shelf-list range in shelf order, with the location above', () => {
    const r = carrel(['--shelf-list', 'CPL:ADULT', '--from', 'QA76', '--to', 'QA77', '--template', 'avery-5160', '--location-prefix', '--out', out('s.pdf')], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^4 labels on 1 sheet/m);
    const [page] = pdfWords(readFileSync(out('s.pdf')));
    const firstLines = [1, 2, 3, 4].map((p) => labelWords(page.words, p).slice(0, 3).join(' '));
    // shelf order: QA76.73 .J38 before QA76.73 .P98, then QA76.9, then QA77 (everything filed under "to")
    expect(firstLines).toEqual(['ADULT QA 76.73', 'ADULT QA 76.73', 'ADULT QA 76.9', 'ADULT QA 77']);
    expect(labelWords(page.words, 1)).toContain('.J38');
    expect(labelWords(page.words, 2)).toContain('.P98');
    expect(labelWords(page.words, 5)).toEqual([]);
    const barcodes = carrel(['--shelf-list', 'CPL', '--template', 'avery-5160', '--layout', 'barcode', '--out', out('all.pdf')], env);
    expect(barcodes.status).toBe(0);
    expect(barcodes.stdout).toMatch(/^7 labels on 1 sheet/m);
    expect(pdfWords(readFileSync(out('all.pdf')))[0].words.map((w) => w.text).sort()).toEqual(ITEMS.map(([b]) => b).sort());
  });

  it('flags labels that do not fit, with the PDF still made', () => {
    const r = carrel(['--barcodes', '31234000000103', '--template', 'avery-5167', '--layout', 'spine+barcode', '--out', out('f.pdf')], env);
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/^label 1 \(sheet 1, position 1\), barcode 31234000000103, (line \d+|barcode) ".*": .+$/m);
    expect(r.stdout).toMatch(/1 labels on 1 sheet of avery-5167 from position 1, 1 flagged/);
    expect(readFileSync(out('f.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('prints a calibration page, applying a printer\'s profile when asked', () => {
    const plain = carrel(['--calibration', '--template', 'avery-5160', '--out', out('c.pdf')], env);
    expect(plain.status).toBe(0);
    const shifted = carrel(['--calibration', '--template', 'avery-5160', '--profile', 'workroom', '--out', out('c2.pdf')], env);
    expect(shifted.stdout).toMatch(/calibration page for avery-5160 with workroom's profile/);
    const a = pdfWords(readFileSync(out('c.pdf')))[0].words.filter((w) => /^\d+$/.test(w.text) && w.yMin > 30);
    const b = pdfWords(readFileSync(out('c2.pdf')))[0].words.filter((w) => /^\d+$/.test(w.text) && w.yMin > 30);
    expect(a.map((w) => w.text)).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    b.forEach((w, i) => {
      expect(w.xMin - a[i].xMin).toBeCloseTo(2.5, 3);
      expect(w.yMin - a[i].yMin).toBeCloseTo(-1.5, 3);
    });
  });

  it('sends the labels to a printer through the print queue, with that printer\'s profile', async () => {
    const r = carrel(['--barcodes', '31234000000105', '--template', 'avery-5160', '--print', 'workroom'], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const id = Number(/^print job (\d+) on workroom: queued$/m.exec(r.stdout)?.[1]);
    const job = await db().prisma.printJob.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ printer: 'workroom', kind: 'labels', status: 'queued', pages: 1, title: '1 spine labels (avery-5160)' });
    const words = pdfWords(readFileSync(job.documentPath))[0].words;
    expect(labelWords(words, 1, 2.5, -1.5)).toEqual(splitCallNumber('QA78 .A1'));
    expect(words[0].xMin).toBeCloseTo(labelOrigin(T, 1).x + T.padding + 2.5, 3);
  });

  it('refuses what the catalog cannot give, saying why, with exit status 2', () => {
    const cases: [string[], RegExp][] = [
      [['--shelf-list', 'NOPE', '--template', 'avery-5160', '--out', out('x.pdf')], /branch "NOPE" not found/],
      [['--shelf-list', 'CPL:ATTIC', '--template', 'avery-5160', '--out', out('x.pdf')], /shelving location "ATTIC" not found at branch "CPL"/],
      [['--shelf-list', 'CPL', '--from', 'QA80', '--to', 'QA90', '--template', 'avery-5160', '--out', out('x.pdf')], /no items to label/],
      [['--barcodes', 'NO-SUCH', '--template', 'avery-5160', '--out', out('x.pdf')], /no items to label/],
    ];
    for (const [args, message] of cases) {
      const r = carrel(args, env);
      expect({ args, status: r.status, stderr: r.stderr }).toEqual({ args, status: 2, stderr: expect.stringMatching(message) });
    }
  });
});

describe('carrel labels: requests refused before any database is opened', () => {
  it('says what is wrong, with exit status 2', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-labels-cli-'));
    const out = path.join(dir, 'x.pdf');
    const env = { DATABASE_URL: `file:${path.join(dir, 'none.db')}`, CARREL_MIGRATE_ON_START: 'false', CARREL_PRINT_PRINTERS: JSON.stringify([{ name: 'workroom', uri: 'socket://127.0.0.1:9' }]) };
    const cases: [string[], RegExp][] = [
      [['--template', 'avery-5160', '--out', out], /give either --barcodes or --shelf-list/],
      [['--barcodes', 'A', '--shelf-list', 'CPL', '--template', 'avery-5160', '--out', out], /give either --barcodes or --shelf-list/],
      [['--barcodes', 'A', '--template', 'avery-5160'], /say where the labels go/],
      [['--barcodes', 'A', '--template', 'avery-9999', '--out', out], /label template "avery-9999" not found \(known: avery-5160, /],
      [['--barcodes', 'A', '--template', 'avery-5160', '--start', '31', '--out', out], /start position must be a whole number from 1 to 30/],
      [['--barcodes', 'A', '--template', 'avery-5160', '--start', 'two', '--out', out], /a label position, 1 or more/],
      [['--barcodes', 'A', '--template', 'avery-5160', '--layout', 'sideways', '--out', out], /--layout must be one of spine, barcode, spine\+barcode/],
      [['--barcodes', 'A', '--template', 'avery-5160', '--symbology', 'qr', '--out', out], /--symbology must be one of codabar, code39, code128/],
      [['--barcodes', 'A', '--from', 'QA1', '--template', 'avery-5160', '--out', out], /--from and --to go with --shelf-list/],
      [['--barcodes', 'A', '--template', 'avery-5160', '--print', 'nowhere'], /printer "nowhere" is not configured \(printers: workroom\)/],
      [['--calibration', '--barcodes', 'A', '--template', 'avery-5160', '--out', out], /--calibration prints the sheet's outlines, not items/],
    ];
    for (const [args, message] of cases) {
      const r = carrel(args, env);
      expect({ args, status: r.status, stderr: r.stderr }).toEqual({ args, status: 2, stderr: expect.stringMatching(message) });
    }
  });
});
