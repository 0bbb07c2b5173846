import { BadRequestException, ConflictException, Injectable, NotFoundException, type OnModuleInit } from '@nestjs/common';
import { AuditService, currentActor } from '@carrel/audit';
import { DbService, Prisma } from '@carrel/db';
import {
  mapInvoice, parseEdifact, type AllowanceOrCharge, type DespatchAdvice, type Invoice, type Order, type OrderResponse, type TradeDocument,
} from '@carrel/edifact';
import { detectIntakeFormat } from './intake-analysis.js';
import { IntakeService } from './intake.service.js';
import type { LineDecision } from './orders.dto.js';
import {
  amountText, checkDocumentNumber, dateOf, documentKey, orderLineSnapshots, OrdersService, vendorById,
  type DespatchOutcome, type DocumentOutcome, type OrderLoadOutcome, type OrderResponseOutcome,
} from './orders.service.js';
import { reconciliationCsv } from './reconcile/csv.js';
import { formatAmount, parseDecimal, sub, sum, ZERO } from './reconcile/decimal.js';
import { reconcileInvoice, type HeaderCheck, type InvoiceLineResult, type InvoiceReconciliation, type LineVerdict } from './reconcile/invoice.js';
import { isoDate, lineProductKeys, lineVendorReferences, type MatchMethod } from './reconcile/order-lines.js';

type Tx = Prisma.TransactionClient;
type InvoiceRow = Prisma.InvoiceGetPayload<object>;
type InvoiceLineRow = Prisma.InvoiceLineGetPayload<object>;

export interface InvoiceOutcome extends DocumentOutcome {
  invoiceId: number;
  /** set when another invoice of the vendor has the same number: recorded and flagged, never dropped */
  duplicateOf: number | null;
  clean: boolean;
}

export type TradeDocumentOutcome = InvoiceOutcome | OrderLoadOutcome | OrderResponseOutcome | DespatchOutcome | (DocumentOutcome & { reason: string });

export interface DecisionInput {
  decision: LineDecision;
  quantity?: number | undefined;
  unitPrice?: string | undefined;
  note?: string | undefined;
}

/** Warnings that mean the body is not a whole EDIFACT file: a staff upload is refused with them. */
const BLOCKING = new Set(['internal-error', 'bad-tag', 'unterminated-segment', 'dangling-release', 'missing-unt', 'missing-unh', 'missing-unb', 'stray-segment', 'bad-una']);
const MAX_QUANTITY = 100_000;
/** Amounts beyond this are not invoice amounts; PostgreSQL's DECIMAL would take them, the reconciliation would be nonsense. */
const MAX_AMOUNT = 10n ** 12n;
const DECISIONS: Record<LineDecision, string> = { accept: 'accepted', dispute: 'disputed', correct: 'corrected' };
const DUPLICATE_SUFFIX = / \(duplicate \d+\)$/;

/** The invoice number as the vendor wrote it (a duplicate is stored with a suffix, the number being unique per vendor). */
export const vendorInvoiceNumber = (stored: string): string => stored.replace(DUPLICATE_SUFFIX, '');

const allowanceAmount = (a: AllowanceOrCharge): string | undefined => a.amounts['8'] ?? a.amounts['23'] ?? a.amounts['204'] ?? a.amounts['131'] ?? Object.values(a.amounts)[0];

/** Decimal text as stored, or null; out-of-range amounts are refused naming where they are. */
function amount(text: string | null | undefined, where: string): string | null {
  const d = parseDecimal(text);
  if (d === null) return null;
  const whole = (d.units < 0n ? -d.units : d.units) / 10n ** BigInt(d.scale);
  if (whole >= MAX_AMOUNT || d.scale > 10) throw new BadRequestException(`${where}: amount ${String(text).slice(0, 40)} is out of range`);
  return formatAmount(d);
}

