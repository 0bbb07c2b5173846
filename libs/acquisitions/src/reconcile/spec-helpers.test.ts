// Shared by the specs beside it. The .test.ts suffix keeps it out of the build, and Jest runs only *.spec.ts.
import { mapTradeMessage, parseEdifact, type EdifactFile, type TradeDocument } from '@carrel/edifact';
import type { OrderLineSnapshot } from './order-lines.js';

/** One interchange holding one message of `type`, control counts right. Segments without their terminator. */
export function ediMessage(type: string, segments: string[], reference = 'M1'): string {
  const body = segments.map((s) => `${s}'`).join('');
  return `UNA:+.? 'UNB+UNOC:3+5013546027173:14+1234567:31B+240301:1200+IC1'UNH+${reference}+${type}:D:96A:UN:EAN008'${body}` +
    `UNT+${segments.length + 2}+${reference}'UNZ+1+IC1'`;
}

export const documentsOf = (file: EdifactFile): TradeDocument[] => file.interchanges.flatMap((ic) => ic.messages.map((m) => mapTradeMessage(m)));

/** The first message of an EDIFACT text, mapped; fails loudly when the text does not parse cleanly. */
export function documentOf<T extends TradeDocument>(text: string): T {
  const file = parseEdifact(text);
  if (file.warnings.length) throw new Error(`test message has warnings: ${file.warnings.map((w) => w.message).join('; ')}`);
  return documentsOf(file)[0] as T;
}

let nextId = 1;
export function orderLine(fields: Partial<OrderLineSnapshot> = {}): OrderLineSnapshot {
  return {
    id: nextId++, vendor: 'V1', orderNumber: 'PO1', identifiers: [], quantityOrdered: 1, quantityReceived: 0, quantityInvoiced: 0,
    status: 'accepted', ...fields,
  };
}
