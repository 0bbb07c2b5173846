// The generator is imported directly, not through index.ts, which also exports the Nest seeder.
import { callNumberSortKey, detectScheme, parseCallNumber } from '@carrel/callnumber';
import { extractItems, KOHA_952_MAPPING, readIso2709, writeIso2709, type MarcDataField, type MarcField, type MarcRecord } from '@carrel/marc';
import { isbn13CheckDigit, isValidIsbn, isValidIssn, isValidLuhn, luhnCheckDigit } from './checkdigits.js';
import {
  DEMO_PATRON_ROLES, DEMO_STAFF_TOKEN, demoPinFor, generateDemoLibrary, lcCutter, type DemoItem, type DemoLibrary,
} from './generate.js';
import { mulberry32, Rng } from './prng.js';

const TODAY = '2026-11-28';
const lib = generateDemoLibrary({ seed: 1, today: TODAY });
const items = lib.records.flatMap((r) => r.items);

const dataFields = (r: MarcRecord, tag: string): MarcDataField[] =>
  r.fields.filter((f: MarcField): f is MarcDataField => f.tag === tag && !('value' in f));
const control = (r: MarcRecord, tag: string): string | undefined => {
  const f = r.fields.find((x) => x.tag === tag);
  return f && 'value' in f ? f.value : undefined;
};
const sub = (f: MarcDataField | undefined, code: string): string | undefined => f?.subfields.find((s) => s.code === code)?.value;
const isDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

