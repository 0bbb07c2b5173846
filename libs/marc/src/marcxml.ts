import { Buffer, isUtf8 } from 'node:buffer';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { quote } from './iso2709.js';
import type { MarcField, MarcReadResult, MarcRecord, MarcSubfield } from './types.js';
import { MarcWriteError } from './types.js';

export const MARC21_SLIM_NS = 'http://www.loc.gov/MARC21/slim';

const parser = new XMLParser({
  preserveOrder: true, // fields and subfields must keep document order
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true, // marc:record and record alike
  trimValues: false, // leading/trailing blanks are data (e.g. 010 $a "   91758335 ")
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false, // decoded below, so an undefined entity is reported instead of kept literally
  cdataPropName: '#cdata',
  commentPropName: false,
});

type XNode = Record<string, unknown> & { ':@'?: Record<string, string> };

// Comments, CDATA and processing instructions are matched so that "<record" inside them is not taken for markup.
const SCAN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)((?:[A-Za-z_][\w.-]*:)?record)(?=[\s/>])[^>]*>/g;
const MARC_CONTENT = /<(?:[A-Za-z_][\w.-]*:)?(?:leader|controlfield|datafield)[\s/>]/;

/**
 * Reads MARCXML: a <collection>, a lone <record>, or records wrapped in anything else (e.g. OAI-PMH),
 * with or without a namespace prefix. Each record element is checked and parsed on its own,
 * so one malformed record is rejected and the others load. Never throws on bad input.
 */
export function* readMarcXml(input: Buffer | string): Generator<MarcReadResult> {
  const prepared = toUtf8(input);
  if (typeof prepared === 'string') {
    yield { ok: false, index: 0, offset: -1, format: 'marcxml', error: `record 1: ${prepared}` };
    return;
  }
  const data = prepared;
  // latin1 keeps string indices equal to byte offsets; all markup we look for is ASCII.
  const text = data.toString('latin1');
  let index = 0;
  const open: { qname: string; start: number; nested: boolean }[] = [];
  const scan = new RegExp(SCAN.source, 'g'); // per call: generators may be interleaved
  for (let m = scan.exec(text); m !== null; m = scan.exec(text)) {
    const qname = m[2];
    if (qname === undefined) continue;
    const tagEnd = m.index + m[0].length;
    const top = open[open.length - 1];
    if (m[1] === '' && top !== undefined && !top.nested && MARC_CONTENT.test(text.slice(top.start, m.index))) {
      // A record with fields of its own is no wrapper: it lost its end tag.
      open.pop();
      yield { ok: false, index, offset: -1, raw: data.subarray(top.start, m.index), format: 'marcxml', error: `record ${index + 1}: <${top.qname}> is not closed before the next record starts` };
      index++;
    }
    if (m[1] === '') {
      if (m[0].endsWith('/>')) {
        if (open.length > 0) open[open.length - 1]!.nested = true;
        yield { ok: false, index, offset: -1, raw: data.subarray(m.index, tagEnd), format: 'marcxml', error: `record ${index + 1}: empty <${qname}/> element` };
        index++;
        continue;
      }
      if (open.length > 0) open[open.length - 1]!.nested = true;
      open.push({ qname, start: m.index, nested: false });
      continue;
    }
    const k = findLast(open, qname);
    if (k < 0) continue; // stray end tag; the well-formedness check of the enclosing record reports it
    const el = open[k]!;
    open.length = k;
    if (el.nested) continue; // a wrapper (e.g. OAI-PMH <record>) around MARC records
    yield parseRecordElement(data.subarray(el.start, tagEnd), index);
    index++;
  }
  // Unclosed elements: the innermost one is the cut-off record.
  const cut = open.findLast((o) => !o.nested);
  if (cut !== undefined) {
    yield { ok: false, index, offset: -1, raw: data.subarray(cut.start), format: 'marcxml', error: `record ${index + 1}: <${cut.qname}> is never closed (truncated file?)` };
  }
}

function findLast(open: { qname: string }[], qname: string): number {
  for (let i = open.length - 1; i >= 0; i--) if (open[i]!.qname === qname) return i;
  return -1;
}

