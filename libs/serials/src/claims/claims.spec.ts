import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseEdifact } from '@carrel/edifact';
import {
  BUILT_IN_CLAIM_TEMPLATE, ClaimTemplateError, claimOrdinal, parseClaimTemplate, renderClaimLetter, type ClaimLetter,
} from './template.js';
import { CLAIM_CSV_COLUMNS, claimsCsv, csvField } from './csv.js';
import { OstenqError, releaseEdifact, toLatin1, writeOstenq, type OstenqInput } from './ostenq.js';
import { claimDecision, graceDaysFor, isLate, lastDayNotLate } from './late.js';

const letter: ClaimLetter = {
  library: { name: 'Northfield Public Library', accountNumber: 'NPL-0042' },
  vendor: { name: 'Harrassowitz', code: 'HAR' },
  claimDate: '2026-03-02',
  batchId: 17,
  issues: [
    { title: 'Zeitschrift für Ökologie', issn: '1234-5679', label: 'v.12:no.3 (2026:Feb.)', publicationDate: '2026-02-01', expectedDate: '2026-02-08', vendorReference: 'SUB-99881', accountNumber: 'NPL-0042', claimNumber: 1 },
    { title: 'The Weekly Review', issn: null, label: 'no.1850 (2026:Jan. 12)', publicationDate: '2026-01-12', expectedDate: '2026-01-14', vendorReference: null, accountNumber: null, claimNumber: 2 },
  ],
};

