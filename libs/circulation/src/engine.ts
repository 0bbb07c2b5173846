import { Inject, Injectable, Optional } from '@nestjs/common';
import { AuditService, currentActor, runAs, type AuditRecord, type Tx } from '@carrel/audit';
import { DbService, Prisma, type PgSql } from '@carrel/db';
import { verifyPin } from '@carrel/patrons';
import type {
  CheckinAlert, CheckinRequest, CheckinResult, CheckoutRequest, CheckoutResult, CirculationBackend, FeePaidRequest, FeePaidResult,
  HoldRequest, HoldResult, ItemInformation, ItemStatusUpdateRequest, PatronFlags, PatronInformation, PatronQuery, PatronStatus,
  RenewAllResult, RenewRequest, RenewResult, SummaryList, Terminal,
} from './backend.js';
import { computeDueDate, localDayNumber } from './due-date.js';
import { fineListEntry, paidFeeType, sipFeeType, SIP_FEE_TYPES } from './fee-types.js';
import { overdueFine } from './fines.js';
import { fromCents, toCents } from './money.js';
import { CIRCULATION_OPTIONS, resolveCirculationOptions, type CirculationOptions, type CirculationOptionsInput } from './options.js';
import { calendarOf, loadReference, type ReferenceData } from './reference.js';
import type { CirculationRuleRow } from './rules.js';
import { parseSortBinRules, sortBinFor, type SortBinProblem, type SortBinRule } from './sort-bins.js';
import { circulationStatus, mediaTypeFor } from './status.js';
import { Refusal, applyWithPg, applyWithSql, type Created, type HoldChange, type WriteOp, type WritePlan } from './writes.js';

const bool = (v: unknown): boolean => v === true || v === 1 || v === 1n || v === '1' || v === 't' || v === 'true';
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as string));
/** a nullable number column as read (SQLite and PostgreSQL return numbers, bigints or numeric text) */
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** what the hold-expiry sweep did with the item of a lapsed hold on the shelf */
export type HoldExpiryAction = 'trapped' | 'transit-hold' | 'reshelve' | 'transit-home' | 'expired';

export interface HoldExpiryReport {
  /** ids of waiting holds that lapsed */
  waiting: number[];
  onShelf: { holdId: number; itemBarcode: string | null; action: HoldExpiryAction; nextHoldId: number | null; destination: string | null }[];
}

const DAY_MS = 86_400_000;
/** marks a block set through SIP 01, so 25 lifts only those */
export const SIP_BLOCK_PREFIX = 'Blocked by self-check: ';
const ACTIVE_HOLD = ['waiting', 'in_transit', 'on_shelf'];

const patronSelect = {
  id: true, barcode: true, surname: true, firstname: true, email: true, phone: true, address: true, city: true, postcode: true,
  categoryId: true, homeBranchId: true, expiryDate: true, pinHash: true, blocked: true, blockReason: true, lostCard: true,
  goneNoAddress: true, debarredUntil: true,
} as const;
type PatronRow = Prisma.PatronGetPayload<{ select: typeof patronSelect }>;

const itemSelect = {
  id: true, barcode: true, recordId: true, callNumber: true, homeBranchId: true, branchId: true, locationId: true, itemTypeId: true,
  collectionCode: true, status: true, notes: true, record: { select: { title: true } },
} as const;
type ItemRow = Prisma.ItemGetPayload<{ select: typeof itemSelect }>;

interface OpenLoan {
  id: number;
  patronId: number;
  renewals: number;
  dueAt: Date;
  branchCode: string;
  patronBarcode: string;
  patronCategoryId: number;
}
type ItemWithLoan = ItemRow & { loan: OpenLoan | null };

interface RawItemRow {
  id: unknown; barcode: string; recordId: unknown; callNumber: string | null; homeBranchId: unknown; branchId: unknown; locationId: unknown;
  itemTypeId: unknown; collectionCode: string | null; status: string; notes: string | null; title: string | null;
  loanId: unknown; loanPatronId: unknown; loanRenewals: unknown; loanDueAt: unknown; loanBranchCode: unknown; loanPatronBarcode: unknown; loanPatronCategoryId: unknown;
}

/** what a checkin's read adds to the item's row (itemQuery with firstWaitingAt) */
interface RawWaitingHold {
  waitId: unknown; waitPatronId: unknown; waitPickupBranch: string | null; waitExpiresAt: unknown;
  waitPatronBarcode: string | null; waitPatronFirstname: string | null; waitPatronSurname: string | null;
}

/** the first waiting hold an item could be captured for, with its patron's barcode and name */
interface WaitingHold {
  id: number; patronId: number; pickupBranch: string; status: string; expiresAt: Date | null;
  patron: { barcode: string; firstname: string | null; surname: string } | null;
}

/** what item information adds to the item's row (itemQuery with a date) */
interface RawHoldFacts {
  queue: unknown; capturedStatus: string | null; capturedExpires: unknown; transitId: unknown;
}

/**
 * FROM and WHERE of the holds waiting for an item (on it, or on its title) and not lapsed at `at`, as `w`;
 * the queue, oldest first, is this ORDER BY WAITING_ORDER. Dates compare in the database (see itemQuery).
 */
function waitingOn(itemId: Prisma.Sql, recordId: Prisma.Sql, at: Date): Prisma.Sql {
  return Prisma.sql`FROM "Hold" w WHERE w."status" = 'waiting' AND (w."itemId" = ${itemId} OR (w."itemId" IS NULL AND w."recordId" = ${recordId}))
          AND (w."expiresAt" IS NULL OR w."expiresAt" > ${at})`;
}
const WAITING_ORDER = Prisma.sql`ORDER BY w."placedAt" ASC, w."id" ASC`;
/** FROM and WHERE of the holds an item is captured for (on the shelf or in transit), as `h`; the first placed has the lowest id */
function capturedFor(itemId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`FROM "Hold" h WHERE h."capturedItemId" = ${itemId} AND h."status" IN ('on_shelf', 'in_transit')`;
}
const ITEM_ID = Prisma.sql`i."id"`;
const ITEM_RECORD = Prisma.sql`i."recordId"`;

/**
 * The item, its title and its open loan with the borrower. With `holdFactsAt`, also the item's hold
 * queue (waiting holds on it or on its title, not lapsed at that time), the hold it is captured for and
 * an open transit, so item information is one statement. With `firstWaitingAt`, also the hold a checkin
 * would capture the item for, with its patron. Dates are compared in the database: on SQLite as text
 * (Prisma stores dates as ISO text with +00:00, as sqliteParam writes them), on PostgreSQL as timestamp
 * (UTC, as pgParam writes them).
 */
function itemQuery(barcode: string, also: { holdFactsAt?: Date; firstWaitingAt?: Date } = {}): PlainQuery {
  const { holdFactsAt, firstWaitingAt } = also;
  const holdFacts = holdFactsAt === undefined ? { columns: Prisma.empty, joins: Prisma.empty } : {
    columns: Prisma.sql`,
             (SELECT COUNT(*) ${waitingOn(ITEM_ID, ITEM_RECORD, holdFactsAt)}) AS "queue",
             ch."status" AS "capturedStatus", ch."expiresAt" AS "capturedExpires",
             (SELECT t."id" FROM "Transit" t WHERE t."itemId" = i."id" AND t."receivedAt" IS NULL LIMIT 1) AS "transitId"`,
    // the captured hold found once for both its columns (MIN: no sort)
    joins: Prisma.sql`
      LEFT JOIN "Hold" ch ON ch."id" = (SELECT MIN(h."id") ${capturedFor(ITEM_ID)})`,
  };
  // the hold a checkin would capture the item for, and its patron (nextWaitingHold in the same statement)
  const waiting = firstWaitingAt === undefined ? { columns: Prisma.empty, joins: Prisma.empty } : {
    columns: Prisma.sql`,
             wh."id" AS "waitId", wh."patronId" AS "waitPatronId", wh."pickupBranch" AS "waitPickupBranch", wh."expiresAt" AS "waitExpiresAt",
             wp."barcode" AS "waitPatronBarcode", wp."firstname" AS "waitPatronFirstname", wp."surname" AS "waitPatronSurname"`,
    joins: Prisma.sql`
      LEFT JOIN "Hold" wh ON wh."id" = (SELECT w."id" ${waitingOn(ITEM_ID, ITEM_RECORD, firstWaitingAt)} ${WAITING_ORDER} LIMIT 1)
      LEFT JOIN "Patron" wp ON wp."id" = wh."patronId"`,
  };
  return sameText(`item${holdFactsAt ? '+holdFacts' : ''}${firstWaitingAt ? '+waiting' : ''}`, Prisma.sql`
      SELECT i."id", i."barcode", i."recordId", i."callNumber", i."homeBranchId", i."branchId", i."locationId", i."itemTypeId",
             i."collectionCode", i."status", i."notes", r."title" AS "title",
             l."id" AS "loanId", l."patronId" AS "loanPatronId", l."renewals" AS "loanRenewals", l."dueAt" AS "loanDueAt",
             l."branchCode" AS "loanBranchCode", p."barcode" AS "loanPatronBarcode", p."categoryId" AS "loanPatronCategoryId"${holdFacts.columns}${waiting.columns}
      FROM "Item" i
      JOIN "BibRecord" r ON r."id" = i."recordId"
      LEFT JOIN "Loan" l ON l."itemId" = i."id" AND l."returnedAt" IS NULL
      LEFT JOIN "Patron" p ON p."id" = l."patronId"${holdFacts.joins}${waiting.joins}
      WHERE i."barcode" = ${barcode}
      ORDER BY l."id" ASC`);
}

/** a statement's text for SQLite (`sql`) and PostgreSQL (`text`), with its values */
interface PlainQuery {
  sql: string;
  text: string;
  values: unknown[];
}

const textsByShape = new Map<string, { sql: string; text: string }>();
/**
 * The query with its text kept per shape (a statement whose text depends only on which parts it has,
 * never on its values), so every call hands the statement cache the same string. Joining the text
 * afresh (1.5 KB for item information) and hashing it for the cache cost 1.8 µs a call, a tenth of
 * item information's time in the engine.
 */
function sameText(shape: string, q: Prisma.Sql): PlainQuery {
  let kept = textsByShape.get(shape);
  if (!kept) textsByShape.set(shape, (kept = { sql: q.sql, text: q.text }));
  return { sql: kept.sql, text: kept.text, values: q.values };
}

/** the Patron columns a PatronRow is made of, from the table aliased `p` */
const PATRON_COLUMNS = Prisma.sql`p."id", p."barcode", p."surname", p."firstname", p."email", p."phone", p."address", p."city", p."postcode",
             p."categoryId", p."homeBranchId", p."expiryDate", p."pinHash", p."blocked", p."blockReason", p."lostCard", p."goneNoAddress", p."debarredUntil"`;

function patronFromRow(r: Record<string, unknown>): PatronRow {
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(r.id), barcode: String(r.barcode), surname: String(r.surname), firstname: str(r.firstname), email: str(r.email), phone: str(r.phone),
    address: str(r.address), city: str(r.city), postcode: str(r.postcode), categoryId: Number(r.categoryId), homeBranchId: Number(r.homeBranchId),
    expiryDate: date(r.expiryDate), pinHash: str(r.pinHash), blocked: bool(r.blocked), blockReason: str(r.blockReason), lostCard: bool(r.lostCard),
    goneNoAddress: bool(r.goneNoAddress), debarredUntil: date(r.debarredUntil),
  };
}

