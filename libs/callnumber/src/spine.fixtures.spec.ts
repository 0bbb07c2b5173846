import { readFileSync } from 'node:fs';
import { describeWithFixtures, fixturePath } from '../../../test/support/fixtures.js';
import { parseCallNumber, splitCallNumber, type CallNumberScheme } from './index.js';

interface SplitCase {
  input: string;
  lines?: string[];
  components?: Record<string, string | string[]>;
  prefix?: string;
  suffix?: string;
  wrap_type?: string;
  note?: string;
}
interface SplitSet {
  id: string;
  scheme: string;
  kind: 'lines' | 'components';
  provenance: string;
  cases: SplitCase[];
}

/**
 * The scheme each upstream splitter was given. Koha picks its splitter from the record's class
 * source, so its LCC, Dewey and generic sets name theirs. Koha's regex set is a site's own rules
 * for a UDC collection, which Carrel has no scheme for: the number is read without one. Evergreen's
 * cn_wrap has one LC rule and a whitespace split for every other scheme; Carrel splits those by the
 * scheme it reads in the number.
 */
function schemeFor(set: SplitSet, c: SplitCase): CallNumberScheme | undefined {
  if (set.id.startsWith('evergreen')) return c.wrap_type === 'lc' ? 'lc' : undefined;
  if (set.scheme === 'lcc') return 'lc';
  if (set.scheme === 'ddc') return 'dewey';
  if (set.scheme.startsWith('generic')) return 'generic';
  return undefined;
}

/**
 * Where Carrel's spine deliberately differs from what Koha or Evergreen print: Carrel's lines and why.
 * Every other case must come out exactly as upstream has it. Keyed by set id and input.
 */