/** The INVOIC messages of an uploaded file, or a 400 naming every segment or position that is wrong. */
export function readInvoiceUpload(bytes: Uint8Array): Invoice[] {
  if (bytes.length === 0) throw new BadRequestException('the body is empty: send the EDIFACT invoice file as the body');
  if (detectIntakeFormat(bytes) !== 'edifact') throw new BadRequestException('the body is not EDIFACT: it must start with UNA or UNB');
  const file = parseEdifact(bytes);
  const blocking = file.warnings.filter((w) => BLOCKING.has(w.code));
  if (blocking.length) throw new BadRequestException(blocking.map((w) => `EDIFACT ${w.code}: ${w.message}`));
  const messages = file.interchanges.flatMap((i) => i.messages);
  if (messages.length === 0) throw new BadRequestException('EDIFACT: no message (UNH … UNT) in the body');
  const wrong = messages.filter((m) => m.type !== 'INVOIC');
  if (wrong.length) throw new BadRequestException(wrong.map((m) => `EDIFACT: message ${m.reference} is ${m.type || 'of no type'} (UNH), not an invoice (INVOIC)`));
  return messages.map((m) => {
    const doc = mapInvoice(m);
    checkDocumentNumber(doc);
    return doc;
  });
}

interface StoredDetail {
  position: number;
  lineNumber: string;
  identifiers: string[];
  matchedBy: MatchMethod | null;
  alternatives: (string | number)[];
  agreedUnitPrice: string | null;
  verdicts: LineVerdict[];
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const text = amountText;

/**
 * Invoices on the database: loaded from INVOIC messages, reconciled against the vendor's order lines
 * (verdicts stored per line), decided line by line by staff and accepted as a whole, which adds the
 * invoiced quantities to the order lines and closes those fully received and invoiced.
 */
@Injectable()
export class InvoicesService implements OnModuleInit {
  /** told of every document the intake applied (tests and monitoring read it) */
  onApplied: ((outcome: TradeDocumentOutcome) => void) | null = null;

  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
    private readonly orders: OrdersService,
    private readonly intake: IntakeService,
  ) {}

  /**
   * Every EDIFACT order, order response, despatch advice and invoice the intake reads (SFTP poll,
   * `carrel vendor load`, upload) is applied here; a document that cannot be applied throws, and the
   * intake quarantines its file with the reason.
   */
  onModuleInit(): void {
    for (const kind of ['order', 'order-response', 'despatch-advice', 'invoice'] as const) {
      this.intake.registerHandler(kind, async ({ file, analysis }) => {
        for (const d of analysis.edifact?.documents ?? []) {
          const outcome = await this.applyTradeDocument(file.vendorId, file.id, d);
          this.onApplied?.(outcome);
        }
      });
    }
  }

  /**
   * The one entry point for parsed EDIFACT documents (the intake calls it for each message of a
   * processed file): INVOIC, ORDRSP, DESADV and ORDERS are applied, each once; QUOTES are left to
   * staff. Throws (BadRequestException) for a document that cannot be applied, naming why.
   */
  async applyTradeDocument(vendorId: number, intakeFileId: number | null, document: TradeDocument, now = new Date()): Promise<TradeDocumentOutcome> {
    switch (document.messageType) {
      case 'INVOIC': return this.loadInvoice(vendorId, intakeFileId, document as Invoice, now);
      case 'ORDRSP': return this.orders.applyOrderResponse(vendorId, intakeFileId, document as OrderResponse);
      case 'DESADV': return this.orders.applyDespatchAdvice(vendorId, intakeFileId, document as DespatchAdvice, now);
      case 'ORDERS': return this.orders.loadOrder(vendorId, intakeFileId, document as Order);
      default:
        return {
          type: document.messageType, documentNumber: document.documentNumber, messageReference: document.messageReference, applied: false,
          reason: `${document.messageType} messages do not change orders or invoices`,
        };
    }
  }

  /** A staff upload: the file goes through the intake ledger (stored, hashed, once), then each invoice in it is loaded. */
  async receiveInvoiceFile(vendorCode: string, bytes: Buffer, name: string | undefined, now = new Date()) {
    const vendor = await this.db.prisma.vendor.findUnique({ where: { code: vendorCode } });
    if (!vendor) throw new NotFoundException(`vendor "${vendorCode}" not found`);
    const docs = readInvoiceUpload(bytes);
    const stored = await this.intake.store.storeBytes(bytes, vendor.code);
    const fileName = name ?? `upload-${now.toISOString().replace(/[:.]/g, '')}.CEI`;
    const outcome = await this.intake.intake({ vendor, source: 'local', name: fileName, kind: 'invoice', stored, now });
    if (outcome.state === 'quarantined') throw new BadRequestException(`the file was quarantined: ${outcome.quarantineReason ?? 'no reason'}`);
    const invoices: InvoiceOutcome[] = [];
    for (const doc of docs) {
      const r = await this.loadInvoice(vendor.id, outcome.fileId, doc, now);
      // an intake handler for invoices may have loaded it during this very upload: a new file is still this upload's doing
      invoices.push({ ...r, applied: r.applied || !outcome.duplicate });
    }
    return { intakeFileId: outcome.fileId, duplicateFile: outcome.duplicate, invoices };
  }

