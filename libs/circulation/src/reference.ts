/**
 * The slow-changing tables circulation reads on every transaction (rules, calendars, codes), held in
 * memory for a short time so a checkout or checkin costs only the queries about its own patron and item.
 */
import type { CarrelPrisma } from '@carrel/db';
import type { BranchCalendar } from './due-date.js';
import { RuleIndex, type CirculationRuleRow, type RuleDefaults } from './rules.js';

export interface CategoryInfo {
  code: string;
  loanLimit: number | null;
  loanPeriodDays: number | null;
  fineLimit: string | null;
}

export interface ReferenceData {
  loadedAt: number;
  rules: RuleIndex;
  calendars: Map<string, BranchCalendar>;
  branchCodeById: Map<number, string>;
  branchIdByCode: Map<string, number>;
  itemTypeCodeById: Map<number, string>;
  categoryById: Map<number, CategoryInfo>;
  locationCodeById: Map<number, string>;
}

const NO_DAYS: BranchCalendar = { closedDates: new Set(), closedWeekdays: new Set() };

export function calendarOf(ref: ReferenceData, branchCode: string): BranchCalendar {
  return ref.calendars.get(branchCode) ?? NO_DAYS;
}

export async function loadReference(prisma: CarrelPrisma, fallback: RuleDefaults, now: number): Promise<ReferenceData> {
  const [rules, days, weekdays, branches, itemTypes, categories, locations] = await Promise.all([
    prisma.circulationRule.findMany(),
    prisma.closedDay.findMany({ select: { branchCode: true, date: true } }),
    prisma.closedWeekday.findMany({ select: { branchCode: true, weekday: true } }),
    prisma.branch.findMany({ select: { id: true, code: true } }),
    prisma.itemType.findMany({ select: { id: true, code: true } }),
    prisma.patronCategory.findMany({ select: { id: true, code: true, loanLimit: true, loanPeriodDays: true, fineLimit: true } }),
    prisma.shelvingLocation.findMany({ select: { id: true, code: true } }),
  ]);
  const ruleRows: CirculationRuleRow[] = rules.map((r) => ({
    branchCode: r.branchCode,
    patronCategoryCode: r.patronCategoryCode,
    itemTypeCode: r.itemTypeCode,
    loanPeriod: r.loanPeriod,
    loanPeriodUnit: r.loanPeriodUnit === 'hours' ? 'hours' : 'days',
    renewalsAllowed: r.renewalsAllowed,
    finePerPeriod: r.finePerPeriod.toString(),
    fineCap: r.fineCap === null ? null : r.fineCap.toString(),
    lostItemCharge: r.lostItemCharge === null ? null : r.lostItemCharge.toString(),
    maxItems: r.maxItems,
    holdsAllowed: r.holdsAllowed,
  }));
  const calendars = new Map<string, { closedDates: Set<string>; closedWeekdays: Set<number> }>();
  const cal = (code: string) => {
    let c = calendars.get(code);
    if (!c) calendars.set(code, (c = { closedDates: new Set(), closedWeekdays: new Set() }));
    return c;
  };
  for (const d of days) cal(d.branchCode).closedDates.add(d.date.toISOString().slice(0, 10));
  for (const w of weekdays) cal(w.branchCode).closedWeekdays.add(w.weekday);
  return {
    loadedAt: now,
    rules: new RuleIndex(ruleRows, fallback),
    calendars,
    branchCodeById: new Map(branches.map((b) => [b.id, b.code])),
    branchIdByCode: new Map(branches.map((b) => [b.code, b.id])),
    itemTypeCodeById: new Map(itemTypes.map((t) => [t.id, t.code])),
    categoryById: new Map(categories.map((c) => [c.id, { code: c.code, loanLimit: c.loanLimit, loanPeriodDays: c.loanPeriodDays, fineLimit: c.fineLimit === null ? null : c.fineLimit.toString() }])),
    locationCodeById: new Map(locations.map((l) => [l.id, l.code])),
  };
}
