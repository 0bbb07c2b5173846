/** The item statuses Carrel knows; circulation moves items between them. */
export const ITEM_STATUSES = ['available', 'checked_out', 'in_transit', 'on_hold_shelf', 'lost', 'missing', 'damaged', 'withdrawn', 'not_for_loan'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export function isItemStatus(s: string): s is ItemStatus {
  return (ITEM_STATUSES as readonly string[]).includes(s);
}
