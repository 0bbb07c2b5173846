/**
 * The seam between the SIP2 server (and later NCIP and the staff pages) and whatever does the
 * circulation: Carrel's own engine on the shared data layer today, Koha's or Evergreen's connectors
 * later. Requests and results speak the library's language; the SIP2 layer maps them to fields.
 * Every request carries `at`, the moment it happens: the engine never reads the clock itself.
 * Amounts are decimal strings ("2.50"); dates are Date instants.
 */

/** Where a request comes from: for due-date calendars, transit decisions and the circulation log. */
export interface Terminal {
  /** branch the kiosk or sorter stands in */
  branchCode: string;
  /** SIP account login, e.g. "kiosk" */
  account?: string;
  /** device id (SIP AO/CP or the account's device name), e.g. "kiosk-3" */
  device?: string;
}

export interface PatronFlags {
  chargePrivilegesDenied: boolean;
  renewalPrivilegesDenied: boolean;
  recallPrivilegesDenied: boolean;
  holdPrivilegesDenied: boolean;
  cardReportedLost: boolean;
  tooManyItemsCharged: boolean;
  tooManyItemsOverdue: boolean;
  tooManyRenewals: boolean;
  tooManyClaimsOfItemsReturned: boolean;
  tooManyItemsLost: boolean;
  excessiveOutstandingFines: boolean;
  excessiveOutstandingFees: boolean;
  recallOverdue: boolean;
  tooManyItemsBilled: boolean;
}

export interface PatronStatus {
  /** the barcode exists */
  found: boolean;
  /** found and allowed to use the library now (not expired, not blocked) */
  valid: boolean;
  /** null when no PIN was given; false when it was wrong or the patron has none */
  pinValid: boolean | null;
  patronBarcode: string;
  name: string | null;
  flags: PatronFlags;
  /** why the patron may not borrow, in words a kiosk can show ("Your card has expired.") */
  blockReasons: string[];
  /** total outstanding fees */
  feeAmount: string;
  feeLimit: string | null;
  currency: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  homeBranchCode: string | null;
  categoryCode: string | null;
  expiryDate: Date | null;
  /** ISO 639-2 language or null */
  language: string | null;
}

export type SummaryList = 'holds' | 'overdue' | 'charged' | 'fines' | 'recalls' | 'unavailableHolds';

export interface PatronInformation extends PatronStatus {
  counts: { holds: number; overdue: number; charged: number; fines: number; recalls: number; unavailableHolds: number };
  limits: { holds: number | null; overdue: number | null; charged: number | null };
  /** the list asked for (1-based start..end inclusive, as SIP's BP/BQ), item barcodes (fines: descriptions) */
  list: { kind: SummaryList; entries: string[] } | null;
}

export interface PatronQuery {
  patronBarcode: string;
  /** the PIN the patron typed; checked against the stored slow hash */
  pin?: string;
  at: Date;
  terminal: Terminal;
}

export interface CheckoutRequest extends PatronQuery {
  itemBarcode: string;
  /** the patron agreed to pay the fee the kiosk showed */
  feeAcknowledged?: boolean;
  /** SIP "no block": the kiosk lent it offline earlier; record it whatever the rules say */
  noBlock?: boolean;
  /** when noBlock: when the kiosk lent it */
  transactionDate?: Date;
  /**
   * SIP "cancel" (BI): undo this terminal's last checkout or checkin of the item, made moments ago (the
   * 3M spec sends a checkout with BI=Y to cancel a failed checkin); patron checks do not apply
   */
  cancel?: boolean;
}

export interface CheckoutResult {
  ok: boolean;
  /** the patron already had it: this checkout was a renewal */
  renewal: boolean;
  patronBarcode: string;
  itemBarcode: string;
  title: string | null;
  dueDate: Date | null;
  /** unlock the security tag */
  desensitize: boolean;
  feeAmount: string | null;
  feeType: string | null;
  /** SIP media type code, "001" book … */
  mediaType: string | null;
  callNumber: string | null;
  /** why it was refused, or a note for the patron */
  screenMessage: string | null;
}

export interface CheckinRequest {
  itemBarcode: string;
  at: Date;
  /** when the item was really returned (a sorter's bin emptied later, an offline kiosk) */
  returnDate?: Date;
  terminal: Terminal;
  /**
   * SIP "cancel" (BI): undo this terminal's last checkout or checkin of the item, made moments ago (the
   * 3M spec sends a checkin with BI=Y to cancel a failed checkout; some kiosks resend the checkin)
   */
  cancel?: boolean;
  noBlock?: boolean;
}

/** Why the item must leave the normal return flow (SIP CV): exactly one, or null for the shelf. */
export type CheckinAlert = 'hold-here' | 'hold-elsewhere' | 'transit' | 'other' | null;

