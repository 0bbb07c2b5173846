import { fieldsOf, normalizeIsbn, normalizeIssn, normalizeLccn, subfieldValues, type MarcRecord } from '@carrel/marc';

/** The identifier kinds records are matched on; the same names as the catalogue's BibIdentifier types. */
export type MatchPoint = 'isbn' | 'issn' | 'control-number' | 'system-control-number' | 'lccn';
export const MATCH_POINTS: readonly MatchPoint[] = ['isbn', 'issn', 'control-number', 'system-control-number', 'lccn'];

export interface MatchKey {
  type: MatchPoint;
  value: string;
}

/** ISBN-13 for any valid ISBN-10 or -13, however written ("0-06-017000-6 (pbk.)", "ISBN 978 0 06 017000 0"); null when the check digit is wrong. */
export function isbnKey(text: string): string | null {
  // Blanks between digit groups are as common as hyphens; the qualifier after the number is dropped by the reader.
  const joined = text.replace(/(\d)[\s-]+(?=[\dXx])/g, '$1');
  return normalizeIsbn(joined);
}

/** NNNN-NNNX for a valid ISSN; null otherwise. */
export const issnKey = (text: string): string | null => normalizeIssn(text);

/**
 * A 035 system control number in one form: "(OCoLC)ocm00012345", "(OCoLC)on12345", "(OCoLC) 12345"
 * all become "(OCoLC)12345" (OCLC's prefixes and leading zeros dropped); other sources keep their
 * number with blanks removed ("(Sirsi) a351664" → "(Sirsi)a351664"). Null for an empty value.
 */
export function systemControlNumberKey(text: string): string | null {
  const t = text.normalize('NFC').trim();
  if (t === '') return null;
  const m = /^\(\s*([^)]*?)\s*\)\s*(.*)$/.exec(t);
  if (!m) return t.replace(/\s+/g, '');
  const org = m[1]!;
  const num = m[2]!.replace(/\s+/g, '');
  if (/^OCoLC$/i.test(org)) {
    const digits = /^(?:ocm|ocn|on)?0*(\d+)/i.exec(num);
    return digits ? `(OCoLC)${digits[1]}` : num === '' ? null : `(OCoLC)${num}`;
  }
  return num === '' ? null : `(${org})${num}`;
}

/** 001 qualified by 003, as the catalogue stores it ("MAnMC:822290"; ":822290" without a 003). */
export function controlNumberKey(record: MarcRecord): string | null {
  const control = (tag: string): string | null => {
    const f = record.fields.find((x) => x.tag === tag && 'value' in x);
    const v = f && 'value' in f ? f.value.trim() : '';
    return v === '' ? null : v;
  };
  const number = control('001');
  return number === null ? null : `${control('003') ?? ''}:${number}`;
}

function keysFor(record: MarcRecord, point: MatchPoint): string[] {
  const values = (tag: string, codes: string): string[] => fieldsOf(record, tag).flatMap((f) => [...codes].flatMap((c) => subfieldValues(f, c)));
  let keys: (string | null)[];
  switch (point) {
    case 'isbn':
      // 020 $a, and the ISBN a vendor repeats in 938 $i (Baker & Taylor) or 020 $z when it is all there is.
      keys = [...values('020', 'a'), ...values('938', 'i')].map(isbnKey);
      break;
    case 'issn':
      keys = values('022', 'a').map(issnKey);
      break;
    case 'control-number': {
      keys = [controlNumberKey(record)];
      break;
    }
    case 'system-control-number': {
      const out: (string | null)[] = [];
      for (const v of values('035', 'a')) {
        const key = systemControlNumberKey(v);
        out.push(key);
        // The catalogue has kept 035s as written; look those up too until it stores them normalised.
        const asWritten = v.normalize('NFC').replace(/\s+/g, ' ').trim();
        if (asWritten !== key) out.push(asWritten);
      }
      // An OCLC number in 001 with 003 OCoLC is the same identifier.
      const cn = controlNumberKey(record);
      if (cn?.toUpperCase().startsWith('OCOLC:')) out.push(systemControlNumberKey(`(OCoLC)${cn.slice(6)}`));
      keys = out;
      break;
    }
    case 'lccn':
      keys = [normalizeLccn(values('010', 'a')[0] ?? null)];
      break;
  }
  return [...new Set(keys.filter((k): k is string => k !== null && k !== ''))];
}

/** The keys to look up, match point by match point in the configured order (no point twice, none empty). */
export function matchKeys(record: MarcRecord, points: readonly MatchPoint[]): MatchKey[] {
  const out: MatchKey[] = [];
  for (const point of new Set(points)) for (const value of keysFor(record, point)) out.push({ type: point, value });
  return out;
}

/** Reads a configured list such as "isbn, control-number"; throws naming the unknown entry. */
export function parseMatchPoints(text: string): MatchPoint[] {
  const names = text.split(/[\s,]+/).filter((s) => s !== '');
  for (const n of names) if (!(MATCH_POINTS as readonly string[]).includes(n)) throw new Error(`unknown match point ${JSON.stringify(n.slice(0, 40))}; known: ${MATCH_POINTS.join(', ')}`);
  if (names.length === 0) throw new Error(`no match points given; known: ${MATCH_POINTS.join(', ')}`);
  return names as MatchPoint[];
}

/** What to do with an incoming record that matches one already in the catalogue. */
export type OverlayRule = 'replace-record' | 'keep-existing' | 'add-items-only';

export interface OverlayPolicy {
  onMatch: OverlayRule;
  /** No match: create the record, or reject it (a vendor that should only send records we have). */
  onNoMatch: 'create' | 'reject';
  /** Several catalogue records for the first match point that found any: reject, or take the lowest id. */
  onSeveralMatches: 'reject' | 'first';
}

/** What the lookups found: per match key, the ids of catalogue records holding it. */
export interface MatchLookup {
  key: MatchKey;
  recordIds: number[];
}

export type OverlayDecision =
  | { action: 'create'; reason: string }
  | { action: 'replace' | 'keep' | 'add-items'; recordId: number; matchedOn: MatchKey; reason: string }
  | { action: 'reject'; reason: string; candidates: number[] };

/**
 * Decides what a vendor record does to the catalogue: the match keys are taken in their order and
 * the first one that finds records decides (a later ISBN never overrides an earlier control
 * number). Pure: the caller does the lookups and carries out the decision.
 */
export function decideOverlay(lookups: readonly MatchLookup[], policy: OverlayPolicy): OverlayDecision {
  const hit = lookups.find((l) => l.recordIds.length > 0);
  if (!hit) {
    return policy.onNoMatch === 'create'
      ? { action: 'create', reason: 'no catalogue record matches' }
      : { action: 'reject', reason: 'no catalogue record matches and this vendor may not create records', candidates: [] };
  }
  const ids = [...new Set(hit.recordIds)].sort((a, b) => a - b);
  const on = `${hit.key.type} ${hit.key.value}`;
  if (ids.length > 1 && policy.onSeveralMatches === 'reject') {
    return { action: 'reject', reason: `${on} matches ${ids.length} catalogue records (${ids.join(', ')})`, candidates: ids };
  }
  const recordId = ids[0]!;
  const action = policy.onMatch === 'replace-record' ? 'replace' : policy.onMatch === 'keep-existing' ? 'keep' : 'add-items';
  const what = action === 'replace' ? 'the vendor record replaces it' : action === 'keep' ? 'the catalogue record is kept' : 'only the items are added to it';
  return { action, recordId, matchedOn: hit.key, reason: `${on} matches record ${recordId}; ${what}` };
}
