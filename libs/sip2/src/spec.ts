// SIP2 v2.00 (3M SIP2 Developer's Guide) as data: one table of fixed fields, one of variable fields, one of
// messages. The generic reader and writer, and the typed mapping, are driven from these tables only; the
// TypeScript types of the typed messages are derived from the same literals, so the two cannot drift apart.

/** How a fixed field's characters map to a typed value. */
export type FixedType =
  | 'yn' // 'Y' / 'N'
  | 'ynu' // 'Y' / 'N' / 'U' (unknown), e.g. magnetic media
  | 'bit' // '1' / '0', e.g. the ok flags of responses
  | 'date' // YYYYMMDDZZZZHHMMSS
  | 'int' // zero-padded number of the field's width; blank allowed
  | 'code' // opaque characters of the field's width (language, circulation status, protocol version...)
  | 'patronStatus' // 14 'Y'/' ' flags
  | 'summary'; // 10 positions, one 'Y'

export interface FixedFieldDef {
  readonly key: string;
  readonly length: number;
  readonly type: FixedType;
}

const fx = <const K extends string, const T extends FixedType>(key: K, length: number, type: T) => ({ key, length, type }) as const;

/** Fixed fields, named as in the 3M guide. */
export const FIXED = {
  uidAlgorithm: fx('uidAlgorithm', 1, 'code'),
  pwdAlgorithm: fx('pwdAlgorithm', 1, 'code'),
  ok: fx('ok', 1, 'bit'),
  statusCode: fx('statusCode', 1, 'code'),
  maxPrintWidth: fx('maxPrintWidth', 3, 'int'),
  protocolVersion: fx('protocolVersion', 4, 'code'),
  onlineStatus: fx('onlineStatus', 1, 'yn'),
  checkinOk: fx('checkinOk', 1, 'yn'),
  checkoutOk: fx('checkoutOk', 1, 'yn'),
  acsRenewalPolicy: fx('acsRenewalPolicy', 1, 'yn'),
  statusUpdateOk: fx('statusUpdateOk', 1, 'yn'),
  offlineOk: fx('offlineOk', 1, 'yn'),
  timeoutPeriod: fx('timeoutPeriod', 3, 'int'),
  retriesAllowed: fx('retriesAllowed', 3, 'int'),
  dateTimeSync: fx('dateTimeSync', 18, 'date'),
  language: fx('language', 3, 'code'),
  transactionDate: fx('transactionDate', 18, 'date'),
  patronStatus: fx('patronStatus', 14, 'patronStatus'),
  summary: fx('summary', 10, 'summary'),
  holdItemsCount: fx('holdItemsCount', 4, 'int'),
  overdueItemsCount: fx('overdueItemsCount', 4, 'int'),
  chargedItemsCount: fx('chargedItemsCount', 4, 'int'),
  fineItemsCount: fx('fineItemsCount', 4, 'int'),
  recallItemsCount: fx('recallItemsCount', 4, 'int'),
  unavailableHoldsCount: fx('unavailableHoldsCount', 4, 'int'),
  scRenewalPolicy: fx('scRenewalPolicy', 1, 'yn'),
  noBlock: fx('noBlock', 1, 'yn'),
  nbDueDate: fx('nbDueDate', 18, 'date'),
  thirdPartyAllowed: fx('thirdPartyAllowed', 1, 'yn'),
  renewalOk: fx('renewalOk', 1, 'yn'),
  magneticMedia: fx('magneticMedia', 1, 'ynu'),
  desensitize: fx('desensitize', 1, 'ynu'),
  resensitize: fx('resensitize', 1, 'ynu'),
  alert: fx('alert', 1, 'yn'),
  returnDate: fx('returnDate', 18, 'date'),
  circulationStatus: fx('circulationStatus', 2, 'code'),
  securityMarker: fx('securityMarker', 2, 'code'),
  feeType: fx('feeType', 2, 'code'),
  paymentType: fx('paymentType', 2, 'code'),
  currencyType: fx('currencyType', 3, 'code'),
  itemPropertiesOk: fx('itemPropertiesOk', 1, 'bit'),
  holdMode: fx('holdMode', 1, 'code'),
  available: fx('available', 1, 'yn'),
  endSession: fx('endSession', 1, 'yn'),
  paymentAccepted: fx('paymentAccepted', 1, 'yn'),
  renewedCount: fx('renewedCount', 4, 'int'),
  unrenewedCount: fx('unrenewedCount', 4, 'int'),
  cardRetained: fx('cardRetained', 1, 'yn'),
} as const;

