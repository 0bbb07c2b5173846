// A whole acquisitions cycle on the database and through the staff API: order → order response →
// despatch → invoice with a short shipment, a price difference beyond tolerance, an unordered line and
// the same invoice number sent again; staff decide and accept; the same documents applied again change nothing.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { InvoicesService } from '@carrel/acquisitions';
import { StaffTokenService } from '@carrel/auth';
import { mapTradeMessage, parseEdifact, type TradeDocument } from '@carrel/edifact';
import { createLogger } from '@carrel/logging';
import { createHub } from '../../apps/hub/src/bootstrap.js';
import { ediMessage } from '../../libs/acquisitions/src/reconcile/spec-helpers.test.js';
import { testSettings } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { describeWithFixtures, fixturePath } from '../support/fixtures.js';

const EDI = { 'Content-Type': 'application/edifact' };
const doc = (text: string): TradeDocument => {
  const file = parseEdifact(text);
  expect(file.warnings).toEqual([]);
  return mapTradeMessage(file.interchanges[0]!.messages[0]!);
};

const ORDRSP = ediMessage('ORDRSP', [
  'BGM+231+R-100+4', 'DTM+137:20240301:102', 'RFF+ON:100', 'CUX+2:GBP:9',
  'LIN+1+5+9780306406157:EN', 'QTY+21:3', 'RFF+LI:100/1',
  'LIN+2+24+9780198526636:EN', 'QTY+21:2', 'QTY+83:1', 'DTM+44:20240415:102', 'FTX+LIN++OB:8B', 'RFF+LI:100/2',
  'LIN+3+2+9781861972712:EN', 'QTY+21:1', 'FTX+LIN++OP:8B', 'RFF+LI:100/3',
  'LIN+4+5+9780000000002:EN', 'QTY+21:1', 'RFF+LI:999/9',
], 'R1');

const DESADV = ediMessage('DESADV', [
  'BGM+351+D-100+9', 'DTM+137:20240320:102', 'RFF+ON:100',
  'LIN+1++9780306406157:EN', 'QTY+12:2', 'RFF+LI:100/1', 'GIR+001+39000000000013:LAC+MAIN:LLO+QA76 .S5:LSM', 'GIR+002+39000000000021:LAC+NOWHERE:LLO',
  'LIN+2++9780198526636:EN', 'QTY+12:1', 'RFF+LI:100/2', 'GIR+001+39000000000039:LAC+MAIN:LLO',
], 'D1');