/** what a checkout weighs about its patron */
interface PatronFacts {
  loans: number;
  feeCents: bigint;
  /** the patron's own active hold on the title (the first placed) */
  hold: { id: number; status: string; capturedItemId: number | null } | null;
}

interface RawLoansAndFees { factLoans: unknown; factFees: unknown }
interface RawOwnHold { factHoldId: unknown; factHoldStatus: string | null; factHoldCaptured: unknown }

/** the patron's open loans and outstanding fees, as columns of one SELECT */
function loansAndFeesColumns(patronId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT COUNT(*) FROM "Loan" l WHERE l."patronId" = ${patronId} AND l."returnedAt" IS NULL) AS "factLoans",
             (SELECT SUM(f."outstanding") FROM "Fee" f WHERE f."patronId" = ${patronId} AND f."closedAt" IS NULL) AS "factFees"`;
}

function loansAndFeesFromRow(r: RawLoansAndFees): [number, bigint] {
  return [Number(r.factLoans), r.factFees === null || r.factFees === undefined ? 0n : (toCents(String(r.factFees)) ?? 0n)];
}

function itemWithLoan(r: RawItemRow): ItemWithLoan {
  return {
    id: Number(r.id), barcode: r.barcode, recordId: Number(r.recordId), callNumber: r.callNumber, homeBranchId: Number(r.homeBranchId),
    branchId: Number(r.branchId), locationId: numOrNull(r.locationId), itemTypeId: numOrNull(r.itemTypeId), collectionCode: r.collectionCode,
    status: r.status, notes: r.notes, record: { title: r.title },
    loan: r.loanId === null || r.loanId === undefined ? null : {
      id: Number(r.loanId), patronId: Number(r.loanPatronId), renewals: Number(r.loanRenewals), dueAt: new Date(r.loanDueAt as Date),
      branchCode: r.loanBranchCode as string, patronBarcode: r.loanPatronBarcode as string, patronCategoryId: Number(r.loanPatronCategoryId),
    },
  };
}

interface Assessment {
  valid: boolean;
  chargeDenied: boolean;
  renewDenied: boolean;
  holdDenied: boolean;
  flags: PatronFlags;
  reasons: string[];
  feeCents: bigint;
  loanLimit: number | null;
}

const NO_FLAGS: PatronFlags = {
  chargePrivilegesDenied: false, renewalPrivilegesDenied: false, recallPrivilegesDenied: false, holdPrivilegesDenied: false,
  cardReportedLost: false, tooManyItemsCharged: false, tooManyItemsOverdue: false, tooManyRenewals: false,
  tooManyClaimsOfItemsReturned: false, tooManyItemsLost: false, excessiveOutstandingFines: false, excessiveOutstandingFees: false,
  recallOverdue: false, tooManyItemsBilled: false,
};

/**
 * Carrel's own circulation on the shared data layer: the CirculationBackend the SIP2 server talks to
 * when no ILS connector is configured. Every state change is one transaction with its audit entries.
 */
@Injectable()
export class LocalCirculationEngine implements CirculationBackend {
  readonly options: CirculationOptions;
  private readonly sortBins: SortBinRule[];
  /** sort-bin rules that did not parse (reported, skipped) */
  readonly sortBinProblems: SortBinProblem[];
  private ref: ReferenceData | null = null;
  private loading: Promise<ReferenceData> | null = null;

  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
    @Optional() @Inject(CIRCULATION_OPTIONS) options?: CirculationOptionsInput,
  ) {
    this.options = resolveCirculationOptions(options);
    const parsed = parseSortBinRules(this.options.sortBinRules);
    this.sortBins = parsed.rules;
    this.sortBinProblems = parsed.problems;
  }

  /** Forget the cached rules, calendars and codes (call after editing them). */
  invalidate(): void {
    this.ref = null;
    // a load already under way may have read the tables before the edit: dropped, so it is not kept
    this.loading = null;
  }

  private async reference(): Promise<ReferenceData> {
    // a monotonic clock for cache freshness only; business time always comes from the request's `at`
    const now = performance.now();
    const ttl = this.options.cacheTtlMs;
    if (this.ref && now - this.ref.loadedAt < ttl) return this.ref;
    // Stale tables answer while a reload runs, so no request waits for one (it takes several ORM queries,
    // and every request arriving meanwhile would wait). A reload that fails leaves the tables in hand; the
    // next call tries again.
    const answerStale = this.ref !== null && ttl > 0;
    if (!this.loading) {
      const loading: Promise<ReferenceData> = loadReference(this.db.prisma, this.options.defaultRule, now)
        .then((r) => {
          // kept only while it is still the load under way (invalidate() drops it)
          if (this.loading === loading) this.ref = r;
          return r;
        })
        .finally(() => {
          if (this.loading === loading) this.loading = null;
        });
      this.loading = loading;
      if (answerStale) this.loading.catch((e: unknown) => process.stderr.write(`carrel circulation: reloading rules and calendars failed: ${(e as Error).message}\n`));
    }
    return answerStale ? this.ref! : this.loading;
  }

  /**
   * A plain read, no ORM round trip: on SQLite synchronously on Prisma's own connection (SqliteSync), on
   * PostgreSQL on the pool Prisma shares (PgSql). The SQL must read alike on both (quoted identifiers only).
   */
  private async raw<R>(q: PlainQuery): Promise<R[]> {
    const sync = this.db.sqliteSync();
    if (sync) return sync.read((sql) => sql.all<R>(q.sql, q.values));
    return this.pg().all<R>(q.text, q.values);
  }

  private pg(): PgSql {
    const pg = this.db.pgSql();
    if (!pg) throw new Error('circulation: no plain SQL access to the database (a SQLite client must be connected first)');
    return pg;
  }

  // ---------------------------------------------------------------- patrons

  /** one plain statement (the ORM's own findUnique costs several times more on the hot path) */
  private async findPatron(barcode: string): Promise<PatronRow | null> {
    const r = (await this.raw<Record<string, unknown>>(Prisma.sql`SELECT ${PATRON_COLUMNS} FROM "Patron" p WHERE p."barcode" = ${barcode}`))[0];
    return r ? patronFromRow(r) : null;
  }

  /**
   * The patron and, in the same statement, what a checkout weighs (open loans, outstanding fees, the
   * patron's own active hold on the title of the item being borrowed): one read instead of two on the
   * busiest path a kiosk has.
   */
  private async findPatronForCheckout(barcode: string, itemBarcode: string): Promise<{ patron: PatronRow; facts: PatronFacts } | null> {
    const r = (await this.raw<Record<string, unknown> & RawLoansAndFees & RawOwnHold>(Prisma.sql`
      SELECT ${PATRON_COLUMNS}, ${loansAndFeesColumns(Prisma.sql`p."id"`)},
             mh."id" AS "factHoldId", mh."status" AS "factHoldStatus", mh."capturedItemId" AS "factHoldCaptured"
      FROM "Patron" p
      LEFT JOIN "Hold" mh ON mh."id" = (
        SELECT h."id" FROM "Hold" h WHERE h."patronId" = p."id" AND h."recordId" = (SELECT i."recordId" FROM "Item" i WHERE i."barcode" = ${itemBarcode})
          AND h."status" IN ('waiting', 'in_transit', 'on_shelf') ORDER BY h."placedAt" ASC, h."id" ASC LIMIT 1)
      WHERE p."barcode" = ${barcode}`))[0];
    if (!r) return null;
    const [loans, feeCents] = loansAndFeesFromRow(r);
    const holdId = numOrNull(r.factHoldId);
    const hold = holdId === null ? null : { id: holdId, status: r.factHoldStatus ?? 'waiting', capturedItemId: numOrNull(r.factHoldCaptured) };
    return { patron: patronFromRow(r), facts: { loans, feeCents, hold } };
  }

  /** The first waiting, unexpired hold for an item (item-level) or its title, oldest first, skipping some ids; optionally not by one patron. */
  private async nextWaitingHold(item: { id: number; recordId: number }, at: Date, skip: number[] = [], notPatron?: number): Promise<{ id: number; patronId: number; pickupBranch: string; status: string; expiresAt: Date | null } | null> {
    const [r] = await this.raw<Record<string, unknown>>(Prisma.sql`
      SELECT w."id", w."patronId", w."pickupBranch", w."status", w."expiresAt" ${waitingOn(Prisma.sql`${item.id}`, Prisma.sql`${item.recordId}`, at)}
        ${skip.length ? Prisma.sql`AND w."id" NOT IN (${Prisma.join(skip)})` : Prisma.empty}
        ${notPatron !== undefined ? Prisma.sql`AND w."patronId" <> ${notPatron}` : Prisma.empty}
      ${WAITING_ORDER} LIMIT 1`);
    return r ? { id: Number(r.id), patronId: Number(r.patronId), pickupBranch: String(r.pickupBranch), status: String(r.status), expiresAt: date(r.expiresAt) } : null;
  }

  /**
   * The item, its title and its open loan (with the borrower) in ONE statement: the hot path of every
   * checkout and checkin. Plain SQL that reads alike on SQLite and PostgreSQL (quoted identifiers only).
   */
  private async findItem(barcode: string): Promise<ItemWithLoan | null> {
    const r = (await this.raw<RawItemRow>(itemQuery(barcode)))[0];
    return r ? itemWithLoan(r) : null;
  }

  /** findItem and, in the same statement, the first waiting hold at `at` (what nextWaitingHold would find) */
  private async findItemForCheckin(barcode: string, at: Date): Promise<{ item: ItemWithLoan; waiting: WaitingHold | null } | null> {
    const r = (await this.raw<RawItemRow & RawWaitingHold>(itemQuery(barcode, { firstWaitingAt: at })))[0];
    if (!r) return null;
    const waiting: WaitingHold | null = r.waitId === null || r.waitId === undefined ? null : {
      id: Number(r.waitId), patronId: Number(r.waitPatronId), pickupBranch: String(r.waitPickupBranch), status: 'waiting', expiresAt: date(r.waitExpiresAt),
      patron: r.waitPatronBarcode === null ? null : { barcode: r.waitPatronBarcode, firstname: r.waitPatronFirstname, surname: r.waitPatronSurname ?? '' },
    };
    return { item: itemWithLoan(r), waiting };
  }

  /** open loans and outstanding fees, in ONE statement (a SELECT without FROM: always one row) */
  private async loanCountAndFees(patronId: number): Promise<[number, bigint]> {
    const [r] = await this.raw<RawLoansAndFees>(Prisma.sql`SELECT ${loansAndFeesColumns(Prisma.sql`${patronId}`)}`);
    return r ? loansAndFeesFromRow(r) : [0, 0n];
  }

  private categoryCode(ref: ReferenceData, p: PatronRow): string | null {
    return ref.categoryById.get(p.categoryId)?.code ?? null;
  }

  private assess(ref: ReferenceData, p: PatronRow, at: Date, branchCode: string, openLoans: number, feeCents: bigint): Assessment {
    const tz = this.options.timeZone;
    const today = localDayNumber(at, tz);
    const category = ref.categoryById.get(p.categoryId);
    const reasons: string[] = [];
    const flags: PatronFlags = { ...NO_FLAGS };
    let valid = true;
    let renewDenied = false;
    let chargeDenied = false;
    if (p.expiryDate && Math.floor(p.expiryDate.getTime() / DAY_MS) < today) {
      valid = false;
      reasons.push('Your card has expired.');
    }
    if (p.blocked) {
      valid = false;
      reasons.push(p.blockReason?.startsWith(SIP_BLOCK_PREFIX) ? 'Your card is blocked. Please see staff.' : `Your account is blocked${p.blockReason ? `: ${p.blockReason}` : '.'}`);
    }
    if (p.debarredUntil && Math.floor(p.debarredUntil.getTime() / DAY_MS) >= today) {
      valid = false;
      reasons.push(`Your account is restricted until ${p.debarredUntil.toISOString().slice(0, 10)}.`);
    }
    if (p.lostCard) {
      valid = false;
      flags.cardReportedLost = true;
      reasons.push('This card has been reported lost.');
    }
    if (p.goneNoAddress) {
      chargeDenied = true;
      reasons.push('Please update your address with staff.');
    }
    const rule = ref.rules.resolve({ branchCode, patronCategoryCode: category?.code, itemTypeCode: '*' });
    const limits = [category?.loanLimit, rule.maxItems].filter((n): n is number => typeof n === 'number');
    const loanLimit = limits.length ? Math.min(...limits) : null;
    if (loanLimit !== null && openLoans >= loanLimit) {
      chargeDenied = true;
      flags.tooManyItemsCharged = true;
      reasons.push(`You have reached your limit of ${loanLimit} items.`);
    }
    const fineLimit = category?.fineLimit === null || category?.fineLimit === undefined ? null : toCents(category.fineLimit);
    if (fineLimit !== null && feeCents > fineLimit) {
      chargeDenied = true;
      renewDenied = true;
      flags.excessiveOutstandingFines = true;
      flags.excessiveOutstandingFees = true;
      reasons.push(`You owe ${fromCents(feeCents)} ${this.options.currency}; please pay to borrow.`);
    }
    if (!valid) {
      chargeDenied = renewDenied = true;
    }
    const holdDenied = !valid;
    flags.chargePrivilegesDenied = chargeDenied;
    flags.renewalPrivilegesDenied = renewDenied;
    flags.recallPrivilegesDenied = !valid;
    flags.holdPrivilegesDenied = holdDenied;
    return { valid, chargeDenied, renewDenied, holdDenied, flags, reasons, feeCents, loanLimit };
  }

  private async checkPin(p: PatronRow | null, pin: string | undefined): Promise<boolean | null> {
    if (pin === undefined || pin === '') return null;
    return verifyPin(pin, p?.pinHash);
  }

  private status(ref: ReferenceData, barcode: string, p: PatronRow | null, a: Assessment | null, pinValid: boolean | null): PatronStatus {
    const category = p ? ref.categoryById.get(p.categoryId) : undefined;
    return {
      found: !!p,
      valid: !!p && !!a?.valid,
      pinValid: p ? pinValid : pinValid === null ? null : false,
      patronBarcode: barcode,
      name: p ? [p.firstname, p.surname].filter(Boolean).join(' ') : null,
      flags: a?.flags ?? { ...NO_FLAGS, chargePrivilegesDenied: true, renewalPrivilegesDenied: true, recallPrivilegesDenied: true, holdPrivilegesDenied: true },
      blockReasons: p ? (a?.reasons ?? []) : ['Patron not found.'],
      feeAmount: fromCents(a?.feeCents ?? 0n),
      feeLimit: category?.fineLimit === null || category?.fineLimit === undefined ? null : fromCents(toCents(category.fineLimit) ?? 0n),
      currency: this.options.currency,
      email: p?.email ?? null,
      phone: p?.phone ?? null,
      address: p ? [p.address, p.city, p.postcode].filter(Boolean).join(', ') || null : null,
      homeBranchCode: p ? (ref.branchCodeById.get(p.homeBranchId) ?? null) : null,
      categoryCode: category?.code ?? null,
      expiryDate: p?.expiryDate ?? null,
      language: null,
    };
  }

  async patronStatus(q: PatronQuery): Promise<PatronStatus> {
    const ref = await this.reference();
    const p = await this.findPatron(q.patronBarcode);
    if (!p) return this.status(ref, q.patronBarcode, null, null, await this.checkPin(null, q.pin));
    const [[loans, fees], pinValid] = await Promise.all([this.loanCountAndFees(p.id), this.checkPin(p, q.pin)]);
    return this.status(ref, q.patronBarcode, p, this.assess(ref, p, q.at, q.terminal.branchCode, loans, fees), pinValid);
  }

  async patronInformation(q: PatronQuery & { list?: SummaryList | null; start?: number; end?: number }): Promise<PatronInformation> {
    const ref = await this.reference();
    const p = await this.findPatron(q.patronBarcode);
    const empty = { holds: 0, overdue: 0, charged: 0, fines: 0, recalls: 0, unavailableHolds: 0 };
    if (!p) {
      return { ...this.status(ref, q.patronBarcode, null, null, await this.checkPin(null, q.pin)), counts: empty, limits: { holds: null, overdue: null, charged: null }, list: null };
    }
    const [loans, holds, fees, pinValid] = await Promise.all([
      this.db.prisma.loan.findMany({ where: { patronId: p.id, returnedAt: null }, select: { dueAt: true, item: { select: { id: true, recordId: true, barcode: true } } }, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }] }),
      this.db.prisma.hold.findMany({
        where: { patronId: p.id, status: { in: ACTIVE_HOLD } },
        select: { status: true, item: { select: { barcode: true } }, capturedItem: { select: { barcode: true } }, record: { select: { id: true, title: true } } },
        orderBy: [{ placedAt: 'asc' }, { id: 'asc' }],
      }),
      this.db.prisma.fee.findMany({ where: { patronId: p.id, closedAt: null }, select: { id: true, type: true, outstanding: true, description: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
      this.checkPin(p, q.pin),
    ]);
    const feeCents = fees.reduce((s, f) => s + (toCents(f.outstanding) ?? 0n), 0n);
    // fine items are what is owed; a credit (a refunded lost fee) only lowers the total
    const owed = fees.filter((f) => (toCents(f.outstanding) ?? 0n) > 0n);
    const a = this.assess(ref, p, q.at, q.terminal.branchCode, loans.length, feeCents);
    const overdue = loans.filter((l) => l.dueAt.getTime() < q.at.getTime());
    const onShelf = holds.filter((h) => h.status === 'on_shelf');
    const unavailable = holds.filter((h) => h.status !== 'on_shelf');
    // Recalled: loans another patron's hold waits for (the test that refuses their renewal); the 64 count
    // is a fixed field, so every 63 asks, one lookup per loan.
    const recalled: string[] = [];
    for (const l of loans) if (await this.nextWaitingHold(l.item, q.at, [], p.id)) recalled.push(l.item.barcode);
    const holdLabel = (h: (typeof holds)[number]) => h.capturedItem?.barcode ?? h.item?.barcode ?? h.record.title ?? String(h.record.id);
    const lists: Record<SummaryList, string[]> = {
      holds: onShelf.map(holdLabel),
      overdue: overdue.map((l) => l.item.barcode),
      charged: loans.map((l) => l.item.barcode),
      fines: owed.map((f) => fineListEntry({ amount: fromCents(toCents(f.outstanding) ?? 0n), currency: this.options.currency, type: f.type, description: f.description })),
      recalls: recalled,
      unavailableHolds: unavailable.map(holdLabel),
    };
    let list: PatronInformation['list'] = null;
    if (q.list) {
      const start = Math.max(1, q.start ?? 1);
      const end = Math.max(start, q.end ?? start + 9);
      list = { kind: q.list, entries: lists[q.list].slice(start - 1, end) };
    }
    return {
      ...this.status(ref, q.patronBarcode, p, a, pinValid),
      counts: { holds: onShelf.length, overdue: overdue.length, charged: loans.length, fines: owed.length, recalls: recalled.length, unavailableHolds: unavailable.length },
      limits: { holds: null, overdue: null, charged: a.loanLimit },
      list,
    };
  }

  // ---------------------------------------------------------------- loans

  private itemFacts(ref: ReferenceData, item: ItemRow) {
    const itype = item.itemTypeId === null ? null : (ref.itemTypeCodeById.get(item.itemTypeId) ?? null);
    return {
      itype,
      homeCode: ref.branchCodeById.get(item.homeBranchId) ?? null,
      holdingCode: ref.branchCodeById.get(item.branchId) ?? null,
      mediaType: mediaTypeFor(itype, this.options.mediaTypes),
    };
  }

  private dueDate(rule: CirculationRuleRow, from: Date, branchCode: string, ref: ReferenceData): Date {
    return computeDueDate({ from, period: rule.loanPeriod, unit: rule.loanPeriodUnit, timeZone: this.options.timeZone, calendar: calendarOf(ref, branchCode) }).dueAt;
  }

  private context(t: Terminal) {
    return { branch: t.branchCode, ...(t.account ? { account: t.account } : {}), ...(t.device ? { device: t.device } : {}) };
  }

  /** Runs a write attributed to the SIP account when nobody else is named as the actor. */
  private write<T>(t: Terminal, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const run = () => this.db.prisma.$transaction((tx) => fn(tx as Tx), { maxWait: 10_000, timeout: 10_000 });
    return currentActor().actor === 'system' && t.account ? runAs({ actor: `sip2:${t.account}` }, run) : run();
  }

  /**
   * Carries out a transaction's writes (decided once, see writes.ts) with its audit entry, as plain
   * statements in one transaction: on SQLite synchronously (SqliteSync), on PostgreSQL on PgSql.
   */
  private apply(t: Terminal, plan: WritePlan): Promise<Created> {
    const sync = this.db.sqliteSync();
    const run = sync
      ? () => sync.transaction((sql) => applyWithSql(sql, plan, currentActor()))
      : () => this.pg().transaction((sql) => applyWithPg(sql, plan, currentActor()));
    return currentActor().actor === 'system' && t.account ? runAs({ actor: `sip2:${t.account}` }, run) : run();
  }

  /** the hold an item is captured for (on the shelf or in transit), if any */
  private async capturedHold(itemId: number): Promise<{ id: number; patronId: number; pickupBranch: string; status: string; expiresAt: Date | null; capturedAt: Date | null } | null> {
    const rows = await this.raw<Record<string, unknown>>(Prisma.sql`
      SELECT h."id", h."patronId", h."pickupBranch", h."status", h."expiresAt", h."capturedAt" ${capturedFor(Prisma.sql`${itemId}`)} ORDER BY h."id" ASC LIMIT 1`);
    const r = rows[0];
    return r ? { id: Number(r.id), patronId: Number(r.patronId), pickupBranch: String(r.pickupBranch), status: String(r.status), expiresAt: date(r.expiresAt), capturedAt: date(r.capturedAt) } : null;
  }

  async checkout(q: CheckoutRequest): Promise<CheckoutResult> {
    const ref = await this.reference();
    const [found, item] = await Promise.all([this.findPatronForCheckout(q.patronBarcode, q.itemBarcode), this.findItem(q.itemBarcode)]);
    const facts = item ? this.itemFacts(ref, item) : null;
    const result: CheckoutResult = {
      ok: false, renewal: false, patronBarcode: q.patronBarcode, itemBarcode: q.itemBarcode, title: item?.record.title ?? null, dueDate: null,
      desensitize: false, feeAmount: null, feeType: null, mediaType: facts?.mediaType ?? null, callNumber: item?.callNumber ?? null, screenMessage: null,
    };
    const refuse = (m: string) => ({ ...result, screenMessage: m });
    if (q.cancel) {
      // a cancel names the item and the terminal; the patron field may be anything the kiosk had
      if (!item) return refuse('Item not found.');
      const undone = await this.cancelLast(item, q.at, q.terminal);
      if (!undone.ok) return refuse(undone.screenMessage);
      return {
        ...result, ok: true, patronBarcode: undone.patronBarcode ?? q.patronBarcode, dueDate: undone.dueAt,
        desensitize: undone.undid === 'checkin', screenMessage: undone.screenMessage,
      };
    }
    if (!found) return refuse('Patron not found.');
    const p = found.patron;
    if (!item || !facts) return refuse('Item not found.');
    if ((await this.checkPin(p, q.pin)) === false) return refuse('Wrong PIN.');
    const openLoan = item.loan;
    if (openLoan && openLoan.patronId === p.id) {
      const r = await this.renewLoan(ref, p, item, openLoan, q, q.at);
      return { ...r, renewal: true };
    }
    if (openLoan && !q.noBlock) return refuse('This item is checked out to someone else. Please see staff.');
    const unavailable: Record<string, string> = {
      lost: 'This item is marked lost. Please see staff.', missing: 'This item is marked missing. Please see staff.',
      withdrawn: 'This item has been withdrawn. Please see staff.', not_for_loan: 'This item is not for loan.',
    };
    if (unavailable[item.status] && !q.noBlock) return refuse(unavailable[item.status]);
    const { loans, feeCents: fees, hold: myHold } = found.facts;
    const captured = item.status === 'on_hold_shelf' || item.status === 'in_transit' ? await this.capturedHold(item.id) : null;
    if (captured && captured.patronId !== p.id && !q.noBlock) {
      return refuse(item.status === 'on_hold_shelf' ? 'This item is on hold for another patron.' : 'This item is in transit for another patron\u2019s hold.');
    }
    const a = this.assess(ref, p, q.at, q.terminal.branchCode, loans, fees);
    const rule = ref.rules.resolve({ branchCode: q.terminal.branchCode, patronCategoryCode: this.categoryCode(ref, p), itemTypeCode: facts.itype });
    if (!q.noBlock) {
      // invalid, blocked, over the general limit (category loanLimit or the branch/category rule's maxItems), fines
      if (a.chargeDenied) return refuse(a.reasons.join(' '));
      // a rule naming this item type limits the loans of that type
      if (rule.maxItems !== null && rule.itemTypeCode !== '*' && item.itemTypeId !== null) {
        const [{ n: governed }] = await this.raw<{ n: unknown }>(Prisma.sql`
          SELECT COUNT(*) AS "n" FROM "Loan" l JOIN "Item" i ON i."id" = l."itemId"
          WHERE l."patronId" = ${p.id} AND l."returnedAt" IS NULL AND i."itemTypeId" = ${item.itemTypeId}`);
        if (Number(governed) >= rule.maxItems) return refuse(`You have reached your limit of ${rule.maxItems} ${facts.itype} items.`);
      }
    }
    const lentAt = q.noBlock && q.transactionDate ? q.transactionDate : q.at;
    const dueAt = this.dueDate(rule, lentAt, q.terminal.branchCode, ref);
    const holdToFulfil = captured && captured.patronId === p.id ? captured.id : myHold && (myHold.status === 'waiting' || myHold.capturedItemId === item.id) ? myHold.id : null;
    // what a cancel (SIP BI) would restore
    const holdBefore = holdToFulfil === null ? null : captured && captured.id === holdToFulfil
      ? { id: captured.id, status: captured.status, capturedItemId: item.id }
      : { id: holdToFulfil, status: myHold!.status, capturedItemId: myHold!.capturedItemId };
    const here = ref.branchIdByCode.get(q.terminal.branchCode);
    try {
      const ops: WriteOp[] = [
        { kind: 'moveItem', id: item.id, from: item.status, status: 'checked_out', ...(here !== undefined && here !== item.branchId ? { branchId: here } : {}), refusal: 'This item was just changed by another transaction. Please try again.' },
      ];
      if (openLoan) ops.push({ kind: 'closeLoan', id: openLoan.id, returnedAt: lentAt, returnBranch: q.terminal.branchCode, checkinBy: q.terminal.device ?? null });
      ops.push({ kind: 'createLoan', itemId: item.id, patronId: p.id, branchCode: q.terminal.branchCode, checkedOutAt: lentAt, dueAt, checkoutBy: q.terminal.device ?? q.terminal.account ?? null });
      if (holdToFulfil !== null) ops.push({ kind: 'updateHold', id: holdToFulfil, data: { status: 'fulfilled', closedAt: q.at, capturedItemId: item.id } });
      if (item.status === 'in_transit') ops.push({ kind: 'receiveTransits', itemId: item.id, at: q.at });
      await this.apply(q.terminal, {
        ops,
        audit: (made): AuditRecord => ({
          action: 'checkout', entity: 'Loan', entityId: made.loan,
          before: { status: item.status, branchId: item.branchId, hold: holdBefore },
          after: { item: item.barcode, patron: p.barcode, dueAt, at: q.at, fulfilledHold: holdToFulfil, noBlock: q.noBlock ?? false, ...(openLoan ? { closedLoan: openLoan.id } : {}) },
          context: this.context(q.terminal),
        }),
      });
    } catch (e) {
      if (e instanceof Refusal) return refuse(e.message);
      throw e;
    }
    return { ...result, ok: true, dueDate: dueAt, desensitize: true };
  }

  private async renewLoan(
    ref: ReferenceData,
    p: PatronRow,
    item: ItemRow,
    loan: { id: number; renewals: number; branchCode: string },
    q: PatronQuery,
    at: Date,
    assessment?: Assessment,
  ): Promise<RenewResult> {
    const facts = this.itemFacts(ref, item);
    const result: RenewResult = {
      ok: false, renewal: true, patronBarcode: q.patronBarcode, itemBarcode: item.barcode, title: item.record.title ?? null, dueDate: null,
      desensitize: false, feeAmount: null, feeType: null, mediaType: facts.mediaType, callNumber: item.callNumber, screenMessage: null,
    };
    const refuse = (m: string) => ({ ...result, screenMessage: m });
    let a = assessment;
    if (!a) {
      const [loans, fees] = await this.loanCountAndFees(p.id);
      a = this.assess(ref, p, at, q.terminal.branchCode, loans, fees);
    }
    if (a.renewDenied) return refuse(a.reasons.join(' '));
    const rule = ref.rules.resolve({ branchCode: loan.branchCode, patronCategoryCode: this.categoryCode(ref, p), itemTypeCode: facts.itype });
    if (loan.renewals >= rule.renewalsAllowed) return refuse(`This item has been renewed ${loan.renewals} times: no more renewals allowed.`);
    const hold = await this.nextWaitingHold(item, at, [], p.id);
    if (hold) return refuse('This item is on hold for another patron and cannot be renewed.');
    const dueAt = this.dueDate(rule, at, q.terminal.branchCode, ref);
    try {
      await this.apply(q.terminal, {
        ops: [{ kind: 'renewLoan', id: loan.id, renewals: loan.renewals, dueAt, refusal: 'This loan was just changed by another transaction. Please try again.' }],
        audit: () => ({ action: 'renew', entity: 'Loan', entityId: loan.id, after: { item: item.barcode, patron: p.barcode, dueAt, renewals: loan.renewals + 1 }, context: this.context(q.terminal) }),
      });
    } catch (e) {
      if (e instanceof Refusal) return refuse(e.message);
      throw e;
    }
    return { ...result, ok: true, dueDate: dueAt, desensitize: true };
  }

  async renew(q: RenewRequest): Promise<RenewResult> {
    const ref = await this.reference();
    const [p, item] = await Promise.all([this.findPatron(q.patronBarcode), this.findItem(q.itemBarcode)]);
    const base: RenewResult = {
      ok: false, renewal: true, patronBarcode: q.patronBarcode, itemBarcode: q.itemBarcode, title: item?.record.title ?? null, dueDate: null,
      desensitize: false, feeAmount: null, feeType: null, mediaType: null, callNumber: item?.callNumber ?? null, screenMessage: null,
    };
    if (!p) return { ...base, screenMessage: 'Patron not found.' };
    if (!item) return { ...base, screenMessage: 'Item not found.' };
    if ((await this.checkPin(p, q.pin)) === false) return { ...base, screenMessage: 'Wrong PIN.' };
    const loan = item.loan && item.loan.patronId === p.id ? item.loan : null;
    if (!loan) return { ...base, screenMessage: 'This item is not checked out to you.' };
    return this.renewLoan(ref, p, item, loan, q, q.at);
  }

  async renewAll(q: PatronQuery & { feeAcknowledged?: boolean }): Promise<RenewAllResult> {
    const ref = await this.reference();
    const p = await this.findPatron(q.patronBarcode);
    if (!p) return { ok: false, renewed: [], unrenewed: [], screenMessage: 'Patron not found.' };
    if ((await this.checkPin(p, q.pin)) === false) return { ok: false, renewed: [], unrenewed: [], screenMessage: 'Wrong PIN.' };
    const loans = await this.db.prisma.loan.findMany({
      where: { patronId: p.id, returnedAt: null },
      select: { id: true, renewals: true, branchCode: true, item: { select: itemSelect } },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    });
    const [count, fees] = await this.loanCountAndFees(p.id);
    const a = this.assess(ref, p, q.at, q.terminal.branchCode, count, fees);
    const renewed: string[] = [];
    const unrenewed: { itemBarcode: string; reason: string }[] = [];
    for (const l of loans) {
      const r = await this.renewLoan(ref, p, l.item, l, q, q.at, a);
      if (r.ok) renewed.push(l.item.barcode);
      else unrenewed.push({ itemBarcode: l.item.barcode, reason: r.screenMessage ?? 'not renewed' });
    }
    return {
      ok: a.valid && !a.renewDenied,
      renewed,
      unrenewed,
      screenMessage: a.renewDenied ? a.reasons.join(' ') : `${renewed.length} renewed, ${unrenewed.length} not renewed.`,
    };
  }

  async checkin(q: CheckinRequest): Promise<CheckinResult> {
    const ref = await this.reference();
    const found = await this.findItemForCheckin(q.itemBarcode, q.at);
    const item = found?.item ?? null;
    const here = q.terminal.branchCode;
    const result: CheckinResult = {
      ok: false, itemBarcode: q.itemBarcode, title: item?.record.title ?? null, resensitize: false, alert: null, permanentLocation: null,
      destination: null, holdPatronBarcode: null, holdPatronName: null, sortBin: null, patronBarcode: null, callNumber: item?.callNumber ?? null,
      mediaType: null, fineAmount: null, screenMessage: null,
    };
    if (!item) return { ...result, screenMessage: 'Item not found. Please see staff.' };
    const facts = this.itemFacts(ref, item);
    Object.assign(result, { permanentLocation: facts.homeCode, mediaType: facts.mediaType });
    if (q.cancel) {
      const undone = await this.cancelLast(item, q.at, q.terminal);
      if (!undone.ok) return { ...result, resensitize: !item.loan, screenMessage: undone.screenMessage };
      return { ...result, ok: true, resensitize: undone.undid === 'checkout', patronBarcode: undone.patronBarcode, screenMessage: undone.screenMessage };
    }
    const returnedAt = q.returnDate ?? q.at;
    const loan = item.loan;
    const captured = item.status === 'on_hold_shelf' || item.status === 'in_transit' ? await this.capturedHold(item.id) : null;
    // a lost item found again: the loan closed when it was declared lost still owes its overdue fine
    const lostLoan = item.status === 'lost' && !loan ? await this.lostLoan(item.id) : null;
    const fineLoan = loan ?? lostLoan;
    // the loan whose lost fees this return settles (a loan left open by an older declareLost counts too)
    const lostFeesLoan = item.status === 'lost' ? fineLoan : null;
    // fine
    let fine: string | null = null;
    if (fineLoan) {
      const category = ref.categoryById.get(fineLoan.patronCategoryId)?.code;
      const rule = ref.rules.resolve({ branchCode: fineLoan.branchCode, patronCategoryCode: category, itemTypeCode: facts.itype });
      const f = overdueFine({ dueAt: fineLoan.dueAt, returnedAt, unit: rule.loanPeriodUnit, timeZone: this.options.timeZone, finePerPeriod: rule.finePerPeriod, fineCap: rule.fineCap });
      if ((toCents(f.amount) ?? 0n) > 0n) fine = f.amount;
    }
    // the hold this item serves: the one it is already captured for (unless that lapsed), else the first in the queue
    const expired: number[] = [];
    let hold: { id: number; patronId: number; pickupBranch: string; status: string; expiresAt: Date | null; patron?: WaitingHold['patron'] } | null = captured;
    if (hold && hold.status === 'on_shelf' && hold.expiresAt && hold.expiresAt.getTime() < q.at.getTime()) {
      expired.push(hold.id);
      hold = null;
    }
    const captureable = !['withdrawn', 'damaged', 'not_for_loan'].includes(item.status);
    let newlyCaptured = false;
    if (!hold && captureable) {
      // read with the item (a lapsed captured hold is not 'waiting', so it is never this one)
      hold = found?.waiting ?? null;
      newlyCaptured = !!hold;
    }
    let alert: CheckinAlert = null;
    let status = item.status;
    let destination: string | null = null;
    let transit: { to: string; reason: 'home' | 'hold'; holdId: number | null } | null = null;
    let holdUpdate: HoldChange | null = null;
    // what a cancel (SIP BI) would restore of the hold this checkin captures or moves on
    const holdBefore = hold ? { id: hold.id, status: hold.status, expiresAt: hold.expiresAt, capturedAt: captured && captured.id === hold.id ? captured.capturedAt : null, capturedItemId: captured && captured.id === hold.id ? item.id : null } : null;
    if (hold) {
      if (hold.pickupBranch === here) {
        alert = 'hold-here';
        status = 'on_hold_shelf';
        destination = here;
        if (hold.status !== 'on_shelf') holdUpdate = { status: 'on_shelf', capturedAt: q.at, expiresAt: new Date(q.at.getTime() + this.options.holdShelfDays * DAY_MS), capturedItemId: item.id };
      } else {
        alert = 'hold-elsewhere';
        status = 'in_transit';
        destination = hold.pickupBranch;
        transit = { to: hold.pickupBranch, reason: 'hold', holdId: hold.id };
        if (hold.status !== 'in_transit' || newlyCaptured) holdUpdate = { status: 'in_transit', capturedAt: q.at, capturedItemId: item.id };
      }
      const [hp] = hold.patron ? [hold.patron] : await this.raw<{ barcode: string; firstname: string | null; surname: string }>(Prisma.sql`SELECT "barcode", "firstname", "surname" FROM "Patron" WHERE "id" = ${hold.patronId}`);
      result.holdPatronBarcode = hp?.barcode ?? null;
      result.holdPatronName = hp ? [hp.firstname, hp.surname].filter(Boolean).join(' ') : null;
    } else if (item.status === 'withdrawn' || item.status === 'damaged') {
      alert = 'other';
    } else {
      if (item.status !== 'not_for_loan') status = 'available';
      if (facts.homeCode && facts.homeCode !== here) {
        alert = 'transit';
        status = item.status === 'not_for_loan' ? item.status : 'in_transit';
        destination = facts.homeCode;
        transit = { to: facts.homeCode, reason: 'home', holdId: null };
      }
    }
    const hereId = ref.branchIdByCode.get(here);
    try {
      const ops: WriteOp[] = [];
      if (loan) ops.push({ kind: 'closeLoan', id: loan.id, returnedAt, returnBranch: here, checkinBy: q.terminal.device ?? q.terminal.account ?? null, refusal: 'This item was just checked in by another transaction.' });
      if (fineLoan && fine) {
        ops.push({ kind: 'createFee', patronId: fineLoan.patronId, type: 'overdue', amount: fine, currency: this.options.currency, description: `Overdue: ${item.barcode}${item.record.title ? ` ${item.record.title}` : ''}`.slice(0, 255), itemId: item.id, loanId: fineLoan.id });
      }
      const moved = hereId !== undefined && hereId !== item.branchId;
      if (status !== item.status || moved) ops.push({ kind: 'setItem', id: item.id, status, ...(moved ? { branchId: hereId } : {}) });
      if (item.status === 'in_transit') ops.push({ kind: 'receiveTransits', itemId: item.id, at: q.at });
      // a lost item found again: its lost fee is cancelled (and what was paid credited back) per lostReturnPolicy
      if (lostFeesLoan && this.options.lostReturnPolicy !== 'keep') {
        ops.push({ kind: 'settleLostFees', itemId: item.id, loanId: lostFeesLoan.id, at: q.at, refund: this.options.lostReturnPolicy === 'refund', description: `Lost item returned: ${item.barcode}${item.record.title ? ` ${item.record.title}` : ''}`.slice(0, 255) });
      }
      if (transit) ops.push({ kind: 'createTransit', itemId: item.id, fromBranch: here, toBranch: transit.to, reason: transit.reason, holdId: transit.holdId, sentAt: q.at });
      if (expired.length) ops.push({ kind: 'expireHolds', ids: expired, at: q.at });
      if (hold && holdUpdate) ops.push({ kind: 'updateHold', id: hold.id, data: holdUpdate });
      const servedHold = hold?.id ?? null;
      await this.apply(q.terminal, {
        ops,
        audit: (made): AuditRecord => ({
          action: 'checkin', entity: loan ? 'Loan' : 'Item', entityId: loan ? loan.id : item.id,
          before: { status: item.status, branchId: item.branchId, hold: holdUpdate ? holdBefore : null },
          after: {
            item: item.barcode, patron: fineLoan?.patronBarcode ?? null, status, alert, destination, hold: servedHold, fine, feeId: made.fee, expiredHolds: expired, at: q.at,
            transit: made.transit, ...(lostFeesLoan ? { lostLoan: lostFeesLoan.id, lostFees: this.options.lostReturnPolicy, credits: made.credits } : {}),
          },
          context: this.context(q.terminal),
        }),
      });
    } catch (e) {
      if (e instanceof Refusal) return { ...result, screenMessage: e.message };
      throw e;
    }
    result.sortBin = sortBinFor(this.sortBins, here, {
      homebranch: facts.homeCode, holdingbranch: here, location: item.locationId === null ? null : (ref.locationCodeById.get(item.locationId) ?? null),
      itype: facts.itype, ccode: item.collectionCode, itemcallnumber: item.callNumber,
    });
    const messages: Record<string, string> = {
      'hold-here': 'Hold for a patron here: place on the hold shelf.',
      'hold-elsewhere': `Hold for a patron at ${destination}: send in transit.`,
      transit: `Belongs to ${destination}: send in transit.`,
      other: `Item is ${item.status}: please give to staff.`,
    };
    return {
      ...result, ok: true, resensitize: alert !== 'other', alert, destination, patronBarcode: fineLoan?.patronBarcode ?? null, fineAmount: fine,
      screenMessage: [
        alert ? messages[alert] : null, fine ? `Overdue fine ${fine} ${this.options.currency}.` : null,
        item.status === 'lost' ? (lostFeesLoan && this.options.lostReturnPolicy !== 'keep' ? 'Lost item returned: its lost fee is cancelled.' : 'Lost item returned.') : null,
      ].filter(Boolean).join(' ') || null,
    };
  }

  // ---------------------------------------------------------------- items

  /** one statement: the item with its loan, and its hold queue, captured hold and open transit */
  async itemInformation(q: { itemBarcode: string; at: Date; terminal: Terminal }): Promise<ItemInformation> {
    const ref = await this.reference();
    const row = (await this.raw<RawItemRow & RawHoldFacts>(itemQuery(q.itemBarcode, { holdFactsAt: q.at })))[0];
    const none: ItemInformation = {
      found: false, itemBarcode: q.itemBarcode, circulationStatus: '01', title: null, dueDate: null, holdQueueLength: 0, holdPickupDate: null,
      owner: null, permanentLocation: null, currentLocation: null, callNumber: null, mediaType: null, feeAmount: null, currency: this.options.currency,
      screenMessage: 'Item not found.',
    };
    if (!row) return none;
    const item = itemWithLoan(row);
    const facts = this.itemFacts(ref, item);
    const loan = item.loan;
    const queue = Number(row.queue);
    const captured = row.capturedStatus === null || row.capturedStatus === undefined ? null : { status: row.capturedStatus, expiresAt: date(row.capturedExpires) };
    const transit = row.transitId !== null && row.transitId !== undefined;
    return {
      ...none,
      found: true,
      screenMessage: null,
      circulationStatus: circulationStatus({ status: item.status, onLoan: !!loan, capturedHold: (captured?.status as 'on_shelf' | 'in_transit' | undefined) ?? null, inTransit: transit }),
      title: item.record.title,
      dueDate: loan?.dueAt ?? null,
      holdQueueLength: queue,
      holdPickupDate: captured?.status === 'on_shelf' ? (captured.expiresAt ?? null) : null,
      owner: facts.homeCode,
      permanentLocation: facts.homeCode,
      currentLocation: facts.holdingCode,
      callNumber: item.callNumber,
      mediaType: facts.mediaType,
    };
  }

  /**
   * Not part of CirculationBackend (no SIP message does it): staff declare an item lost. The loan closes
   * (the patron no longer has it as far as the library is concerned, so it stops counting against their
   * limits and gathering fine days); the borrower is charged the item's price, or when it has none the
   * lost-item charge of the loan's circulation rule, else the `lostItemCharge` option, as a 'lost' fee (SIP 07, replacement). A hold the item was captured for goes back to the
   * queue so another copy can serve it. When the item comes back, checkin settles the fee
   * (`lostReturnPolicy`) and raises the overdue fine of that loan.
   */
  async declareLost(q: { itemBarcode: string; at: Date; terminal: Terminal }): Promise<{ ok: boolean; feeAmount: string | null; feeId: number | null; patronBarcode: string | null; screenMessage: string | null }> {
    const refuse = (m: string) => ({ ok: false, feeAmount: null, feeId: null, patronBarcode: null, screenMessage: m });
    const item = await this.findItem(q.itemBarcode);
    if (!item) return refuse('Item not found.');
    if (item.status === 'lost') return refuse('Item is already lost.');
    const priced = await this.db.prisma.item.findUnique({ where: { id: item.id }, select: { price: true } });
    const price = toCents(priced?.price ?? null);
    // no price of its own: the charge of the circulation rule the loan was made under, else the setting
    let ruleCharge: string | null = null;
    if (item.loan) {
      const ref = await this.reference();
      const rule = ref.rules.resolve({ branchCode: item.loan.branchCode, patronCategoryCode: ref.categoryById.get(item.loan.patronCategoryId)?.code, itemTypeCode: this.itemFacts(ref, item).itype });
      ruleCharge = rule.lostItemCharge;
    }
    const cents = price !== null && price > 0n ? price : (toCents(ruleCharge ?? this.options.lostItemCharge) ?? 0n);
    const charge = item.loan && cents > 0n ? fromCents(cents) : null;
    const loan = item.loan;
    try {
      const feeId = await this.write(q.terminal, async (tx) => {
        const n = await tx.item.updateMany({ where: { id: item.id, status: item.status }, data: { status: 'lost' } });
        if (n.count !== 1) throw new Refusal('This item was just changed by another transaction. Please try again.');
        let feeId: number | null = null;
        if (loan) {
          const closed = await tx.loan.updateMany({ where: { id: loan.id, returnedAt: null }, data: { returnedAt: q.at, returnBranch: null, checkinBy: q.terminal.device ?? q.terminal.account ?? null } });
          if (closed.count !== 1) throw new Refusal('This item was just checked in by another transaction.');
          if (charge) {
            feeId = (await tx.fee.create({
              data: { patronId: loan.patronId, type: 'lost', amount: new Prisma.Decimal(charge), outstanding: new Prisma.Decimal(charge), currency: this.options.currency, description: `Lost: ${item.barcode}${item.record.title ? ` ${item.record.title}` : ''}`.slice(0, 255), itemId: item.id, loanId: loan.id },
              select: { id: true },
            })).id;
          }
        }
        const requeued = await tx.hold.findMany({ where: { capturedItemId: item.id, status: { in: ['on_shelf', 'in_transit'] } }, select: { id: true } });
        if (requeued.length) {
          await tx.hold.updateMany({ where: { id: { in: requeued.map((h) => h.id) } }, data: { status: 'waiting', capturedItemId: null, capturedAt: null, expiresAt: null } });
        }
        // a transit it was on ends here: it will not arrive
        await tx.transit.updateMany({ where: { itemId: item.id, receivedAt: null }, data: { receivedAt: q.at } });
        await this.audit.record({
          action: 'lost', entity: 'Item', entityId: item.id, before: { status: item.status },
          after: { status: 'lost', patron: loan?.patronBarcode ?? null, loan: loan?.id ?? null, charge, feeId, requeuedHolds: requeued.map((h) => h.id), at: q.at },
          context: this.context(q.terminal),
        }, tx);
        return feeId;
      });
      return { ok: true, feeAmount: charge, feeId, patronBarcode: loan?.patronBarcode ?? null, screenMessage: null };
    } catch (e) {
      if (e instanceof Refusal) return refuse(e.message);
      throw e;
    }
  }

  /** the loan closed when the item was declared lost: its most recent loan, closed without a return branch */
  private async lostLoan(itemId: number): Promise<OpenLoan | null> {
    const l = await this.db.prisma.loan.findFirst({
      where: { itemId, returnedAt: { not: null } },
      orderBy: { id: 'desc' },
      select: { id: true, patronId: true, renewals: true, dueAt: true, branchCode: true, returnBranch: true, patron: { select: { barcode: true, categoryId: true } } },
    });
    if (!l || l.returnBranch !== null) return null;
    return { id: l.id, patronId: l.patronId, renewals: l.renewals, dueAt: l.dueAt, branchCode: l.branchCode, patronBarcode: l.patron.barcode, patronCategoryId: l.patron.categoryId };
  }

  async itemStatusUpdate(q: ItemStatusUpdateRequest): Promise<{ ok: boolean; screenMessage: string | null }> {
    const item = await this.db.prisma.item.findUnique({ where: { barcode: q.itemBarcode }, select: { id: true, notes: true } });
    if (!item) return { ok: false, screenMessage: 'Item not found.' };
    await this.write(q.terminal, async (tx) => {
      await tx.item.update({ where: { id: item.id }, data: { notes: q.itemProperties }, select: { id: true } });
      await this.audit.record({ action: 'update', entity: 'Item', entityId: item.id, before: { notes: item.notes }, after: { notes: q.itemProperties }, context: { ...this.context(q.terminal), via: 'sip2 item status update' } }, tx);
    });
    return { ok: true, screenMessage: null };
  }

  // ---------------------------------------------------------------- fees

  async feePaid(q: FeePaidRequest): Promise<FeePaidResult> {
    const p = await this.findPatron(q.patronBarcode);
    const txId = q.transactionId && q.transactionId.trim() !== '' ? q.transactionId.trim() : null;
    const outstanding = async (patronId: number) => {
      const s = await this.db.prisma.fee.aggregate({ where: { patronId, closedAt: null }, _sum: { outstanding: true } });
      return fromCents(toCents(s._sum.outstanding ?? 0) ?? 0n);
    };
    const refuse = async (m: string): Promise<FeePaidResult> => ({ ok: false, transactionId: txId, feeAmount: p ? await outstanding(p.id) : '0.00', screenMessage: m });
    if (!p) return refuse('Patron not found.');
    if ((await this.checkPin(p, q.pin)) === false) return refuse('Wrong PIN.');
    if (q.currency && q.currency.toUpperCase() !== this.options.currency.toUpperCase()) return refuse(`Payments are taken in ${this.options.currency}.`);
    const amount = /^\s*\d+(\.\d{1,2})?\s*$/.test(q.amount) ? toCents(q.amount) : null;
    if (amount === null || amount <= 0n) return refuse('Invalid amount.');
    const feeId = q.feeId && q.feeId.trim() !== '' ? Number(q.feeId) : null;
    if (feeId !== null && !Number.isInteger(feeId)) return refuse('Unknown fee.');
    try {
      await this.write(q.terminal, async (tx) => {
        if (txId) {
          const seen = await tx.payment.findUnique({ where: { patronId_transactionId: { patronId: p.id, transactionId: txId } }, select: { id: true } });
          if (seen) return; // paid already: a retried 37
        }
        const owing = await tx.fee.findMany({
          // credits are not paid off
          where: { patronId: p.id, closedAt: null, outstanding: { gt: 0 }, ...(feeId !== null ? { id: feeId } : {}) },
          select: { id: true, type: true, outstanding: true },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        });
        if (feeId !== null && owing.length === 0) throw new Refusal('Unknown fee.');
        // A kiosk that names a fee type (anything but 01, "other/unknown", which most send) pays only fees
        // of that type, oldest first: the patron chose what to pay on its screen. A named fee (CG) wins.
        const steer = feeId === null ? paidFeeType(q.feeType) : null;
        const fees = steer ? owing.filter((f) => sipFeeType(f.type) === steer) : owing;
        if (steer && fees.length === 0) throw new Refusal(`No ${SIP_FEE_TYPES[steer]} fees are owed.`);
        const total = fees.reduce((s, f) => s + (toCents(f.outstanding) ?? 0n), 0n);
        if (amount > total) throw new Refusal(`The amount is more than the ${fromCents(total)} ${this.options.currency} owed.`);
        let left = amount;
        const applied: { feeId: number; amount: string; outstanding: string }[] = [];
        for (const f of fees) {
          if (left === 0n) break;
          const owed = toCents(f.outstanding) ?? 0n;
          const pay = owed < left ? owed : left;
          left -= pay;
          const rest = owed - pay;
          await tx.fee.update({ where: { id: f.id }, data: { outstanding: new Prisma.Decimal(fromCents(rest)), closedAt: rest === 0n ? q.at : null }, select: { id: true } });
          applied.push({ feeId: f.id, amount: fromCents(pay), outstanding: fromCents(rest) });
        }
        const payment = await tx.payment.create({
          data: {
            patronId: p.id, amount: new Prisma.Decimal(fromCents(amount)), currency: this.options.currency, paymentType: q.paymentType, transactionId: txId,
            feeId: feeId ?? (applied.length === 1 ? applied[0].feeId : null), device: q.terminal.device ?? q.terminal.account ?? null, at: q.at,
          },
          select: { id: true },
        });
        await this.audit.record({ action: 'payment', entity: 'Payment', entityId: payment.id, after: { patron: p.barcode, amount: fromCents(amount), transactionId: txId, applied }, context: this.context(q.terminal) }, tx);
      });
    } catch (e) {
      if (e instanceof Refusal) return refuse(e.message);
      // the same transaction id committed by a concurrent retry: it is paid once
      if (txId && e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') return { ok: true, transactionId: txId, feeAmount: await outstanding(p.id), screenMessage: null };
      throw e;
    }
    return { ok: true, transactionId: txId, feeAmount: await outstanding(p.id), screenMessage: null };
  }

  // ---------------------------------------------------------------- holds

  async hold(q: HoldRequest): Promise<HoldResult> {
    const ref = await this.reference();
    const p = await this.findPatron(q.patronBarcode);
    const base: HoldResult = { ok: false, available: false, queuePosition: null, expiresAt: null, pickupBranch: null, itemBarcode: q.itemBarcode ?? null, title: null, screenMessage: null };
    const refuse = (m: string): HoldResult => ({ ...base, screenMessage: m });
    if (!p) return refuse('Patron not found.');
    if ((await this.checkPin(p, q.pin)) === false) return refuse('Wrong PIN.');
    let item: { id: number; recordId: number; status: string; barcode: string; record: { title: string | null } } | null = null;
    let recordId: number | null = null;
    if (q.itemBarcode) {
      item = await this.db.prisma.item.findUnique({ where: { barcode: q.itemBarcode }, select: { id: true, recordId: true, status: true, barcode: true, record: { select: { title: true } } } });
      if (!item) return refuse('Item not found.');
      recordId = item.recordId;
    } else if (q.titleId) {
      const id = Number(q.titleId);
      if (!Number.isInteger(id)) return refuse('Title not found.');
      recordId = id;
    } else {
      return refuse('No item or title given.');
    }
    const record = await this.db.prisma.bibRecord.findUnique({ where: { id: recordId }, select: { id: true, title: true } });
    if (!record) return refuse('Title not found.');
    base.title = record.title;
    const mine = await this.db.prisma.hold.findFirst({
      where: { patronId: p.id, recordId: record.id, status: { in: ACTIVE_HOLD }, ...(item ? { OR: [{ itemId: item.id }, { itemId: null }] } : {}) },
      select: { id: true, itemId: true, status: true, pickupBranch: true, expiresAt: true, placedAt: true, capturedItemId: true },
      orderBy: { placedAt: 'asc' },
    });
    const position = async (h: { placedAt: Date; id: number }) =>
      1 + (await this.db.prisma.hold.count({
        where: { recordId: record.id, status: 'waiting', OR: [{ placedAt: { lt: h.placedAt } }, { placedAt: h.placedAt, id: { lt: h.id } }], AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gt: q.at } }] }] },
      }));

    if (q.mode === 'add') {
      const [loans, fees] = await this.loanCountAndFees(p.id);
      const a = this.assess(ref, p, q.at, q.terminal.branchCode, loans, fees);
      if (a.holdDenied) return refuse(a.reasons.join(' '));
      if (mine) return refuse('You already have a hold on this title.');
      const onLoanToMe = await this.db.prisma.loan.findFirst({ where: { patronId: p.id, returnedAt: null, item: { recordId: record.id } }, select: { id: true } });
      if (onLoanToMe) return refuse('You already have this title on loan.');
      const pickup = q.pickupBranch || ref.branchCodeById.get(p.homeBranchId) || q.terminal.branchCode;
      if (!ref.branchIdByCode.has(pickup)) return refuse(`Unknown pickup branch ${pickup}.`);
      const rule = ref.rules.resolve({ branchCode: pickup, patronCategoryCode: this.categoryCode(ref, p), itemTypeCode: '*' });
      if (!rule.holdsAllowed) return refuse('Holds are not allowed for you here.');
      const available = item ? item.status === 'available' : (await this.db.prisma.item.count({ where: { recordId: record.id, status: 'available' } })) > 0;
      const created = await this.write(q.terminal, async (tx) => {
        const h = await tx.hold.create({
          data: { patronId: p.id, recordId: record.id, itemId: item?.id ?? null, pickupBranch: pickup, placedAt: q.at, expiresAt: q.expiresAt ?? null },
          select: { id: true, placedAt: true, expiresAt: true },
        });
        await this.audit.record({ action: 'create', entity: 'Hold', entityId: h.id, after: { patron: p.barcode, record: record.id, item: item?.barcode ?? null, pickup }, context: this.context(q.terminal) }, tx);
        return h;
      });
      return { ...base, ok: true, holdId: created.id, available, queuePosition: await position(created), expiresAt: created.expiresAt, pickupBranch: pickup };
    }

    if (!mine) return refuse('No hold found for you on this title.');
    if (q.mode === 'delete') {
      await this.write(q.terminal, async (tx) => {
        await tx.hold.update({ where: { id: mine.id }, data: { status: 'cancelled', closedAt: q.at }, select: { id: true } });
        // an item waiting on the shelf for this hold goes back to the normal flow (staff check it in again)
        if (mine.status === 'on_shelf' && mine.capturedItemId !== null) {
          await tx.item.updateMany({ where: { id: mine.capturedItemId, status: 'on_hold_shelf' }, data: { status: 'available' } });
        }
        await this.audit.record({ action: 'cancel', entity: 'Hold', entityId: mine.id, before: { status: mine.status }, after: { status: 'cancelled' }, context: this.context(q.terminal) }, tx);
      });
      return { ...base, ok: true, pickupBranch: mine.pickupBranch, expiresAt: mine.expiresAt };
    }
    // change: pickup branch and/or expiry
    const pickup = q.pickupBranch || mine.pickupBranch;
    if (!ref.branchIdByCode.has(pickup)) return refuse(`Unknown pickup branch ${pickup}.`);
    if (pickup !== mine.pickupBranch && mine.status !== 'waiting') return refuse('This hold has already been captured; its pickup branch cannot change.');
    const expiresAt = q.expiresAt ?? mine.expiresAt;
    await this.write(q.terminal, async (tx) => {
      await tx.hold.update({ where: { id: mine.id }, data: { pickupBranch: pickup, expiresAt }, select: { id: true } });
      await this.audit.record({ action: 'update', entity: 'Hold', entityId: mine.id, before: { pickup: mine.pickupBranch, expiresAt: mine.expiresAt }, after: { pickup, expiresAt }, context: this.context(q.terminal) }, tx);
    });
    return { ...base, ok: true, queuePosition: mine.status === 'waiting' ? await position(mine) : null, expiresAt, pickupBranch: pickup, available: mine.status === 'on_shelf' };
  }

  // ---------------------------------------------------------------- cancelling a checkout or checkin (SIP BI)

  /**
   * Undoes the last checkout or checkin of an item when the same terminal made it within
   * `cancelWindowSeconds` (a kiosk that could not desensitize or resensitize the item). The 3M spec uses
   * a checkin with BI=Y to cancel a failed checkout and a checkout with BI=Y to cancel a failed checkin;
   * some kiosks send the same message again with BI=Y. Either way the item's last transaction says what
   * to undo, so both messages undo whichever it was. The audit entry of that transaction holds what it
   * changed (`before`); every restore is guarded by the state it left, so anything done to the item since
   * refuses the cancel instead of overwriting it.
   */
  private async cancelLast(item: ItemWithLoan, at: Date, t: Terminal): Promise<
    { ok: false; screenMessage: string } | { ok: true; undid: 'checkout' | 'checkin'; patronBarcode: string | null; dueAt: Date | null; screenMessage: string }
  > {
    const nothing = { ok: false as const, screenMessage: 'There is nothing to cancel for this item here. Please see staff.' };
    const lastLoan = await this.db.prisma.loan.findFirst({ where: { itemId: item.id }, orderBy: { id: 'desc' }, select: { id: true } });
    const entry = await this.db.prisma.auditEntry.findFirst({
      where: {
        OR: [{ entity: 'Item', entityId: String(item.id) }, ...(lastLoan ? [{ entity: 'Loan', entityId: String(lastLoan.id) }] : [])],
        action: { in: ['checkout', 'checkin', 'renew', 'lost', 'checkout-cancel', 'checkin-cancel'] },
      },
      orderBy: { id: 'desc' },
    });
    if (!entry || (entry.action !== 'checkout' && entry.action !== 'checkin')) return nothing;
    const parse = (v: string | null): Record<string, unknown> => {
      try {
        const o: unknown = v ? JSON.parse(v) : null;
        return o && typeof o === 'object' ? (o as Record<string, unknown>) : {};
      } catch {
        return {};
      }
    };
    const before = parse(entry.before) as { status?: string; branchId?: number; hold?: { id: number; status: string; capturedItemId: number | null; capturedAt?: string | null; expiresAt?: string | null } | null };
    const after = parse(entry.after) as { at?: string; status?: string; patron?: string | null; feeId?: number | null; transit?: number | null; expiredHolds?: number[]; closedLoan?: number; noBlock?: boolean; fulfilledHold?: number | null; dueAt?: string };
    const context = parse(entry.context);
    const when = after.at ? new Date(after.at) : null;
    if (!when || typeof before.status !== 'string' || typeof before.branchId !== 'number') return nothing;
    const age = at.getTime() - when.getTime();
    if (age < 0 || age > this.options.cancelWindowSeconds * 1000) return { ok: false, screenMessage: 'Too late to cancel this transaction. Please see staff.' };
    const same = (a: unknown, b: string | undefined) => (a ?? null) === (b ?? null);
    if (context.branch !== t.branchCode || !same(context.account, t.account) || !same(context.device, t.device)) return nothing;
    const changed = 'This item has changed since. Please see staff.';
    const instant = (v: string | null | undefined) => (v ? new Date(v) : null);
    try {
      if (entry.action === 'checkout') {
        // an offline (no block) loan, or one that closed someone else's, is for staff to sort out
        if (after.noBlock || after.closedLoan) return nothing;
        const loanId = Number(entry.entityId);
        await this.write(t, async (tx) => {
          const loan = await tx.loan.findUnique({ where: { id: loanId }, select: { itemId: true, returnedAt: true, renewals: true } });
          if (!loan || loan.itemId !== item.id || loan.returnedAt !== null || loan.renewals > 0) throw new Refusal(changed);
          const moved = await tx.item.updateMany({ where: { id: item.id, status: 'checked_out' }, data: { status: before.status, branchId: before.branchId } });
          if (moved.count !== 1) throw new Refusal(changed);
          // the loan never happened: no history row for it (the audit log keeps both transactions)
          await tx.loan.delete({ where: { id: loanId } });
          if (after.fulfilledHold && before.hold) {
            await tx.hold.updateMany({ where: { id: before.hold.id, status: 'fulfilled' }, data: { status: before.hold.status, closedAt: null, capturedItemId: before.hold.capturedItemId } });
          }
          if (before.status === 'in_transit') await tx.transit.updateMany({ where: { itemId: item.id, receivedAt: when }, data: { receivedAt: null } });
          await this.audit.record({
            action: 'checkout-cancel', entity: 'Item', entityId: item.id, before: { status: 'checked_out', loan: loanId },
            after: { item: item.barcode, patron: after.patron ?? null, status: before.status, cancelled: entry.id, at }, context: this.context(t),
          }, tx);
        });
        return { ok: true, undid: 'checkout', patronBarcode: after.patron ?? null, dueAt: null, screenMessage: 'Checkout cancelled.' };
      }
      // checkin
      if (before.status === 'lost') return { ok: false, screenMessage: 'A returned lost item cannot be cancelled here. Please see staff.' };
      const loanId = entry.entity === 'Loan' ? Number(entry.entityId) : null;
      const dueAt = await this.write(t, async (tx) => {
        const moved = await tx.item.updateMany({ where: { id: item.id, status: after.status }, data: { status: before.status, branchId: before.branchId } });
        if (moved.count !== 1) throw new Refusal(changed);
        let dueAt: Date | null = null;
        if (loanId !== null) {
          if ((await tx.loan.count({ where: { itemId: item.id, returnedAt: null } })) > 0) throw new Refusal(changed);
          const reopened = await tx.loan.updateMany({ where: { id: loanId, returnedAt: { not: null } }, data: { returnedAt: null, returnBranch: null, checkinBy: null } });
          if (reopened.count !== 1) throw new Refusal(changed);
          dueAt = (await tx.loan.findUniqueOrThrow({ where: { id: loanId }, select: { dueAt: true } })).dueAt;
        }
        if (after.feeId) {
          // the overdue fine that return raised: gone with it, unless it was paid meanwhile
          const fee = await tx.fee.findUnique({ where: { id: after.feeId }, select: { amount: true, outstanding: true, closedAt: true } });
          if (fee && (fee.closedAt !== null || (toCents(fee.amount) ?? 0n) !== (toCents(fee.outstanding) ?? 0n))) throw new Refusal('The fine for this return has been paid. Please see staff.');
          if (fee) await tx.fee.delete({ where: { id: after.feeId } });
        }
        if (before.hold) {
          const h = before.hold;
          await tx.hold.updateMany({
            where: { id: h.id, status: { in: ['on_shelf', 'in_transit'] } },
            data: { status: h.status, capturedItemId: h.capturedItemId, capturedAt: instant(h.capturedAt), expiresAt: instant(h.expiresAt) },
          });
        }
        if (after.transit) await tx.transit.deleteMany({ where: { id: after.transit, receivedAt: null } });
        if (before.status === 'in_transit') await tx.transit.updateMany({ where: { itemId: item.id, receivedAt: when }, data: { receivedAt: null } });
        if (after.expiredHolds?.length) await tx.hold.updateMany({ where: { id: { in: after.expiredHolds }, status: 'expired' }, data: { status: 'on_shelf', closedAt: null } });
        await this.audit.record({
          action: 'checkin-cancel', entity: 'Item', entityId: item.id, before: { status: after.status },
          after: { item: item.barcode, patron: after.patron ?? null, status: before.status, loan: loanId, removedFee: after.feeId ?? null, cancelled: entry.id, at }, context: this.context(t),
        }, tx);
        return dueAt;
      });
      return {
        ok: true, undid: 'checkin', patronBarcode: after.patron ?? null, dueAt,
        screenMessage: loanId !== null ? 'Return cancelled: the item is still on loan to you.' : 'Return cancelled.',
      };
    } catch (e) {
      if (e instanceof Refusal) return { ok: false, screenMessage: e.message };
      throw e;
    }
  }

  // ---------------------------------------------------------------- hold expiry

  /**
   * The nightly sweep: holds still waiting past their expiry date lapse, and so do holds on the hold
   * shelf past their pickup date. An item left on the shelf by a lapsed hold is passed on the way a
   * library's staff would at the shelf: to the next patron in the queue (trapped on this shelf when they
   * collect here, put in transit when they collect elsewhere), else back into circulation (available
   * here when this is its home, in transit home otherwise). Trapping straight away rather than waiting
   * for staff to check the item in again means the next patron can be told today, and the item keeps the
   * status its real place gives it. Each hold changes in its own transaction, guarded by its status, with
   * its audit entry: running the sweep twice, or beside a checkin, changes nothing twice.
   */
  async expireHolds(at: Date, terminal: Terminal = { branchCode: '*', device: 'hold-expiry' }): Promise<HoldExpiryReport> {
    const report: HoldExpiryReport = { waiting: [], onShelf: [] };
    const BATCH = 200;
    for (;;) {
      const lapsed = await this.db.prisma.hold.findMany({
        where: { status: 'waiting', expiresAt: { lt: at } }, select: { id: true, expiresAt: true }, orderBy: { id: 'asc' }, take: BATCH,
      });
      if (!lapsed.length) break;
      await this.write(terminal, async (tx) => {
        for (const h of lapsed) {
          const n = await tx.hold.updateMany({ where: { id: h.id, status: 'waiting' }, data: { status: 'expired', closedAt: at } });
          if (n.count !== 1) continue;
          report.waiting.push(h.id);
          await this.audit.record({ action: 'expire', entity: 'Hold', entityId: h.id, before: { status: 'waiting', expiresAt: h.expiresAt }, after: { status: 'expired', at }, context: this.context(terminal) }, tx);
        }
      });
      if (lapsed.length < BATCH) break;
    }
    const ref = await this.reference();
    let afterId = 0;
    for (;;) {
      const shelf = await this.db.prisma.hold.findMany({
        where: { status: 'on_shelf', expiresAt: { lt: at }, id: { gt: afterId } },
        select: { id: true, expiresAt: true, capturedItemId: true, pickupBranch: true }, orderBy: { id: 'asc' }, take: BATCH,
      });
      if (!shelf.length) break;
      afterId = shelf[shelf.length - 1]!.id;
      for (const h of shelf) {
        const done = await this.expireShelfHold(ref, h, at, terminal);
        if (done) report.onShelf.push(done);
      }
      if (shelf.length < BATCH) break;
    }
    return report;
  }

  private async expireShelfHold(
    ref: ReferenceData, h: { id: number; expiresAt: Date | null; capturedItemId: number | null; pickupBranch: string }, at: Date, terminal: Terminal,
  ): Promise<HoldExpiryReport['onShelf'][number] | null> {
    const item = h.capturedItemId === null ? null : await this.db.prisma.item.findUnique({ where: { id: h.capturedItemId }, select: { id: true, barcode: true, recordId: true, status: true, branchId: true, homeBranchId: true } });
    // staff took the item off the shelf already (or it is gone): only the hold lapses
    const onShelf = !!item && item.status === 'on_hold_shelf';
    const next = onShelf ? await this.nextWaitingHold(item, at, [h.id]) : null;
    const here = item ? (ref.branchCodeById.get(item.branchId) ?? h.pickupBranch) : h.pickupBranch;
    const home = item ? (ref.branchCodeById.get(item.homeBranchId) ?? null) : null;
    let action: HoldExpiryAction = 'expired';
    let destination: string | null = null;
    if (onShelf) {
      if (next) {
        action = next.pickupBranch === here ? 'trapped' : 'transit-hold';
        destination = next.pickupBranch;
      } else {
        action = home && home !== here ? 'transit-home' : 'reshelve';
        destination = home && home !== here ? home : here;
      }
    }
    try {
      await this.write(terminal, async (tx) => {
        const n = await tx.hold.updateMany({ where: { id: h.id, status: 'on_shelf' }, data: { status: 'expired', closedAt: at } });
        if (n.count !== 1) throw new Refusal('changed');
        if (item && onShelf) {
          const status = action === 'trapped' ? 'on_hold_shelf' : action === 'reshelve' ? 'available' : 'in_transit';
          const moved = await tx.item.updateMany({ where: { id: item.id, status: 'on_hold_shelf' }, data: { status } });
          if (moved.count !== 1) throw new Refusal('changed');
          if (next && action === 'trapped') {
            await tx.hold.update({ where: { id: next.id }, data: { status: 'on_shelf', capturedAt: at, expiresAt: new Date(at.getTime() + this.options.holdShelfDays * DAY_MS), capturedItemId: item.id }, select: { id: true } });
          } else if (next) {
            await tx.hold.update({ where: { id: next.id }, data: { status: 'in_transit', capturedAt: at, capturedItemId: item.id }, select: { id: true } });
          }
          if (action === 'transit-hold' || action === 'transit-home') {
            await tx.transit.create({ data: { itemId: item.id, fromBranch: here, toBranch: destination!, reason: action === 'transit-hold' ? 'hold' : 'home', holdId: next?.id ?? null, sentAt: at }, select: { id: true } });
          }
        }
        await this.audit.record({
          action: 'expire', entity: 'Hold', entityId: h.id, before: { status: 'on_shelf', expiresAt: h.expiresAt },
          after: { status: 'expired', at, item: item?.barcode ?? null, itemAction: action, nextHold: next?.id ?? null, destination }, context: this.context(terminal),
        }, tx);
      });
    } catch (e) {
      if (e instanceof Refusal) return null; // a checkin or checkout got there first
      throw e;
    }
    return { holdId: h.id, itemBarcode: item?.barcode ?? null, action, nextHoldId: next?.id ?? null, destination };
  }

  /** Staff cancel a hold by its id (the API's DELETE): as 15 with mode delete, without the patron's PIN. */
  async cancelHold(q: { holdId: number; at: Date; terminal: Terminal }): Promise<{ ok: boolean; found: boolean; screenMessage: string | null }> {
    const hold = await this.db.prisma.hold.findUnique({ where: { id: q.holdId }, select: { id: true, status: true, capturedItemId: true } });
    if (!hold) return { ok: false, found: false, screenMessage: 'Hold not found.' };
    if (!ACTIVE_HOLD.includes(hold.status)) return { ok: false, found: true, screenMessage: `This hold is already ${hold.status}.` };
    try {
      await this.write(q.terminal, async (tx) => {
        const n = await tx.hold.updateMany({ where: { id: hold.id, status: hold.status }, data: { status: 'cancelled', closedAt: q.at } });
        if (n.count !== 1) throw new Refusal('This hold was just changed by another transaction.');
        // an item waiting on the shelf for it goes back to the normal flow (staff check it in again)
        if (hold.status === 'on_shelf' && hold.capturedItemId !== null) {
          await tx.item.updateMany({ where: { id: hold.capturedItemId, status: 'on_hold_shelf' }, data: { status: 'available' } });
        }
        await this.audit.record({ action: 'cancel', entity: 'Hold', entityId: hold.id, before: { status: hold.status }, after: { status: 'cancelled', at: q.at }, context: this.context(q.terminal) }, tx);
      });
    } catch (e) {
      if (e instanceof Refusal) return { ok: false, found: true, screenMessage: e.message };
      throw e;
    }
    return { ok: true, found: true, screenMessage: null };
  }

  // ---------------------------------------------------------------- blocks and sessions

  async blockPatron(q: PatronQuery & { cardRetained: boolean; message: string }): Promise<void> {
    const p = await this.db.prisma.patron.findUnique({ where: { barcode: q.patronBarcode }, select: { id: true, blocked: true, blockReason: true } });
    if (!p) return;
    const reason = `${SIP_BLOCK_PREFIX}${q.message || 'no reason given'}${q.cardRetained ? ' (card retained)' : ''}`.slice(0, 500);
    await this.write(q.terminal, async (tx) => {
      // a block staff set stays as it is; the kiosk's reason is only recorded in the audit log then
      const keepStaffBlock = p.blocked && !!p.blockReason && !p.blockReason.startsWith(SIP_BLOCK_PREFIX);
      if (!keepStaffBlock) await tx.patron.update({ where: { id: p.id }, data: { blocked: true, blockReason: reason }, select: { id: true } });
      await this.audit.record({ action: 'block', entity: 'Patron', entityId: p.id, before: { blocked: p.blocked, blockReason: p.blockReason }, after: { blocked: true, blockReason: keepStaffBlock ? p.blockReason : reason, kioskReason: reason }, context: this.context(q.terminal) }, tx);
    });
  }

  async enablePatron(q: PatronQuery): Promise<PatronStatus> {
    const p = await this.db.prisma.patron.findUnique({ where: { barcode: q.patronBarcode }, select: { id: true, blocked: true, blockReason: true, pinHash: true } });
    const pinOk = p ? await this.checkPin(p as PatronRow, q.pin) : null;
    if (p && pinOk !== false && p.blocked && p.blockReason?.startsWith(SIP_BLOCK_PREFIX)) {
      await this.write(q.terminal, async (tx) => {
        await tx.patron.update({ where: { id: p.id }, data: { blocked: false, blockReason: null }, select: { id: true } });
        await this.audit.record({ action: 'unblock', entity: 'Patron', entityId: p.id, before: { blocked: true, blockReason: p.blockReason }, after: { blocked: false }, context: this.context(q.terminal) }, tx);
      });
    }
    return this.patronStatus(q);
  }

  async endPatronSession(_q: PatronQuery): Promise<{ ok: boolean; screenMessage: string | null }> {
    return { ok: true, screenMessage: null };
  }
}