/** How a variable field's value maps to a typed value. */
export type FieldType =
  | 'text'
  | 'yn' // 'Y' / 'N' -> boolean
  | 'int' // decimal number (some with a fixed width, written zero-padded)
  | 'date' // 18-character SIP date when it parses, else kept as text
  | 'dueDate'; // like 'date', but written in the account's due-date format

export interface FieldDef {
  readonly code: string;
  readonly key: string;
  readonly type: FieldType;
  readonly repeat?: boolean;
  readonly width?: number;
}

const fd = <const C extends string, const K extends string, const T extends FieldType, const R extends boolean = false>(
  code: C, key: K, type: T, opts: { repeat?: R; width?: number } = {},
) => ({ code, key, type, repeat: (opts.repeat ?? false) as R, width: opts.width }) as const;
const REP = { repeat: true } as const;

/** Every standard v2.00 field code, the 3M 1.20 extensions and the common vendor ones. AY/AZ are framing, not here. */
export const FIELDS = {
  AA: fd('AA', 'patronIdentifier', 'text'),
  AB: fd('AB', 'itemIdentifier', 'text'),
  AC: fd('AC', 'terminalPassword', 'text'),
  AD: fd('AD', 'patronPassword', 'text'),
  AE: fd('AE', 'personalName', 'text'),
  AF: fd('AF', 'screenMessage', 'text', REP),
  AG: fd('AG', 'printLine', 'text', REP),
  AH: fd('AH', 'dueDate', 'dueDate'),
  AJ: fd('AJ', 'titleIdentifier', 'text'),
  AL: fd('AL', 'blockedCardMessage', 'text'),
  AM: fd('AM', 'libraryName', 'text'),
  AN: fd('AN', 'terminalLocation', 'text'),
  AO: fd('AO', 'institutionId', 'text'),
  AP: fd('AP', 'currentLocation', 'text'),
  AQ: fd('AQ', 'permanentLocation', 'text'),
  AS: fd('AS', 'holdItems', 'text', REP),
  AT: fd('AT', 'overdueItems', 'text', REP),
  AU: fd('AU', 'chargedItems', 'text', REP),
  AV: fd('AV', 'fineItems', 'text', REP),
  BD: fd('BD', 'homeAddress', 'text'),
  BE: fd('BE', 'emailAddress', 'text'),
  BF: fd('BF', 'homePhone', 'text'),
  BG: fd('BG', 'owner', 'text'),
  BH: fd('BH', 'currencyType', 'text'),
  BI: fd('BI', 'cancel', 'yn'),
  BK: fd('BK', 'transactionId', 'text'),
  BL: fd('BL', 'validPatron', 'yn'),
  BM: fd('BM', 'renewedItems', 'text', REP),
  BN: fd('BN', 'unrenewedItems', 'text', REP),
  BO: fd('BO', 'feeAcknowledged', 'yn'),
  BP: fd('BP', 'startItem', 'int'),
  BQ: fd('BQ', 'endItem', 'int'),
  BR: fd('BR', 'queuePosition', 'int'),
  BS: fd('BS', 'pickupLocation', 'text'),
  BT: fd('BT', 'feeType', 'text'),
  BU: fd('BU', 'recallItems', 'text', REP),
  BV: fd('BV', 'feeAmount', 'text'),
  BW: fd('BW', 'expirationDate', 'date'),
  BX: fd('BX', 'supportedMessages', 'text'),
  BY: fd('BY', 'holdType', 'text'),
  BZ: fd('BZ', 'holdItemsLimit', 'int', { width: 4 }),
  CA: fd('CA', 'overdueItemsLimit', 'int', { width: 4 }),
  CB: fd('CB', 'chargedItemsLimit', 'int', { width: 4 }),
  CC: fd('CC', 'feeLimit', 'text'),
  CD: fd('CD', 'unavailableHoldItems', 'text', REP),
  CF: fd('CF', 'holdQueueLength', 'int'),
  CG: fd('CG', 'feeIdentifier', 'text'),
  CH: fd('CH', 'itemProperties', 'text'),
  CI: fd('CI', 'securityInhibit', 'yn'),
  CJ: fd('CJ', 'recallDate', 'date'),
  CK: fd('CK', 'mediaType', 'text'),
  CL: fd('CL', 'sortBin', 'text'),
  CM: fd('CM', 'holdPickupDate', 'date'),
  CN: fd('CN', 'loginUserId', 'text'),
  CO: fd('CO', 'loginPassword', 'text'),
  CP: fd('CP', 'locationCode', 'text'),
  CQ: fd('CQ', 'validPatronPassword', 'yn'),
  // 3M 1.20 extensions used by sorters and kiosks.
  CR: fd('CR', 'collectionCode', 'text'),
  CS: fd('CS', 'callNumber', 'text'),
  CT: fd('CT', 'destinationLocation', 'text'),
  CV: fd('CV', 'alertType', 'text'),
  CY: fd('CY', 'holdPatronId', 'text'),
  DA: fd('DA', 'holdPatronName', 'text'),
  // Vendor fields (Envisionware, Evergreen, Koha): free text, date formats vary by vendor.
  PA: fd('PA', 'patronExpirationDate', 'text'),
  PB: fd('PB', 'patronBirthDate', 'text'),
  PC: fd('PC', 'patronClass', 'text'),
  PI: fd('PI', 'patronInternetProfile', 'text'),
} as const;