  /** Loads and reconciles one INVOIC message; the same message of the same file loaded again changes nothing. */
  async loadInvoice(vendorId: number, intakeFileId: number | null, invoice: Invoice, now = new Date()): Promise<InvoiceOutcome> {
    checkDocumentNumber(invoice);
    const number = invoice.documentNumber.trim();
    invoice.lines.forEach((l, i) => {
      const q = l.quantities.find((x) => x.qualifier === '47' || x.qualifier === '12');
      const n = parseDecimal(q?.value);
      if (n !== null && (n.units < 0n ? -n.units : n.units) / 10n ** BigInt(n.scale) > BigInt(MAX_QUANTITY)) {
        throw new BadRequestException(`invoice ${number}, line ${i + 1} (LIN ${l.lineNumber}): quantity ${q!.value.slice(0, 40)} is out of range`);
      }
    });
    return this.db.prisma.$transaction(async (tx) => {
      const vendor = await vendorById(tx, vendorId);
      const key = documentKey(vendorId, invoice, intakeFileId);
      const base = { type: 'INVOIC', documentNumber: number, messageReference: invoice.messageReference };
      const before = await this.orders.applied(tx, key);
      if (before) {
        const was = parseJson<{ invoiceId: number; duplicateOf: number | null; clean: boolean }>(before.after, { invoiceId: 0, duplicateOf: null, clean: false });
        return { ...base, applied: false, invoiceId: was.invoiceId, duplicateOf: was.duplicateOf, clean: was.clean };
      }
      const known = await tx.invoice.findMany({ where: { vendorId }, select: { id: true, invoiceNumber: true }, orderBy: { id: 'asc' } });
      const sameNumber = known.filter((k) => vendorInvoiceNumber(k.invoiceNumber).toUpperCase() === number.toUpperCase());
      const rec = reconcileInvoice({
        vendor: vendor.code, invoice, orderLines: await orderLineSnapshots(tx, vendor), knownInvoiceNumbers: known.map((k) => vendorInvoiceNumber(k.invoiceNumber)),
        settings: { currency: vendor.currency, priceTolerance: { absolute: vendor.priceToleranceAmount.toString(), percent: vendor.priceTolerancePercent.toString() } },
      });
      const alcs = invoice.allowancesAndCharges.filter((a) => a.section !== 'line');
      const chargeDetails = alcs.map((a) => ({ kind: a.kind, code: a.code ?? null, description: a.description ?? null, amount: amount(allowanceAmount(a), `invoice ${number} charge`) }));
      const row = await tx.invoice.create({
        data: {
          vendorId, invoiceNumber: sameNumber.length ? `${number} (duplicate ${sameNumber.length + 1})` : number, documentCode: invoice.documentCode || '380',
          invoiceDate: dateOf(isoDate(rec.invoiceDate)), currency: rec.currency.slice(0, 3),
          statedTotal: amount(rec.stated?.amount, `invoice ${number} total`), statedTotalQualifier: rec.stated?.qualifier ?? null,
          statedLinesTotal: amount(invoice.totals['79'], `invoice ${number} MOA 79`), statedTaxTotal: amount(rec.tax, `invoice ${number} tax`),
          charges: amount(formatAmount(sub(parseDecimal(rec.charges) ?? ZERO, parseDecimal(rec.allowances) ?? ZERO)), `invoice ${number} charges`) ?? '0',
          chargeDetails: JSON.stringify(chargeDetails), headerChecks: JSON.stringify(rec.header), intakeFileId, state: 'open',
        },
      });
      for (const r of rec.lines) {
        const line = invoice.lines[r.position - 1]!;
        const where = `invoice ${number}, line ${r.position}`;
        const detail: StoredDetail = {
          position: r.position, lineNumber: r.lineNumber, identifiers: r.identifiers, matchedBy: r.matchedBy, alternatives: r.alternatives,
          agreedUnitPrice: r.agreedUnitPrice, verdicts: r.verdicts,
        };
        const lineAlc = (kind: string) => sum(line.allowancesAndCharges.filter((a) => a.kind === kind).map((a) => parseDecimal(allowanceAmount(a)) ?? ZERO));
        await tx.invoiceLine.create({
          data: {
            invoiceId: row.id, lineNumber: r.position, lineReference: line.orderLineReference ?? null, orderNumber: line.orderNumber ?? null,
            isbn: lineProductKeys(line).find((k) => /^97[89]\d{10}$/.test(k)) ?? null, vendorReference: lineVendorReferences(line)[0] ?? null,
            identifiers: JSON.stringify(r.identifiers.map((value) => ({ type: 'id', value }))), title: r.description ?? null,
            quantity: r.quantity !== null && r.quantity > 0 ? r.quantity : 0,
            unitPrice: amount(r.unitPrice, where), grossUnitPrice: amount(line.prices.find((p) => p.qualifier === 'AAB')?.amount, where),
            lineAmount: amount(r.lineAmount, where), taxAmount: amount(line.amounts['124'] ?? line.taxes.map((t) => t.amounts['124']).find((x) => x), where),
            taxRate: amount(line.taxes.find((t) => t.rate)?.rate, where),
            charges: amount(formatAmount(sub(lineAlc('C'), lineAlc('A'))), where) ?? '0',
            orderLineId: r.orderLineId === null ? null : Number(r.orderLineId),
            verdict: r.verdicts.map((v) => v.code).join(' '), verdictDetail: JSON.stringify(detail),
          },
        });
      }
      const duplicateOf = sameNumber[0]?.id ?? null;
      const outcome: InvoiceOutcome = { ...base, applied: true, invoiceId: row.id, duplicateOf, clean: rec.clean };
      await this.audit.record({
        action: duplicateOf ? 'load-duplicate' : 'load', entity: 'Invoice', entityId: row.id,
        after: { invoiceNumber: number, lines: rec.lines.length, clean: rec.clean, duplicateOf, failedChecks: rec.header.filter((h) => !h.ok).map((h) => h.code) },
        context: { intakeFileId, messageReference: invoice.messageReference },
      }, tx);
      await this.orders.markApplied(tx, key, intakeFileId, { invoiceId: row.id, duplicateOf, clean: rec.clean });
      return outcome;
    }, { timeout: 60_000 });
  }

