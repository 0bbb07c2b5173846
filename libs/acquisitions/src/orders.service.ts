import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '@carrel/audit';
import { callNumberSortKey, detectScheme } from '@carrel/callnumber';
import { DbService, Prisma } from '@carrel/db';
import type { DespatchAdvice, Order, OrderResponse, TradeDocument } from '@carrel/edifact';
import { formatAmount, parseDecimal } from './reconcile/decimal.js';
import { applyDespatchAdvice, type DespatchedCopy } from './reconcile/despatch.js';
import { applyOrderResponse, type ResponseReason } from './reconcile/order-response.js';
import { isoDate, productKey, type OrderLineSnapshot, type OrderLineStatus } from './reconcile/order-lines.js';
import { orderLinesFromOrder } from './reconcile/orders.js';

type Tx = Prisma.TransactionClient;
export type OrderRow = Prisma.OrderGetPayload<object>;
export type OrderLineRow = Prisma.OrderLineGetPayload<object>;
type VendorRef = { id: number; code: string };

export interface OrderLineInput {
  lineReference: string;
  isbn?: string | null;
  issn?: string | null;
  ean?: string | null;
  vendorReference?: string | null;
  title?: string | null;
  author?: string | null;
  quantity: number;
  unitPrice?: string | null;
  fundCode?: string | null;
  branchCode?: string | null;
  recordId?: number | null;
}

export interface OrderInput {
  /** vendor code */
  vendor: string;
  orderNumber: string;
  currency?: string;
  orderedAt?: Date | null;
  notes?: string | null;
  lines: OrderLineInput[];
}

/** What applying one EDIFACT document did; `applied: false` when it had been applied before (nothing changed). */
export interface DocumentOutcome {
  type: string;
  documentNumber: string;
  messageReference: string;
  applied: boolean;
}

export interface OrderLoadOutcome extends DocumentOutcome {
  orderId: number;
  lines: number;
  problems: string[];
}

export interface OrderResponseOutcome extends DocumentOutcome {
  updated: { orderLineId: number; lineNumber: string; status: string; problems: string[] }[];
  unmatched: { lineNumber: string; orderLineReference?: string; problems: string[] }[];
}

export interface DespatchOutcome extends DocumentOutcome {
  received: { orderLineId: number; lineNumber: string; quantity: number; receivedAfter: number; itemsCreated: string[]; problems: string[] }[];
  unmatched: { lineNumber: string; orderLineReference?: string; quantity: number; problems: string[] }[];
  duplicateBarcodes: string[];
}

/** Statuses an order response may still change: once copies arrived or the line closed, the vendor's answer is history. */
const RESPONSE_UPDATABLE = new Set(['ordered', 'accepted', 'back-ordered']);
const BARCODE = /^[\x21-\x7e]{1,64}$/;

/** Every identifier of an order line ({type, value} as stored), normalised for matching. */
function identifierList(l: { isbn?: string | null; issn?: string | null; ean?: string | null }, more: string[] = []): { type: string; value: string }[] {
  const out = new Map<string, { type: string; value: string }>();
  for (const [type, raw] of [['isbn', l.isbn], ['issn', l.issn], ['ean', l.ean], ...more.map((m) => ['id', m] as const)] as const) {
    if (!raw) continue;
    const key = productKey(raw);
    if (key) out.set(key, { type: /^\d{4}-\d{3}[\dX]$/.test(key) ? 'issn' : /^97[89]\d{10}$/.test(key) ? (type === 'ean' ? 'ean' : 'isbn') : type === 'id' ? 'ean' : type, value: key });
  }
  return [...out.values()];
}

function storedIdentifiers(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' && 'value' in x ? String((x as { value: unknown }).value) : '')).filter((s) => s) : [];
  } catch {
    return [];
  }
}

/** YYYY-MM-DD as midnight UTC; anything else null. */
export function dateOf(iso: string | undefined | null): Date | null {
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : d;
}

/** The key under which an applied document is remembered, so applying it again changes nothing. */
export function documentKey(vendorId: number, doc: TradeDocument, intakeFileId?: number | null): string {
  const base = `${vendorId}:${doc.messageType}:${doc.documentNumber.trim()}:${doc.messageReference}`;
  return intakeFileId === undefined ? base : `${base}:file:${intakeFileId ?? '-'}`;
}

