/**
 * Properties over generated patterns: frequencies × restart or continuous numbering × calendar
 * changes × omissions × combined issues, from generated starting issues.
 */
import fc from 'fast-check';
import { SerialsFormatError, parseCaption, type CaptionField, type IssueValues } from '../marc-text.js';
import { daysInMonth } from './calendar.js';
import { predictIssues, predictNext } from './index.js';

interface Generated {
  caption: string;
  last: IssueValues;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** frequencies that date issues by the day, and those that date them by the month */
const DAILY = ['d', 'w', 'e', 's', 'c', 'i', 'j', '52', '104'] as const;
const MONTHLY = ['m', 'b', 'q', 't', 'f', 'a', '12', '4', '6'] as const;
const WEEKDAYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'] as const;

const numbering = fc.record({
  continuous: fc.boolean(),
  units: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constant('var')),
  changes: fc.oneof(fc.constant(''), fc.constant('01'), fc.constant('0701'), fc.constant('01,07'), fc.constant('0115,04,10'), fc.constant('03')),
  first: fc.integer({ min: 1, max: 500 }),
  second: fc.integer({ min: 1, max: 60 }),
});

const start = fc.record({ year: fc.integer({ min: 1990, max: 2060 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) });

function enumeration(n: { continuous: boolean; units: number | 'var'; changes: string }): string {
  // restart numbering with 'var' units needs a calendar change to know when; keep such patterns valid
  const restart = !n.continuous && (n.units !== 'var' || n.changes !== '');
  return `$av.$bno.$u${n.units}$v${restart ? 'r' : 'c'}`;
}

function secondValue(n: { units: number | 'var'; second: number }): number {
  return n.units === 'var' ? n.second : ((n.second - 1) % n.units) + 1;
}

const dated: fc.Arbitrary<Generated> = fc
  .record({
    frequency: fc.constantFrom(...DAILY),
    numbering,
    start,
    omitWeekdays: fc.subarray([...WEEKDAYS], { maxLength: 2 }),
    omitDays: fc.array(fc.record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }), { maxLength: 3 }),
    omitWeek: fc.option(fc.constantFrom('1104th', '0901mo', '0599mo', '01mo', '99fr'), { nil: undefined }),
    combineMonths: fc.option(fc.integer({ min: 1, max: 11 }), { nil: undefined }),
  })
  .map(({ frequency, numbering: n, start: s, omitWeekdays, omitDays, omitWeek, combineMonths }) => {
    const y: string[] = [];
    // a daily can lose two weekdays; a weekly cannot lose its own
    if (omitWeekdays.length > 0 && frequency === 'd') y.push(`od${omitWeekdays.join(',')}`);
    if (omitDays.length > 0) y.push(`od${omitDays.map((d) => pad(d.month) + pad(d.day)).join(',')}`);
    if (omitWeek) y.push(`ow${omitWeek}`);
    if (combineMonths !== undefined && (frequency === 'w' || frequency === 'e' || frequency === 's')) y.push(`cm${pad(combineMonths)}/${pad(combineMonths + 1)}`);
    const caption = `853 20 $81${enumeration(n)}$i(year)$j(month)$k(day)$w${frequency}${n.changes ? `$x${n.changes}` : ''}${y.map((v) => `$y${v}`).join('')}`;
    const day = Math.min(s.day, daysInMonth(s.year, s.month));
    return { caption, last: { a: String(n.first), b: String(secondValue(n)), i: String(s.year), j: pad(s.month), k: pad(day) } };
  });

