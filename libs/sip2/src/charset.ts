import { Buffer, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** Character sets an account can use. The names are the ones Koha's SIPconfig uses, plus aliases. */
export type SipCharset = 'utf-8' | 'cp850' | 'iso-8859-1' | 'ascii';

const ALIASES: Record<string, SipCharset> = {
  'utf-8': 'utf-8', utf8: 'utf-8',
  cp850: 'cp850', ibm850: 'cp850', '850': 'cp850',
  'iso-8859-1': 'iso-8859-1', 'iso8859-1': 'iso-8859-1', latin1: 'iso-8859-1', 'latin-1': 'iso-8859-1',
  ascii: 'ascii', 'us-ascii': 'ascii',
};

/** Canonical charset for a configured name, or undefined if not supported. */
export function normalizeCharset(name: string): SipCharset | undefined {
  return ALIASES[name.trim().toLowerCase()];
}

function isAsciiBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}

/** Decodes bytes; `replaced` is true when bytes had no meaning in the charset and became U+FFFD or '?'. */
export function decodeText(buf: Buffer, start: number, end: number, charset: SipCharset): { text: string; replaced: boolean } {
  // Nearly all SIP traffic is ASCII; latin1 is the cheapest decode and identical to every supported charset there.
  if (isAsciiBytes(buf, start, end)) return { text: buf.toString('latin1', start, end), replaced: false };
  switch (charset) {
    case 'utf-8': {
      const slice = buf.subarray(start, end);
      return { text: buf.toString('utf8', start, end), replaced: !isUtf8(slice) };
    }
    case 'iso-8859-1':
      return { text: buf.toString('latin1', start, end), replaced: false };
    case 'cp850':
      return { text: iconv.decode(buf.subarray(start, end), 'cp850'), replaced: false };
    case 'ascii': {
      // Bytes above 0x7F in an ASCII account are not characters; show them as U+FFFD.
      let text = '';
      for (let i = start; i < end; i++) text += buf[i]! > 0x7f ? '\ufffd' : String.fromCharCode(buf[i]!);
      return { text, replaced: true };
    }
  }
}

function isAsciiText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Encodes text; characters the charset cannot hold become '?' (iconv-lite's and Koha's behaviour). */
export function encodeText(text: string, charset: SipCharset): Buffer {
  if (isAsciiText(text)) return Buffer.from(text, 'latin1');
  switch (charset) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'iso-8859-1':
      return iconv.encode(text, 'latin1');
    case 'cp850':
      return iconv.encode(text, 'cp850');
    case 'ascii':
      return Buffer.from(text.replace(/[^\x00-\x7f]/g, '?'), 'latin1');
  }
}