const DELIBERATE: Record<string, { lines: string[]; why: string }> = {
  'koha-regex-split|J 3 Kin =774': {
    lines: ['J', '3', 'Kin', '=774'],
    why: 'the upstream line-up comes from one site\'s configured regexes for its UDC shelves; without a UDC scheme "J 3" reads as LC class J3, whose letters and number go on two lines like every LC class',
  },
  'koha-regex-split|830 Las=20 4': {
    lines: ['830', 'Las=20', '4'],
    why: 'the site regex breaks before UDC auxiliaries ("=20"); Carrel breaks only at spaces and at Cutters, so the token stays whole',
  },
  'koha-lcc-behaviour|QC100 .U57 NO. 555 1986': {
    lines: ['QC', '100', '.U57', 'NO. 555', '1986'],
    why: 'a designator and its number are one statement ("NO. 555"); Koha splits the last component on every space',
  },
  'koha-lcc-behaviour|D570.3 28TH .P96': {
    lines: ['D', '570.3', '28TH', '.P96'],
    why: 'Library::CallNumber::LC breaks the ordinal into "28","T","H" (a bug noted in the fixture) and drops the Cutter\'s period; ordinals stay whole, Cutters keep their period as written',
  },
  'koha-lcc-behaviour|E517.5 21ST .A54': {
    lines: ['E', '517.5', '21ST', '.A54'],
    why: 'the same ordinal bug: "21","S","T"',
  },
  'koha-lcc-behaviour|G 9801 .A4 S250 .G4 ST5-8/11': {
    lines: ['G', '9801', '.A4', 'S250', '.G4', 'ST5-8/11'],
    why: 'Koha drops the period of the third Cutter; Carrel prints every Cutter as written',
  },
  'koha-lcc-behaviour|M3 G32 1927q vol. 4': {
    lines: ['M', '3', 'G32', '1927q', 'vol. 4'],
    why: 'designator and number together, as for "NO. 555"',
  },
  'koha-dewey-behaviour|971/P23w/v.1-2/pt.8': {
    lines: ['971', 'P23w', 'v.1-2', 'pt.8'],
    why: 'Koha deletes the slashes before matching and prints one 16-character line; the slashes separate the parts like spaces',
  },
  'koha-dewey-behaviour|BIO JP2 R5c.1': {
    lines: ['BIO', 'JP2', 'R5', 'c.1'],
    why: 'the copy number goes on its own line, as Koha\'s own generic splitter (koha-generic-split) does for the same call number',
  },
  'koha-dewey-behaviour|FIC GIR J5c.1': { lines: ['FIC', 'GIR', 'J5', 'c.1'], why: 'copy number on its own line (see koha-generic-split)' },
  'koha-dewey-behaviour|J DAR G7c.11': { lines: ['J', 'DAR', 'G7', 'c.11'], why: 'copy number on its own line (see koha-generic-split)' },
  'evergreen-cn_wrap-behaviour|QC145 .A57 V.12 1980': {
    lines: ['QC', '145', '.A57', 'V.12', '1980'],
    why: 'cn_wrap\'s LC regex takes "V" for a Cutter and leaves ".12 1980" on one line; a volume is one statement and the date its own line',
  },
  'evergreen-cn_wrap-behaviour|QC100 .U57 NO. 555 1986': {
    lines: ['QC', '100', '.U57', 'NO. 555', '1986'],
    why: 'cn_wrap degenerates here (emits "." lines until the label is full)',
  },
  'evergreen-cn_wrap-behaviour|M947 .C48 P37 A73 1987': {
    lines: ['M', '947', '.C48', 'P37', 'A73', '1987'],
    why: 'cn_wrap leaves the date on the last Cutter\'s line; the date is its own line, as Koha prints it',
  },
  'evergreen-cn_wrap-behaviour|BX830 1545 .O43 2013': {
    lines: ['BX', '830', '1545', '.O43', '2013'],
    why: 'cn_wrap\'s LC regex allows no date before the first Cutter and falls back to spaces; class letters and number are split as for any LC number',
  },
  'evergreen-cn_wrap-behaviour|E513.5 20th .M555 2005': { lines: ['E', '513.5', '20th', '.M555', '2005'], why: 'the same fallback in cn_wrap (ordinal before the Cutter)' },
  'evergreen-cn_wrap-behaviour|BP109 2005b': { lines: ['BP', '109', '2005b'], why: 'the same fallback in cn_wrap (no Cutter)' },
  'evergreen-cn_wrap-behaviour|R220.3 H2793Z H32 c.2': {
    lines: ['R', '220.3', 'H2793Z', 'H32', 'c.2'],
    why: 'cn_wrap\'s non-LC wrap splits only at spaces; read without a scheme "R220.3" is LC class R (and with the Dewey scheme R is a reference label), so "R" goes on its own line either way, as Koha prints it',
  },
  'evergreen-cn_wrap-behaviour|971/P23w/v.1-2/pt.8': {
    lines: ['971', 'P23w', 'v.1-2', 'pt.8'],
    why: 'cn_wrap breaks the over-wide token at periods ("/v", ".1-2/pt", ".8"); the slashes separate the parts',
  },
  'evergreen-cn_wrap-behaviour|REF BR1 / ML 2533 B34 C35 / REFERENCE': {
    lines: ['REF BR1', 'ML', '2533', 'B34', 'C35', 'REFERENCE'],
    why: 'cn_wrap hard-wraps at 8 characters ("REFERENC","E"); the splitter never cuts a word: the label renderer shrinks a long line to a floor and flags the label if it still does not fit',
  },
  'evergreen-cn_wrap-behaviour|STORAGE BR4 / ML 60 R75 / DEPOSITORY': {
    lines: ['STORAGE BR4', 'ML', '60', 'R75', 'DEPOSITORY'],
    why: 'the same 8-character cut, which splits the prefix mid-phrase ("STORAGE ","BR4") and the suffix mid-word',
  },
  'evergreen-cn_wrap-behaviour|REF BR1 / HE8700.7 .P6T44 1983 / REFERENCE': {
    lines: ['REF BR1', 'HE', '8700.7', '.P6', 'T44', '1983', 'REFERENCE'],
    why: 'with a 4-line label cn_wrap silently drops the Cutter T44, the date and the suffix; the splitter gives every line and the renderer reports a label that does not fit',
  },
};

