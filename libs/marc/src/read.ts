import type { Buffer } from 'node:buffer';
import { readIso2709 } from './iso2709.js';
import { readMarcXml } from './marcxml.js';
import type { MarcReadResult, MarcSourceFormat } from './types.js';

/** Guesses the serialisation from the first bytes of a file (a few hundred bytes are plenty). */
export function detectMarcFormat(head: Buffer): MarcSourceFormat | 'marc-in-json' | 'unknown' {
  let text: string;
  if (head[0] === 0xff && head[1] === 0xfe) text = new TextDecoder('utf-16le').decode(head.subarray(2));
  else if (head[0] === 0xfe && head[1] === 0xff) text = new TextDecoder('utf-16be').decode(head.subarray(2));
  else text = head.toString('latin1', head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0);
  text = text.replace(/^[\s\0]+/, '');
  if (text.startsWith('<')) return /<(?:[A-Za-z_][\w.-]*:)?(?:collection|record)[\s/>]/.test(text) ? 'marcxml' : 'unknown';
  if (text.startsWith('{') || text.startsWith('[')) return /"(?:leader|fields)"\s*:/.test(text) ? 'marc-in-json' : 'unknown';
  // Leader: record length at 0-4, base address at 12-16 (both digits); a short head only shows the length.
  if (/^\d{5}/.test(text) && (text.length < 17 || /^\d{5}/.test(text.slice(12)))) return 'iso2709';
  return 'unknown';
}

/** Reads ISO 2709 or MARCXML, detecting which by default. Never throws on bad input. */
export function* readMarc(data: Buffer, format: MarcSourceFormat | 'auto' = 'auto'): Generator<MarcReadResult> {
  const f = format === 'auto' ? detectMarcFormat(data.subarray(0, 1024)) : format;
  if (f === 'iso2709') return yield* readIso2709(data);
  if (f === 'marcxml') return yield* readMarcXml(data);
  const what = f === 'marc-in-json' ? 'MARC-in-JSON, which is not supported' : 'neither ISO 2709 nor MARCXML';
  yield { ok: false, index: 0, offset: 0, format: 'unknown', error: `record 1 at byte 0: the input looks like ${what}` };
}
