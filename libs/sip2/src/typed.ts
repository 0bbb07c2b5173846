// Typed messages on top of the generic form. The types are derived from the spec table (spec.ts), and the
// mapping walks the same table, so a message's typed shape and its wire layout are one definition.
import { Buffer } from 'node:buffer';
import { frameText, messageText, type SipField, type SipIssue, type SipMessage, type SipWriteOptions } from './codec.js';
import { BLANK_SIP_DATE, formatIsoDate, formatSipDate, parseSipDate, type SipDate } from './date.js';
import {
  FIELDS, MESSAGES, PATRON_STATUS_FLAGS, SUMMARY_POSITIONS, messageDef,
  type FieldCode, type FieldDef, type FixedFieldDef, type FixedType, type SipMessageId,
} from './spec.js';

export type PatronStatusFlag = (typeof PATRON_STATUS_FLAGS)[number];
/** The 14 patron status flags of 24, 26 and 64; true where the ACS denies or reports something. */
export type PatronStatus = Record<PatronStatusFlag, boolean>;
/** Which item list a 63 request asks for. */
export type SummaryKind = (typeof SUMMARY_POSITIONS)[number];

type FixedValue<T extends FixedType> =
  T extends 'yn' | 'bit' ? boolean
    : T extends 'ynu' ? boolean | null
      : T extends 'date' ? SipDate | null
        : T extends 'int' ? number | null
          : T extends 'patronStatus' ? PatronStatus
            : T extends 'summary' ? SummaryKind | null
              : string;

type FieldValue<D extends FieldDef> =
  D['repeat'] extends true ? string[]
    : D['type'] extends 'yn' ? boolean
      : D['type'] extends 'int' ? number
        : D['type'] extends 'date' | 'dueDate' ? SipDate | string
          : string;

type Def<K extends SipMessageId> = (typeof MESSAGES)[K];
type Entry<K extends SipMessageId> = Def<K>['fields'][number];
type CodeOf<E> = E extends `${infer C}?` ? C : E;
type FDef<E> = (typeof FIELDS)[CodeOf<E> & FieldCode];
type Simplify<T> = { [P in keyof T]: T[P] } & {};

/** The typed form of message K, e.g. `SipTypedMessage<'11'>` is a CheckoutRequest. */
export type SipTypedMessage<K extends SipMessageId> = Simplify<
  { [F in Def<K>['fixed'][number] as F['key']]: FixedValue<F['type']> }
  & { [E in Entry<K> as E extends `${string}?` ? never : FDef<E>['key']]: FieldValue<FDef<E>> }
  & { [E in Entry<K> as E extends `${string}?` ? FDef<E>['key'] : never]?: FieldValue<FDef<E>> }
  & {
    /** Fields this message does not define, unknown codes, and values that did not fit their type: kept as sent. */
    extra?: SipField[];
  }
>;

/** A typed message with its id, as a discriminated union over every message. */
export type AnySipTypedMessage = { [K in SipMessageId]: { id: K; value: SipTypedMessage<K> } }[SipMessageId];

export type LoginRequest = SipTypedMessage<'93'>;
export type LoginResponse = SipTypedMessage<'94'>;
export type ScStatusRequest = SipTypedMessage<'99'>;
export type AcsStatusResponse = SipTypedMessage<'98'>;
export type PatronStatusRequest = SipTypedMessage<'23'>;
export type PatronStatusResponse = SipTypedMessage<'24'>;
export type PatronInformationRequest = SipTypedMessage<'63'>;
export type PatronInformationResponse = SipTypedMessage<'64'>;
export type CheckoutRequest = SipTypedMessage<'11'>;
export type CheckoutResponse = SipTypedMessage<'12'>;
export type CheckinRequest = SipTypedMessage<'09'>;
export type CheckinResponse = SipTypedMessage<'10'>;
export type RenewRequest = SipTypedMessage<'29'>;
export type RenewResponse = SipTypedMessage<'30'>;
export type RenewAllRequest = SipTypedMessage<'65'>;
export type RenewAllResponse = SipTypedMessage<'66'>;
export type ItemInformationRequest = SipTypedMessage<'17'>;
export type ItemInformationResponse = SipTypedMessage<'18'>;
export type ItemStatusUpdateRequest = SipTypedMessage<'19'>;
export type ItemStatusUpdateResponse = SipTypedMessage<'20'>;
export type EndPatronSessionRequest = SipTypedMessage<'35'>;
export type EndPatronSessionResponse = SipTypedMessage<'36'>;
export type FeePaidRequest = SipTypedMessage<'37'>;
export type FeePaidResponse = SipTypedMessage<'38'>;
export type HoldRequest = SipTypedMessage<'15'>;
export type HoldResponse = SipTypedMessage<'16'>;
export type PatronEnableRequest = SipTypedMessage<'25'>;
export type PatronEnableResponse = SipTypedMessage<'26'>;
export type BlockPatronRequest = SipTypedMessage<'01'>;
export type RequestAcsResend = SipTypedMessage<'97'>;
export type RequestScResend = SipTypedMessage<'96'>;