/** The input as UTF-8 bytes, or an error message. */
function toUtf8(input: Buffer | string): Buffer | string {
  if (typeof input === 'string') return Buffer.from(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, 'utf8');
  const data = input;
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return data.subarray(3);
  let label: string | undefined;
  if (data[0] === 0xff && data[1] === 0xfe) label = 'utf-16le';
  else if (data[0] === 0xfe && data[1] === 0xff) label = 'utf-16be';
  else {
    const decl = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(data.toString('latin1', 0, 200));
    const declared = decl?.[1]?.toLowerCase();
    if (declared !== undefined && declared !== 'utf-8' && declared !== 'utf8' && declared !== 'us-ascii' && declared !== 'ascii') label = declared;
  }
  if (label === undefined) return data;
  try {
    return Buffer.from(new TextDecoder(label, { fatal: true }).decode(data), 'utf8');
  } catch (e) {
    return `cannot decode the document as ${label}: ${(e as Error).message}`;
  }
}

function parseRecordElement(raw: Buffer, index: number): MarcReadResult {
  const fail = (error: string): MarcReadResult => ({ ok: false, index, offset: -1, raw, format: 'marcxml', error: `record ${index + 1}: ${error}` });
  try {
    if (!isUtf8(raw)) return fail('not valid UTF-8');
    const xml = raw.toString('utf8');
    const valid = XMLValidator.validate(xml);
    if (valid !== true) return fail(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col} of the record element)`);
    const doc = parser.parse(xml) as XNode[];
    const root = doc.find((n) => elementName(n) !== undefined);
    if (root === undefined) return fail('no record element');
    const warnings: string[] = [];
    const r = buildRecord(childrenOf(root), warnings);
    if (typeof r === 'string') return fail(r);
    return { ok: true, index, offset: -1, record: r, raw, format: 'marcxml', sourceEncoding: 'xml', warnings };
  } catch (e) {
    return fail(`internal error while parsing: ${(e as Error).message}`);
  }
}

function buildRecord(children: XNode[], warnings: string[]): MarcRecord | string {
  let leader: string | undefined;
  const fields: MarcField[] = [];
  for (const node of children) {
    const name = elementName(node);
    if (name === undefined) {
      const t = node['#text'];
      if (typeof t === 'string' && t.trim() !== '') warnings.push(`text directly inside <record> ignored: ${quote(t.trim())}`);
      continue;
    }
    const attrs = node[':@'] ?? {};
    const n = fields.length + 1;
    if (name === 'leader') {
      if (leader !== undefined) return 'more than one <leader>';
      const v = textOf(node);
      if (v.error) return `<leader>: ${v.error}`;
      leader = v.text;
    } else if (name === 'controlfield') {
      const tag = attr(attrs, 'tag');
      if (typeof tag !== 'string') return `controlfield #${n}: ${tag.error}`;
      if (tag.length !== 3) return `controlfield #${n}: tag ${JSON.stringify(tag)} is not three characters`;
      const v = textOf(node);
      if (v.error) return `controlfield ${tag} (#${n}): ${v.error}`;
      fields.push({ tag, value: v.text });
    } else if (name === 'datafield') {
      const tag = attr(attrs, 'tag');
      if (typeof tag !== 'string') return `datafield #${n}: ${tag.error}`;
      if (tag.length !== 3) return `datafield #${n}: tag ${JSON.stringify(tag)} is not three characters`;
      const where = `datafield ${tag} (#${n})`;
      const inds: string[] = [];
      for (const a of ['ind1', 'ind2']) {
        if (attrs[a] === undefined) {
          warnings.push(`${where}: no ${a} attribute; blank assumed`);
          inds.push(' ');
          continue;
        }
        const v = attr(attrs, a);
        if (typeof v !== 'string') return `${where}: ${v.error}`;
        if (v.length > 1) return `${where}: ${a} ${JSON.stringify(v)} is not a single character`;
        inds.push(v === '' ? ' ' : v);
      }
      const subfields: MarcSubfield[] = [];
      for (const sn of childrenOf(node)) {
        const sname = elementName(sn);
        if (sname === undefined) {
          const t = sn['#text'];
          if (typeof t === 'string' && t.trim() !== '') warnings.push(`${where}: text outside <subfield> ignored: ${quote(t.trim())}`);
          continue;
        }
        if (sname !== 'subfield') {
          warnings.push(`${where}: element <${sname}> ignored`);
          continue;
        }
        const code = attr(sn[':@'] ?? {}, 'code');
        if (typeof code !== 'string') return `${where}: subfield #${subfields.length + 1}: ${code.error}`;
        if (code.length !== 1) return `${where}: subfield code ${JSON.stringify(code)} is not a single character`;
        const v = textOf(sn);
        if (v.error) return `${where} $${code}: ${v.error}`;
        subfields.push({ code, value: v.text });
      }
      fields.push({ tag, ind1: inds[0]!, ind2: inds[1]!, subfields });
    } else {
      warnings.push(`element <${name}> inside <record> ignored`);
    }
  }
  if (leader === undefined) return 'no <leader>';
  if (leader.length > 24) return `leader is ${leader.length} characters, expected 24`;
  if (leader.length < 24) {
    warnings.push(`leader is ${leader.length} characters; padded with blanks to 24`);
    leader = leader.padEnd(24, ' ');
  }
  if (fields.length === 0) return 'record has no fields';
  return { leader: leader.slice(0, 9) + 'a' + leader.slice(10), fields };
}