export interface CheckinResult {
  ok: boolean;
  itemBarcode: string;
  title: string | null;
  /** re-arm the security tag */
  resensitize: boolean;
  alert: CheckinAlert;
  /** branch code the item belongs to (SIP AQ) */
  permanentLocation: string | null;
  /** where it must go now (SIP CT): the hold's pickup branch or its home branch */
  destination: string | null;
  /** the hold patron (SIP CY, DA) when captured for a hold */
  holdPatronBarcode: string | null;
  holdPatronName: string | null;
  /** sorter bin (SIP CL) from the sort-bin rules */
  sortBin: string | null;
  /** the patron who had it, if it was on loan */
  patronBarcode: string | null;
  callNumber: string | null;
  mediaType: string | null;
  /** an overdue fine raised by this return */
  fineAmount: string | null;
  screenMessage: string | null;
}

export interface RenewRequest extends PatronQuery {
  itemBarcode: string;
  feeAcknowledged?: boolean;
}

export type RenewResult = CheckoutResult;

export interface RenewAllResult {
  ok: boolean;
  renewed: string[];
  unrenewed: { itemBarcode: string; reason: string }[];
  screenMessage: string | null;
}

/** SIP circulation status codes (fixed field of 18). */
export type CirculationStatus =
  | '01' // other
  | '02' // on order
  | '03' // available
  | '04' // charged
  | '05' // charged; not to be recalled until earliest recall date
  | '06' // in process
  | '07' // recalled
  | '08' // waiting on hold shelf
  | '09' // waiting to be re-shelved
  | '10' // in transit between library locations
  | '11' // claimed returned
  | '12' // lost
  | '13'; // missing

export interface ItemInformation {
  found: boolean;
  itemBarcode: string;
  circulationStatus: CirculationStatus;
  title: string | null;
  dueDate: Date | null;
  holdQueueLength: number;
  /** last day to collect, when on the hold shelf */
  holdPickupDate: Date | null;
  owner: string | null;
  permanentLocation: string | null;
  currentLocation: string | null;
  callNumber: string | null;
  mediaType: string | null;
  feeAmount: string | null;
  currency: string;
  screenMessage: string | null;
}

export interface FeePaidRequest extends PatronQuery {
  amount: string;
  currency?: string;
  /** SIP fee type "01".."99", or null */
  feeType?: string | null;
  /** SIP payment type "00" cash, "01" VISA, "02" credit card */
  paymentType: string;
  /** pay this fee (SIP CG) rather than the oldest first */
  feeId?: string;
  /** the kiosk's transaction id (SIP BK): the same id paid twice is paid once */
  transactionId?: string;
}

export interface FeePaidResult {
  ok: boolean;
  transactionId: string | null;
  /** outstanding total after the payment */
  feeAmount: string;
  screenMessage: string | null;
}

export interface HoldRequest extends PatronQuery {
  mode: 'add' | 'delete' | 'change';
  itemBarcode?: string;
  /** a title to hold: Carrel's record id as text */
  titleId?: string;
  pickupBranch?: string;
  expiresAt?: Date;
}

export interface HoldResult {
  ok: boolean;
  /** the hold placed or changed, when the backend has ids for holds */
  holdId?: number | null;
  available: boolean;
  queuePosition: number | null;
  expiresAt: Date | null;
  pickupBranch: string | null;
  itemBarcode: string | null;
  title: string | null;
  screenMessage: string | null;
}

export interface ItemStatusUpdateRequest {
  itemBarcode: string;
  itemProperties: string;
  at: Date;
  terminal: Terminal;
}

export interface CirculationBackend {
  patronStatus(q: PatronQuery): Promise<PatronStatus>;
  patronInformation(q: PatronQuery & { list?: SummaryList | null; start?: number; end?: number }): Promise<PatronInformation>;
  checkout(q: CheckoutRequest): Promise<CheckoutResult>;
  checkin(q: CheckinRequest): Promise<CheckinResult>;
  renew(q: RenewRequest): Promise<RenewResult>;
  renewAll(q: PatronQuery & { feeAcknowledged?: boolean }): Promise<RenewAllResult>;
  itemInformation(q: { itemBarcode: string; at: Date; terminal: Terminal }): Promise<ItemInformation>;
  itemStatusUpdate(q: ItemStatusUpdateRequest): Promise<{ ok: boolean; screenMessage: string | null }>;
  feePaid(q: FeePaidRequest): Promise<FeePaidResult>;
  hold(q: HoldRequest): Promise<HoldResult>;
  /** patron enable (25): lift a block set by 01 */
  enablePatron(q: PatronQuery): Promise<PatronStatus>;
  /** block patron (01): the kiosk found a problem (card retained, …); no response is sent */
  blockPatron(q: PatronQuery & { cardRetained: boolean; message: string }): Promise<void>;
  endPatronSession(q: PatronQuery): Promise<{ ok: boolean; screenMessage: string | null }>;
}

/** The Nest injection token for the backend in use. */
export const CIRCULATION_BACKEND = Symbol('CIRCULATION_BACKEND');
