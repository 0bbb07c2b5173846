// One handler per SIP message pair: typed request -> backend call -> typed response. Pure of I/O except
// the backend; the connection layer (connection.ts) does framing, login, checksums and logging.
import { createHash } from 'node:crypto';
import type {
  CirculationBackend, CheckinAlert, PatronStatus as BackendPatronStatus, SummaryList, Terminal,
} from '../../circulation/src/backend.js';
import {
  patronStatusAllClear, sipDateFromDate, sipDateToDate,
  type SipDate, type SipMessageId, type SipTypedMessage, type PatronStatus as SipPatronStatus, type SummaryKind,
} from '@carrel/sip2';
import type { Sip2Account } from './options.js';

/** What a handler answers: a response message (or none, for 01) and the outcome for the log. */
export interface Reply {
  id: SipMessageId | null;
  value: Record<string, unknown> | null;
  outcome: string;
}

/** The per-connection state handlers may read and update. */
export interface PinMemory {
  /** patron barcode -> digest of barcode+PIN verified in this session (lazily created) */
  pins: Map<string, string> | null;
}

export interface HandlerContext {
  backend: CirculationBackend;
  account: Sip2Account;
  terminal: Terminal;
  now: Date;
  zone: string;
  session: PinMemory;
  /** per-process secret mixed into the PIN digests */
  pinSalt: string;
}

const LIST_OF: Record<SummaryKind, SummaryList> = {
  holdItems: 'holds', overdueItems: 'overdue', chargedItems: 'charged', fineItems: 'fines', recallItems: 'recalls', unavailableHoldItems: 'unavailableHolds',
};
const FIELD_OF: Record<SummaryList, string> = {
  holds: 'holdItems', overdue: 'overdueItems', charged: 'chargedItems', fines: 'fineItems', recalls: 'recallItems', unavailableHolds: 'unavailableHoldItems',
};
const ALERT_CODE: Record<Exclude<CheckinAlert, null>, string> = { 'hold-here': '01', 'hold-elsewhere': '02', transit: '04', other: '99' };

export function sipDate(d: Date | null | undefined, zone: string): SipDate | null {
  return d ? sipDateFromDate(d, zone) : null;
}

function toDate(d: SipDate | string | null | undefined, zone: string): Date | undefined {
  if (!d || typeof d === 'string') return undefined;
  return sipDateToDate(d, zone === 'utc' ? 'process' : zone);
}

function language(v: unknown): string {
  return typeof v === 'string' && /^\d{3}$/.test(v) ? v : '000';
}

function msgs(...m: (string | null | undefined)[]): string[] | undefined {
  const out = m.filter((x): x is string => !!x);
  return out.length ? out : undefined;
}