const monthly: fc.Arbitrary<Generated> = fc
  .record({
    frequency: fc.constantFrom(...MONTHLY),
    numbering,
    start,
    omitMonths: fc.subarray([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { maxLength: 2 }),
    combineMonths: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
    combineNumbers: fc.boolean(),
  })
  .map(({ frequency, numbering: n, start: s, omitMonths, combineMonths, combineNumbers }) => {
    const y: string[] = [];
    const frequent = frequency === 'm' || frequency === '12';
    // only issues at least monthly can lose months without losing every issue
    if (omitMonths.length > 0 && frequent) y.push(`om${omitMonths.map(pad).join(',')}`);
    if (combineMonths !== undefined && frequent) {
      y.push(`cm${pad(combineMonths)}/${pad((combineMonths % 12) + 1)}`);
      if (combineNumbers) y.push('ce21/2');
    }
    const caption = `853 20 $81${enumeration(n)}$i(year)$j(month)$w${frequency}${n.changes ? `$x${n.changes}` : ''}${y.map((v) => `$y${v}`).join('')}`;
    return { caption, last: { a: String(n.first), b: String(secondValue(n)), i: String(s.year), j: pad(s.month) } };
  });

const seasonal: fc.Arbitrary<Generated> = fc
  .record({
    numbering,
    year: fc.integer({ min: 1990, max: 2060 }),
    season: fc.integer({ min: 21, max: 24 }),
    winterFirst: fc.boolean(),
    combine: fc.boolean(),
    seasonChange: fc.boolean(),
  })
  .map(({ numbering: n, year, season, winterFirst, combine, seasonChange }) => {
    const list = winterFirst ? (combine ? '24/21,22,23' : '24,21,22,23') : combine ? '21,22/23,24' : '21,22,23,24';
    const changes = seasonChange ? '21' : n.changes;
    const caption = `853 20 $81${enumeration({ ...n, changes })}$i(year)$j(season)$w4${changes ? `$x${changes}` : ''}$yps${list}`;
    return { caption, last: { a: String(n.first), b: String(secondValue(n)), i: String(year), j: String(season) } };
  });

/** dates given by $yp rules rather than by the frequency */
const published: fc.Arbitrary<Generated> = fc
  .record({
    numbering,
    start,
    rules: fc.oneof(
      fc.constantFrom(...WEEKDAYS).map((d) => `$ww$ypd${d}`),
      fc.constantFrom(...WEEKDAYS).map((d) => `$ww$ypd${d}$ycw1298/1299`),
      fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom(...WEEKDAYS)).map(([n, d]) => `$wm$ypw0${n}${d}`),
      fc.constant('$wm$ypw02we$ypw0402th,0501we$yow0402we,0502we'),
      fc.constant('$ws$ypd01,15$yod0115,0715,0815,1215'),
      fc.constant('$wc$ypw00mo,00th$yod0101,0704,1225$yow0901mo,1104th'),
      fc.constant('$wq$ypm01,04,07,10$ypd15'),
    ),
  })
  .map(({ numbering: n, start: s, rules }) => {
    const caption = `853 20 $81${enumeration(n)}$i(year)$j(month)$k(day)${n.changes ? `$x${n.changes}` : ''}${rules}`;
    const day = Math.min(s.day, daysInMonth(s.year, s.month));
    return { caption, last: { a: String(n.first), b: String(secondValue(n)), i: String(s.year), j: pad(s.month), k: pad(day) } };
  });

const patterns = fc.oneof(dated, monthly, seasonal, published);
const key = (v: IssueValues): string => JSON.stringify(Object.entries(v).sort());

