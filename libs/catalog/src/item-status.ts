/** The item statuses Carrel knows; circulation moves items between them. */
export const ITEM_STATUSES = ['available', 'checked_out', 'in_transit', 'on_hold_shelf', 'lost', 'missing', 'damaged', 'withdrawn', 'not_for_loan'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export function isItemStatus(s: string): s is ItemStatus {
  return (ITEM_STATUSES as readonly string[]).includes(s);
}

/**
 * A status as an ILS export writes it ("Available", "Checked out", "Not for loan") in Carrel's terms,
 * or null when Carrel has no such status (the record is then rejected rather than guessed at).
 */
export function normalizeItemStatus(raw: string): ItemStatus | null {
  const s = raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const aliases: Record<string, ItemStatus> = {
    available: 'available', checked_out: 'checked_out', on_loan: 'checked_out', in_transit: 'in_transit', on_holds_shelf: 'on_hold_shelf',
    on_hold_shelf: 'on_hold_shelf', lost: 'lost', missing: 'missing', damaged: 'damaged', withdrawn: 'withdrawn', discard: 'withdrawn',
    not_for_loan: 'not_for_loan', reference: 'not_for_loan', reshelving: 'available',
  };
  return aliases[s] ?? null;
}

/**
 * Koha keeps item state in 952 $0 withdrawn, $1 lost, $4 damaged and $7 not for loan (codes; 0 or
 * empty means no). The most serious one set wins.
 */
export function kohaItemStatus(subfields: { code: string; value: string }[]): ItemStatus | null {
  const set = (code: string) => subfields.some((s) => s.code === code && s.value.trim() !== '' && s.value.trim() !== '0');
  if (set('0')) return 'withdrawn';
  if (set('1')) return 'lost';
  if (set('4')) return 'damaged';
  if (set('7')) return 'not_for_loan';
  return null;
}