function ymd(d: Date | null): string | undefined {
  if (!d) return undefined;
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

// ---- PIN memory: a kiosk sends AD with every message of a patron session; the slow hash runs once ----

interface PinUse {
  /** the PIN to pass to the backend (undefined when none was sent or it is already verified) */
  pin: string | undefined;
  cached: boolean;
  digest: string | null;
}

function pinUse(ctx: HandlerContext, barcode: string, pin: unknown): PinUse {
  if (typeof pin !== 'string' || pin === '') return { pin: undefined, cached: false, digest: null };
  const digest = createHash('sha256').update(ctx.pinSalt).update('\0').update(barcode).update('\0').update(pin).digest('base64');
  if (ctx.session.pins?.get(barcode) === digest) return { pin: undefined, cached: true, digest };
  return { pin, cached: false, digest };
}

function pinResult(ctx: HandlerContext, barcode: string, use: PinUse, pinValid: boolean | null): boolean | null {
  if (use.cached) return true;
  if (use.digest && pinValid === true) (ctx.session.pins ??= new Map()).set(barcode, use.digest);
  if (use.digest && pinValid === false) ctx.session.pins?.delete(barcode);
  return use.digest ? pinValid : null;
}

/** The 14 patron status flags: the backend speaks the same names as the codec. */
function flags(s: BackendPatronStatus): SipPatronStatus {
  const out = patronStatusAllClear();
  for (const k of Object.keys(out) as (keyof SipPatronStatus)[]) out[k] = !!s.flags[k];
  return out;
}

/** Flags for a patron the ACS cannot serve (unknown barcode, backend error). */
export function deniedStatus(): SipPatronStatus {
  const s = patronStatusAllClear();
  s.chargePrivilegesDenied = s.renewalPrivilegesDenied = s.recallPrivilegesDenied = s.holdPrivilegesDenied = true;
  return s;
}

function patronFields(s: BackendPatronStatus, pinValid: boolean | null, ctx: HandlerContext, screen: string[] | undefined) {
  return {
    institutionId: ctx.account.institution,
    patronIdentifier: s.patronBarcode,
    personalName: s.name ?? '',
    validPatron: s.found,
    validPatronPassword: pinValid ?? undefined,
    currencyType: s.currency || undefined,
    feeAmount: s.feeAmount,
    screenMessage: screen,
    patronExpirationDate: ymd(s.expiryDate),
    patronClass: s.categoryCode ?? undefined,
  };
}

function patronScreen(s: BackendPatronStatus, pinValid: boolean | null): string[] | undefined {
  if (!s.found) return ['Patron not found.'];
  if (pinValid === false) return ['Invalid PIN.'];
  return msgs(...s.blockReasons);
}

// ---- the handlers ----

type Req<K extends SipMessageId> = SipTypedMessage<K>;

export async function handle(id: SipMessageId, value: Record<string, unknown>, ctx: HandlerContext): Promise<Reply> {
  switch (id) {
    case '99': return acsStatus(ctx);
    case '23': return patronStatus(value as Req<'23'>, ctx);
    case '63': return patronInformation(value as Req<'63'>, ctx);
    case '11': return checkout(value as Req<'11'>, ctx);
    case '09': return checkin(value as Req<'09'>, ctx);
    case '29': return renew(value as Req<'29'>, ctx);
    case '65': return renewAll(value as Req<'65'>, ctx);
    case '17': return itemInformation(value as Req<'17'>, ctx);
    case '19': return itemStatusUpdate(value as Req<'19'>, ctx);
    case '35': return endSession(value as Req<'35'>, ctx);
    case '37': return feePaid(value as Req<'37'>, ctx);
    case '15': return hold(value as Req<'15'>, ctx);
    case '25': return patronEnable(value as Req<'25'>, ctx);
    case '01': return blockPatron(value as Req<'01'>, ctx);
    default:
      return negative(id, value, `message ${id} is not handled`, ctx);
  }
}

/** Order of the 16 BX positions (3M guide, 98). */
export const SUPPORTED_ORDER = ['23', '11', '09', '01', '99', '97', '93', '63', '35', '37', '17', '19', '25', '15', '29', '65'] as const;

export function allowed(account: Sip2Account, id: string): boolean {
  if (id === '93' || id === '99' || id === '97' || id === '96') return true;
  return !account.allowedMessages || account.allowedMessages.includes(id);
}

export function acsStatus(ctx: HandlerContext): Reply {
  const a = ctx.account;
  const ok = (id: string) => allowed(a, id);
  let bx = '';
  for (const id of SUPPORTED_ORDER) bx += ok(id) ? 'Y' : 'N';
  const value: SipTypedMessage<'98'> = {
    onlineStatus: true,
    checkinOk: ok('09'),
    checkoutOk: ok('11'),
    acsRenewalPolicy: ok('29'),
    statusUpdateOk: ok('19'),
    offlineOk: false,
    timeoutPeriod: a.timeoutPeriod ?? 30,
    retriesAllowed: a.retriesAllowed ?? 3,
    dateTimeSync: sipDate(ctx.now, ctx.zone),
    protocolVersion: '2.00',
    institutionId: a.institution,
    libraryName: a.libraryName,
    supportedMessages: bx,
    terminalLocation: ctx.terminal.device,
  };
  return { id: '98', value, outcome: 'ok' };
}

async function patronStatus(r: Req<'23'>, ctx: HandlerContext): Promise<Reply> {
  const barcode = r.patronIdentifier;
  const use = pinUse(ctx, barcode, r.patronPassword);
  const s = await ctx.backend.patronStatus({ patronBarcode: barcode, pin: use.pin, at: ctx.now, terminal: ctx.terminal });
  const pinValid = pinResult(ctx, barcode, use, s.pinValid);
  const value: SipTypedMessage<'24'> = {
    patronStatus: s.found ? flags(s) : deniedStatus(),
    language: language(r.language),
    transactionDate: sipDate(ctx.now, ctx.zone),
    ...patronFields(s, pinValid, ctx, patronScreen(s, pinValid)),
  };
  return { id: '24', value, outcome: s.found ? (pinValid === false ? 'bad-pin' : 'ok') : 'unknown-patron' };
}

async function patronInformation(r: Req<'63'>, ctx: HandlerContext): Promise<Reply> {
  const barcode = r.patronIdentifier;
  const use = pinUse(ctx, barcode, r.patronPassword);
  const list = r.summary ? LIST_OF[r.summary] : null;
  const s = await ctx.backend.patronInformation({
    patronBarcode: barcode, pin: use.pin, at: ctx.now, terminal: ctx.terminal, list,
    start: typeof r.startItem === 'number' ? r.startItem : undefined, end: typeof r.endItem === 'number' ? r.endItem : undefined,
  });
  const pinValid = pinResult(ctx, barcode, use, s.pinValid);
  const value: Record<string, unknown> = {
    patronStatus: s.found ? flags(s) : deniedStatus(),
    language: language(r.language),
    transactionDate: sipDate(ctx.now, ctx.zone),
    holdItemsCount: s.counts.holds,
    overdueItemsCount: s.counts.overdue,
    chargedItemsCount: s.counts.charged,
    fineItemsCount: s.counts.fines,
    recallItemsCount: s.counts.recalls,
    unavailableHoldsCount: s.counts.unavailableHolds,
    ...patronFields(s, pinValid, ctx, patronScreen(s, pinValid)),
    holdItemsLimit: s.limits.holds ?? undefined,
    overdueItemsLimit: s.limits.overdue ?? undefined,
    chargedItemsLimit: s.limits.charged ?? undefined,
    feeLimit: s.feeLimit ?? undefined,
    homeAddress: s.address ?? undefined,
    emailAddress: s.email ?? undefined,
    homePhone: s.phone ?? undefined,
  };
  // Item lists only when the PIN (if sent) was right.
  if (s.list && pinValid !== false) value[FIELD_OF[s.list.kind]] = s.list.entries;
  return { id: '64', value, outcome: s.found ? (pinValid === false ? 'bad-pin' : 'ok') : 'unknown-patron' };
}

function loanReply(id: '12' | '30', res: Awaited<ReturnType<CirculationBackend['checkout']>>, ctx: HandlerContext, cachedPinUsed: boolean): Reply {
  void cachedPinUsed;
  const value: SipTypedMessage<'12'> = {
    ok: res.ok,
    renewalOk: res.renewal,
    magneticMedia: null,
    desensitize: res.ok ? res.desensitize : false,
    transactionDate: sipDate(ctx.now, ctx.zone),
    institutionId: ctx.account.institution,
    patronIdentifier: res.patronBarcode,
    itemIdentifier: res.itemBarcode,
    titleIdentifier: res.title ?? '',
    dueDate: res.ok && res.dueDate ? sipDate(res.dueDate, ctx.zone)! : '',
    feeType: res.feeType ?? undefined,
    feeAmount: res.feeAmount ?? undefined,
    mediaType: res.mediaType ?? undefined,
    screenMessage: msgs(res.screenMessage),
  };
  return { id, value, outcome: res.ok ? (res.renewal ? 'ok-renewal' : 'ok') : 'refused' };
}

async function checkout(r: Req<'11'>, ctx: HandlerContext): Promise<Reply> {
  const barcode = r.patronIdentifier;
  const use = pinUse(ctx, barcode, r.patronPassword);
  const res = await ctx.backend.checkout({
    patronBarcode: barcode, pin: use.pin, itemBarcode: r.itemIdentifier, at: ctx.now, terminal: ctx.terminal,
    feeAcknowledged: r.feeAcknowledged, noBlock: r.noBlock || undefined,
    transactionDate: r.noBlock ? toDate(r.transactionDate, ctx.zone) : undefined, cancel: r.cancel || undefined,
  });
  const reply = loanReply('12', res, ctx, use.cached);
  return r.cancel ? { ...reply, outcome: res.ok ? 'ok-cancel' : 'refused-cancel' } : reply;
}

async function renew(r: Req<'29'>, ctx: HandlerContext): Promise<Reply> {
  const barcode = r.patronIdentifier;
  const use = pinUse(ctx, barcode, r.patronPassword);
  const res = await ctx.backend.renew({
    patronBarcode: barcode, pin: use.pin, itemBarcode: r.itemIdentifier ?? '', at: ctx.now, terminal: ctx.terminal, feeAcknowledged: r.feeAcknowledged,
  });
  return loanReply('30', res, ctx, use.cached);
}

async function renewAll(r: Req<'65'>, ctx: HandlerContext): Promise<Reply> {
  const barcode = r.patronIdentifier;
  const use = pinUse(ctx, barcode, r.patronPassword);
  const res = await ctx.backend.renewAll({ patronBarcode: barcode, pin: use.pin, at: ctx.now, terminal: ctx.terminal, feeAcknowledged: r.feeAcknowledged });
  const value: SipTypedMessage<'66'> = {
    ok: res.ok,
    renewedCount: res.renewed.length,
    unrenewedCount: res.unrenewed.length,
    transactionDate: sipDate(ctx.now, ctx.zone),
    institutionId: ctx.account.institution,
    renewedItems: res.renewed.length ? res.renewed : undefined,
    unrenewedItems: res.unrenewed.length ? res.unrenewed.map((u) => u.itemBarcode) : undefined,
    screenMessage: msgs(res.screenMessage),
  };
  return { id: '66', value, outcome: res.ok ? 'ok' : 'refused' };
}

async function checkin(r: Req<'09'>, ctx: HandlerContext): Promise<Reply> {
  const res = await ctx.backend.checkin({
    itemBarcode: r.itemIdentifier, at: ctx.now, terminal: ctx.terminal,
    returnDate: toDate(r.returnDate, ctx.zone), cancel: r.cancel || undefined, noBlock: r.noBlock || undefined,
  });
  const alertCode = res.alert ? ALERT_CODE[res.alert] : ctx.account.cvSendOnSuccess && res.ok ? '00' : undefined;
  const value: SipTypedMessage<'10'> = {
    ok: res.ok,
    resensitize: res.resensitize,
    magneticMedia: null,
    alert: res.alert !== null,
    transactionDate: sipDate(ctx.now, ctx.zone),
    institutionId: ctx.account.institution,
    itemIdentifier: res.itemBarcode,
    permanentLocation: res.permanentLocation ?? '',
    titleIdentifier: res.title ?? undefined,
    sortBin: res.sortBin ?? undefined,
    patronIdentifier: res.patronBarcode ?? undefined,
    mediaType: res.mediaType ?? undefined,
    callNumber: res.callNumber ?? undefined,
    destinationLocation: res.destination ?? undefined,
    alertType: alertCode,
    holdPatronId: res.holdPatronBarcode ?? undefined,
    holdPatronName: res.holdPatronName ?? undefined,
    screenMessage: msgs(res.screenMessage),
  };
  const outcome = r.cancel ? (res.ok ? 'ok-cancel' : 'refused-cancel') : res.ok ? (res.alert ? `ok-${res.alert}` : 'ok') : 'refused';
  return { id: '10', value, outcome };
}

async function itemInformation(r: Req<'17'>, ctx: HandlerContext): Promise<Reply> {
  const res = await ctx.backend.itemInformation({ itemBarcode: r.itemIdentifier, at: ctx.now, terminal: ctx.terminal });
  const value: SipTypedMessage<'18'> = {
    circulationStatus: res.found ? res.circulationStatus : '01',
    securityMarker: '02',
    feeType: '01',
    transactionDate: sipDate(ctx.now, ctx.zone),
    itemIdentifier: res.itemBarcode || r.itemIdentifier,
    titleIdentifier: res.title ?? '',
    holdQueueLength: res.found ? res.holdQueueLength : undefined,
    dueDate: res.dueDate ? sipDate(res.dueDate, ctx.zone)! : undefined,
    holdPickupDate: res.holdPickupDate ? sipDate(res.holdPickupDate, ctx.zone)! : undefined,
    owner: res.owner ?? undefined,
    currencyType: res.feeAmount ? res.currency : undefined,
    feeAmount: res.feeAmount ?? undefined,
    mediaType: res.mediaType ?? undefined,
    permanentLocation: res.permanentLocation ?? undefined,
    currentLocation: res.currentLocation ?? undefined,
    callNumber: res.callNumber ?? undefined,
    screenMessage: msgs(res.screenMessage ?? (res.found ? null : 'Item not found.')),
  };
  return { id: '18', value, outcome: res.found ? 'ok' : 'unknown-item' };
}

async function itemStatusUpdate(r: Req<'19'>, ctx: HandlerContext): Promise<Reply> {
  const res = await ctx.backend.itemStatusUpdate({ itemBarcode: r.itemIdentifier, itemProperties: r.itemProperties, at: ctx.now, terminal: ctx.terminal });
  const value: SipTypedMessage<'20'> = {
    itemPropertiesOk: res.ok,
    transactionDate: sipDate(ctx.now, ctx.zone),
    itemIdentifier: r.itemIdentifier,
    itemProperties: r.itemProperties || undefined,
    screenMessage: msgs(res.screenMessage),
  };
  return { id: '20', value, outcome: res.ok ? 'ok' : 'refused' };
}

async function endSession(r: Req<'35'>, ctx: HandlerContext): Promise<Reply> {
  const barcode = r.patronIdentifier;
  const use = pinUse(ctx, barcode, r.patronPassword);
  const res = await ctx.backend.endPatronSession({ patronBarcode: barcode, pin: use.pin, at: ctx.now, terminal: ctx.terminal });
  // The patron walked away: forget their verified PIN.
  ctx.session.pins?.delete(barcode);
  const value: SipTypedMessage<'36'> = {
    endSession: res.ok,
    transactionDate: sipDate(ctx.now, ctx.zone),
    institutionId: ctx.account.institution,
    patronIdentifier: barcode,
    screenMessage: msgs(res.screenMessage),
  };
  return { id: '36', value, outcome: res.ok ? 'ok' : 'refused' };
}

async function feePaid(r: Req<'37'>, ctx: HandlerContext): Promise<Reply> {
  const barcode = r.patronIdentifier;
  const use = pinUse(ctx, barcode, r.patronPassword);
  const currency = str(r.currencyType).trim();
  const feeType = str(r.feeType).trim();
  const res = await ctx.backend.feePaid({
    patronBarcode: barcode, pin: use.pin, at: ctx.now, terminal: ctx.terminal,
    amount: r.feeAmount, currency: currency || undefined, feeType: feeType || null, paymentType: str(r.paymentType),
    feeId: r.feeIdentifier || undefined, transactionId: r.transactionId || undefined,
  });
  const value: SipTypedMessage<'38'> = {
    paymentAccepted: res.ok,
    transactionDate: sipDate(ctx.now, ctx.zone),
    institutionId: ctx.account.institution,
    patronIdentifier: barcode,
    transactionId: res.transactionId ?? r.transactionId ?? undefined,
    screenMessage: msgs(res.screenMessage),
  };
  return { id: '38', value, outcome: res.ok ? 'ok' : 'refused' };
}

const HOLD_MODES: Record<string, 'add' | 'delete' | 'change'> = { '+': 'add', '-': 'delete', '*': 'change' };

async function hold(r: Req<'15'>, ctx: HandlerContext): Promise<Reply> {
  const barcode = r.patronIdentifier;
  const mode = HOLD_MODES[str(r.holdMode)];
  if (!mode) return negative('15', r as Record<string, unknown>, 'Unknown hold mode.', ctx);
  const use = pinUse(ctx, barcode, r.patronPassword);
  const res = await ctx.backend.hold({
    patronBarcode: barcode, pin: use.pin, at: ctx.now, terminal: ctx.terminal, mode,
    itemBarcode: r.itemIdentifier || undefined, titleId: r.titleIdentifier || undefined,
    pickupBranch: r.pickupLocation || undefined, expiresAt: toDate(r.expirationDate, ctx.zone),
  });
  const value: SipTypedMessage<'16'> = {
    ok: res.ok,
    available: res.available,
    transactionDate: sipDate(ctx.now, ctx.zone),
    expirationDate: res.expiresAt ? sipDate(res.expiresAt, ctx.zone)! : undefined,
    queuePosition: res.queuePosition ?? undefined,
    pickupLocation: res.pickupBranch ?? undefined,
    institutionId: ctx.account.institution,
    patronIdentifier: barcode,
    itemIdentifier: res.itemBarcode ?? undefined,
    titleIdentifier: res.title ?? undefined,
    screenMessage: msgs(res.screenMessage),
  };
  return { id: '16', value, outcome: res.ok ? 'ok' : 'refused' };
}

async function patronEnable(r: Req<'25'>, ctx: HandlerContext): Promise<Reply> {
  const barcode = r.patronIdentifier;
  const use = pinUse(ctx, barcode, r.patronPassword);
  const s = await ctx.backend.enablePatron({ patronBarcode: barcode, pin: use.pin, at: ctx.now, terminal: ctx.terminal });
  const pinValid = pinResult(ctx, barcode, use, s.pinValid);
  const value: SipTypedMessage<'26'> = {
    patronStatus: s.found ? flags(s) : deniedStatus(),
    language: '000',
    transactionDate: sipDate(ctx.now, ctx.zone),
    institutionId: ctx.account.institution,
    patronIdentifier: barcode,
    personalName: s.name ?? '',
    validPatron: s.found,
    validPatronPassword: pinValid ?? undefined,
    screenMessage: patronScreen(s, pinValid),
  };
  return { id: '26', value, outcome: s.found ? 'ok' : 'unknown-patron' };
}

async function blockPatron(r: Req<'01'>, ctx: HandlerContext): Promise<Reply> {
  await ctx.backend.blockPatron({
    patronBarcode: r.patronIdentifier, at: ctx.now, terminal: ctx.terminal, cardRetained: r.cardRetained, message: r.blockedCardMessage,
  });
  ctx.session.pins?.delete(r.patronIdentifier);
  return { id: null, value: null, outcome: 'ok' };
}

/**
 * The negative form of the response to request `id`: refused, with a screen message, echoing what the
 * request identified (patron, item). Used for malformed requests, messages not allowed, backend errors.
 */
export function negative(id: string, r: Record<string, unknown> | null, screen: string, ctx: { account: Sip2Account | null; now: Date; zone: string }): Reply {
  const q = r ?? {};
  const now = sipDate(ctx.now, ctx.zone);
  const institutionId = ctx.account?.institution ?? str(q.institutionId);
  const patron = str(q.patronIdentifier);
  const item = str(q.itemIdentifier);
  const screenMessage = [screen];
  const base = { institutionId, patronIdentifier: patron, screenMessage };
  switch (id) {
    case '93': return { id: '94', value: { ok: false }, outcome: 'refused' };
    case '99': {
      const value: SipTypedMessage<'98'> = {
        onlineStatus: false, checkinOk: false, checkoutOk: false, acsRenewalPolicy: false, statusUpdateOk: false, offlineOk: false,
        timeoutPeriod: 30, retriesAllowed: 3, dateTimeSync: now, protocolVersion: '2.00', institutionId, supportedMessages: 'NNNNYYYNNNNNNNNN', screenMessage,
      };
      return { id: '98', value, outcome: 'refused' };
    }
    case '23': return { id: '24', value: { patronStatus: deniedStatus(), language: '000', transactionDate: now, ...base, personalName: '', validPatron: false }, outcome: 'refused' };
    case '63': return {
      id: '64',
      value: {
        patronStatus: deniedStatus(), language: '000', transactionDate: now, holdItemsCount: 0, overdueItemsCount: 0, chargedItemsCount: 0,
        fineItemsCount: 0, recallItemsCount: 0, unavailableHoldsCount: 0, ...base, personalName: '', validPatron: false,
      },
      outcome: 'refused',
    };
    case '11':
    case '29': return {
      id: id === '11' ? '12' : '30',
      value: { ok: false, renewalOk: false, magneticMedia: null, desensitize: false, transactionDate: now, ...base, itemIdentifier: item, titleIdentifier: '', dueDate: '' },
      outcome: 'refused',
    };
    case '09': return {
      id: '10',
      value: { ok: false, resensitize: true, magneticMedia: null, alert: false, transactionDate: now, institutionId, itemIdentifier: item, permanentLocation: '', screenMessage },
      outcome: 'refused',
    };
    case '65': return { id: '66', value: { ok: false, renewedCount: 0, unrenewedCount: 0, transactionDate: now, institutionId, screenMessage }, outcome: 'refused' };
    case '17': return { id: '18', value: { circulationStatus: '01', securityMarker: '00', feeType: '01', transactionDate: now, itemIdentifier: item, titleIdentifier: '', screenMessage }, outcome: 'refused' };
    case '19': return { id: '20', value: { itemPropertiesOk: false, transactionDate: now, itemIdentifier: item, screenMessage }, outcome: 'refused' };
    case '35': return { id: '36', value: { endSession: false, transactionDate: now, ...base }, outcome: 'refused' };
    case '37': return { id: '38', value: { paymentAccepted: false, transactionDate: now, ...base, transactionId: str(q.transactionId) || undefined }, outcome: 'refused' };
    case '15': return { id: '16', value: { ok: false, available: false, transactionDate: now, ...base }, outcome: 'refused' };
    case '25': return { id: '26', value: { patronStatus: deniedStatus(), language: '000', transactionDate: now, ...base, personalName: '', validPatron: false }, outcome: 'refused' };
    case '01': return { id: null, value: null, outcome: 'refused' };
    default: return { id: '96', value: {}, outcome: 'refused' };
  }
}
