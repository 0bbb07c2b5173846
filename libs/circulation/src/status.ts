/**
 * Carrel's item status plus the loan, hold and transit state → the SIP circulation status code of
 * message 18. Pure.
 */
import type { CirculationStatus } from './backend.js';

export interface ItemCirculationState {
  /** Item.status */
  status: string;
  /** an open loan exists */
  onLoan?: boolean;
  /** a hold has captured the item: on the hold shelf, or travelling to its pickup branch */
  capturedHold?: 'on_shelf' | 'in_transit' | null;
  /** an open transit exists */
  inTransit?: boolean;
  /** a recall is pending on the loan (Carrel has no recalls yet) */
  recalled?: boolean;
}

export function circulationStatus(s: ItemCirculationState): CirculationStatus {
  switch (s.status) {
    case 'lost': return '12';
    case 'missing': return '13';
    case 'withdrawn':
    case 'damaged':
    case 'not_for_loan': return '01';
  }
  if (s.onLoan || s.status === 'checked_out') return s.recalled ? '07' : '04';
  if (s.capturedHold === 'on_shelf' || s.status === 'on_hold_shelf') return '08';
  if (s.capturedHold === 'in_transit' || s.inTransit || s.status === 'in_transit') return '10';
  if (s.status === 'available') return '03';
  return '01';
}

/** SIP media type (fixed 3 digits) for an item type code, by configured map then by common codes. */
export function mediaTypeFor(itemTypeCode: string | null | undefined, map: Record<string, string> = {}): string | null {
  if (!itemTypeCode) return null;
  if (map[itemTypeCode]) return map[itemTypeCode];
  const c = itemTypeCode.toUpperCase();
  if (/^(BK|BOOK|BOOKS|LP|LPBOOK|PB|HB|JBOOK|JUV|FIC|NF)/.test(c)) return '001';
  if (/^(MAG|SER|PER|JOURNAL)/.test(c)) return '002';
  if (/^(DVD|VID|VHS|BLU|FILM)/.test(c)) return '005';
  if (/^(CD|CDROM|AUD|MUS)/.test(c)) return '006';
  return '000';
}
