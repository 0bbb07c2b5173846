import { claimOrdinal, type ClaimLetterIssue } from './template.js';

/**
 * Serial claims as an EDIFACT OSTENQ (order status enquiry, D96A, EANCOM subset EAN008) as library
 * suppliers take them: one interchange, one message, BGM 92J (serial), one LIN group per claimed issue.
 *
 *   UNA:+.? '
 *   UNB+UNOC:3+<sender>:<qualifier>+<recipient>:<qualifier>+YYMMDD:HHMM+<ref>++OSTENQ'
 *   UNH+<msg>+OSTENQ:D:96A:UN:EAN008'
 *   BGM+92J::9+<document number>+9'
 *   DTM+137:CCYYMMDD:102'
 *   NAD+BY+<library>::<agency>'  RFF+API:<account number>'  NAD+SU+<vendor>::<agency>'
 *   per issue: LIN+n'  PIA+5+<ISSN>:IS'  IMD+L+050+:::<title>'  FTX+LIN+++<issue label>'
 *              FTX+AAI+++<nth> claim'  QTY+21:1'  DTM+17:<expected date>:102'  RFF+LI:<our claim id>'
 *              RFF+SNA:<vendor's subscription reference>'
 *   UNS+S'  CNT+2:<lines>'  UNT+<segments UNH…UNT>+<msg>'  UNZ+1+<ref>'
 *
 * Text is folded into ISO 8859-1 (UNOC): accents outside it lose their marks, typographic dashes and
 * quotes become plain ones, anything else becomes "?"; the service characters ? ' + : are released.
 */

export class OstenqError extends Error {
  constructor(readonly where: string, message: string) {
    super(`OSTENQ ${where}: ${message}`);
  }
}

export interface EdiParty {
  id: string;
  /** 14 EAN/GLN, 31B US SAN, 91 assigned by the supplier, 92 assigned by the buyer */
  qualifier: '14' | '31B' | '91' | '92';
}

export interface OstenqIssue extends ClaimLetterIssue {
  /** our reference the vendor quotes back (RFF+LI): the claim's id */
  lineReference: string;
}

export interface OstenqInput {
  sender: EdiParty;
  recipient: EdiParty;
  /** UNB control reference, 1–14 letters or digits, unique per interchange sent to this vendor */
  interchangeReference: string;
  /** BGM document number (the claim batch) */
  documentNumber: string;
  /** YYYY-MM-DD and HH:MM of preparation (the library's clock) */
  date: string;
  time: string;
  buyer: EdiParty;
  supplier: EdiParty;
  /** the library's account number with the vendor (RFF+API after NAD+BY) */
  accountNumber?: string | null;
  issues: OstenqIssue[];
}

/** NAD 3055: who assigned the party code. */
const AGENCY: Record<EdiParty['qualifier'], string> = { '14': '9', '31B': '31B', '91': '91', '92': '92' };

const FOLD: Record<string, string> = {
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u2026': '...',
  '\u0141': 'L', '\u0142': 'l', '\u0110': 'D', '\u0111': 'd', '\u0152': 'OE', '\u0153': 'oe', '\u0131': 'i',
};

/** Text as UNOC can carry it: Latin-1 as is, other letters without their accents, line breaks as blanks. */
export function toLatin1(text: string): string {
  let out = '';
  for (const ch of text.replace(/[\r\n\t]+/g, ' ')) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e) out += ch;
    else if (code >= 0xa0 && code <= 0xff) out += ch;
    else if (FOLD[ch] !== undefined) out += FOLD[ch];
    else {
      const bare = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += [...bare].every((c) => { const n = c.codePointAt(0)!; return (n >= 0x20 && n <= 0x7e) || (n >= 0xa0 && n <= 0xff); }) && bare !== '' ? bare : '?';
    }
  }
  return out;
}