export type FieldCode = keyof typeof FIELDS;

const F = FIXED;
// Field lists in the order of the 3M guide; a trailing '?' marks an optional field. Required fields are always
// written (empty if unknown): kiosks break on a missing required field more often than on an empty one.
const msg = <const D extends { name: string; fixed: readonly FixedFieldDef[]; fields: readonly string[] }>(d: D) => d;
const PATRON_VENDOR = ['PA?', 'PB?', 'PC?', 'PI?'] as const;
const SORTER = ['CR?', 'CS?', 'CT?', 'CV?', 'CY?', 'DA?'] as const;

export const MESSAGES = {
  '93': msg({ name: 'LoginRequest', fixed: [F.uidAlgorithm, F.pwdAlgorithm], fields: ['CN', 'CO', 'CP?'] }),
  '94': msg({ name: 'LoginResponse', fixed: [F.ok], fields: [] }),
  '99': msg({ name: 'ScStatusRequest', fixed: [F.statusCode, F.maxPrintWidth, F.protocolVersion], fields: [] }),
  '98': msg({
    name: 'AcsStatusResponse',
    fixed: [F.onlineStatus, F.checkinOk, F.checkoutOk, F.acsRenewalPolicy, F.statusUpdateOk, F.offlineOk, F.timeoutPeriod, F.retriesAllowed, F.dateTimeSync, F.protocolVersion],
    fields: ['AO', 'AM?', 'BX', 'AN?', 'AF?', 'AG?'],
  }),
  '23': msg({ name: 'PatronStatusRequest', fixed: [F.language, F.transactionDate], fields: ['AO', 'AA', 'AC', 'AD'] }),
  '24': msg({
    name: 'PatronStatusResponse',
    fixed: [F.patronStatus, F.language, F.transactionDate],
    fields: ['AO', 'AA', 'AE', 'BL?', 'CQ?', 'BH?', 'BV?', 'AF?', 'AG?', ...PATRON_VENDOR],
  }),
  '63': msg({ name: 'PatronInformationRequest', fixed: [F.language, F.transactionDate, F.summary], fields: ['AO', 'AA', 'AC?', 'AD?', 'BP?', 'BQ?'] }),
  '64': msg({
    name: 'PatronInformationResponse',
    fixed: [F.patronStatus, F.language, F.transactionDate, F.holdItemsCount, F.overdueItemsCount, F.chargedItemsCount, F.fineItemsCount, F.recallItemsCount, F.unavailableHoldsCount],
    fields: ['AO', 'AA', 'AE', 'BZ?', 'CA?', 'CB?', 'BL?', 'CQ?', 'BH?', 'BV?', 'CC?', 'AS?', 'AT?', 'AU?', 'AV?', 'BU?', 'CD?', 'BD?', 'BE?', 'BF?', 'AF?', 'AG?', ...PATRON_VENDOR],
  }),
  '11': msg({ name: 'CheckoutRequest', fixed: [F.scRenewalPolicy, F.noBlock, F.transactionDate, F.nbDueDate], fields: ['AO', 'AA', 'AB', 'AC', 'CH?', 'AD?', 'BO?', 'BI?'] }),
  '12': msg({
    name: 'CheckoutResponse',
    fixed: [F.ok, F.renewalOk, F.magneticMedia, F.desensitize, F.transactionDate],
    fields: ['AO', 'AA', 'AB', 'AJ', 'AH', 'BT?', 'CI?', 'BH?', 'BV?', 'CK?', 'CH?', 'BK?', 'AF?', 'AG?'],
  }),
  '09': msg({ name: 'CheckinRequest', fixed: [F.noBlock, F.transactionDate, F.returnDate], fields: ['AP', 'AO', 'AB', 'AC', 'CH?', 'BI?'] }),
  '10': msg({
    name: 'CheckinResponse',
    fixed: [F.ok, F.resensitize, F.magneticMedia, F.alert, F.transactionDate],
    fields: ['AO', 'AB', 'AQ', 'AJ?', 'CL?', 'AA?', 'CK?', 'CH?', ...SORTER, 'AF?', 'AG?'],
  }),
  '29': msg({ name: 'RenewRequest', fixed: [F.thirdPartyAllowed, F.noBlock, F.transactionDate, F.nbDueDate], fields: ['AO', 'AA', 'AD?', 'AB?', 'AJ?', 'AC?', 'CH?', 'BO?'] }),
  '30': msg({
    name: 'RenewResponse',
    fixed: [F.ok, F.renewalOk, F.magneticMedia, F.desensitize, F.transactionDate],
    fields: ['AO', 'AA', 'AB', 'AJ', 'AH', 'BT?', 'CI?', 'BH?', 'BV?', 'CK?', 'CH?', 'BK?', 'AF?', 'AG?'],
  }),
  '65': msg({ name: 'RenewAllRequest', fixed: [F.transactionDate], fields: ['AO', 'AA', 'AD?', 'AC?', 'BO?'] }),
  '66': msg({ name: 'RenewAllResponse', fixed: [F.ok, F.renewedCount, F.unrenewedCount, F.transactionDate], fields: ['AO', 'BM?', 'BN?', 'AF?', 'AG?'] }),
  '17': msg({ name: 'ItemInformationRequest', fixed: [F.transactionDate], fields: ['AO', 'AB', 'AC?'] }),
  '18': msg({
    name: 'ItemInformationResponse',
    fixed: [F.circulationStatus, F.securityMarker, F.feeType, F.transactionDate],
    fields: ['AB', 'AJ', 'CF?', 'AH?', 'CJ?', 'CM?', 'BG?', 'BH?', 'BV?', 'CK?', 'AQ?', 'AP?', 'CH?', ...SORTER, 'AF?', 'AG?'],
  }),
  '19': msg({ name: 'ItemStatusUpdateRequest', fixed: [F.transactionDate], fields: ['AO', 'AB', 'AC?', 'CH'] }),
  '20': msg({ name: 'ItemStatusUpdateResponse', fixed: [F.itemPropertiesOk, F.transactionDate], fields: ['AB', 'AJ?', 'CH?', 'AF?', 'AG?'] }),
  '35': msg({ name: 'EndPatronSessionRequest', fixed: [F.transactionDate], fields: ['AO', 'AA', 'AC?', 'AD?'] }),
  '36': msg({ name: 'EndPatronSessionResponse', fixed: [F.endSession, F.transactionDate], fields: ['AO', 'AA', 'AF?', 'AG?'] }),
  '37': msg({
    name: 'FeePaidRequest',
    fixed: [F.transactionDate, F.feeType, F.paymentType, F.currencyType],
    fields: ['BV', 'AO', 'AA', 'AC?', 'AD?', 'CG?', 'BK?'],
  }),
  '38': msg({ name: 'FeePaidResponse', fixed: [F.paymentAccepted, F.transactionDate], fields: ['AO', 'AA', 'BK?', 'AF?', 'AG?'] }),
  '15': msg({ name: 'HoldRequest', fixed: [F.holdMode, F.transactionDate], fields: ['BW?', 'BS?', 'BY?', 'AO', 'AA', 'AD?', 'AB?', 'AJ?', 'AC?', 'BO?'] }),
  '16': msg({ name: 'HoldResponse', fixed: [F.ok, F.available, F.transactionDate], fields: ['BW?', 'BR?', 'BS?', 'AO', 'AA', 'AB?', 'AJ?', 'AF?', 'AG?'] }),
  '25': msg({ name: 'PatronEnableRequest', fixed: [F.transactionDate], fields: ['AO', 'AA', 'AC?', 'AD?'] }),
  '26': msg({ name: 'PatronEnableResponse', fixed: [F.patronStatus, F.language, F.transactionDate], fields: ['AO', 'AA', 'AE', 'BL?', 'CQ?', 'AF?', 'AG?'] }),
  '01': msg({ name: 'BlockPatronRequest', fixed: [F.cardRetained, F.transactionDate], fields: ['AO', 'AL', 'AA', 'AC'] }),
  '97': msg({ name: 'RequestAcsResend', fixed: [], fields: [] }),
  '96': msg({ name: 'RequestScResend', fixed: [], fields: [] }),
} as const;