  async list(q: { vendor?: string | undefined; state?: string | undefined; skip?: number | undefined; take?: number | undefined } = {}) {
    const where: Prisma.InvoiceWhereInput = { ...(q.vendor ? { vendor: { code: q.vendor } } : {}), ...(q.state ? { state: q.state } : {}) };
    const [total, rows] = await Promise.all([
      this.db.prisma.invoice.count({ where }),
      this.db.prisma.invoice.findMany({
        where, orderBy: { id: 'desc' }, skip: q.skip ?? 0, take: Math.min(q.take ?? 50, 500),
        include: { vendor: { select: { code: true } }, _count: { select: { lines: true } } },
      }),
    ]);
    return { total, invoices: rows.map(({ _count, vendor, ...r }) => ({ ...presentInvoice(r), vendorCode: vendor.code, lineCount: _count.lines })) };
  }

  /** The whole picture: the reconciliation report as at loading, with each line's decision and the invoice's state. */
  async reconciliation(id: number) {
    const inv = await this.db.prisma.invoice.findUnique({
      where: { id }, include: { vendor: { select: { code: true } }, lines: { orderBy: { lineNumber: 'asc' } } },
    });
    if (!inv) throw new NotFoundException(`invoice ${id} not found`);
    const duplicateOf = DUPLICATE_SUFFIX.test(inv.invoiceNumber)
      ? (await this.db.prisma.invoice.findFirst({ where: { vendorId: inv.vendorId, invoiceNumber: vendorInvoiceNumber(inv.invoiceNumber) }, select: { id: true } }))?.id ?? null
      : null;
    const lines = inv.lines.map((l) => lineResult(l));
    const charges = parseJson<{ kind: string; amount: string | null }[]>(inv.chargeDetails, []);
    const total = (kind: string): string => formatAmount(sum(charges.filter((c) => c.kind === kind).map((c) => parseDecimal(c.amount) ?? ZERO)));
    const header = parseJson<HeaderCheck[]>(inv.headerChecks, []);
    const report: InvoiceReconciliation = {
      vendor: inv.vendor.code, invoiceNumber: vendorInvoiceNumber(inv.invoiceNumber), documentCode: inv.documentCode, currency: inv.currency,
      linesTotal: formatAmount(sum(lines.map((l) => parseDecimal(l.lineAmount) ?? ZERO))), charges: total('C'), allowances: total('A'),
      tax: text(inv.statedTaxTotal), stated: inv.statedTotal === null ? null : { qualifier: inv.statedTotalQualifier ?? '', amount: text(inv.statedTotal)! },
      header, lines, clean: header.every((h) => h.ok) && lines.every((l) => l.verdicts.every((v) => v.code === 'matches')),
    };
    if (inv.invoiceDate) report.invoiceDate = inv.invoiceDate.toISOString().slice(0, 10);
    return {
      ...report, id: inv.id, state: inv.state, duplicateOf, intakeFileId: inv.intakeFileId, decidedBy: inv.decidedBy, decidedAt: inv.decidedAt,
      undecided: inv.lines.filter((l) => l.decision === null).length,
    };
  }