describe('prediction properties over generated patterns', () => {
  it('publication dates only move forward and no two predicted issues are the same', () => {
    fc.assert(
      fc.property(patterns, fc.integer({ min: 1, max: 120 }), ({ caption, last }, count) => {
        const issues = predictIssues(parseCaption(caption), last, { count });
        expect(issues).toHaveLength(count);
        for (let k = 1; k < issues.length; k++) {
          if (!(issues[k]!.publicationDate > issues[k - 1]!.publicationDate)) {
            throw new Error(`${caption}: issue ${k} dated ${issues[k]!.publicationDate} after ${issues[k - 1]!.publicationDate}`);
          }
        }
        expect(new Set(issues.map((i) => key(i.values))).size).toBe(issues.length);
        expect(new Set(issues.map((i) => key(i.values))).has(key(last))).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('predicting n issues at once equals predicting the next issue n times', () => {
    fc.assert(
      fc.property(patterns, fc.integer({ min: 1, max: 60 }), ({ caption, last }, count) => {
        const c = parseCaption(caption);
        const all = predictIssues(c, last, { count });
        let current = last;
        for (const issue of all) {
          const next = predictNext(c, current);
          expect(next).toEqual(issue);
          current = next.values;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('until gives exactly the issues of count that fall on or before it', () => {
    fc.assert(
      fc.property(patterns, fc.integer({ min: 1, max: 80 }), fc.integer({ min: 0, max: 79 }), ({ caption, last }, count, cut) => {
        const c = parseCaption(caption);
        const all = predictIssues(c, last, { count });
        const until = all[Math.min(cut, all.length - 1)]!.publicationDate;
        expect(predictIssues(c, last, { until, count })).toEqual(all.filter((i) => i.publicationDate <= until));
      }),
      { numRuns: 200 },
    );
  });

  it('the volume (first level) never goes down', () => {
    fc.assert(
      fc.property(patterns, ({ caption, last }) => {
        const issues = predictIssues(parseCaption(caption), last, { count: 60 });
        let volume = Number(last.a);
        for (const issue of issues) {
          const next = Number(issue.values.a);
          expect(next === volume || next === volume + 1).toBe(true);
          volume = next;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('any caption and issue, however malformed, give issues or a SerialsFormatError, never another error or a hang', () => {
    const piece = fc.oneof(
      fc.constantFrom('v.', 'no.', '(year)', '(month)', '(day)', '(season)', '12', 'var', 'und', 'r', 'c', 'm', 'w', 'd', 'q', 'x', 'k', '4', '0',
        '01', '0701', '21', 'pm01,07', 'om07', 'cm07/08', 'ce27/8', 'pe21,3', 'pdsa', 'pw02we', 'ow1299', 'od0101', 'ps24,21/22', 'pd', 'cx', 'p'),
      fc.string({ maxLength: 12 }),
    );
    const caption = fc.array(fc.tuple(fc.constantFrom('8', 'a', 'b', 'c', 'i', 'j', 'k', 'l', 'u', 'v', 'w', 'x', 'y', 'o', 'g', 'h'), piece), { maxLength: 14 })
      .map((subfields): CaptionField => ({ tag: '853', indicators: '20', subfields: subfields.map(([code, value]) => ({ code, value })) }));
    const values = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'g', 'h', 'i', 'j', 'k'),
      fc.oneof(fc.constantFrom('1', '12', '2024', '06', '24', '31', '1/2', '2011/2012', '12/01', '0', '99999'), fc.string({ maxLength: 6 })));
    // valid patterns and issues with one part changed, and wholly random ones
    const mutated = fc.tuple(patterns, fc.nat(), piece, fc.boolean()).map(([g, at, value, inCaption]): [CaptionField, IssueValues] => {
      const c = parseCaption(g.caption);
      if (inCaption) {
        const subfields = c.subfields.map((sf, k) => (k === at % c.subfields.length ? { code: sf.code, value } : sf));
        return [{ ...c, subfields }, g.last];
      }
      const keys = Object.keys(g.last);
      return [c, { ...g.last, [keys[at % keys.length]!]: value }];
    });
    const anyInput = fc.oneof(mutated, fc.tuple(caption, values));
    fc.assert(
      fc.property(anyInput, fc.integer({ min: 0, max: 30 }), ([c, v], count) => {
        try {
          const issues = predictIssues(c, v, { count });
          expect(issues).toHaveLength(count);
        } catch (e) {
          if (!(e instanceof SerialsFormatError)) throw e;
          expect(e.where).toMatch(/^(caption|853|863)( \$[a-z0-9])?$|^limit/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
