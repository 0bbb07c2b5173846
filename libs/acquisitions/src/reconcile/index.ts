// Pure invoice, order-response and despatch reconciliation (no Nest, no I/O, no clock).
export type { Decimal } from './decimal.js';
export { parseDecimal, formatDecimal } from './decimal.js';
export type { OrderLineId, OrderLineStatus, OrderLineSnapshot, MatchMethod, LineMatch, MatchedUpdate } from './order-lines.js';
export { matchOrderLine, fileByMatch, productKey, productIdentifiers, lineProductKeys, lineVendorReferences, isoDate } from './order-lines.js';
export type {
  ReconcileSettings, LineVerdictCode, LineVerdict, InvoiceLineResult, HeaderCheckCode, HeaderCheck, InvoiceReconciliation, ReconcileInvoiceInput,
} from './invoice.js';
export { reconcileInvoice, billedLine } from './invoice.js';
export type { ResponseReason, OrderLineUpdate, OrderResponseApplication } from './order-response.js';
export { applyOrderResponse, ORDER_RESPONSE_REASONS } from './order-response.js';
export type { DespatchedCopy, ReceiptUpdate, DespatchApplication } from './despatch.js';
export { applyDespatchAdvice } from './despatch.js';
export { reconciliationCsv, csvText } from './csv.js';
export type { OrderLineDraft } from './orders.js';
export { orderLinesFromOrder } from './orders.js';