describe('mulberry32 / Rng', () => {
  it('is reproducible and spread over [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.filter((x) => x < 0.5).length).toBeGreaterThan(400);
    expect(mulberry32(43)()).not.toBe(mulberry32(42)());
  });

  it('gives named streams that do not follow each other', () => {
    expect(new Rng(1, 'patrons').float()).not.toBe(new Rng(1, 'records').float());
    const r = new Rng(7);
    const ints = Array.from({ length: 500 }, () => r.int(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
  });
});

describe('check digits', () => {
  it('agree with published examples', () => {
    expect(isValidIsbn('9780306406157')).toBe(true);
    expect(isValidIsbn('0306406152')).toBe(true);
    expect(isValidIsbn('9780306406158')).toBe(false);
    expect(isValidIsbn('080442957X')).toBe(true);
    expect(isbn13CheckDigit('978030640615')).toBe('7');
    expect(isValidIssn('0378-5955')).toBe(true);
    expect(isValidIssn('0378-5954')).toBe(false);
    expect(luhnCheckDigit('2300000000001')).toBe('1');
    expect(isValidLuhn('79927398713')).toBe(true);
  });

  it('lcCutter follows the LC Cutter table', () => {
    expect(lcCutter('Smith')).toBe('S65');
    expect(lcCutter('Adams')).toBe('A33');
    expect(lcCutter('Quinn')).toBe('Q56');
    expect(lcCutter('Schmidt')).toBe('S36');
    expect(lcCutter('Brontë')).toBe('B76');
  });
});

describe('generateDemoLibrary', () => {
  it('is deterministic: same seed and day, same library', () => {
    expect(JSON.stringify(generateDemoLibrary({ seed: 1, today: TODAY }))).toBe(JSON.stringify(lib));
    const other = generateDemoLibrary({ seed: 2, today: TODAY });
    expect(other.records.map((r) => control(r.marc, '001'))).toEqual(lib.records.map((r) => control(r.marc, '001')));
    expect(JSON.stringify(other.records)).not.toBe(JSON.stringify(lib.records));
    expect(JSON.stringify(other.patrons)).not.toBe(JSON.stringify(lib.patrons));
  });

  it('reads neither Math.random nor the clock', () => {
    const random = Math.random;
    const now = Date.now;
    Math.random = () => {
      throw new Error('Math.random called');
    };
    Date.now = () => {
      throw new Error('Date.now called');
    };
    try {
      expect(generateDemoLibrary({ seed: 5, today: '2024-02-29' }).records.length).toBe(250);
      expect(generateDemoLibrary().patrons.length).toBe(60);
    } finally {
      Math.random = random;
      Date.now = now;
    }
  });

  it('rejects a `today` that is not a real YYYY-MM-DD date', () => {
    for (const today of ['2026-02-30', '28/11/2026', '', '2026-11-28T10:00:00Z']) {
      expect(() => generateDemoLibrary({ today })).toThrow(RangeError);
    }
  });

  it('has the promised size', () => {
    expect(lib.institution.code).toBe('CARREL');
    expect(lib.branches.length).toBeGreaterThanOrEqual(3);
    expect(lib.branches.length).toBeLessThanOrEqual(4);
    for (const b of lib.branches) expect(b.locations.map((l) => l.code)).toContain('STACKS');
    expect(lib.patrons).toHaveLength(60);
    expect(lib.records).toHaveLength(250);
    for (const seed of [1, 2, 3, 99, 123456789]) {
      const n = generateDemoLibrary({ seed, today: TODAY }).records.reduce((s, r) => s + r.items.length, 0);
      expect(n).toBeGreaterThanOrEqual(550);
    }
    expect(lib.itemTypes.map((t) => t.code)).toEqual(expect.arrayContaining(['BOOK', 'DVD', 'REF', 'SERIAL']));
    expect(lib.staffToken).toBe(DEMO_STAFF_TOKEN);
    expect(lib.staffToken).toMatch(/^carrel-demo-token-/);
  });

  it('uses unique, check-digit-valid barcodes', () => {
    const itemBarcodes = items.map((i) => i.barcode);
    expect(new Set(itemBarcodes).size).toBe(itemBarcodes.length);
    expect(itemBarcodes[0]).toBe('39000000000013');
    for (const b of itemBarcodes) expect(b).toMatch(/^39000\d{9}$/);
    expect(itemBarcodes.every(isValidLuhn)).toBe(true);
    const patronBarcodes = lib.patrons.map((p) => p.barcode);
    expect(new Set(patronBarcodes).size).toBe(60);
    expect(patronBarcodes[0]).toBe('23000000000011');
    expect(patronBarcodes.every((b) => /^23000\d{9}$/.test(b) && isValidLuhn(b))).toBe(true);
  });

  it('refers only to branches, locations, categories and item types it defines', () => {
    const locations = new Map(lib.branches.map((b) => [b.code, new Set(b.locations.map((l) => l.code))]));
    const types = new Set(lib.itemTypes.map((t) => t.code));
    const bad = items.filter((i) => !locations.get(i.branchCode)?.has(i.locationCode) || !types.has(i.itemType));
    expect(bad).toEqual([]);
    const categories = new Set(lib.patronCategories.map((c) => c.code));
    expect(lib.patrons.filter((p) => !categories.has(p.categoryCode) || !locations.has(p.branchCode))).toEqual([]);
    for (const c of lib.patronCategories) expect(c.fineLimit).toMatch(/^\d+\.\d{2}$/);
  });

  it('writes valid item fields: prices, statuses, every status present, reference not on loan', () => {
    for (const i of items) expect(i.price).toMatch(/^\d+\.\d{2}$/);
    const statuses = new Set(items.map((i) => i.status));
    expect([...statuses].sort()).toEqual(['available', 'checked_out', 'damaged', 'in_transit', 'lost', 'missing', 'on_hold_shelf', 'withdrawn']);
    expect(items.filter((i) => i.status === 'available').length / items.length).toBeGreaterThan(0.7);
    expect(items.filter((i) => i.itemType === 'REF' && i.status !== 'available')).toEqual([]);
  });

  describe('patrons', () => {
    const today = TODAY;
    it('have documented PINs and fixed roles', () => {
      for (const p of lib.patrons) expect(p.pin).toBe(demoPinFor(p.barcode));
      expect(lib.patrons[0]!.pin).toBe('0011');
      expect(lib.pinRule).toContain('last 4 digits');
      const at = (i: number) => lib.patrons[i]!;
      expect(at(DEMO_PATRON_ROLES.adult)).toMatchObject({ categoryCode: 'ADULT', branchCode: 'MAIN', blocked: false });
      expect(at(DEMO_PATRON_ROLES.child).categoryCode).toBe('CHILD');
      expect(at(DEMO_PATRON_ROLES.staff).categoryCode).toBe('STAFF');
      expect(at(DEMO_PATRON_ROLES.faculty)).toMatchObject({ categoryCode: 'FACULTY', branchCode: 'ANNEX' });
      expect(at(DEMO_PATRON_ROLES.expiresToday).expiryDate).toBe(today);
      // Roles do not depend on the seed, so docs can name the cards.
      const other = generateDemoLibrary({ seed: 77, today });
      expect(other.patrons[DEMO_PATRON_ROLES.blocked]!.blocked).toBe(true);
      expect(other.patrons[DEMO_PATRON_ROLES.adult]!.expiryDate > today).toBe(true);
    });

    it('include one blocked and a few expired, all with sensible dates', () => {
      const blocked = lib.patrons.filter((p) => p.blocked);
      expect(blocked).toHaveLength(1);
      expect(blocked[0]!.blockReason).toBeTruthy();
      expect(lib.patrons.filter((p) => !p.blocked && p.blockReason !== null)).toEqual([]);
      const expired = lib.patrons.filter((p) => p.expiryDate < today);
      expect(expired.map((p) => p.barcode)).toEqual(DEMO_PATRON_ROLES.expired.map((i) => lib.patrons[i]!.barcode));
      for (const p of lib.patrons) {
        expect(isDate(p.expiryDate)).toBe(true);
        if (p.dateOfBirth !== null) {
          expect(isDate(p.dateOfBirth)).toBe(true);
          expect(p.dateOfBirth < today).toBe(true);
        }
        if (p.categoryCode === 'CHILD') expect(p.dateOfBirth! > '2013-11-28').toBe(true);
        if (p.email !== null) expect(p.email).toMatch(/^[a-z0-9.]+@example\.org$/);
        if (p.phone !== null) expect(p.phone).toMatch(/^555-01\d\d$/);
      }
      expect(new Set(lib.patrons.map((p) => p.email).filter(Boolean)).size).toBe(lib.patrons.filter((p) => p.email).length);
      expect(lib.patrons.some((p) => /[^\x00-\x7f]/.test(p.surname + p.firstname))).toBe(true);
    });
  });

  describe('MARC records', () => {
    it('have a leader, control fields and a 008 of the right shape', () => {
      const ids = new Set<string>();
      for (const { marc } of lib.records) {
        expect(marc.leader).toHaveLength(24);
        expect(marc.leader[9]).toBe('a');
        expect(marc.leader.slice(20)).toBe('4500');
        const id = control(marc, '001')!;
        expect(id).toMatch(/^CDL\d{7}$/);
        ids.add(id);
        expect(control(marc, '003')).toBe('CARREL');
        const f008 = control(marc, '008')!;
        expect(f008).toHaveLength(40);
        expect(f008.slice(0, 6)).toBe('261128');
        expect(f008.slice(35, 38)).toMatch(/^[a-z]{3}$/);
      }
      expect(ids.size).toBe(250);
    });

    it('carry valid ISBNs (and ISSNs) and the descriptive fields', () => {
      let isbns = 0;
      for (const { marc } of lib.records) {
        for (const f of dataFields(marc, '020')) {
          const isbn = sub(f, 'a')!.split(' ')[0]!;
          expect({ isbn, valid: isValidIsbn(isbn) }).toEqual({ isbn, valid: true });
          isbns++;
        }
        for (const f of dataFields(marc, '022')) expect(isValidIssn(sub(f, 'a')!)).toBe(true);
        const t = dataFields(marc, '245')[0]!;
        expect(sub(t, 'a')).toBeTruthy();
        expect(t.ind1).toBe(dataFields(marc, '100').length > 0 ? '1' : '0');
        expect(dataFields(marc, '260').length + dataFields(marc, '264').filter((f) => f.ind2 === '1').length).toBe(1);
        expect(dataFields(marc, '300')).toHaveLength(1);
        expect(dataFields(marc, '050').length + dataFields(marc, '082').length).toBeGreaterThan(0);
        expect(dataFields(marc, '952').length).toBe(lib.records.find((r) => r.marc === marc)!.items.length);
      }
      expect(isbns).toBeGreaterThan(150);
      const subjects = lib.records.filter((r) => dataFields(r.marc, '650').length > 0).length;
      expect(subjects).toBeGreaterThan(150);
    });

    it('set the 245 non-filing indicator from the leading article', () => {
      let articles = 0;
      for (const { marc } of lib.records) {
        const t = dataFields(marc, '245')[0]!;
        const title = sub(t, 'a')!;
        const skip = Number(t.ind2);
        const article = /^(?:The |An |A |Les |La |El )/.exec(title)?.[0];
        expect({ title, skip }).toEqual({ title, skip: article?.length ?? 0 });
        if (article) articles++;
        expect(title.charAt(skip)).toMatch(/\S/);
      }
      expect(articles).toBeGreaterThan(20);
    });

    it('mix in diacritics and non-Latin scripts', () => {
      const text = (r: { marc: MarcRecord }) => [...dataFields(r.marc, '100'), ...dataFields(r.marc, '245')].flatMap((f) => f.subfields.map((s) => s.value)).join(' ');
      const all = lib.records.map(text);
      expect(all.some((t) => t.includes('Brontë'))).toBe(true);
      expect(all.filter((t) => /[À-ž]/.test(t)).length).toBeGreaterThan(10);
      expect(all.filter((t) => /[\u0370-\u03ff\u0400-\u04ff\u0600-\u06ff\u3040-\u30ff\u4e00-\u9fff]/.test(t)).length).toBeGreaterThanOrEqual(5);
    });

    it('describe each item in a Koha 952 that matches the item list', () => {
      for (const r of lib.records) {
        const extracted = extractItems(r.marc, KOHA_952_MAPPING);
        expect(
          extracted.map((e) => ({ barcode: e.barcode, branchCode: e.branch, locationCode: e.location, callNumber: e.callNumber, itemType: e.itemType, collectionCode: e.collectionCode, price: e.price })),
        ).toEqual(r.items.map(({ status: _status, ...rest }: DemoItem) => rest));
        const fields = dataFields(r.marc, '952');
        r.items.forEach((item, k) => {
          const f = fields[k]!;
          expect({ barcode: item.barcode, lost: sub(f, '1') ?? null, withdrawn: sub(f, '0') ?? null, damaged: sub(f, '4') ?? null, onLoan: sub(f, 'q') !== undefined }).toEqual({
            barcode: item.barcode,
            lost: item.status === 'lost' ? '1' : item.status === 'missing' ? '4' : null,
            withdrawn: item.status === 'withdrawn' ? '1' : null,
            damaged: item.status === 'damaged' ? '1' : null,
            onLoan: item.status === 'checked_out',
          });
        });
      }
    });

    it('survive an ISO 2709 round trip through @carrel/marc', () => {
      const file = Buffer.concat(lib.records.map((r) => writeIso2709(r.marc)));
      const back = [...readIso2709(file)];
      expect(back.filter((r) => !r.ok)).toEqual([]);
      expect(back.map((r) => (r.ok ? r.record.fields : null))).toEqual(lib.records.map((r) => r.marc.fields));
    });
  });

  describe('call numbers', () => {
    it('are LC at the Annex and Dewey at the public branches, with both well represented', () => {
      const lc = items.filter((i) => i.branchCode === 'ANNEX');
      const dewey = items.filter((i) => i.branchCode !== 'ANNEX');
      expect(lc.length).toBeGreaterThan(60);
      expect(dewey.length).toBeGreaterThan(300);
      expect(lc.filter((i) => detectScheme(i.callNumber) !== 'lc').map((i) => i.callNumber)).toEqual([]);
      expect(dewey.filter((i) => detectScheme(i.callNumber) !== 'dewey').map((i) => i.callNumber)).toEqual([]);
      for (const pattern of [/^[A-Z]{1,3}\d+(\.\d+)?(\.[A-Z]\d+)? [.]?[A-Z]\d+ \d{4}/, /^FIC [A-Z]{3}$/, /^J \d{3}(\.\d+)? [A-Z]{3}$/, /^REF \d{3}(\.\d+)? [A-Z]{3} \d{4}/, /^\d{3}\.\d+ [A-Z]{3}$/, / v\.\d+/, / c\.\d+$/]) {
        expect({ pattern: String(pattern), found: items.some((i) => pattern.test(i.callNumber)) }).toEqual({ pattern: String(pattern), found: true });
      }
    });

    it('all get a sort key, and volumes shelve in numeric order', () => {
      for (const i of items) {
        const scheme = i.branchCode === 'ANNEX' ? 'lc' : 'dewey';
        expect(callNumberSortKey(i.callNumber, scheme)).toMatch(scheme === 'lc' ? /^L / : /^D[ /]/);
        expect(parseCallNumber(i.callNumber).scheme).toBe(scheme);
      }
      const serial = lib.records.find((r) => r.items.filter((i) => i.branchCode === 'ANNEX' && i.itemType === 'SERIAL').length >= 3)!;
      const volumes = serial.items.filter((i) => i.branchCode === 'ANNEX');
      const byKey = [...volumes].sort((a, b) => (callNumberSortKey(a.callNumber) < callNumberSortKey(b.callNumber) ? -1 : 1));
      expect(byKey.map((i) => i.callNumber)).toEqual(volumes.map((i) => i.callNumber));
    });
  });
});

// Keeps the DemoLibrary type honest against the brief: a structural check at compile time.
const _shape: DemoLibrary = lib;
void _shape;