describeWithFixtures('callnumbers', 'spine splitting against the shared fixtures', () => {
  const file = JSON.parse(readFileSync(fixturePath('callnumbers', 'split-cases.json'), 'utf8')) as { caseCount: number; sets: SplitSet[] };
  const lineSets = file.sets.filter((s) => s.kind === 'lines');
  const componentSets = file.sets.filter((s) => s.kind === 'components');
  const keyOf = (set: SplitSet, c: SplitCase): string => `${set.id}|${[c.prefix, c.input, c.suffix].filter(Boolean).join(' / ')}`;

  it('has the 152 cases in 10 sets this suite was written against', () => {
    expect(file.sets.reduce((n, s) => n + s.cases.length, 0)).toBe(152);
    expect(file.sets).toHaveLength(10);
    expect(lineSets.map((s) => s.id).sort()).toEqual([
      'evergreen-cn_wrap-behaviour', 'koha-dewey-behaviour', 'koha-dewey-split', 'koha-generic-split', 'koha-lcc-behaviour',
      'koha-lcc-split', 'koha-regex-split', 'library-callnumber-lc-components',
    ]);
    expect(componentSets.map((s) => s.id).sort()).toEqual(['bc-lc-parser-components', 'lc_callnumber-components']);
  });

  it('every deliberate difference names a real case that upstream prints otherwise', () => {
    const cases = new Map(lineSets.flatMap((s) => s.cases.map((c) => [keyOf(s, c), c] as const)));
    for (const [key, d] of Object.entries(DELIBERATE)) {
      const c = cases.get(key);
      expect({ key, found: c !== undefined }).toEqual({ key, found: true });
      expect(d.lines).not.toEqual(c!.lines);
      expect(d.why.length).toBeGreaterThan(20);
    }
  });

  for (const set of lineSets) {
    describe(`${set.id} (${set.provenance.startsWith('computed') ? 'computed from upstream code' : 'asserted by an upstream test'})`, () => {
      it.each(set.cases.map((c) => [c.input, c] as const))('%s', (_input, c) => {
        const lines = splitCallNumber(c.input, schemeFor(set, c), { prefix: c.prefix, suffix: c.suffix });
        const deliberate = DELIBERATE[keyOf(set, c)];
        expect(lines).toEqual(deliberate ? deliberate.lines : c.lines);
      });
    });
  }

  it('differs from an upstream test\'s own assertion only on the site-configured UDC regexes', () => {
    const asserted = lineSets.filter((s) => s.provenance === 'asserted-by-upstream-test');
    const differing = asserted.flatMap((s) => s.cases.filter((c) => DELIBERATE[keyOf(s, c)]).map((c) => keyOf(s, c)));
    expect(differing.sort()).toEqual(['koha-regex-split|830 Las=20 4', 'koha-regex-split|J 3 Kin =774']);
  });

  /** Upstream component names in shelf order: each named part is a line of its own, in this order. */
  const PARTS = ['letters', 'number', 'digits', 'class_year', 'doon1', 'cutter_1', 'firstcutter', 'doon2', 'cutter_2', 'cutter_3', 'extra_cutters', 'year', 'remainder', 'rest'];
  const norm = (line: string): string => line.replace(/^\./, '').replace(/\s+/g, '').toUpperCase();

  for (const set of componentSets) {
    describe(`${set.id} (asserted by an upstream test)`, () => {
      it.each(set.cases.map((c) => [c.input, c] as const))('%s', (_input, c) => {
        const comp = c.components!;
        const parts = PARTS.flatMap((name) => {
          const v = comp[name];
          return v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v];
        });
        // Each component is one spine line, in the same order (the upstream parsers assert only
        // some fields, so the lines may hold more, such as BC's unasserted dates).
        const lines = splitCallNumber(c.input, 'lc').map(norm);
        expect(lines.slice(0, 2)).toEqual(parts.slice(0, 2).map(norm));
        let at = 0;
        for (const part of parts.map(norm)) {
          const found = lines.indexOf(part, at);
          expect({ part, found: found >= 0 }).toEqual({ part, found: true });
          at = found + 1;
        }
        // And the parser agrees on class, Cutters and the rest.
        const parsed = parseCallNumber(c.input, 'lc');
        expect(parsed.scheme).toBe('lc');
        expect(parsed.classification).toBe(`${comp.letters}${comp.number ?? comp.digits}`);
        const cutters = [comp.cutter_1, comp.cutter_2, comp.cutter_3, comp.firstcutter, ...((comp.extra_cutters as string[] | undefined) ?? [])].filter(
          (x): x is string => typeof x === 'string' && x !== '',
        );
        expect(parsed.cutters.map((x) => x.toUpperCase())).toEqual(cutters);
        if (set.id === 'lc_callnumber-components') {
          expect(parsed.year).toBe(comp.year === '' ? null : comp.year);
          expect(parsed.suffix).toBe(comp.rest === '' ? null : comp.rest);
        }
      });
    });
  }
});