export function checkDocumentNumber(doc: TradeDocument): void {
  const n = doc.documentNumber.trim();
  if (n === '') throw new BadRequestException(`${doc.messageType} message ${doc.messageReference} has no document number (BGM)`);
  if (n.length > 70) throw new BadRequestException(`${doc.messageType} message ${doc.messageReference}: the BGM number is ${n.length} characters long (at most 70)`);
}

/**
 * The vendor's order lines as reconciliation sees them. Quantities on invoices loaded but not yet
 * accepted count as invoiced, so a second invoice for the same copies shows as already invoiced
 * before anyone has accepted the first.
 */
export async function orderLineSnapshots(tx: Tx, vendor: VendorRef): Promise<OrderLineSnapshot[]> {
  const rows = await tx.orderLine.findMany({ where: { order: { vendorId: vendor.id } }, include: { order: { select: { orderNumber: true } } }, orderBy: { id: 'asc' } });
  const pendingRows = await tx.invoiceLine.groupBy({
    by: ['orderLineId'],
    where: { orderLineId: { not: null }, invoice: { vendorId: vendor.id, state: { not: 'accepted' } }, OR: [{ decision: null }, { decision: { not: 'disputed' } }] },
    _sum: { quantity: true },
  });
  const pending = new Map(pendingRows.map((p) => [p.orderLineId!, p._sum.quantity ?? 0]));
  return rows.map((r) => {
    const s: OrderLineSnapshot = {
      id: r.id, vendor: vendor.code, orderNumber: r.order.orderNumber, lineReference: r.lineReference,
      identifiers: [...new Set([...storedIdentifiers(r.identifiers), ...[r.isbn, r.issn, r.ean].filter((x): x is string => !!x)])],
      quantityOrdered: r.quantity, quantityReceived: r.receivedQuantity, quantityInvoiced: r.invoicedQuantity + (pending.get(r.id) ?? 0),
      status: r.status as OrderLineStatus,
    };
    if (r.vendorReference) s.vendorReference = r.vendorReference;
    if (r.title) s.title = r.title;
    if (r.unitPrice !== null) s.unitPrice = amountText(r.unitPrice)!;
    return s;
  });
}

export async function vendorById(tx: Tx, vendorId: number) {
  const vendor = await tx.vendor.findUnique({ where: { id: vendorId } });
  if (!vendor) throw new NotFoundException(`vendor ${vendorId} not found`);
  return vendor;
}

/** A stored amount as the reports show amounts: at least two decimals (20 → 20.00). */
export const amountText = (d: Prisma.Decimal | null): string | null => (d === null ? null : formatAmount(parseDecimal(d.toString())!));

const reasonText = (r: ResponseReason | undefined): string | null => (r ? (r.code && r.code !== r.text ? `${r.code}: ${r.text}` : r.text) : null);

function presentLine(l: OrderLineRow) {
  return { ...l, identifiers: storedIdentifiers(l.identifiers), unitPrice: amountText(l.unitPrice) };
}

function presentOrder(o: OrderRow & { lines?: OrderLineRow[]; vendor?: { code: string } }) {
  const { lines, vendor, ...rest } = o;
  return { ...rest, vendorCode: vendor?.code, ...(lines ? { lines: lines.map(presentLine) } : {}) };
}

/**
 * Orders and order lines on the database: created by staff or from an ORDERS file, then moved along by
 * the vendor's order responses (ORDRSP) and despatch advices (DESADV). Each document is applied in one
 * transaction with its audit entries, and only once.
 */
@Injectable()
export class OrdersService {
  constructor(private readonly db: DbService, private readonly audit: AuditService) {}

