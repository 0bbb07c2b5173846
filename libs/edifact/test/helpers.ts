import { mapTradeMessage, sumAmounts, type DocumentLine, type EdifactFile, type EdifactWarningCode, type TradeDocument } from '../src/index.js';

export const documentsOf = (file: EdifactFile): TradeDocument[] =>
  file.interchanges.flatMap((ic) => ic.messages.map((m) => mapTradeMessage(m)));

export const codes = (file: { warnings: { code: EdifactWarningCode }[] }): EdifactWarningCode[] => file.warnings.map((w) => w.code).sort();

/** Σ of one quantity qualifier over lines, as a decimal string. */
export const totalQuantity = (lines: DocumentLine[], qualifier: string): string =>
  sumAmounts(lines.flatMap((l) => l.quantities.filter((q) => q.qualifier === qualifier).map((q) => q.value)));

export const sumLineAmounts = (lines: DocumentLine[], qualifier: string): string => sumAmounts(lines.map((l) => l.amounts[qualifier]));

export const allLines = (docs: TradeDocument[]): DocumentLine[] => docs.flatMap((d) => d.lines);