export type SipMessageId = keyof typeof MESSAGES;

/** Runtime form of a message's field list. */
export interface MessageFieldRule {
  readonly def: FieldDef;
  readonly required: boolean;
}
export interface MessageDef {
  readonly id: SipMessageId;
  readonly name: string;
  readonly fixed: readonly FixedFieldDef[];
  /** Sum of the fixed widths: where the variable fields start (after the 2-character id). */
  readonly fixedLength: number;
  readonly fields: readonly MessageFieldRule[];
  /** Field code -> rule, for the codes this message defines. */
  readonly byCode: ReadonlyMap<string, MessageFieldRule>;
}

const FIELD_BY_CODE: ReadonlyMap<string, FieldDef> = new Map(Object.values(FIELDS).map((f) => [f.code, f as FieldDef]));

function compile(id: SipMessageId): MessageDef {
  const m = MESSAGES[id];
  const fields = (m.fields as readonly string[]).map((entry): MessageFieldRule => {
    const required = !entry.endsWith('?');
    return { def: FIELD_BY_CODE.get(required ? entry : entry.slice(0, -1))!, required };
  });
  return {
    id, name: m.name, fixed: m.fixed, fields,
    fixedLength: m.fixed.reduce((n, f) => n + f.length, 0),
    byCode: new Map(fields.map((r) => [r.def.code, r])),
  };
}