  async createOrder(input: OrderInput) {
    const seen = new Set<string>();
    for (const l of input.lines) {
      const ref = l.lineReference.trim();
      if (!ref) throw new BadRequestException('every line needs a lineReference');
      if (seen.has(ref)) throw new BadRequestException(`line reference "${ref}" appears twice in the order`);
      seen.add(ref);
    }
    return this.db.prisma.$transaction(async (tx) => {
      const vendor = await tx.vendor.findUnique({ where: { code: input.vendor } });
      if (!vendor) throw new NotFoundException(`vendor "${input.vendor}" not found`);
      if (await tx.order.findUnique({ where: { vendorId_orderNumber: { vendorId: vendor.id, orderNumber: input.orderNumber } } })) {
        throw new ConflictException(`order ${input.orderNumber} of vendor ${vendor.code} exists already`);
      }
      const recordIds = [...new Set(input.lines.map((l) => l.recordId).filter((r): r is number => typeof r === 'number'))];
      if (recordIds.length) {
        const found = new Set((await tx.bibRecord.findMany({ where: { id: { in: recordIds } }, select: { id: true } })).map((r) => r.id));
        const missing = recordIds.filter((r) => !found.has(r));
        if (missing.length) throw new BadRequestException(`record ${missing.join(', ')} does not exist`);
      }
      const currency = input.currency ?? vendor.currency;
      const order = await tx.order.create({
        data: {
          vendorId: vendor.id, orderNumber: input.orderNumber, currency, orderedAt: input.orderedAt ?? null, notes: input.notes ?? null,
          lines: {
            create: input.lines.map((l) => ({
              lineReference: l.lineReference.trim(), isbn: l.isbn ?? null, issn: l.issn ?? null, ean: l.ean ?? null, vendorReference: l.vendorReference ?? null,
              identifiers: JSON.stringify(identifierList(l)), title: l.title ?? null, author: l.author ?? null, quantity: l.quantity,
              unitPrice: l.unitPrice ?? null, currency, fundCode: l.fundCode ?? null, branchCode: l.branchCode ?? null, recordId: l.recordId ?? null,
            })),
          },
        },
        include: { lines: { orderBy: { id: 'asc' } }, vendor: { select: { code: true } } },
      });
      const view = presentOrder(order);
      await this.audit.record({ action: 'create', entity: 'Order', entityId: order.id, after: view }, tx);
      return view;
    });
  }

  async listOrders(q: { vendor?: string | undefined; status?: string | undefined; skip?: number | undefined; take?: number | undefined } = {}) {
    const where: Prisma.OrderWhereInput = { ...(q.vendor ? { vendor: { code: q.vendor } } : {}), ...(q.status ? { status: q.status } : {}) };
    const [total, rows] = await Promise.all([
      this.db.prisma.order.count({ where }),
      this.db.prisma.order.findMany({ where, orderBy: { id: 'desc' }, skip: q.skip ?? 0, take: Math.min(q.take ?? 50, 500), include: { vendor: { select: { code: true } }, _count: { select: { lines: true } } } }),
    ]);
    return { total, orders: rows.map(({ _count, ...o }) => ({ ...presentOrder(o), lineCount: _count.lines })) };
  }

  async getOrder(id: number) {
    const o = await this.db.prisma.order.findUnique({ where: { id }, include: { lines: { orderBy: { id: 'asc' } }, vendor: { select: { code: true } } } });
    if (!o) throw new NotFoundException(`order ${id} not found`);
    return presentOrder(o);
  }

  async listOrderLines(q: { vendor?: string | undefined; status?: string | undefined; orderNumber?: string | undefined; skip?: number | undefined; take?: number | undefined } = {}) {
    const order: Prisma.OrderWhereInput = { ...(q.vendor ? { vendor: { code: q.vendor } } : {}), ...(q.orderNumber ? { orderNumber: q.orderNumber } : {}) };
    const where: Prisma.OrderLineWhereInput = { ...(Object.keys(order).length ? { order } : {}), ...(q.status ? { status: q.status } : {}) };
    const [total, rows] = await Promise.all([
      this.db.prisma.orderLine.count({ where }),
      this.db.prisma.orderLine.findMany({
        where, orderBy: { id: 'asc' }, skip: q.skip ?? 0, take: Math.min(q.take ?? 50, 500),
        include: { order: { select: { orderNumber: true, vendor: { select: { code: true } } } } },
      }),
    ]);
    return { total, lines: rows.map(({ order: o, ...l }) => ({ ...presentLine(l), orderNumber: o.orderNumber, vendorCode: o.vendor.code })) };
  }