/** A patron status with no flag set. */
export function patronStatusAllClear(): PatronStatus {
  const s = {} as PatronStatus;
  for (const k of PATRON_STATUS_FLAGS) s[k] = false;
  return s;
}

type Loose = Record<string, unknown>;

// ---- generic -> typed ----

function fixedFromText(f: FixedFieldDef, v: string): unknown {
  switch (f.type) {
    case 'yn':
      return v === 'Y' || v === 'y';
    case 'ynu':
      return v === 'Y' || v === 'y' ? true : v === 'N' || v === 'n' ? false : null;
    case 'bit':
      return v === '1' || v === 'Y';
    case 'date':
      return parseSipDate(v);
    case 'int': {
      const t = v.trim();
      return t !== '' && /^\d+$/.test(t) ? Number(t) : null;
    }
    case 'code':
      return v;
    case 'patronStatus': {
      const s = {} as PatronStatus;
      for (let i = 0; i < PATRON_STATUS_FLAGS.length; i++) s[PATRON_STATUS_FLAGS[i]!] = v[i] === 'Y' || v[i] === 'y';
      return s;
    }
    case 'summary': {
      const at = v.search(/[Yy]/);
      return at >= 0 && at < SUMMARY_POSITIONS.length ? SUMMARY_POSITIONS[at]! : null;
    }
  }
}

function fieldFromText(d: FieldDef, v: string): { ok: true; value: unknown } | { ok: false } {
  switch (d.type) {
    case 'text':
      return { ok: true, value: v };
    case 'yn':
      return v === 'Y' || v === 'y' ? { ok: true, value: true } : v === 'N' || v === 'n' ? { ok: true, value: false } : { ok: false };
    case 'int': {
      const t = v.trim();
      return /^\d{1,15}$/.test(t) ? { ok: true, value: Number(t) } : { ok: false };
    }
    case 'date':
    case 'dueDate':
      return { ok: true, value: parseSipDate(v) ?? v };
  }
}

/**
 * The typed form of a generic message, or undefined for an id SIP2 does not define. Never throws: values
 * that do not fit are put in `extra` with a warning; missing fixed fields take their blank value.
 */
export function toTyped(message: SipMessage): { typed: AnySipTypedMessage; warnings: SipIssue[] } | undefined {
  const def = messageDef(message.id);
  if (!def) return undefined;
  const warnings: SipIssue[] = [];
  const out: Loose = {};
  for (let i = 0; i < def.fixed.length; i++) {
    const f = def.fixed[i]!;
    out[f.key] = fixedFromText(f, message.fixed[i] ?? '');
  }
  let extra: SipField[] | undefined;
  for (const field of message.fields) {
    const rule = def.byCode.get(field.code);
    if (!rule) {
      (extra ??= []).push(field);
      continue;
    }
    const d = rule.def;
    const parsed = fieldFromText(d, field.value);
    if (!parsed.ok) {
      warnings.push({ code: 'field-value', message: `field ${d.code} ${JSON.stringify(field.value)} is not a valid ${d.type}; kept in extra`, field: d.code });
      (extra ??= []).push(field);
    } else if (d.repeat) {
      const list = out[d.key] as string[] | undefined;
      if (list) list.push(field.value);
      else out[d.key] = [field.value];
    } else if (d.key in out) {
      warnings.push({ code: 'repeated-field', message: `field ${d.code} sent more than once; the first is used`, field: d.code });
      (extra ??= []).push(field);
    } else {
      out[d.key] = parsed.value;
    }
  }
  // Required fields read as '' when absent, so a handler can rely on them (readMessage has warned).
  for (const rule of def.fields) {
    if (rule.required && !(rule.def.key in out)) out[rule.def.key] = rule.def.repeat ? [] : '';
  }
  if (extra) out.extra = extra;
  return { typed: { id: def.id, value: out } as AnySipTypedMessage, warnings };
}

// ---- typed -> generic ----