  async reconciliationCsv(id: number): Promise<{ invoiceNumber: string; csv: string }> {
    const r = await this.reconciliation(id);
    return { invoiceNumber: r.invoiceNumber, csv: reconciliationCsv(r) };
  }

  /** Staff decide one line: accept it, dispute it, or correct its quantity or price; each with who and when. */
  async decide(invoiceId: number, lineId: number, input: DecisionInput, now = new Date()) {
    if (input.decision !== 'correct' && (input.quantity !== undefined || input.unitPrice !== undefined)) {
      throw new BadRequestException('only a correction carries a quantity or unitPrice');
    }
    if (input.decision === 'correct' && input.quantity === undefined && input.unitPrice === undefined) {
      throw new BadRequestException('a correction needs the corrected quantity or unitPrice');
    }
    if (input.decision !== 'accept' && !input.note?.trim()) throw new BadRequestException(`a ${input.decision} needs a note saying why`);
    return this.db.prisma.$transaction(async (tx) => {
      const inv = await tx.invoice.findUnique({ where: { id: invoiceId } });
      if (!inv) throw new NotFoundException(`invoice ${invoiceId} not found`);
      const line = await tx.invoiceLine.findFirst({ where: { id: lineId, invoiceId } });
      if (!line) throw new NotFoundException(`line ${lineId} is not a line of invoice ${invoiceId}`);
      if (inv.state === 'accepted') throw new ConflictException(`invoice ${invoiceId} was accepted already; its lines cannot be decided again`);
      const decision = DECISIONS[input.decision];
      const after = await tx.invoiceLine.update({
        where: { id: lineId },
        data: {
          decision, correctedQuantity: input.decision === 'correct' ? input.quantity ?? null : null,
          correctedUnitPrice: input.decision === 'correct' ? input.unitPrice ?? null : null, decisionNote: input.note?.trim() || null,
          decidedBy: currentActor().actor, decidedAt: now,
        },
      });
      const disputed = await tx.invoiceLine.count({ where: { invoiceId, decision: 'disputed' } });
      await tx.invoice.update({ where: { id: invoiceId }, data: { state: disputed ? 'disputed' : 'open' } });
      await this.audit.record({
        action: 'decide', entity: 'InvoiceLine', entityId: lineId,
        before: { decision: line.decision, correctedQuantity: line.correctedQuantity, correctedUnitPrice: text(line.correctedUnitPrice), note: line.decisionNote },
        after: { decision, correctedQuantity: after.correctedQuantity, correctedUnitPrice: text(after.correctedUnitPrice), note: after.decisionNote },
        context: { invoiceId, position: line.lineNumber },
      }, tx);
      return { ...lineResult(after), invoiceState: disputed ? 'disputed' : 'open' };
    });
  }