  /** Has this document been applied already? */
  async applied(tx: Tx, key: string): Promise<{ after: string | null } | null> {
    return tx.auditEntry.findFirst({ where: { entity: 'TradeDocument', entityId: key }, select: { after: true } });
  }

  /** Remembers an applied document in the audit log: the key is what makes a second application change nothing. */
  async markApplied(tx: Tx, key: string, intakeFileId: number | null, after: unknown): Promise<void> {
    await this.audit.record({ action: 'apply', entity: 'TradeDocument', entityId: key, after, context: { intakeFileId } }, tx);
  }

  /** An ORDERS message (ours as sent, or the vendor's copy): creates the order once; an order already on file is left alone. */
  async loadOrder(vendorId: number, intakeFileId: number | null, doc: Order): Promise<OrderLoadOutcome> {
    checkDocumentNumber(doc);
    return this.db.prisma.$transaction(async (tx) => {
      const vendor = await vendorById(tx, vendorId);
      const base = { type: 'ORDERS', documentNumber: doc.documentNumber.trim(), messageReference: doc.messageReference };
      const existing = await tx.order.findUnique({ where: { vendorId_orderNumber: { vendorId, orderNumber: base.documentNumber } }, include: { _count: { select: { lines: true } } } });
      if (existing) return { ...base, applied: false, orderId: existing.id, lines: existing._count.lines, problems: [`order ${base.documentNumber} is on file already`] };
      const drafts = orderLinesFromOrder(doc, vendor.code);
      const problems = drafts.flatMap((d) => d.problems);
      const refs = new Set<string>();
      const currency = doc.currency ?? vendor.currency;
      const lines = drafts.map((d) => {
        let ref = d.lineReference?.trim() || `${base.documentNumber}#${d.lineNumber}`;
        // the unique line reference keeps a repeated RFF+LI from silently merging two lines
        if (refs.has(ref)) ref = `${ref}#${d.lineNumber}`;
        refs.add(ref);
        const keys = d.identifiers.map(productKey).filter((k): k is string => k !== null);
        return {
          lineReference: ref, isbn: keys.find((k) => /^97[89]\d{10}$/.test(k)) ?? null, issn: keys.find((k) => /^\d{4}-\d{3}[\dX]$/.test(k)) ?? null,
          ean: null, vendorReference: d.vendorReference ?? null, identifiers: JSON.stringify(identifierList({}, d.identifiers)),
          title: d.title ?? null, quantity: d.quantityOrdered, unitPrice: d.unitPrice ?? null, currency, fundCode: d.fund ?? null,
          branchCode: d.branches[0] ?? null,
        };
      });
      const order = await tx.order.create({
        data: {
          vendorId, orderNumber: base.documentNumber, currency, orderedAt: dateOf(isoDate(doc.dates['137'])), intakeFileId,
          lines: { create: lines },
        },
      });
      await this.audit.record({ action: 'create', entity: 'Order', entityId: order.id, after: { orderNumber: order.orderNumber, lines: lines.length, problems }, context: { intakeFileId } }, tx);
      await this.markApplied(tx, documentKey(vendorId, doc), intakeFileId, { orderId: order.id });
      return { ...base, applied: true, orderId: order.id, lines: lines.length, problems };
    });
  }