function elementName(node: XNode): string | undefined {
  for (const k of Object.keys(node)) if (k !== ':@' && k !== '#text' && k !== '#cdata') return k;
  return undefined;
}
function childrenOf(node: XNode): XNode[] {
  const name = elementName(node);
  const c = name === undefined ? undefined : node[name];
  return Array.isArray(c) ? (c as XNode[]) : [];
}

/** Concatenated character data of an element (entities decoded, CDATA verbatim). */
function textOf(node: XNode): { text: string; error?: string } {
  let text = '';
  for (const c of childrenOf(node)) {
    if (typeof c['#text'] === 'string') {
      const d = decodeEntities(c['#text']);
      if (d.error) return { text: '', error: d.error };
      text += d.text;
    } else if (Array.isArray(c['#cdata'])) {
      for (const t of c['#cdata'] as XNode[]) if (typeof t['#text'] === 'string') text += t['#text'];
    } else {
      return { text: '', error: `unexpected element <${elementName(c)}> inside a value` };
    }
  }
  return { text };
}
function attr(attrs: Record<string, string>, name: string): string | { error: string } {
  const v = attrs[name];
  if (v === undefined) return { error: `no ${name} attribute` };
  const d = decodeEntities(v);
  return d.error ? { error: `${name} attribute: ${d.error}` } : d.text;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** The well-formedness check has already refused a bare '&'. */
function decodeEntities(s: string): { text: string; error?: string } {
  if (!s.includes('&')) return { text: s };
  let error: string | undefined;
  const text = s.replace(/&([^;]*);/g, (all, name: string) => {
    const pre = PREDEFINED[name];
    if (pre !== undefined) return pre;
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(name);
    const cp = num === null ? -1 : num[1] !== undefined ? parseInt(num[1], 16) : parseInt(num[2]!, 10);
    if (cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) return String.fromCodePoint(cp);
    error ??= num === null ? `undefined entity ${all}` : `character reference ${all} is not a valid character`;
    return all;
  });
  return error === undefined ? { text } : { text: '', error };
}

// ---------------------------------------------------------------------------------------------

/** One <record> in the MARC 21 slim namespace (no XML declaration, so it can go into a <collection>). */
export function writeMarcXml(record: MarcRecord): string {
  if (typeof record.leader !== 'string' || record.leader.length !== 24) throw new MarcWriteError(`leader must be 24 characters, got ${JSON.stringify(record.leader)}`);
  const lines = [`<record xmlns="${MARC21_SLIM_NS}">`, `  <leader>${esc(record.leader, 'leader')}</leader>`];
  record.fields.forEach((f, i) => {
    const name = `field ${f.tag} (#${i + 1})`;
    if (typeof f.tag !== 'string' || f.tag.length !== 3) throw new MarcWriteError(`${name}: tag must be three characters`);
    if ('value' in f) {
      lines.push(`  <controlfield tag="${esc(f.tag, name)}">${esc(f.value, name)}</controlfield>`);
      return;
    }
    if (f.ind1.length !== 1 || f.ind2.length !== 1) throw new MarcWriteError(`${name}: indicators must be one character each`);
    lines.push(`  <datafield tag="${esc(f.tag, name)}" ind1="${esc(f.ind1, name)}" ind2="${esc(f.ind2, name)}">`);
    for (const sf of f.subfields) {
      if (sf.code.length !== 1) throw new MarcWriteError(`${name}: subfield code must be one character, got ${JSON.stringify(sf.code)}`);
      lines.push(`    <subfield code="${esc(sf.code, name)}">${esc(sf.value, `${name} $${sf.code}`)}</subfield>`);
    }
    lines.push('  </datafield>');
  });
  lines.push('</record>');
  return lines.join('\n');
}

// Characters XML 1.0 cannot carry at all, not even as references.
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };
function esc(s: string, where: string): string {
  const bad = NOT_XML.exec(s);
  if (bad) throw new MarcWriteError(`${where}: U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} cannot be written in XML 1.0`);
  return s.replace(/[&<>"\r]/g, (c) => ESCAPES[c]!);
}