export interface SipTypedWriteOptions extends SipWriteOptions {
  /** Field codes never written, whatever the value (privacy: e.g. ['BD', 'BE', 'BF', 'PB']). */
  hide?: readonly string[];
  /** Optional field codes written (empty) even when there is no value: kiosks that want e.g. CT or CV always. */
  alwaysSend?: readonly string[];
  /** How AH (due date) is written when given as a SipDate: 'sip' (18 characters, default), 'iso', or a function. */
  dueDateFormat?: 'sip' | 'iso' | ((d: SipDate) => string);
}

const NINES = '9999999999';

function fixedToText(f: FixedFieldDef, v: unknown): string {
  switch (f.type) {
    case 'yn':
      return v ? 'Y' : 'N';
    case 'ynu':
      return v === null || v === undefined ? 'U' : v ? 'Y' : 'N';
    case 'bit':
      return v ? '1' : '0';
    case 'date':
      return v ? formatSipDate(v as SipDate) : BLANK_SIP_DATE;
    case 'int': {
      if (v === null || v === undefined) return ' '.repeat(f.length);
      const n = Math.max(0, Math.floor(Number(v)));
      // A count too large for its width is written as all nines rather than cut to its low digits.
      const s = String(n);
      return s.length > f.length ? NINES.slice(0, f.length) : s.padStart(f.length, '0');
    }
    case 'code':
      return typeof v === 'string' ? v : '';
    case 'patronStatus': {
      const s = (v ?? {}) as Partial<PatronStatus>;
      let t = '';
      for (const k of PATRON_STATUS_FLAGS) t += s[k] ? 'Y' : ' ';
      return t;
    }
    case 'summary': {
      const at = SUMMARY_POSITIONS.indexOf(v as SummaryKind);
      return at < 0 ? ' '.repeat(10) : ' '.repeat(at) + 'Y' + ' '.repeat(9 - at);
    }
  }
}

function fieldToText(d: FieldDef, v: unknown, options: SipTypedWriteOptions): string {
  switch (d.type) {
    case 'yn':
      return v ? 'Y' : 'N';
    case 'int': {
      const s = String(Math.max(0, Math.floor(Number(v))));
      return d.width ? (s.length > d.width ? NINES.slice(0, d.width) : s.padStart(d.width, '0')) : s;
    }
    case 'date':
      return typeof v === 'string' ? v : formatSipDate(v as SipDate);
    case 'dueDate': {
      if (typeof v === 'string') return v;
      const f = options.dueDateFormat ?? 'sip';
      return f === 'sip' ? formatSipDate(v as SipDate) : f === 'iso' ? formatIsoDate(v as SipDate) : f(v as SipDate);
    }
    case 'text':
      return String(v);
  }
}

/**
 * The generic form of a typed message: fixed fields from the table, then the message's fields in the order of
 * the 3M guide (required ones always, empty if unset; optional ones when they have a value or are in
 * `alwaysSend`; none in `hide`), then `extra` as given.
 */
export function fromTyped<K extends SipMessageId>(id: K, value: SipTypedMessage<K>, options: SipTypedWriteOptions = {}): SipMessage {
  const def = messageDef(id)!;
  const v = value as unknown as Loose;
  const fixed: string[] = new Array(def.fixed.length);
  for (let i = 0; i < def.fixed.length; i++) fixed[i] = fixedToText(def.fixed[i]!, v[def.fixed[i]!.key]);
  const fields: SipField[] = [];
  const hide = options.hide;
  const always = options.alwaysSend;
  for (const rule of def.fields) {
    const d = rule.def;
    if (hide && hide.includes(d.code)) continue;
    const x = v[d.key];
    if (x === undefined || x === null || (d.repeat && (x as string[]).length === 0)) {
      if (rule.required || (always && always.includes(d.code))) fields.push({ code: d.code, value: '' });
      continue;
    }
    if (d.repeat) for (const item of x as string[]) fields.push({ code: d.code, value: item });
    else fields.push({ code: d.code, value: fieldToText(d, x, options) });
  }
  const extra = v.extra as SipField[] | undefined;
  if (extra) for (const f of extra) if (!hide || !hide.includes(f.code)) fields.push(f);
  return { id, fixed, fields };
}

/** Builds the frame of a typed message: `fromTyped` then the generic writer. */
export function buildTyped<K extends SipMessageId>(id: K, value: SipTypedMessage<K>, options: SipTypedWriteOptions = {}): Buffer {
  return frameText(messageText(fromTyped(id, value, options), options.delimiter), options);
}