  /** An order response: each line accepted, back-ordered (quantity, expected date) or cancelled (reason). */
  async applyOrderResponse(vendorId: number, intakeFileId: number | null, response: OrderResponse): Promise<OrderResponseOutcome> {
    checkDocumentNumber(response);
    return this.db.prisma.$transaction(async (tx) => {
      const vendor = await vendorById(tx, vendorId);
      const key = documentKey(vendorId, response);
      const out: OrderResponseOutcome = {
        type: 'ORDRSP', documentNumber: response.documentNumber.trim(), messageReference: response.messageReference, applied: false, updated: [], unmatched: [],
      };
      if (await this.applied(tx, key)) return out;
      const app = applyOrderResponse(response, await orderLineSnapshots(tx, vendor));
      for (const u of app.updates) {
        const row = await tx.orderLine.findUniqueOrThrow({ where: { id: Number(u.orderLineId) } });
        const problems = [...u.problems];
        if (!RESPONSE_UPDATABLE.has(row.status)) {
          problems.push(`the order line is ${row.status}; the response does not change it`);
          out.updated.push({ orderLineId: row.id, lineNumber: u.lineNumber, status: row.status, problems });
          continue;
        }
        const data: Prisma.OrderLineUpdateInput = { status: u.status };
        if (u.status === 'back-ordered') {
          data.backOrderedQuantity = u.quantityBackOrdered ?? 0;
          data.expectedAt = dateOf(u.expectedDate);
        } else if (u.status === 'accepted') {
          data.backOrderedQuantity = 0;
          if (u.expectedDate) data.expectedAt = dateOf(u.expectedDate);
        } else {
          data.cancelReason = reasonText(u.reason) ?? 'cancelled by the vendor';
        }
        const after = await tx.orderLine.update({ where: { id: row.id }, data });
        await this.audit.record({
          action: 'order-response', entity: 'OrderLine', entityId: row.id,
          before: { status: row.status, backOrderedQuantity: row.backOrderedQuantity, expectedAt: row.expectedAt, cancelReason: row.cancelReason },
          after: { status: after.status, backOrderedQuantity: after.backOrderedQuantity, expectedAt: after.expectedAt, cancelReason: after.cancelReason },
          context: { document: key, intakeFileId, problems },
        }, tx);
        out.updated.push({ orderLineId: row.id, lineNumber: u.lineNumber, status: after.status, problems });
      }
      out.unmatched = app.unmatched.map((u) => ({ lineNumber: u.lineNumber, ...(u.orderLineReference ? { orderLineReference: u.orderLineReference } : {}), problems: u.problems }));
      out.applied = true;
      await this.markApplied(tx, key, intakeFileId, { updated: out.updated.length, unmatched: out.unmatched });
      return out;
    });
  }

  /**
   * A despatch advice: received quantities, one ReceivedCopy per copy described (GIR), and an item for
   * each copy with a barcode when the order line's record is known and the branch exists.
   */
  async applyDespatchAdvice(vendorId: number, intakeFileId: number | null, advice: DespatchAdvice, now = new Date()): Promise<DespatchOutcome> {
    checkDocumentNumber(advice);
    return this.db.prisma.$transaction(async (tx) => {
      const vendor = await vendorById(tx, vendorId);
      const key = documentKey(vendorId, advice);
      const out: DespatchOutcome = {
        type: 'DESADV', documentNumber: advice.documentNumber.trim(), messageReference: advice.messageReference, applied: false, received: [], unmatched: [], duplicateBarcodes: [],
      };
      if (await this.applied(tx, key)) return out;
      const app = applyDespatchAdvice(advice, await orderLineSnapshots(tx, vendor));
      out.duplicateBarcodes = app.duplicateBarcodes;
      for (const r of app.receipts) {
        const row = await tx.orderLine.findUniqueOrThrow({ where: { id: Number(r.orderLineId) } });
        if (r.quantityDespatched > 100_000) throw new BadRequestException(`despatch line ${r.lineNumber}: quantity ${r.quantityDespatched} is out of range`);
        const problems = [...r.problems];
        const received = row.receivedQuantity + r.quantityDespatched;
        const status = received >= row.quantity && RESPONSE_UPDATABLE.has(row.status) ? 'received' : row.status;
        const after = await tx.orderLine.update({ where: { id: row.id }, data: { receivedQuantity: received, status } });
        const itemsCreated: string[] = [];
        const copies: (DespatchedCopy | null)[] = r.copies.length ? r.copies : [null];
        for (const c of copies) {
          const item = c ? await this.itemFor(tx, c, row, problems) : null;
          if (item?.created) itemsCreated.push(item.barcode);
          await tx.receivedCopy.create({
            data: {
              vendorId, orderLineId: row.id, intakeFileId, quantity: c ? 1 : r.quantityDespatched, barcode: c?.barcode && BARCODE.test(c.barcode) ? c.barcode : null,
              itemId: item?.id ?? null, copyData: c ? JSON.stringify(c) : null, source: 'desadv', receivedAt: now,
            },
          });
        }
        await this.audit.record({
          action: 'receive', entity: 'OrderLine', entityId: row.id,
          before: { receivedQuantity: row.receivedQuantity, status: row.status }, after: { receivedQuantity: after.receivedQuantity, status: after.status },
          context: { document: key, intakeFileId, itemsCreated, problems },
        }, tx);
        out.received.push({ orderLineId: row.id, lineNumber: r.lineNumber, quantity: r.quantityDespatched, receivedAfter: received, itemsCreated, problems });
      }
      for (const r of app.unmatched) {
        // what arrived without an order line is still recorded: staff find it among the received copies
        for (const c of r.copies.length ? r.copies : [null]) {
          await tx.receivedCopy.create({
            data: {
              vendorId, orderLineId: null, intakeFileId, quantity: c ? 1 : Math.min(r.quantityDespatched, 100_000), barcode: c?.barcode && BARCODE.test(c.barcode) ? c.barcode : null,
              copyData: c ? JSON.stringify(c) : null, source: 'desadv', receivedAt: now,
            },
          });
        }
        out.unmatched.push({ lineNumber: r.lineNumber, ...(r.orderLineReference ? { orderLineReference: r.orderLineReference } : {}), quantity: r.quantityDespatched, problems: r.problems });
      }
      out.applied = true;
      await this.markApplied(tx, key, intakeFileId, { received: out.received.map((x) => [x.orderLineId, x.quantity]), unmatched: out.unmatched.length });
      return out;
    });
  }

