import type { EdifactWarning } from './types.js';

export interface DecodedText {
  text: string;
  encoding: 'ascii' | 'utf-8' | 'latin1';
  warnings: EdifactWarning[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes to text without trusting UNB: files that declare UNOA or UNOB routinely carry lower case,
 * accents and UTF-8. Valid UTF-8 wins (ASCII is valid UTF-8); anything else is read as ISO 8859-1,
 * which cannot fail, and says so. Not TextDecoder('latin1'): WHATWG maps that label to windows-1252.
 */
export function decodeEdifactBytes(bytes: Uint8Array): DecodedText {
  try {
    const text = utf8.decode(bytes);
    // ASCII exactly when no byte became part of a longer sequence: every non-ASCII UTF-8 sequence
    // is 2 to 4 bytes for 1 or 2 UTF-16 units, and a stripped BOM is 3 bytes for none. Cheaper than
    // a loop over the bytes, which cost as much as the rest of decoding on small files.
    return { text, encoding: text.length === bytes.length ? 'ascii' : 'utf-8', warnings: [] };
  } catch {
    let text = '';
    const CHUNK = 0x2000;
    for (let i = 0; i < bytes.length; i += CHUNK) {
      text += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + CHUNK)));
    }
    return {
      text,
      encoding: 'latin1',
      warnings: [{ code: 'decoding', message: 'bytes are not valid UTF-8; decoded as ISO 8859-1' }],
    };
  }
}
