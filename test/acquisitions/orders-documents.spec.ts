// Orders from ORDERS files, order responses and despatch advices on the database, as the intake applies
// them (a handler per kind of file calling InvoicesService.applyTradeDocument): each document once, each
// bad one refused with its reason and nothing written.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvoicesService } from '@carrel/acquisitions';
import { mapTradeMessage, parseEdifact, type TradeDocument } from '@carrel/edifact';
import { ediMessage } from '../../libs/acquisitions/src/reconcile/spec-helpers.test.js';
import { describeEachDatabase } from '../support/databases.js';
import { acquisitions, type Acq } from './helpers.js';

const doc = (text: string): TradeDocument => {
  const file = parseEdifact(text);
  expect(file.warnings).toEqual([]);
  return mapTradeMessage(file.interchanges[0]!.messages[0]!);
};

const ORDERS = ediMessage('ORDERS', [
  'BGM+220+PO-7+9', 'DTM+137:20240201:102', 'CUX+2:EUR:9',
  'LIN+1++9780306406157:EN', 'QTY+21:2', 'PRI+AAA:12.50', 'RFF+LI:PO-7/1', 'GIR+001+MAIN:LLO+ADULT:LFN', 'GIR+002+EAST:LLO+ADULT:LFN',
  'LIN+2++9780198526636:EN', 'PIA+5+V-42:SA', 'IMD+L+050+:::Statistics', 'QTY+21:1', 'RFF+LI:PO-7/2',
  'LIN+3++9781861972712:EN', 'QTY+21:1',
], 'O1');