  /** The item for a despatched copy: the one with its barcode, or a new one on the order line's record. */
  private async itemFor(tx: Tx, c: DespatchedCopy, line: OrderLineRow, problems: string[]): Promise<{ id: number; barcode: string; created: boolean } | null> {
    if (!c.barcode) return null;
    if (!BARCODE.test(c.barcode)) {
      problems.push(`copy ${c.copyNumber}: barcode ${JSON.stringify(c.barcode.slice(0, 80))} is not a barcode; no item`);
      return null;
    }
    const existing = await tx.item.findUnique({ where: { barcode: c.barcode } });
    if (existing) {
      if (existing.recordId === line.recordId) return { id: existing.id, barcode: c.barcode, created: false };
      problems.push(`copy ${c.copyNumber}: barcode ${c.barcode} belongs to another record's item; no item created`);
      return null;
    }
    if (line.recordId === null) {
      problems.push(`copy ${c.copyNumber}: the order line has no catalog record yet; item ${c.barcode} not created`);
      return null;
    }
    const branchCode = c.branch ?? line.branchCode;
    const branch = branchCode ? await tx.branch.findUnique({ where: { code: branchCode } }) : null;
    if (!branch) {
      problems.push(`copy ${c.copyNumber}: ${branchCode ? `branch ${branchCode} does not exist` : 'no branch (GIR LLO) for the copy'}; item ${c.barcode} not created`);
      return null;
    }
    const itemType = c.itemType ? await tx.itemType.findUnique({ where: { code: c.itemType } }) : null;
    const scheme = c.callNumber ? detectScheme(c.callNumber) : null;
    const item = await tx.item.create({
      data: {
        barcode: c.barcode, recordId: line.recordId, branchId: branch.id, homeBranchId: branch.id, itemTypeId: itemType?.id ?? null,
        callNumber: c.callNumber ?? null, callNumberScheme: scheme, callNumberSortKey: c.callNumber ? callNumberSortKey(c.callNumber, scheme!) : null,
        collectionCode: c.collection ?? null, copyNumber: c.copyNumber, price: line.unitPrice, status: 'available',
      },
    });
    await this.audit.record({ action: 'create', entity: 'Item', entityId: item.id, after: { barcode: item.barcode, recordId: item.recordId, branch: branch.code, orderLineId: line.id } }, tx);
    return { id: item.id, barcode: item.barcode, created: true };
  }
}