describe('claim letter templates', () => {
  it('renders the built-in letter with the library, the account number and every issue with its claim number', () => {
    const { subject, text } = renderClaimLetter(parseClaimTemplate(BUILT_IN_CLAIM_TEMPLATE, 'built-in'), letter);
    expect(subject).toBe('Claim for 2 missing issue(s) – Northfield Public Library, account NPL-0042');
    expect(text).toBe(`To Harrassowitz

Northfield Public Library has not received the issues below (our account number with you: NPL-0042).
Please send them, or tell us when they will be published or why they cannot be supplied.

1. Zeitschrift für Ökologie (ISSN 1234-5679)
   Issue: v.12:no.3 (2026:Feb.)
   Expected: 2026-02-08
   Your subscription reference: SUB-99881
   Account number: NPL-0042
   Claim: first claim

2. The Weekly Review
   Issue: no.1850 (2026:Jan. 12)
   Expected: 2026-01-14
   Claim: second claim

Claim date: 2026-03-02, claim batch 17

Northfield Public Library
`);
  });

  it('leaves out what a library or an issue does not have, and the loop lines themselves', () => {
    const t = parseClaimTemplate('Subject: Claims {{#library.accountNumber}}[{{library.accountNumber}}]{{/library.accountNumber}}\n\n{{#issues}}\n- {{issue.title}}{{#issue.issn}} {{issue.issn}}{{/issue.issn}} #{{issue.claimNumber}}\n{{/issues}}\nend\n');
    const r = renderClaimLetter(t, { ...letter, library: { name: 'X' } });
    expect(r.subject).toBe('Claims');
    expect(r.text).toBe('- Zeitschrift für Ökologie 1234-5679 #1\n- The Weekly Review #2\nend\n');
  });

  it('reads CRLF files with a byte-order mark, and puts a multi-line subject on one line', () => {
    const t = parseClaimTemplate('\uFEFFSubject: To {{vendor.name}} ({{vendor.code}}) on {{claimDate}}\r\n\r\n{{#issues}}{{issue.number}} {{issue.label}} {{issue.expectedDate}} {{issue.publicationDate}} {{issue.vendorReference}} {{issue.accountNumber}} {{issue.claimOrdinal}}; {{/issues}}\r\n');
    const r = renderClaimLetter(t, letter);
    expect(r.subject).toBe('To Harrassowitz (HAR) on 2026-03-02');
    expect(r.text).toBe('1 v.12:no.3 (2026:Feb.) 2026-02-08 2026-02-01 SUB-99881 NPL-0042 first; 2 no.1850 (2026:Jan. 12) 2026-01-14 2026-01-12   second; \n');
  });

  it.each([
    ['Dear vendor\n\n{{#issues}}x{{/issues}}', /line 1: must be the subject, "Subject: …"/],
    ['Subject:   \n\n{{#issues}}x{{/issues}}', /line 1: the subject is empty/],
    ['Subject: s\nbody {{#issues}}x{{/issues}}', /line 2: must be blank/],
    ['Subject: s\n\n   \n', /line 3: the letter has no body/],
    ['Subject: s\n\nHello {{vendor.nmae}}\n{{#issues}}x{{/issues}}', /my\.txt line 3, column 7: unknown placeholder \{\{vendor\.nmae\}\}; known: library\.name/],
    ['Subject: {{issue.title}}\n\n{{#issues}}x{{/issues}}', /line 1, column 10: \{\{issue\.title\}\} is only known inside \{\{#issues\}\}/],
    ['Subject: s\n\n{{#issues}}\n{{issue.title}}\n', /line 3, column 1: \{\{#issues\}\} is never closed/],
    ['Subject: s\n\n{{#issues}}{{/issue.issn}}', /line 3, column 12: \{\{\/issue\.issn\}\} found where \{\{\/issues\}\} \(opened at line 3\) was expected/],
    ['Subject: s\n\nx{{/issues}}', /line 3, column 2: \{\{\/issues\}\} closes a section that was never opened/],
    ['Subject: s\n\n{{#issues}}{{#issues}}{{/issues}}{{/issues}}', /cannot be nested/],
    ['Subject: s\n\n{{issues}}', /\{\{issues\}\} is a list/],
    ['Subject: s\n\n{{#issues}}{{issue.title}{{/issues}}', /line 3, column 12: \{\{issue\.title\}\{\{\/issues\}\} is not a placeholder name/],
    ['Subject: s\n\n{{#issues}}{{issue.title', /line 3, column 12: a placeholder opened with \{\{ is not closed/],
    ['Subject: s\n\nDear {{vendor.name}}, no list here\n', /never lists the issues/],
  ])('rejects a broken template with where and what: %j', (text, message) => {
    let err: unknown;
    try {
      parseClaimTemplate(text, 'my.txt');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ClaimTemplateError);
    expect((err as Error).message).toMatch(message);
  });

  it('refuses to render a letter with no issue', () => {
    expect(() => renderClaimLetter(parseClaimTemplate(BUILT_IN_CLAIM_TEMPLATE), { ...letter, issues: [] })).toThrow('a claim letter to Harrassowitz needs at least one issue');
  });

  it('names claims in words and then in figures', () => {
    expect([1, 2, 3, 10, 11, 12, 13, 21, 22, 23, 101, 111].map(claimOrdinal)).toEqual(['first', 'second', 'third', 'tenth', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th']);
  });

  it('the sample template in config/ parses', () => {
    const text = readFileSync(new URL('../../../../config/claim-letter.example.txt', import.meta.url), 'utf8');
    const r = renderClaimLetter(parseClaimTemplate(text, 'config/claim-letter.example.txt'), letter);
    expect(r.text).toContain('v.12:no.3 (2026:Feb.)');
    expect(r.text).toContain('SUB-99881');
  });
});

describe('claims CSV', () => {
  it('has a header and one row per issue, quoting and defusing what needs it', () => {
    const csv = claimsCsv({ ...letter, issues: [...letter.issues, { ...letter.issues[0], title: '=HYPERLINK("x"), "Quoted"', claimNumber: 3 }] });
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe(CLAIM_CSV_COLUMNS.join(','));
    expect(rows[1]).toBe('17,1,2026-03-02,HAR,NPL-0042,Zeitschrift für Ökologie,1234-5679,v.12:no.3 (2026:Feb.),2026-02-01,2026-02-08,SUB-99881');
    expect(rows[2]).toBe('17,2,2026-03-02,HAR,NPL-0042,The Weekly Review,,no.1850 (2026:Jan. 12),2026-01-12,2026-01-14,');
    expect(rows[3]).toBe(`17,3,2026-03-02,HAR,NPL-0042,"'=HYPERLINK(""x""), ""Quoted""",1234-5679,v.12:no.3 (2026:Feb.),2026-02-01,2026-02-08,SUB-99881`);
    expect(rows[4]).toBe('');
    expect(rows).toHaveLength(5);
  });
  it('quotes line breaks and edge blanks', () => {
    expect([csvField('a\nb'), csvField(' x'), csvField('-1'), csvField(null), csvField(3)]).toEqual(['"a\nb"', '" x"', "'-1", '', '3']);
  });
});

const ostenqInput = (): OstenqInput => ({
  sender: { id: 'NPL-0042', qualifier: '91' },
  recipient: { id: '5013546027173', qualifier: '14' },
  interchangeReference: 'CLM17',
  documentNumber: 'CLAIM-17',
  date: '2026-03-02',
  time: '01:15',
  buyer: { id: 'NPL-0042', qualifier: '91' },
  supplier: { id: '5013546027173', qualifier: '14' },
  accountNumber: 'NPL-0042',
  issues: letter.issues.map((i, n) => ({ ...i, lineReference: String(100 + n) })),
});

describe('OSTENQ D96A claims', () => {
  it('writes the interchange segment by segment', () => {
    const text = writeOstenq(ostenqInput());
    expect(text.startsWith("UNA:+.? 'UNB+")).toBe(true);
    expect(text.endsWith("UNZ+1+CLM17'")).toBe(true);
    expect(text.slice(9).split("'").slice(0, -1)).toEqual([
      'UNB+UNOC:3+NPL-0042:91+5013546027173:14+260302:0115+CLM17++OSTENQ',
      'UNH+1+OSTENQ:D:96A:UN:EAN008',
      'BGM+92J::9+CLAIM-17+9',
      'DTM+137:20260302:102',
      'NAD+BY+NPL-0042::91',
      'RFF+API:NPL-0042',
      'NAD+SU+5013546027173::9',
      'LIN+1',
      'PIA+5+12345679:IS',
      'IMD+L+050+:::Zeitschrift für Ökologie',
      'FTX+LIN+++v.12?:no.3 (2026?:Feb.)',
      'FTX+AAI+++first claim',
      'QTY+21:1',
      'DTM+17:20260208:102',
      'RFF+LI:100',
      'RFF+SNA:SUB-99881',
      'LIN+2',
      'IMD+L+050+:::The Weekly Review',
      'FTX+LIN+++no.1850 (2026?:Jan. 12)',
      'FTX+AAI+++second claim',
      'QTY+21:1',
      'DTM+17:20260114:102',
      'RFF+LI:101',
      'UNS+S',
      'CNT+2:2',
      'UNT+25+1',
      'UNZ+1+CLM17',
    ]);
  });

  it('reads back with our EDIFACT reader: counts and references agree, released characters come back', () => {
    const input = ostenqInput();
    input.issues[0].title = "Men's Health + Fitness: what? A very long title that needs more than one IMD segment to carry it all";
    input.issues[0].vendorReference = "A+B:C'D?E";
    const bytes = Buffer.from(writeOstenq(input), 'latin1');
    const file = parseEdifact(bytes);
    expect(file.warnings).toEqual([]);
    const [ic] = file.interchanges;
    expect(ic.syntax).toEqual({ id: 'UNOC', version: '3' });
    expect(ic.reference).toBe('CLM17');
    const [msg] = ic.messages;
    expect([msg.type, msg.version, msg.release, msg.agency, msg.association]).toEqual(['OSTENQ', 'D', '96A', 'UN', 'EAN008']);
    const imd = msg.segments.filter((s) => s.tag === 'IMD').slice(0, -1).map((s) => s.elements[2].slice(3).join('')).join('');
    expect(imd).toBe(input.issues[0].title);
    const sna = msg.segments.find((s) => s.tag === 'RFF' && s.elements[0][0] === 'SNA');
    expect(sna?.elements[0][1]).toBe("A+B:C'D?E");
    expect(msg.segments.filter((s) => s.tag === 'LIN').map((s) => s.elements[0][0])).toEqual(['1', '2']);
  });

  it('any text survives the round trip through release characters (what UNOC can carry)', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '' && !/[\r\n\t]/.test(s)), (title) => {
      const input = ostenqInput();
      input.issues = [{ ...input.issues[0], title, vendorReference: null }];
      const [msg] = parseEdifact(writeOstenq(input)).interchanges[0].messages;
      const imd = msg.segments.filter((s) => s.tag === 'IMD').map((s) => s.elements[2].slice(3).join('')).join('');
      expect(imd).toBe(toLatin1(title).trim());
    }));
  });

  it('folds text outside ISO 8859-1 and releases service characters once', () => {
    expect(toLatin1('Łódź – „Przegląd” … Ωmega\nnext')).toBe('Lódz - "Przeglad" ... ?mega next');
    expect(releaseEdifact("a?b'c+d:e")).toBe("a??b?'c?+d?:e");
  });

  it.each([
    ['no issue', (i: OstenqInput) => { i.issues = []; }, /OSTENQ message: has no issue to claim/],
    ['a bad ISSN', (i: OstenqInput) => { i.issues[1].issn = '12-34'; }, /OSTENQ line 2 \(The Weekly Review no\.1850 \(2026:Jan\. 12\)\): ISSN must be 8 digits/],
    ['a long vendor reference', (i: OstenqInput) => { i.issues[0].vendorReference = 'R'.repeat(36); }, /line 1 .* vendor reference: is longer than the 35 characters/],
    ['a bad expected date', (i: OstenqInput) => { i.issues[0].expectedDate = '08/02/2026'; }, /line 1 .* expected date: date must be YYYY-MM-DD/],
    ['a reference with blanks', (i: OstenqInput) => { i.interchangeReference = 'CLM 17'; }, /UNB control reference: must be letters and digits only/],
    ['a long reference', (i: OstenqInput) => { i.interchangeReference = 'C'.repeat(15); }, /UNB control reference: is longer than the 14/],
    ['a bad time', (i: OstenqInput) => { i.time = '1:15'; }, /UNB time: must be HH:MM/],
    ['an unknown qualifier', (i: OstenqInput) => { i.supplier = { id: 'X', qualifier: 'ZZ' as never }; }, /NAD\+SU: qualifier must be 14, 31B, 91 or 92/],
    ['an empty party', (i: OstenqInput) => { i.buyer = { id: ' ', qualifier: '91' }; }, /NAD\+BY identifier: is empty/],
    ['a claim number 0', (i: OstenqInput) => { i.issues[0].claimNumber = 0; }, /claim number must be 1 or more/],
    ['an empty line reference', (i: OstenqInput) => { i.issues[0].lineReference = ''; }, /line reference: is empty/],
  ])('refuses %s, naming it', (_what, change, message) => {
    const input = ostenqInput();
    change(input);
    expect(() => writeOstenq(input)).toThrow(OstenqError);
    expect(() => writeOstenq(input)).toThrow(message);
  });
});

describe('late issues and claims due', () => {
  it('derives the grace from the frequency: 1.5 intervals above 6 issues a year, half an interval otherwise', () => {
    expect(graceDaysFor(null, 52)).toBe(11);
    expect(graceDaysFor(null, 12)).toBe(46);
    expect(graceDaysFor(null, 6)).toBe(31);
    expect(graceDaysFor(null, 4)).toBe(46);
    expect(graceDaysFor(null, 1)).toBe(183);
    expect(graceDaysFor(null, undefined)).toBe(30);
    expect(graceDaysFor(5, 52)).toBe(5);
    expect(graceDaysFor(0, 52)).toBe(0);
    expect(() => graceDaysFor(-1, 52)).toThrow('graceDays must be a whole number of days, 0 or more, got -1');
  });

  it('an issue is late only once expected date + grace is behind today', () => {
    expect(lastDayNotLate('2026-01-25', 11)).toBe('2026-02-05');
    expect(isLate('2026-01-25', 11, '2026-02-05')).toBe(false);
    expect(isLate('2026-01-25', 11, '2026-02-06')).toBe(true);
    expect(isLate('2026-12-30', 3, '2027-01-02')).toBe(false);
    expect(isLate('2026-12-30', 3, '2027-01-03')).toBe(true);
    expect(isLate('2028-02-27', 1, '2028-02-29')).toBe(true);
    expect(() => isLate('2026-02-30', 1, '2026-03-05')).toThrow('must be a date YYYY-MM-DD, got "2026-02-30"');
  });

  it('never calls an issue late before its expected date, whatever the grace', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 3650 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 800 }), (start, grace, ahead) => {
      const expected = new Date(Date.UTC(2020, 0, 1) + start * 86_400_000).toISOString().slice(0, 10);
      const today = new Date(Date.UTC(2020, 0, 1) + (start + Math.min(ahead, grace)) * 86_400_000).toISOString().slice(0, 10);
      expect(isLate(expected, grace, today)).toBe(false);
    }));
  });

  const vendor = { claimIntervalDays: 30, maxClaims: 3 };
  it('claims first, then again after the interval, never past the maximum, never twice while one waits', () => {
    expect(claimDecision([], vendor, '2026-03-01')).toEqual({ due: true, claimNumber: 1 });
    expect(claimDecision([{ claimNumber: 1, claimedOn: '2026-03-01', status: 'pending' }], vendor, '2026-05-01')).toMatchObject({ due: false, reason: 'pending' });
    expect(claimDecision([{ claimNumber: 1, claimedOn: '2026-03-01', status: 'sent' }], vendor, '2026-03-30')).toEqual({ due: false, reason: 'interval', detail: "claim 1 was made 29 day(s) ago, the vendor's interval is 30" });
    expect(claimDecision([{ claimNumber: 1, claimedOn: '2026-03-01', status: 'sent' }], vendor, '2026-03-31')).toEqual({ due: true, claimNumber: 2 });
    const three = [1, 2, 3].map((n) => ({ claimNumber: n, claimedOn: '2026-01-01', status: 'sent' }));
    expect(claimDecision(three, vendor, '2027-01-01')).toEqual({ due: false, reason: 'max-claims', detail: "claimed 3 time(s), the vendor's maximum is 3" });
    expect(claimDecision(three.slice(0, 2), { claimIntervalDays: 0, maxClaims: 2 }, '2026-01-01')).toMatchObject({ due: false, reason: 'max-claims' });
  });
});
