import { processTimeZone } from './due-date.js';
import { DEFAULT_RULE, type RuleDefaults } from './rules.js';

export interface CirculationOptions {
  /** IANA zone for due dates and day counting (default: the process's zone) */
  timeZone: string;
  /** ISO 4217 currency of every amount (default 'USD') */
  currency: string;
  /** days a captured hold waits on the shelf (default 7) */
  holdShelfDays: number;
  /** sorter bin rules, `branch:field:op:value:bin`, first match wins */
  sortBinRules: string[];
  /** the rule used when no CirculationRule row matches */
  defaultRule: RuleDefaults;
  /**
   * how old the cached rules, calendars and code tables may grow before they are reloaded (ms, default
   * 30 s); requests meanwhile are answered from the tables in hand. 0 = reloaded before every call
   */
  cacheTtlMs: number;
  /** item type code → SIP media type ("001" book …), over the built-in guesses */
  mediaTypes: Record<string, string>;
  /** charged for a lost item that has no price (decimal string; default null: no charge) */
  lostItemCharge: string | null;
  /**
   * What happens to the lost-item fee when the item comes back (Koha's RefundLostOnReturn):
   * 'refund' writes off what is owed and credits back what was paid; 'writeoff' writes off only what
   * is still owed; 'keep' leaves the fee as it is.
   */
  lostReturnPolicy: LostReturnPolicy;
  /** how long after a checkout or checkin the same terminal may cancel it (SIP BI), in seconds (default 300) */
  cancelWindowSeconds: number;
}

export const LOST_RETURN_POLICIES = ['refund', 'writeoff', 'keep'] as const;
export type LostReturnPolicy = (typeof LOST_RETURN_POLICIES)[number];

export const CIRCULATION_OPTIONS = Symbol('CIRCULATION_OPTIONS');

/** What forRoot() takes: any subset, the default rule field by field. */
export type CirculationOptionsInput = Partial<Omit<CirculationOptions, 'defaultRule'>> & { defaultRule?: Partial<RuleDefaults> };

export function resolveCirculationOptions(options: CirculationOptionsInput = {}): CirculationOptions {
  return {
    timeZone: options.timeZone ?? processTimeZone(),
    currency: options.currency ?? 'USD',
    holdShelfDays: options.holdShelfDays ?? 7,
    sortBinRules: options.sortBinRules ?? [],
    defaultRule: { ...DEFAULT_RULE, ...(options.defaultRule ?? {}) },
    cacheTtlMs: options.cacheTtlMs ?? 30_000,
    mediaTypes: options.mediaTypes ?? {},
    lostItemCharge: options.lostItemCharge ?? null,
    lostReturnPolicy: options.lostReturnPolicy ?? 'refund',
    cancelWindowSeconds: options.cancelWindowSeconds ?? 300,
  };
}