  /**
   * Accepts the invoice once every line is decided: accepted and corrected lines add their (corrected)
   * quantity to their order line's invoiced quantity, and a line fully received and invoiced closes;
   * disputed lines add nothing. An order whose lines are all closed or cancelled closes too.
   */
  async accept(invoiceId: number, now = new Date()) {
    return this.db.prisma.$transaction(async (tx) => {
      const inv = await tx.invoice.findUnique({ where: { id: invoiceId }, include: { lines: { orderBy: { lineNumber: 'asc' } } } });
      if (!inv) throw new NotFoundException(`invoice ${invoiceId} not found`);
      const undecided = inv.lines.filter((l) => l.decision === null);
      if (undecided.length) throw new ConflictException(`decide every line first: line ${undecided.map((l) => l.lineNumber).join(', ')} ${undecided.length === 1 ? 'is' : 'are'} undecided`);
      // the conditional update makes a second, concurrent acceptance find nothing to accept
      const claimed = await tx.invoice.updateMany({ where: { id: invoiceId, state: { not: 'accepted' } }, data: { state: 'accepted', decidedBy: currentActor().actor, decidedAt: now } });
      if (claimed.count === 0) throw new ConflictException(`invoice ${invoiceId} was accepted already`);
      const closed: number[] = [];
      const orderIds = new Set<number>();
      for (const l of inv.lines) {
        if (l.orderLineId === null || l.decision === 'disputed') continue;
        const quantity = l.decision === 'corrected' && l.correctedQuantity !== null ? l.correctedQuantity : l.quantity;
        const o = await tx.orderLine.findUniqueOrThrow({ where: { id: l.orderLineId } });
        const invoiced = o.invoicedQuantity + quantity;
        const close = o.status !== 'cancelled' && o.receivedQuantity >= o.quantity && invoiced >= o.quantity;
        const after = await tx.orderLine.update({
          where: { id: o.id }, data: { invoicedQuantity: invoiced, ...(close ? { status: 'closed', closedAt: o.closedAt ?? now } : {}) },
        });
        if (close) closed.push(o.id);
        orderIds.add(o.orderId);
        await this.audit.record({
          action: 'invoice', entity: 'OrderLine', entityId: o.id,
          before: { invoicedQuantity: o.invoicedQuantity, status: o.status }, after: { invoicedQuantity: after.invoicedQuantity, status: after.status },
          context: { invoiceId, position: l.lineNumber },
        }, tx);
      }
      const ordersClosed: number[] = [];
      for (const orderId of orderIds) {
        const open = await tx.orderLine.count({ where: { orderId, status: { notIn: ['closed', 'cancelled'] } } });
        if (open === 0 && (await tx.order.updateMany({ where: { id: orderId, status: 'open' }, data: { status: 'closed' } })).count) ordersClosed.push(orderId);
      }
      await this.audit.record({
        action: 'accept', entity: 'Invoice', entityId: invoiceId, before: { state: inv.state }, after: { state: 'accepted', closedOrderLines: closed, closedOrders: ordersClosed },
      }, tx);
      return { id: invoiceId, state: 'accepted', closedOrderLines: closed, closedOrders: ordersClosed };
    });
  }
}

function presentInvoice(r: InvoiceRow) {
  return {
    ...r, invoiceNumber: vendorInvoiceNumber(r.invoiceNumber), storedNumber: r.invoiceNumber, statedTotal: text(r.statedTotal), statedLinesTotal: text(r.statedLinesTotal),
    statedTaxTotal: text(r.statedTaxTotal), charges: text(r.charges), chargeDetails: parseJson(r.chargeDetails, []), headerChecks: parseJson(r.headerChecks, []),
  };
}

/** A stored invoice line as the reconciliation report shows it, with the staff decision beside it. */
function lineResult(l: InvoiceLineRow): InvoiceLineResult & { id: number; decision: string | null; correctedQuantity: number | null; correctedUnitPrice: string | null; decisionNote: string | null; decidedBy: string | null; decidedAt: Date | null } {
  const d = parseJson<Partial<StoredDetail>>(l.verdictDetail, {});
  const out: ReturnType<typeof lineResult> = {
    id: l.id, position: l.lineNumber, lineNumber: d.lineNumber ?? String(l.lineNumber), identifiers: d.identifiers ?? [], quantity: l.quantity,
    unitPrice: text(l.unitPrice), lineAmount: text(l.lineAmount), orderLineId: l.orderLineId, matchedBy: d.matchedBy ?? null, alternatives: d.alternatives ?? [],
    agreedUnitPrice: d.agreedUnitPrice ?? null, verdicts: d.verdicts ?? [],
    decision: l.decision, correctedQuantity: l.correctedQuantity, correctedUnitPrice: text(l.correctedUnitPrice), decisionNote: l.decisionNote,
    decidedBy: l.decidedBy, decidedAt: l.decidedAt,
  };
  if (l.title !== null) out.description = l.title;
  if (l.lineReference !== null) out.orderLineReference = l.lineReference;
  if (l.orderNumber !== null) out.orderNumber = l.orderNumber;
  return out;
}