const DEFS: ReadonlyMap<string, MessageDef> = new Map((Object.keys(MESSAGES) as SipMessageId[]).map((id) => [id, compile(id)]));

/** The compiled definition of a message id, or undefined for an id SIP2 v2.00 does not define. */
export function messageDef(id: string): MessageDef | undefined {
  return DEFS.get(id);
}

/** The definition of a field code, or undefined for a code not in the table (still read and kept). */
export function fieldDef(code: string): FieldDef | undefined {
  return FIELD_BY_CODE.get(code);
}

export const SIP_MESSAGE_IDS = [...DEFS.keys()] as SipMessageId[];

// ---- Code values used in fixed fields and extension fields (named for readability at call sites) ----

/** Circulation status (message 18). */
export const CIRCULATION_STATUS = {
  other: '01', onOrder: '02', available: '03', charged: '04', chargedNotToBeRecalled: '05', inProcess: '06',
  recalled: '07', waitingOnHoldShelf: '08', waitingToBeReshelved: '09', inTransit: '10', claimedReturned: '11',
  lost: '12', missing: '13',
} as const;

/** CV alert type (3M extension), what sorters route on. */
export const ALERT_TYPE = {
  unknown: '00', holdForThisLocation: '01', holdForOtherLocation: '02', holdForIll: '03', sendToOtherLocation: '04', other: '99',
} as const;

export const FEE_TYPE = {
  other: '01', administrative: '02', damage: '03', overdue: '04', processing: '05', rental: '06', replacement: '07',
  computerAccessCharge: '08', holdFee: '09',
} as const;

export const PAYMENT_TYPE = { cash: '00', visa: '01', creditCard: '02' } as const;

export const SECURITY_MARKER = { other: '00', none: '01', tattleTape: '02', whisperTape: '03' } as const;

/** 99's status code. */
export const SC_STATUS_CODE = { ok: '0', outOfPaper: '1', shuttingDown: '2' } as const;

export const HOLD_MODE = { add: '+', delete: '-', change: '*' } as const;

/** Language codes of the fixed 'language' field (3 digits). */
export const LANGUAGE = {
  unknown: '000', english: '001', french: '002', german: '003', italian: '004', dutch: '005', swedish: '006',
  finnish: '007', spanish: '008', danish: '009', portuguese: '010', canadianFrench: '011', norwegian: '012',
  hebrew: '013', japanese: '014', russian: '015', arabic: '016', polish: '017', greek: '018', chinese: '019',
  korean: '020', northAmericanSpanish: '021', tamil: '022', malay: '023', unitedKingdom: '024', icelandic: '025',
  belgian: '026', taiwanese: '027',
} as const;

/** Positions of the 14-character patron status, in order. */
export const PATRON_STATUS_FLAGS = [
  'chargePrivilegesDenied', 'renewalPrivilegesDenied', 'recallPrivilegesDenied', 'holdPrivilegesDenied',
  'cardReportedLost', 'tooManyItemsCharged', 'tooManyItemsOverdue', 'tooManyRenewals', 'tooManyClaimsOfItemsReturned',
  'tooManyItemsLost', 'excessiveOutstandingFines', 'excessiveOutstandingFees', 'recallOverdue', 'tooManyItemsBilled',
] as const;

/** Positions of the 10-character summary of message 63; positions 6-9 are undefined in v2.00. */
export const SUMMARY_POSITIONS = ['holdItems', 'overdueItems', 'chargedItems', 'fineItems', 'recallItems', 'unavailableHoldItems'] as const;
