// The SIP2 checksum: add the byte values of the message up to and including the characters "AZ", take the
// two's complement of the sum and keep 16 bits. It is defined over bytes, so it is computed on the message as
// encoded in the account's character set, never on JavaScript characters.

/** The checksum of bytes[start, end) as a number 0..0xFFFF. */
export function checksumOf(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += bytes[i]!;
  return -sum & 0xffff;
}

const HEX = '0123456789ABCDEF';

/** Four upper-case hex digits. */
export function formatChecksum(value: number): string {
  return HEX[(value >> 12) & 15]! + HEX[(value >> 8) & 15]! + HEX[(value >> 4) & 15]! + HEX[value & 15]!;
}

/** The checksum of a message string (ASCII/latin1 characters taken as bytes), e.g. `sipChecksum('97AZ') === 'FEF5'`. */
export function sipChecksum(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i) & 0xff;
  return formatChecksum(-sum & 0xffff);
}

/** Writes the 4 hex digits of `value` into bytes[at..at+4). */
export function writeChecksum(bytes: Uint8Array, at: number, value: number): void {
  for (let i = 3; i >= 0; i--) {
    bytes[at + i] = HEX.charCodeAt(value & 15);
    value >>= 4;
  }
}

/** Value of 4 hex digits (either case) at bytes[at..], or -1. */
export function readHex4(bytes: Uint8Array, at: number): number {
  let v = 0;
  for (let i = at; i < at + 4; i++) {
    const b = bytes[i]!;
    let d: number;
    if (b >= 0x30 && b <= 0x39) d = b - 0x30;
    else if (b >= 0x41 && b <= 0x46) d = b - 0x37;
    else if (b >= 0x61 && b <= 0x66) d = b - 0x57;
    else return -1;
    v = (v << 4) | d;
  }
  return v;
}

/** The sequence number that follows `n` (AY wraps 9 -> 0). */
export function nextSequence(n: number): number {
  return (n + 1) % 10;
}