const invoice = (interchange: string, number = 'INV-1') => {
  const text = ediMessage('INVOIC', [
    `BGM+380+${number}+9`, 'DTM+137:20240325:102', 'NAD+SU+5013546027173::9', 'CUX+2:GBP:4',
    'LIN+1++9780306406157:EN', 'QTY+47:3', 'MOA+203:30.00', 'PRI+AAA:10.00', 'RFF+LI:100/1',
    'LIN+2++9780198526636:EN', 'QTY+47:1', 'MOA+203:21.50', 'PRI+AAA:21.50', 'RFF+LI:100/2',
    'LIN+3++9780262033848:EN', 'IMD+L+050+:::Introduction to algorithms', 'QTY+47:1', 'MOA+203:45.00', 'PRI+AAA:45.00',
    'UNS+S', 'CNT+2:3', 'MOA+79:96.50', 'MOA+86:100.50', 'ALC+C++++DL::28:Delivery', 'MOA+8:4.00',
  ], 'I1');
  return text.replace(/\+IC1'/g, `+${interchange}'`);
};

describeEachDatabase('acquisitions: order → response → despatch → invoice reconciliation', (db) => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let auth: Record<string, string>;
  let invoices: InvoicesService;
  let vendorId: number;
  let recordId: number;
  let lineIds: number[];
  let invoiceId: number;

  /** Everything the documents may change, to show a second application changes nothing. */
  const state = async () => {
    const p = db().prisma;
    return {
      lines: await p.orderLine.findMany({ orderBy: { id: 'asc' } }),
      orders: await p.order.findMany({ orderBy: { id: 'asc' } }),
      copies: await p.receivedCopy.count(),
      items: await p.item.findMany({ orderBy: { id: 'asc' } }),
      invoices: await p.invoice.findMany({ orderBy: { id: 'asc' } }),
      invoiceLines: await p.invoiceLine.findMany({ orderBy: { id: 'asc' } }),
    };
  };

  beforeAll(async () => {
    const env = { CARREL_ACQUISITIONS_STORAGE_DIR: mkdtempSync(path.join(os.tmpdir(), 'carrel-recon-')) };
    app = await createHub(testSettings(db(), env), createLogger('silent'));
    await app.listen(0, '127.0.0.1');
    http = request(app.getHttpServer());
    auth = { Authorization: `Bearer ${(await app.get(StaffTokenService).create('acq-staff')).token}` };
    invoices = app.get(InvoicesService);
    const p = db().prisma;
    const inst = await p.institution.create({ data: { code: 'LIB', name: 'Library' } });
    await p.branch.create({ data: { code: 'MAIN', name: 'Main', institutionId: inst.id } });
    recordId = (await p.bibRecord.create({ data: { title: 'Signal processing', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from('x'), contentHash: 'h1' } })).id;
    const v = (await http.post('/api/v1/acquisitions/vendors').set(auth).send({ code: 'BLS', name: 'BLS', currency: 'GBP', priceToleranceAmount: '0.05', priceTolerancePercent: '1' }).expect(201)).body;
    vendorId = v.id;
  });
  afterAll(() => app?.close());

  it('creates the order through the API and lists its lines with their status', async () => {
    await http.post('/api/v1/acquisitions/orders').send({}).expect(401);
    const order = (await http.post('/api/v1/acquisitions/orders').set(auth).send({
      vendor: 'BLS', orderNumber: '100', orderedAt: '2024-02-28', lines: [
        { lineReference: '100/1', isbn: '978-0-306-40615-7', title: 'Signal processing', quantity: 3, unitPrice: '10.00', recordId, branchCode: 'MAIN' },
        { lineReference: '100/2', isbn: '0-19-852663-6', title: 'Statistics', quantity: 2, unitPrice: '20.00' },
        { lineReference: '100/3', isbn: '1861972717', title: 'Out of print', quantity: 1, unitPrice: '15.00' },
      ],
    }).expect(201)).body;
    expect(order).toMatchObject({ orderNumber: '100', currency: 'GBP', status: 'open', vendorCode: 'BLS' });
    expect(order.lines.map((l: { isbn: string; unitPrice: string; identifiers: string[] }) => [l.isbn, l.unitPrice, l.identifiers])).toEqual([
      ['978-0-306-40615-7', '10.00', ['9780306406157']], ['0-19-852663-6', '20.00', ['9780198526636']], ['1861972717', '15.00', ['9781861972712']],
    ]);
    lineIds = order.lines.map((l: { id: number }) => l.id);
    const listed = (await http.get('/api/v1/acquisitions/orders?vendor=BLS').set(auth).expect(200)).body;
    expect(listed).toMatchObject({ total: 1, orders: [{ id: order.id, lineCount: 3 }] });
    expect((await http.get(`/api/v1/acquisitions/orders/${order.id}`).set(auth).expect(200)).body.lines).toHaveLength(3);
    const lines = (await http.get('/api/v1/acquisitions/order-lines?vendor=BLS&status=ordered').set(auth).expect(200)).body;
    expect(lines.lines.map((l: { lineReference: string; orderNumber: string }) => `${l.orderNumber}:${l.lineReference}`)).toEqual(['100:100/1', '100:100/2', '100:100/3']);
    const audit = await db().prisma.auditEntry.findMany({ where: { entity: 'Order', entityId: String(order.id) } });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([['create', 'staff-token:acq-staff']]);
  });

  it('refuses a bad order with every reason, a second order of the same number, an unknown vendor', async () => {
    const bad = (await http.post('/api/v1/acquisitions/orders').set(auth).send({ vendor: 'BLS', orderNumber: '', lines: [{ lineReference: 'x', quantity: 0, unitPrice: '1,5' }], extra: 1 }).expect(400)).body;
    for (const m of [/^orderNumber must be/, /lines\.0\.quantity must not be less than 1/, /lines\.0\.unitPrice must be an amount/, /extra should not exist/]) {
      expect(bad.message).toContainEqual(expect.stringMatching(m));
    }
    await http.post('/api/v1/acquisitions/orders').set(auth).send({ vendor: 'BLS', orderNumber: '100', lines: [{ lineReference: 'a', quantity: 1 }] }).expect(409);
    await http.post('/api/v1/acquisitions/orders').set(auth).send({ vendor: 'NOPE', orderNumber: '7', lines: [{ lineReference: 'a', quantity: 1 }] }).expect(404);
    const twice = (await http.post('/api/v1/acquisitions/orders').set(auth).send({ vendor: 'BLS', orderNumber: '8', lines: [{ lineReference: 'a', quantity: 1 }, { lineReference: 'a', quantity: 2 }] }).expect(400)).body;
    expect(twice.message).toMatch(/line reference "a" appears twice/);
    await http.post('/api/v1/acquisitions/orders').set(auth).send({ vendor: 'BLS', orderNumber: '9', lines: [{ lineReference: 'a', quantity: 1, recordId: 999999 }] }).expect(400);
    expect(await db().prisma.order.count()).toBe(1);
  });

  it('the order response accepts, back-orders and cancels; applied again it changes nothing', async () => {
    const r = await invoices.applyTradeDocument(vendorId, null, doc(ORDRSP));
    expect(r).toMatchObject({ type: 'ORDRSP', applied: true, unmatched: [{ lineNumber: '4', orderLineReference: '999/9' }] });
    const rows = await db().prisma.orderLine.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((l) => [l.status, l.backOrderedQuantity, l.expectedAt?.toISOString().slice(0, 10) ?? null, l.cancelReason])).toEqual([
      ['accepted', 0, null, null], ['back-ordered', 1, '2024-04-15', null], ['cancelled', 0, null, 'OP: out of print'],
    ]);
    const before = await state();
    const again = await invoices.applyTradeDocument(vendorId, null, doc(ORDRSP));
    expect(again).toMatchObject({ applied: false, updated: [] });
    expect(await state()).toEqual(before);
  });

  it('the despatch records 2 of 3 and 1 of 2 copies, creates the items it can, and only once', async () => {
    const r = await invoices.applyTradeDocument(vendorId, null, doc(DESADV));
    expect(r).toMatchObject({ type: 'DESADV', applied: true, unmatched: [] });
    if (r.type !== 'DESADV' || !('received' in r)) throw new Error('not a despatch outcome');
    expect(r.received.map((x) => [x.orderLineId, x.quantity, x.receivedAfter, x.itemsCreated])).toEqual([
      [lineIds[0], 2, 2, ['39000000000013']], [lineIds[1], 1, 1, []],
    ]);
    expect(r.received[0]!.problems).toEqual(['copy 002: branch NOWHERE does not exist; item 39000000000021 not created']);
    expect(r.received[1]!.problems).toEqual(['copy 001: the order line has no catalog record yet; item 39000000000039 not created']);
    const item = await db().prisma.item.findUniqueOrThrow({ where: { barcode: '39000000000013' } });
    expect(item).toMatchObject({ recordId, callNumber: 'QA76 .S5', copyNumber: '001', status: 'available' });
    const copies = await db().prisma.receivedCopy.findMany({ orderBy: { id: 'asc' } });
    expect(copies.map((c) => [c.orderLineId, c.barcode, c.itemId, c.source])).toEqual([
      [lineIds[0], '39000000000013', item.id, 'desadv'], [lineIds[0], '39000000000021', null, 'desadv'], [lineIds[1], '39000000000039', null, 'desadv'],
    ]);
    const lines = await db().prisma.orderLine.findMany({ orderBy: { id: 'asc' } });
    expect(lines.map((l) => [l.receivedQuantity, l.status])).toEqual([[2, 'accepted'], [1, 'back-ordered'], [0, 'cancelled']]);
    const before = await state();
    expect(await invoices.applyTradeDocument(vendorId, null, doc(DESADV))).toMatchObject({ applied: false, received: [] });
    expect(await state()).toEqual(before);
  });

  it('the invoice is loaded over HTTP and reconciled: short shipment, price beyond tolerance, unordered line', async () => {
    const res = (await http.post('/api/v1/acquisitions/invoices?vendor=BLS&name=INV-1.CEI').set(auth).set(EDI).send(invoice('IC1')).expect(201)).body;
    expect(res).toMatchObject({ duplicateFile: false, invoices: [{ type: 'INVOIC', documentNumber: 'INV-1', applied: true, duplicateOf: null, clean: false }] });
    invoiceId = res.invoices[0].invoiceId;
    const file = await db().prisma.intakeFile.findUniqueOrThrow({ where: { id: res.intakeFileId } });
    expect(file).toMatchObject({ originalName: 'INV-1.CEI', state: 'processed', kind: 'invoice', messageType: 'INVOIC' });

    const rec = (await http.get(`/api/v1/acquisitions/invoices/${invoiceId}/reconciliation`).set(auth).expect(200)).body;
    expect(rec).toMatchObject({ id: invoiceId, vendor: 'BLS', invoiceNumber: 'INV-1', state: 'open', currency: 'GBP', invoiceDate: '2024-03-25', linesTotal: '96.50', charges: '4.00', allowances: '0.00', clean: false, undecided: 3 });
    expect(rec.lines.map((l: { orderLineId: number | null; matchedBy: string | null; verdicts: { code: string }[] }) => [l.orderLineId, l.matchedBy, l.verdicts.map((v) => v.code)])).toEqual([
      [lineIds[0], 'line-reference', ['not-yet-received']],
      [lineIds[1], 'line-reference', ['quantity-short', 'price-differs']],
      [null, null, ['not-ordered']],
    ]);
    expect(rec.lines[1].verdicts[1].detail).toBe('unit price 21.50, agreed 20.00 (difference 1.50)');
    expect(rec.header.filter((h: { ok: boolean }) => !h.ok)).toEqual([]);
    expect(rec.header.find((h: { code: string }) => h.code === 'invoice-total')).toMatchObject({ stated: '100.50', computed: '100.50' });
    const stored = await db().prisma.invoiceLine.findMany({ where: { invoiceId }, orderBy: { lineNumber: 'asc' } });
    expect(stored.map((l) => [l.lineNumber, l.verdict, l.quantity, l.orderLineId])).toEqual([
      [1, 'not-yet-received', 3, lineIds[0]], [2, 'quantity-short price-differs', 1, lineIds[1]], [3, 'not-ordered', 1, null],
    ]);

    const csv = await http.get(`/api/v1/acquisitions/invoices/${invoiceId}/reconciliation.csv`).set(auth).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="reconciliation-INV-1.csv"');
    const rows = csv.text.split('\r\n');
    expect(rows[0]).toBe('invoice,position,line,order line reference,order number,identifiers,description,quantity,unit price,line amount,order line,matched by,agreed unit price,verdicts,details');
    expect(rows[2]).toBe(`INV-1,2,2,100/2,,9780198526636,,1,21.50,21.50,${lineIds[1]},line-reference,20.00,quantity-short price-differs,"invoiced 1, 2 of 2 ordered still to invoice; unit price 21.50, agreed 20.00 (difference 1.50)"`);
    expect(rows[3]).toBe('INV-1,3,3,,,9780262033848,Introduction to algorithms,1,45.00,45.00,,,,not-ordered,"no order line matches this line (by order-line reference, other references or identifiers)"');
    expect(rows.filter((r) => r.startsWith('INV-1,,header,'))).toHaveLength(4);
  });

  it('the same invoice number in another file is recorded and flagged; the same file again changes nothing', async () => {
    const dup = (await http.post('/api/v1/acquisitions/invoices?vendor=BLS').set(auth).set(EDI).send(invoice('IC2')).expect(201)).body;
    expect(dup.invoices[0]).toMatchObject({ applied: true, duplicateOf: invoiceId, clean: false });
    const rec = (await http.get(`/api/v1/acquisitions/invoices/${dup.invoices[0].invoiceId}/reconciliation`).set(auth).expect(200)).body;
    expect(rec).toMatchObject({ invoiceNumber: 'INV-1', duplicateOf: invoiceId });
    expect(rec.header.find((h: { code: string }) => h.code === 'duplicate-invoice-number')).toMatchObject({ ok: false, detail: 'invoice number INV-1 is already on file for this vendor' });
    // the first invoice's quantities are pending, so the copy of it bills what is billed already
    expect(rec.lines.map((l: { verdicts: { code: string }[] }) => l.verdicts.map((v) => v.code))).toEqual([['already-invoiced'], ['not-yet-received', 'price-differs'], ['not-ordered']]);
    const list = (await http.get('/api/v1/acquisitions/invoices?vendor=BLS').set(auth).expect(200)).body;
    expect(list.invoices.map((i: { invoiceNumber: string; storedNumber: string; lineCount: number }) => [i.invoiceNumber, i.storedNumber, i.lineCount])).toEqual([
      ['INV-1', 'INV-1 (duplicate 2)', 3], ['INV-1', 'INV-1', 3],
    ]);
    const audit = await db().prisma.auditEntry.findMany({ where: { entity: 'Invoice', entityId: String(dup.invoices[0].invoiceId) } });
    expect(audit.map((a) => a.action)).toEqual(['load-duplicate']);

    const before = await state();
    const again = (await http.post('/api/v1/acquisitions/invoices?vendor=BLS').set(auth).set(EDI).send(invoice('IC2')).expect(201)).body;
    expect(again).toMatchObject({ duplicateFile: true, intakeFileId: dup.intakeFileId, invoices: [{ applied: false, invoiceId: dup.invoices[0].invoiceId }] });
    expect(await invoices.applyTradeDocument(vendorId, dup.intakeFileId, doc(invoice('IC2')))).toMatchObject({ applied: false, invoiceId: dup.invoices[0].invoiceId });
    expect(await state()).toEqual(before);
  });

  it('staff decide every line, then accept: invoiced quantities added, who and when recorded', async () => {
    const base = `/api/v1/acquisitions/invoices/${invoiceId}`;
    const lines = (await http.get(`${base}/reconciliation`).set(auth).expect(200)).body.lines as { id: number }[];
    const other = (await db().prisma.invoiceLine.findFirstOrThrow({ where: { invoiceId: { not: invoiceId } } })).id;
    await http.post(`${base}/lines/${other}/decision`).set(auth).send({ decision: 'accept' }).expect(404);
    await http.post(`/api/v1/acquisitions/invoices/999999/lines/${lines[0]!.id}/decision`).set(auth).send({ decision: 'accept' }).expect(404);
    const bad = (await http.post(`${base}/lines/${lines[0]!.id}/decision`).set(auth).send({ decision: 'pay', quantity: -1, unitPrice: 'x' }).expect(400)).body;
    expect(bad.message).toEqual(expect.arrayContaining([expect.stringMatching(/^decision must be one of/), expect.stringMatching(/^quantity must not be less than 0/), expect.stringMatching(/^unitPrice must be an amount/)]));
    await http.post(`${base}/lines/${lines[0]!.id}/decision`).set(auth).send({ decision: 'accept', quantity: 2 }).expect(400);
    await http.post(`${base}/lines/${lines[1]!.id}/decision`).set(auth).send({ decision: 'correct', note: 'no figures' }).expect(400);
    await http.post(`${base}/lines/${lines[2]!.id}/decision`).set(auth).send({ decision: 'dispute' }).expect(400);

    await http.post(`${base}/lines/${lines[0]!.id}/decision`).set(auth).send({ decision: 'accept' }).expect(200);
    await http.post(`${base}/accept`).set(auth).expect(409);
    const corrected = (await http.post(`${base}/lines/${lines[1]!.id}/decision`).set(auth).send({ decision: 'correct', quantity: 1, unitPrice: '20.00', note: 'agreed price' }).expect(200)).body;
    expect(corrected).toMatchObject({ decision: 'corrected', correctedQuantity: 1, correctedUnitPrice: '20.00', decisionNote: 'agreed price', decidedBy: 'staff-token:acq-staff', invoiceState: 'open' });
    const disputed = (await http.post(`${base}/lines/${lines[2]!.id}/decision`).set(auth).send({ decision: 'dispute', note: 'never ordered' }).expect(200)).body;
    expect(disputed).toMatchObject({ decision: 'disputed', invoiceState: 'disputed' });

    const accepted = (await http.post(`${base}/accept`).set(auth).expect(200)).body;
    expect(accepted).toMatchObject({ id: invoiceId, state: 'accepted', closedOrderLines: [], closedOrders: [] });
    await http.post(`${base}/accept`).set(auth).expect(409);
    await http.post(`${base}/lines/${lines[0]!.id}/decision`).set(auth).send({ decision: 'dispute', note: 'too late' }).expect(409);
    const rows = await db().prisma.orderLine.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((l) => [l.invoicedQuantity, l.receivedQuantity, l.status])).toEqual([[3, 2, 'accepted'], [1, 1, 'back-ordered'], [0, 0, 'cancelled']]);
    const inv = await db().prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    expect(inv).toMatchObject({ state: 'accepted', decidedBy: 'staff-token:acq-staff' });
    expect(inv.decidedAt).toBeInstanceOf(Date);
    const audit = await db().prisma.auditEntry.findMany({ where: { OR: [{ entity: 'InvoiceLine' }, { entity: 'Invoice', action: 'accept' }] }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.entity, a.action, a.actor])).toEqual([
      ['InvoiceLine', 'decide', 'staff-token:acq-staff'], ['InvoiceLine', 'decide', 'staff-token:acq-staff'], ['InvoiceLine', 'decide', 'staff-token:acq-staff'],
      ['Invoice', 'accept', 'staff-token:acq-staff'],
    ]);
  });

  it('the rest arrives and is invoiced cleanly; accepting it closes the line', async () => {
    // staff dispute the duplicate's lines, so its quantities stop counting as billed
    const dup = await db().prisma.invoice.findFirstOrThrow({ where: { invoiceNumber: 'INV-1 (duplicate 2)' }, include: { lines: true } });
    for (const l of dup.lines) {
      await http.post(`/api/v1/acquisitions/invoices/${dup.id}/lines/${l.id}/decision`).set(auth).send({ decision: 'dispute', note: 'duplicate of INV-1' }).expect(200);
    }
    const second = ediMessage('DESADV', ['BGM+351+D-101+9', 'LIN+1', 'QTY+12:1', 'RFF+LI:100/2', 'GIR+001+39000000000047:LAC'], 'D2');
    await invoices.applyTradeDocument(vendorId, null, doc(second));
    const res = (await http.post('/api/v1/acquisitions/invoices?vendor=BLS').set(auth).set(EDI).send(ediMessage('INVOIC', [
      'BGM+380+INV-2+9', 'CUX+2:GBP:4', 'LIN+1', 'QTY+47:1', 'MOA+203:20.10', 'PRI+AAA:20.10', 'RFF+LI:100/2', 'UNS+S', 'MOA+86:20.10',
    ], 'I2')).expect(201)).body;
    const id = res.invoices[0].invoiceId;
    const rec = (await http.get(`/api/v1/acquisitions/invoices/${id}/reconciliation`).set(auth).expect(200)).body;
    // 20.10 is within 1% of 20.00
    expect(rec).toMatchObject({ clean: true, lines: [{ verdicts: [{ code: 'matches' }] }] });
    await http.post(`/api/v1/acquisitions/invoices/${id}/lines/${rec.lines[0].id}/decision`).set(auth).send({ decision: 'accept' }).expect(200);
    const accepted = (await http.post(`/api/v1/acquisitions/invoices/${id}/accept`).set(auth).expect(200)).body;
    expect(accepted.closedOrderLines).toEqual([lineIds[1]]);
    const line = await db().prisma.orderLine.findUniqueOrThrow({ where: { id: lineIds[1] } });
    expect(line).toMatchObject({ status: 'closed', receivedQuantity: 2, invoicedQuantity: 2 });
    expect(line.closedAt).toBeInstanceOf(Date);
  });

  it('refuses bad invoice files: unknown vendor, not EDIFACT, truncated, wrong message, hostile figures, JSON, too large', async () => {
    const post = (body: string | Buffer, vendor = 'BLS', headers: Record<string, string> = EDI) => http.post(`/api/v1/acquisitions/invoices?vendor=${vendor}`).set(auth).set(headers).send(body);
    expect((await post(invoice('IC9'), 'NOPE').expect(404)).body.message).toBe('vendor "NOPE" not found');
    await http.post('/api/v1/acquisitions/invoices').set(auth).set(EDI).send(invoice('IC9')).expect(400);
    expect((await post('').expect(400)).body.message).toMatch(/body is empty/);
    expect((await post('hello, this is not an invoice').expect(400)).body.message).toMatch(/not EDIFACT/);
    const full = invoice('IC8');
    const truncated = full.slice(0, full.indexOf('MOA+203:21.50') + 9);
    const msg = (await post(truncated).expect(400)).body.message as string[];
    expect(msg).toContainEqual(expect.stringMatching(new RegExp(`^EDIFACT unterminated-segment: segment at offset ${truncated.lastIndexOf("'") + 1} has no terminator`)));
    expect(msg).toContainEqual(expect.stringMatching(/^EDIFACT missing-unt: message I1 has no UNT/));
    expect((await post(ORDRSP).expect(400)).body.message).toEqual(['EDIFACT: message R1 is ORDRSP (UNH), not an invoice (INVOIC)']);
    expect((await post(ediMessage('INVOIC', ['BGM+380++9', 'LIN+1', 'QTY+47:1'], 'I5')).expect(400)).body.message).toBe('INVOIC message I5 has no document number (BGM)');
    expect((await post(ediMessage('INVOIC', [`BGM+380+${'9'.repeat(500)}+9`, 'LIN+1', 'QTY+47:1'], 'I6')).expect(400)).body.message).toMatch(/BGM number is 500 characters long/);
    expect((await post(ediMessage('INVOIC', ['BGM+380+HUGE-1+9', 'LIN+1', 'QTY+47:99999999999', 'MOA+203:1.00'], 'I7')).expect(400)).body.message).toBe('the file was quarantined: processing failed: invoice HUGE-1, line 1 (LIN 1): quantity 99999999999 is out of range');
    expect((await post(ediMessage('INVOIC', ['BGM+380+HUGE-2+9', 'LIN+1', 'QTY+47:1', 'MOA+203:123456789012345.00'], 'I8')).expect(400)).body.message).toBe('the file was quarantined: processing failed: invoice HUGE-2, line 1: amount 123456789012345.00 is out of range');
    await post(JSON.stringify({ edifact: invoice('IC7') }), 'BLS', { 'Content-Type': 'application/json' }).expect(415);
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x41);
    await post(big).expect(413);
    expect(await db().prisma.invoice.count({ where: { invoiceNumber: { startsWith: 'HUGE' } } })).toBe(0);
  });

  it('an invoice in ISO 8859-1 though UNB says UNOC loads, its text read as written', async () => {
    const text = ediMessage('INVOIC', ['BGM+380+LATIN-1+9', 'CUX+2:GBP:4', 'LIN+1', 'IMD+L+050+:::Économie générale', 'QTY+47:1', 'MOA+203:9.00', 'PRI+AAA:9.00', 'UNS+S', 'MOA+86:9.00'], 'L1');
    const res = (await http.post('/api/v1/acquisitions/invoices?vendor=BLS').set(auth).set(EDI).send(Buffer.from(text, 'latin1')).expect(201)).body;
    const rec = (await http.get(`/api/v1/acquisitions/invoices/${res.invoices[0].invoiceId}/reconciliation`).set(auth).expect(200)).body;
    expect(rec.lines[0]).toMatchObject({ description: 'Économie générale', verdicts: [{ code: 'not-ordered' }] });
    const file = await db().prisma.intakeFile.findUniqueOrThrow({ where: { id: res.intakeFileId } });
    expect(file.warnings).toMatch(/decoding/);
  });

  describeWithFixtures('edifact', 'a real BLS invoice file from the shared fixtures', () => {
    it('BLSINV337023.CEI: six invoices, 56 lines, none ordered here; the file again changes nothing', async () => {
      const bytes = readFileSync(fixturePath('edifact', 'BLSINV337023.CEI'));
      await http.post('/api/v1/acquisitions/vendors').set(auth).send({ code: 'BLSREAL', name: 'BLS (real file)', currency: 'GBP' }).expect(201);
      const res = (await http.post('/api/v1/acquisitions/invoices?vendor=BLSREAL&name=BLSINV337023.CEI').set(auth).set(EDI).send(bytes).expect(201)).body;
      expect(res.invoices.map((i: { documentNumber: string; applied: boolean }) => [i.documentNumber, i.applied])).toEqual(
        ['01975489', '01975490', '01975491', '01975492', '01975493', '01975494'].map((n) => [n, true]),
      );
      const counts: number[] = [];
      for (const i of res.invoices) {
        const rec = (await http.get(`/api/v1/acquisitions/invoices/${i.invoiceId}/reconciliation`).set(auth).expect(200)).body;
        counts.push(rec.lines.length);
        expect(rec.currency).toBe('GBP');
        expect(rec.lines.every((l: { verdicts: { code: string }[] }) => l.verdicts.some((v) => v.code === 'not-ordered'))).toBe(true);
        expect(rec.lines.every((l: { orderLineReference?: string }) => /^\d+\/\d+$/.test(l.orderLineReference ?? ''))).toBe(true);
      }
      expect(counts).toEqual([1, 8, 3, 1, 33, 10]);
      const firstTotal = (await http.get(`/api/v1/acquisitions/invoices/${res.invoices[0].invoiceId}/reconciliation`).set(auth).expect(200)).body.stated;
      expect(firstTotal).toMatchObject({ amount: '7.40' });
      const before = await state();
      const again = (await http.post('/api/v1/acquisitions/invoices?vendor=BLSREAL').set(auth).set(EDI).send(bytes).expect(201)).body;
      expect(again.duplicateFile).toBe(true);
      expect(again.invoices.every((i: { applied: boolean }) => !i.applied)).toBe(true);
      expect(await state()).toEqual(before);
    });
  });
});
