/**
 * Carrel's fee types and the SIP2 fee type codes they are reported with (3M SIP2 v2.00, fixed field
 * "fee type" of 18/37 and the fine items of 64). Pure.
 */

/** SIP fee type codes: 01 other/unknown, 02 administrative, 03 damage, 04 overdue, 05 processing,
 * 06 rental, 07 replacement, 08 computer access time per minute, 09 hold fee */
export const SIP_FEE_TYPES = {
  '01': 'other', '02': 'administrative', '03': 'damage', '04': 'overdue', '05': 'processing', '06': 'rental', '07': 'replacement', '08': 'computer access', '09': 'hold fee',
} as const;
export type SipFeeType = keyof typeof SIP_FEE_TYPES;

/** Fee.type → SIP code. A lost item is charged its replacement, so 'lost' is 07; anything unknown is 01. */
const BY_TYPE = new Map<string, SipFeeType>([
  ['overdue', '04'], ['lost', '07'], ['replacement', '07'], ['damage', '03'], ['processing', '05'], ['rental', '06'], ['administrative', '02'], ['hold', '09'], ['manual', '01'], ['credit', '01'],
]);

export function sipFeeType(type: string): SipFeeType {
  return BY_TYPE.get(type) ?? '01';
}

/**
 * One entry of the 64 fine items list (AV): amount, currency, SIP fee type, then the words staff and
 * patrons read. The code comes third so a kiosk that shows the text shows the amount first, and one
 * that parses it finds the type at a fixed place: "25.00 USD 07 Lost: 39000000000013 Dune".
 */
export function fineListEntry(f: { amount: string; currency: string; type: string; description: string | null }): string {
  return `${f.amount} ${f.currency} ${sipFeeType(f.type)} ${f.description || f.type}`;
}

/**
 * The fee type a payment (SIP 37) is meant for, or null for "any fee, oldest first": no type, 01
 * (other/unknown, what most kiosks send) and codes Carrel has no fee type for all mean any fee.
 */
export function paidFeeType(code: string | null | undefined): SipFeeType | null {
  const c = (code ?? '').trim();
  if (c === '' || c === '01' || !(c in SIP_FEE_TYPES)) return null;
  return c as SipFeeType;
}