/** Releases the service characters of the default UNA (? first, so the release is not released twice). */
export function releaseEdifact(text: string): string {
  return toLatin1(text).replace(/[?'+:]/g, (c) => `?${c}`);
}

/** Splits text into pieces of at most `size` characters (counted before release characters are added). */
function pieces(text: string, size: number): string[] {
  const t = toLatin1(text).trim();
  const out: string[] = [];
  for (let i = 0; i < t.length; i += size) out.push(t.slice(i, i + size));
  return out.length ? out : [''];
}

function edDate(date: string, where: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new OstenqError(where, `date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return date.replace(/-/g, '');
}

function checked(value: string | null | undefined, where: string, max: number, required = true): string {
  const v = (value ?? '').trim();
  if (!v) {
    if (required) throw new OstenqError(where, 'is empty');
    return '';
  }
  if (toLatin1(v).length > max) throw new OstenqError(where, `is longer than the ${max} characters EDIFACT allows: ${JSON.stringify(v)}`);
  return v;
}

/** The OSTENQ interchange as text (encode it as ISO 8859-1: `Buffer.from(text, 'latin1')`). */
export function writeOstenq(input: OstenqInput): string {
  if (input.issues.length === 0) throw new OstenqError('message', 'has no issue to claim');
  const ref = checked(input.interchangeReference, 'UNB control reference', 14);
  if (!/^[A-Za-z0-9]+$/.test(ref)) throw new OstenqError('UNB control reference', `must be letters and digits only, got ${JSON.stringify(ref)}`);
  if (!/^\d{2}:\d{2}$/.test(input.time)) throw new OstenqError('UNB time', `must be HH:MM, got ${JSON.stringify(input.time)}`);
  const party = (p: EdiParty, where: string) => {
    if (!AGENCY[p.qualifier]) throw new OstenqError(where, `qualifier must be 14, 31B, 91 or 92, got ${JSON.stringify(p.qualifier)}`);
    return releaseEdifact(checked(p.id, `${where} identifier`, 35));
  };
  const e = releaseEdifact;
  const msgRef = '1';
  const body: string[] = [];
  body.push(`UNH+${msgRef}+OSTENQ:D:96A:UN:EAN008`);
  body.push(`BGM+92J::9+${e(checked(input.documentNumber, 'BGM document number', 35))}+9`);
  body.push(`DTM+137:${edDate(input.date, 'DTM 137 (message date)')}:102`);
  body.push(`NAD+BY+${party(input.buyer, 'NAD+BY')}::${AGENCY[input.buyer.qualifier]}`);
  const account = checked(input.accountNumber, 'RFF+API (account number)', 35, false);
  if (account) body.push(`RFF+API:${e(account)}`);
  body.push(`NAD+SU+${party(input.supplier, 'NAD+SU')}::${AGENCY[input.supplier.qualifier]}`);
  input.issues.forEach((issue, i) => {
    const where = `line ${i + 1} (${issue.title} ${issue.label})`;
    body.push(`LIN+${i + 1}`);
    if (issue.issn) {
      const issn = issue.issn.replace(/[-\s]/g, '').toUpperCase();
      if (!/^\d{7}[\dX]$/.test(issn)) throw new OstenqError(where, `ISSN must be 8 digits (the last may be X), got ${JSON.stringify(issue.issn)}`);
      body.push(`PIA+5+${issn}:IS`);
    }
    const title = pieces(checked(issue.title, `${where} title`, 350), 35);
    for (let t = 0; t < title.length; t += 2) body.push(`IMD+L+050+:::${title.slice(t, t + 2).map(e).join(':')}`);
    body.push(`FTX+LIN+++${pieces(checked(issue.label, `${where} issue label`, 350), 70).slice(0, 5).map(e).join(':')}`);
    if (!Number.isInteger(issue.claimNumber) || issue.claimNumber < 1) throw new OstenqError(where, `claim number must be 1 or more, got ${issue.claimNumber}`);
    body.push(`FTX+AAI+++${e(`${claimOrdinal(issue.claimNumber)} claim`)}`);
    body.push('QTY+21:1');
    body.push(`DTM+17:${edDate(issue.expectedDate, `${where} expected date`)}:102`);
    body.push(`RFF+LI:${e(checked(issue.lineReference, `${where} line reference`, 35))}`);
    const vendorRef = checked(issue.vendorReference, `${where} vendor reference`, 35, false);
    if (vendorRef) body.push(`RFF+SNA:${e(vendorRef)}`);
  });
  body.push('UNS+S');
  body.push(`CNT+2:${input.issues.length}`);
  body.push(`UNT+${body.length + 1}+${msgRef}`);
  const yymmdd = edDate(input.date, 'UNB date').slice(2);
  const unb = `UNB+UNOC:3+${party(input.sender, 'UNB sender')}:${input.sender.qualifier}+${party(input.recipient, 'UNB recipient')}:${input.recipient.qualifier}+${yymmdd}:${input.time.replace(':', '')}+${ref}++OSTENQ`;
  // no line breaks between segments: strict readers take them for data
  return ["UNA:+.? '", `${unb}'`, ...body.map((s) => `${s}'`), `UNZ+1+${ref}'`].join('');
}
