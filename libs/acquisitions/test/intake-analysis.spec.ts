import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { analyseIntake, detectIntakeFormat } from '../src/intake-analysis.js';
import { describeWithFixtures, fixturePath } from '../../../test/support/fixtures.js';

const own = (name: string) => readFileSync(path.join(process.cwd(), 'test', 'acquisitions', 'fixtures', name));

describe('intake analysis on our own small files', () => {
  it('reads an invoice: one INVOIC message, kind from the content, no quarantine', () => {
    const a = analyseIntake(own('invoice-small.CEI'), 'invoice');
    expect(a).toMatchObject({ kind: 'invoice', messageType: 'INVOIC', documentCount: 1, quarantineReason: null });
    expect(a.edifact!.documents[0]!.documentNumber).toBe('INV0001');
    expect(a.warnings).toEqual([]);
  });

  it('trusts the content over the name: an order response named like an invoice is an order response, with a warning', () => {
    const a = analyseIntake(own('ordrsp-small.CEA'), 'invoice');
    expect(a.kind).toBe('order-response');
    expect(a.warnings.map((w) => w.code)).toContain('kind-differs');
  });

  it('quarantines a file with no EDIFACT message in it', () => {
    const a = analyseIntake(own('corrupt.CEI'), 'invoice');
    expect(a.quarantineReason).toMatch(/no message/);
    expect(a.messageType).toBeNull();
  });

  it('a truncated interchange is read as far as it goes: quarantined when no whole message came, with the parser warnings kept', () => {
    const a = analyseIntake(own('truncated.CEI'), 'invoice');
    expect(a.warnings.length).toBeGreaterThan(0);
    // the message header arrived but not its end: the warnings say what is missing
    expect(a.warnings.map((w) => w.code).join(' ')).toMatch(/missing-unt|missing-unz|unterminated/);
  });

  it('decodes text outside the declared UNOA character set and says so, still processing the invoice', () => {
    const a = analyseIntake(own('latin1-unoa.CEI'), 'invoice');
    expect(a.quarantineReason).toBeNull();
    expect(a.edifact!.documents[0]!.documentNumber).toBe('INV-ÉTÉ-2');
    expect(a.warnings.length).toBeGreaterThan(0);
  });

  it('classifies MARC (ISO 2709 and MARCXML with the marc: prefix) and counts its records', () => {
    expect(analyseIntake(own('shelf-ready-small.mrc'), 'marc')).toMatchObject({ kind: 'marc', messageType: 'MARC', documentCount: 2, quarantineReason: null });
    expect(analyseIntake(own('shelf-ready-small.xml'), 'unknown')).toMatchObject({ kind: 'marc', documentCount: 1, quarantineReason: null });
  });

  it('quarantines empty, binary and hostile input without throwing', () => {
    expect(analyseIntake(new Uint8Array(0), 'invoice').quarantineReason).toMatch(/empty/);
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 256;
    expect(analyseIntake(junk, 'marc').quarantineReason).toMatch(/neither EDIFACT/);
    // an ISO 2709 leader whose lengths point nowhere: no record survives
    expect(analyseIntake(Buffer.from('99999nam a2200099 a 4500' + 'x'.repeat(50)), 'marc').quarantineReason).toMatch(/MARC: no readable record/);
    // a message type Carrel does not read (an application acknowledgement)
    const aperak = "UNB+UNOC:3+A+B+261128:1200+1'UNH+1+APERAK:D:96A:UN'BGM+313+X'UNT+3+1'UNZ+1+1'";
    expect(analyseIntake(Buffer.from(aperak), 'unknown').quarantineReason).toMatch(/APERAK/);
    // an invoice with no number cannot be told apart from others
    const nameless = "UNB+UNOC:3+A+B+261128:1200+1'UNH+1+INVOIC:D:96A:UN'BGM+380'UNT+3+1'UNZ+1+1'";
    expect(analyseIntake(Buffer.from(nameless), 'invoice').quarantineReason).toMatch(/no invoice number/);
    // a huge run of release characters and separators
    expect(() => analyseIntake(Buffer.from(`UNB+${'?'.repeat(100_000)}'`), 'invoice')).not.toThrow();
  });

  it('tells EDIFACT from MARC by the first bytes, past a byte-order mark and blank lines', () => {
    expect(detectIntakeFormat(Buffer.from("\uFEFF\r\n  UNA:+.? 'UNB+"))).toBe('edifact');
    expect(detectIntakeFormat(own('shelf-ready-small.mrc'))).toBe('marc');
    expect(detectIntakeFormat(Buffer.from('%PDF-1.4'))).toBe('unknown');
  });
});

describeWithFixtures('edifact', 'intake analysis of every shared EDIFACT fixture', () => {
  const files = readdirSync(fixturePath('edifact')).filter((f) => f !== 'SOURCES.md');

  it.each(files)('%s is read as EDIFACT without throwing, with a message type or a reason', (name) => {
    const a = analyseIntake(readFileSync(fixturePath('edifact', name)), 'unknown');
    expect(a.messageType !== null || a.quarantineReason !== null).toBe(true);
    if (a.quarantineReason === null) expect(a.documentCount).toBeGreaterThan(0);
  });

  it.each(['INVOICE.CEI', 'BLSINV337023.CEI', 'ordrsp1.CEA', 'QUOTES_413514.CEQ'])('%s, a real vendor file in Koha\'s naming, is not quarantined', (name) => {
    const a = analyseIntake(readFileSync(fixturePath('edifact', name)), 'unknown');
    expect(a.quarantineReason).toBeNull();
    expect(a.kind).toBe({ CEI: 'invoice', CEA: 'order-response', CEQ: 'quote' }[name.slice(-3)]);
  });
});

describeWithFixtures('marc', 'intake analysis of the shared vendor MARC files', () => {
  it.each(['sample_acq_order.mrc', 'brodart_bibzII_MARC_on-order_records_w_funds.001', 'batch-ns.xml'])('%s is MARC with records', (name) => {
    const a = analyseIntake(readFileSync(fixturePath('marc', name)), 'unknown');
    expect(a.kind).toBe('marc');
    expect(a.documentCount).toBeGreaterThan(0);
  });
});
