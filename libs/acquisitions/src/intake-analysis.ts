import { mapTradeMessage, parseEdifact, type EdifactFile, type TradeDocument } from '@carrel/edifact';
import { detectMarcFormat, readMarc } from '@carrel/marc';
import { KIND_OF_MESSAGE, type IntakeKind } from './file-kinds.js';

/**
 * What a received file is: EDIFACT (which messages) or MARC (how many records), its warnings, and the
 * reason to quarantine it when it cannot be read. Pure: bytes in, verdict out; never throws.
 */
export interface IntakeWarning {
  code: string;
  message: string;
  messageReference?: string;
}

export interface IntakeAnalysis {
  /** the kind the content shows (an invoice named .CEA is still an invoice) */
  kind: IntakeKind;
  /** 'INVOIC', 'ORDRSP', … for EDIFACT (the first message's type), 'MARC' for MARC, null when unreadable */
  messageType: string | null;
  /** messages or records found */
  documentCount: number;
  warnings: IntakeWarning[];
  /** set when the file must not be processed further */
  quarantineReason: string | null;
  edifact?: { file: EdifactFile; documents: TradeDocument[] };
  marc?: { format: 'iso2709' | 'marcxml'; records: number; rejected: number };
}

/** Warnings of the EDIFACT parser that mean it could not read the file to its end. */
const FATAL_EDIFACT = new Set(['internal-error']);
const MAX_MARC_WARNINGS = 200;

export function detectIntakeFormat(bytes: Uint8Array): 'edifact' | 'marc' | 'unknown' {
  const head = Buffer.from(bytes.subarray(0, 1024));
  const text = head.toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').replace(/^[\s\0]+/, '');
  if (/^UN[AB]/.test(text)) return 'edifact';
  const marc = detectMarcFormat(head);
  return marc === 'iso2709' || marc === 'marcxml' ? 'marc' : 'unknown';
}

export function analyseIntake(bytes: Uint8Array, kindFromName: IntakeKind): IntakeAnalysis {
  try {
    if (bytes.length === 0) return unreadable(kindFromName, 'the file is empty');
    const format = detectIntakeFormat(bytes);
    if (format === 'edifact') return analyseEdifact(bytes, kindFromName);
    if (format === 'marc') return analyseMarc(bytes);
    return unreadable(kindFromName, 'neither EDIFACT (no UNA or UNB at the start) nor MARC (ISO 2709 or MARCXML)');
  } catch (err) {
    return unreadable(kindFromName, `could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function unreadable(kind: IntakeKind, reason: string): IntakeAnalysis {
  return { kind, messageType: null, documentCount: 0, warnings: [], quarantineReason: reason };
}

function analyseEdifact(bytes: Uint8Array, kindFromName: IntakeKind): IntakeAnalysis {
  const file = parseEdifact(bytes);
  const warnings: IntakeWarning[] = file.warnings.map((w) => ({
    code: w.code, message: w.message, ...(w.messageReference !== undefined ? { messageReference: w.messageReference } : {}),
  }));
  const messages = file.interchanges.flatMap((i) => i.messages);
  const base = { warnings, edifact: { file, documents: [] as TradeDocument[] } };
  const fatal = file.warnings.find((w) => FATAL_EDIFACT.has(w.code));
  if (fatal) return { ...base, kind: kindFromName, messageType: null, documentCount: messages.length, quarantineReason: `EDIFACT: ${fatal.message}` };
  if (messages.length === 0) return { ...base, kind: kindFromName, messageType: null, documentCount: 0, quarantineReason: 'EDIFACT: no message (UNH … UNT) in the file' };
  const first = messages[0]!.type;
  const kind = KIND_OF_MESSAGE[first] ?? kindFromName;
  const result: IntakeAnalysis = { ...base, kind, messageType: first, documentCount: messages.length, quarantineReason: null };
  for (const m of messages) {
    if (!(m.type in KIND_OF_MESSAGE)) {
      result.quarantineReason = `EDIFACT: message ${m.reference} is ${m.type || 'of no type'}; Carrel reads ${Object.keys(KIND_OF_MESSAGE).join(', ')}`;
      return result;
    }
    if (m.type !== first) warnings.push({ code: 'mixed-types', message: `message ${m.reference} is ${m.type} in a file of ${first}`, messageReference: m.reference });
    const doc = mapTradeMessage(m);
    if (m.type === 'INVOIC' && doc.documentNumber.trim() === '') {
      result.quarantineReason = `EDIFACT: invoice message ${m.reference} has no invoice number (BGM)`;
      return result;
    }
    base.edifact.documents.push(doc);
  }
  if (kindFromName !== 'unknown' && kindFromName !== kind) {
    warnings.push({ code: 'kind-differs', message: `named like a ${kindFromName} file but holds ${first} messages` });
  }
  return result;
}

function analyseMarc(bytes: Uint8Array): IntakeAnalysis {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const warnings: IntakeWarning[] = [];
  let records = 0;
  let rejected = 0;
  let format: 'iso2709' | 'marcxml' = 'iso2709';
  for (const r of readMarc(buf)) {
    if (r.ok) {
      records++;
      format = r.format;
      for (const w of r.warnings) if (warnings.length < MAX_MARC_WARNINGS) warnings.push({ code: 'marc', message: `record ${r.index + 1}: ${w}` });
    } else {
      rejected++;
      if (warnings.length < MAX_MARC_WARNINGS) warnings.push({ code: 'marc-rejected', message: r.error });
    }
  }
  const result: IntakeAnalysis = { kind: 'marc', messageType: 'MARC', documentCount: records, warnings, quarantineReason: null, marc: { format, records, rejected } };
  if (records === 0) result.quarantineReason = `MARC: no readable record${rejected ? ` (${rejected} rejected)` : ''}`;
  return result;
}