describeEachDatabase('acquisitions: order, order response and despatch documents', (db) => {
  let acq: Acq;
  let invoices: InvoicesService;
  let vendorId: number;
  let dir: string;
  const applied: unknown[] = [];

  /** Everything a document may change. */
  const state = async () => {
    const p = db().prisma;
    return {
      orders: await p.order.findMany({ orderBy: { id: 'asc' } }), lines: await p.orderLine.findMany({ orderBy: { id: 'asc' } }),
      copies: await p.receivedCopy.findMany({ orderBy: { id: 'asc' } }), items: await p.item.findMany({ orderBy: { id: 'asc' } }),
    };
  };

  beforeAll(async () => {
    acq = await acquisitions(db());
    invoices = acq.app.get(InvoicesService);
    dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-orders-'));
    // the module hands the intake's parsed documents to applyTradeDocument; watch what it applied
    invoices.onApplied = (o) => applied.push(o);
    vendorId = (await acq.vendors.create({ code: 'EDV', name: 'Vendor', currency: 'EUR' })).id;
    const p = db().prisma;
    const inst = await p.institution.create({ data: { code: 'LIB', name: 'Library' } });
    await p.branch.create({ data: { code: 'MAIN', name: 'Main', institutionId: inst.id } });
  });
  afterAll(() => acq?.close());

  const load = (name: string, text: string | Buffer) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return acq.intake.loadLocalFile('EDV', file);
  };

  it('an ORDERS file creates the order once: references, identifiers, prices, branches and problems', async () => {
    const outcome = await load('PO-7.edi', ORDERS);
    expect(outcome).toMatchObject({ state: 'processed', kind: 'order', duplicate: false });
    expect(applied.pop()).toMatchObject({
      type: 'ORDERS', applied: true, lines: 3, problems: ['line 3: no order-line reference (RFF+LI); the vendor cannot echo one back'],
    });
    const order = await db().prisma.order.findFirstOrThrow({ where: { orderNumber: 'PO-7' }, include: { lines: { orderBy: { id: 'asc' } } } });
    expect(order).toMatchObject({ vendorId, currency: 'EUR', intakeFileId: outcome.fileId, status: 'open' });
    expect(order.orderedAt?.toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(order.lines.map((l) => [l.lineReference, l.isbn, l.quantity, l.unitPrice?.toString() ?? null, l.branchCode, l.fundCode, l.vendorReference, l.title])).toEqual([
      ['PO-7/1', '9780306406157', 2, '12.5', 'MAIN', 'ADULT', null, null],
      ['PO-7/2', '9780198526636', 1, null, null, null, 'V-42', 'Statistics'],
      ['PO-7#3', '9781861972712', 1, null, null, null, null, null],
    ]);
    const before = await state();
    expect(await invoices.applyTradeDocument(vendorId, outcome.fileId, doc(ORDERS))).toMatchObject({ applied: false, problems: ['order PO-7 is on file already'] });
    expect((await load('PO-7-again.edi', ORDERS)).duplicate).toBe(true);
    expect(await state()).toEqual(before);
  });

  it('an order response from the intake, then the same message in another file: applied once', async () => {
    const text = ediMessage('ORDRSP', [
      'BGM+231+RSP-7+4', 'RFF+ON:PO-7',
      'LIN+1+24', 'QTY+21:2', 'QTY+83:2', 'DTM+44:20240501:102', 'RFF+LI:PO-7/1',
      'LIN+2+5', 'QTY+21:1', 'RFF+LI:PO-7/2',
    ], 'RSP1');
    expect(await load('RSP-7.CEA', text)).toMatchObject({ state: 'processed', kind: 'order-response' });
    expect(applied.pop()).toMatchObject({ type: 'ORDRSP', applied: true, unmatched: [] });
    const lines = await db().prisma.orderLine.findMany({ orderBy: { id: 'asc' } });
    expect(lines.map((l) => [l.status, l.backOrderedQuantity, l.expectedAt?.toISOString().slice(0, 10) ?? null])).toEqual([
      ['back-ordered', 2, '2024-05-01'], ['accepted', 0, null], ['ordered', 0, null],
    ]);
    const audit = await db().prisma.auditEntry.findMany({ where: { entity: 'OrderLine', action: 'order-response' } });
    expect(audit).toHaveLength(2);
    const before = await state();
    // a retransmission in a file of other bytes: the same response number and message reference
    expect(await load('RSP-7-resent.CEA', `${text}\r\n`)).toMatchObject({ state: 'processed', duplicate: false });
    expect(applied.pop()).toMatchObject({ applied: false, updated: [] });
    expect(await state()).toEqual(before);
  });

  it('a response cancelling the whole order (function 27, no lines) cancels every open line, with the reason', async () => {
    const p = db().prisma;
    const order = await p.order.create({ data: { vendorId, orderNumber: 'PO-8', currency: 'EUR', lines: { create: [{ lineReference: 'PO-8/1', quantity: 1, currency: 'EUR' }, { lineReference: 'PO-8/2', quantity: 1, currency: 'EUR' }] } } });
    const r = await invoices.applyTradeDocument(vendorId, null, doc(ediMessage('ORDRSP', ['BGM+231+RSP-8+27', 'RFF+ON:PO-8', 'FTX+AAR++NK:8B'], 'RSP8')));
    expect(r).toMatchObject({ applied: true });
    const lines = await p.orderLine.findMany({ where: { orderId: order.id }, orderBy: { id: 'asc' } });
    expect(lines.map((l) => [l.status, l.cancelReason])).toEqual([['cancelled', 'NK: not known to the supplier'], ['cancelled', 'NK: not known to the supplier']]);
    // a later response cannot bring a cancelled line back
    const later = await invoices.applyTradeDocument(vendorId, null, doc(ediMessage('ORDRSP', ['BGM+231+RSP-8B+4', 'LIN+1+5', 'RFF+LI:PO-8/1'], 'RSP9')));
    expect(later).toMatchObject({ applied: true, updated: [{ status: 'cancelled', problems: ['the order line is cancelled; the response does not change it'] }] });
  });

  it('a despatch: copies recorded, items created where the record and branch are known, odd barcodes refused', async () => {
    const p = db().prisma;
    const record = await p.bibRecord.create({ data: { title: 'Signal processing', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from('x'), contentHash: 'h' } });
    const other = await p.bibRecord.create({ data: { title: 'Other', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from('y'), contentHash: 'h2' } });
    const main = await p.branch.findUniqueOrThrow({ where: { code: 'MAIN' } });
    await p.item.create({ data: { barcode: 'TAKEN-1', recordId: other.id, branchId: main.id, homeBranchId: main.id } });
    await p.orderLine.updateMany({ where: { lineReference: 'PO-7/1' }, data: { recordId: record.id } });
    const text = ediMessage('DESADV', [
      'BGM+351+DSP-7+9',
      'LIN+1', 'QTY+12:2', 'RFF+LI:PO-7/1', 'GIR+001+B-0001:LAC+ADULT:LST', `GIR+002+${'X'.repeat(200)}:LAC`,
      'LIN+2', 'QTY+12:1', 'RFF+LI:PO-7/1', 'GIR+001+TAKEN-1:LAC',
      'LIN+3', 'QTY+12:1', 'RFF+LI:NOT-OURS', 'GIR+001+B-0009:LAC',
      'LIN+4', 'QTY+12:1', 'RFF+LI:PO-7/2',
    ], 'DSP1');
    const outcome = await load('DSP-7.edi', text);
    expect(outcome).toMatchObject({ state: 'processed', kind: 'despatch-advice' });
    const r = applied.pop() as { received: { quantity: number; receivedAfter: number; itemsCreated: string[]; problems: string[] }[]; unmatched: unknown[] };
    expect(r.received.map((x) => [x.quantity, x.receivedAfter, x.itemsCreated])).toEqual([[2, 2, ['B-0001']], [1, 3, []], [1, 1, []]]);
    expect(r.received[0]!.problems).toEqual([expect.stringMatching(/^copy 002: barcode "X{80}" is not a barcode; no item$/)]);
    expect(r.received[1]!.problems).toEqual(['received 3 in all, more than the 2 ordered', 'copy 001: barcode TAKEN-1 belongs to another record\'s item; no item created']);
    expect(r.received[2]!.problems).toEqual([]);
    expect(r.unmatched).toEqual([{ lineNumber: '3', orderLineReference: 'NOT-OURS', quantity: 1, problems: ['no order line matches this despatch line'] }]);
    const item = await p.item.findUniqueOrThrow({ where: { barcode: 'B-0001' } });
    // the order line's branch (from GIR LLO of the order) is where the copy goes when the despatch names none
    expect(item).toMatchObject({ recordId: record.id, branchId: main.id, homeBranchId: main.id, itemTypeId: null, copyNumber: '001' });
    const copies = await p.receivedCopy.findMany({ where: { intakeFileId: outcome.fileId }, orderBy: { id: 'asc' } });
    expect(copies.map((c) => [c.barcode, c.itemId, c.quantity, c.orderLineId === null])).toEqual([
      ['B-0001', item.id, 1, false], [null, null, 1, false], ['TAKEN-1', null, 1, false], [null, null, 1, false], ['B-0009', null, 1, true],
    ]);
    const lines = await p.orderLine.findMany({ where: { order: { orderNumber: 'PO-7' } }, orderBy: { id: 'asc' } });
    expect(lines.map((l) => [l.receivedQuantity, l.status])).toEqual([[3, 'received'], [1, 'received'], [0, 'ordered']]);
    const before = await state();
    expect(await invoices.applyTradeDocument(vendorId, outcome.fileId, doc(text))).toMatchObject({ applied: false, received: [] });
    expect(await state()).toEqual(before);
  });

  it('refuses what cannot be applied, writing nothing: no BGM number, an absurd quantity, an unknown vendor; quotes are left alone', async () => {
    const before = await state();
    const noNumber = await load('NONUMBER.CEA', ediMessage('ORDRSP', ['BGM+231++4', 'LIN+1+5', 'RFF+LI:PO-7/1'], 'X1'));
    expect(noNumber).toMatchObject({ state: 'quarantined', quarantineReason: 'processing failed: ORDRSP message X1 has no document number (BGM)' });
    const absurd = ediMessage('DESADV', ['BGM+351+DSP-ABSURD+9', 'LIN+1', 'QTY+12:1', 'RFF+LI:PO-7/2', 'LIN+2', 'QTY+12:5000000', 'RFF+LI:PO-7/1'], 'X2');
    await expect(invoices.applyTradeDocument(vendorId, null, doc(absurd))).rejects.toThrow('despatch line 2: quantity 5000000 is out of range');
    await expect(invoices.applyTradeDocument(999999, null, doc(absurd))).rejects.toThrow('vendor 999999 not found');
    const quote = await invoices.applyTradeDocument(vendorId, null, doc(ediMessage('QUOTES', ['BGM+31C+Q-1+9', 'LIN+1', 'QTY+1:1'], 'Q1')));
    expect(quote).toMatchObject({ type: 'QUOTES', applied: false, reason: 'QUOTES messages do not change orders or invoices' });
    expect(await state()).toEqual(before);
    expect(await db().prisma.auditEntry.count({ where: { entity: 'TradeDocument', entityId: { contains: 'ABSURD' } } })).toBe(0);
  });
});
