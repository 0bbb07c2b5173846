import { SerialsFormatError, parseCaption, type IssueValues } from '../marc-text.js';
import { MAX_PREDICTED_ISSUES, describeIssue, issuesPerYear, predictIssues, predictNext } from './index.js';

/** `2024-12-23 a1 b51 i2024 j12 k23` for each predicted issue (a `*` after a combined one) */
function predicted(caption: string, last: IssueValues, count: number): string[] {
  return predictIssues(parseCaption(caption), last, { count }).map(
    (p) => `${p.publicationDate} ${Object.entries(p.values).map(([k, v]) => k + v).join(' ')}${p.combined ? ' *' : ''}`);
}

function errorOf(run: () => unknown): SerialsFormatError {
  try {
    run();
  } catch (e) {
    if (e instanceof SerialsFormatError) return e;
    throw e;
  }
  throw new Error('expected a SerialsFormatError');
}

describe('predicting issues by frequency ($w)', () => {
  it('monthly, issue number restarting each volume at the January calendar change', () => {
    expect(predicted('853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$x01', { a: '3', b: '10', i: '2024', j: '10' }, 4)).toEqual([
      '2024-11-01 a3 b11 i2024 j11',
      '2024-12-01 a3 b12 i2024 j12',
      '2025-01-01 a4 b1 i2025 j01',
      '2025-02-01 a4 b2 i2025 j02',
    ]);
  });

  it('monthly with continuous numbering and no calendar change: the volume completes every $u issues', () => {
    expect(predicted('853 20 $av.$bno.$u6$vc$i(year)$j(month)$wm', { a: '1', b: '5', i: '2024', j: '05' }, 3)).toEqual([
      '2024-06-01 a1 b6 i2024 j06',
      '2024-07-01 a2 b7 i2024 j07',
      '2024-08-01 a2 b8 i2024 j08',
    ]);
  });

  it('monthly with restart and no calendar change: the volume completes after $u issues whatever the month', () => {
    expect(predicted('853 20 $av.$bno.$u6$vr$i(year)$j(month)$wm', { a: '1', b: '5', i: '2024', j: '08' }, 3)).toEqual([
      '2024-09-01 a1 b6 i2024 j09',
      '2024-10-01 a2 b1 i2024 j10',
      '2024-11-01 a2 b2 i2024 j11',
    ]);
  });

  it('weekly on the day given, a 53rd issue in a long year before the volume restarts', () => {
    // 2026 has 53 Thursdays; the calendar change, not $u, starts the next volume
    const issues = predictIssues(parseCaption('853 20 $av.$bno.$u52$vr$i(year)$j(month)$k(day)$ww$x01'),
      { a: '1', b: '1', i: '2026', j: '01', k: '01' }, { until: '2027-01-07' });
    expect(issues.slice(-3).map((p) => [p.publicationDate, p.values.a, p.values.b])).toEqual([
      ['2026-12-24', '1', '52'], ['2026-12-31', '1', '53'], ['2027-01-07', '2', '1'],
    ]);
    expect(issues).toHaveLength(53);
  });

  it('quarterly', () => {
    expect(predicted('853 20 $av.$bno.$u4$vr$i(year)$j(month)$wq$x01', { a: '1', b: '3', i: '2024', j: '07' }, 3)).toEqual([
      '2024-10-01 a1 b4 i2024 j10',
      '2025-01-01 a2 b1 i2025 j01',
      '2025-04-01 a2 b2 i2025 j04',
    ]);
  });

  it('annual with a single enumeration level', () => {
    expect(predicted('853 20 $av.$i(year)$wa', { a: '7', i: '2024' }, 2)).toEqual(['2025-01-01 a8 i2025', '2026-01-01 a9 i2026']);
  });

  it('biennial and triennial', () => {
    expect(predicted('853 20 $av.$i(year)$wg', { a: '1', i: '2024' }, 1)).toEqual(['2026-01-01 a2 i2026']);
    expect(predicted('853 20 $av.$i(year)$j(month)$wh', { a: '1', i: '2024', j: '05' }, 1)).toEqual(['2027-05-01 a2 i2027 j05']);
  });

  it('daily, every day, the issue number restarting at 0101 and 0701', () => {
    expect(predicted('853 20 $av.$bno.$uvar$vr$i(year)$j(month)$k(day)$wd$x0101,0701', { a: '9', b: '181', i: '2024', j: '06', k: '29' }, 3)).toEqual([
      '2024-06-30 a9 b182 i2024 j06 k30',
      '2024-07-01 a10 b1 i2024 j07 k01',
      '2024-07-02 a10 b2 i2024 j07 k02',
    ]);
  });

  it('semiannual, bimonthly and three times a year', () => {
    expect(predicted('853 20 $av.$bno.$u2$vr$i(year)$j(month)$wf$x01', { a: '1', b: '2', i: '2024', j: '07' }, 2)).toEqual([
      '2025-01-01 a2 b1 i2025 j01', '2025-07-01 a2 b2 i2025 j07',
    ]);
    expect(predicted('853 20 $av.$bno.$u6$vr$i(year)$j(month)$wb$x01', { a: '1', b: '6', i: '2024', j: '11' }, 2)).toEqual([
      '2025-01-01 a2 b1 i2025 j01', '2025-03-01 a2 b2 i2025 j03',
    ]);
    expect(predicted('853 20 $av.$bno.$u3$vr$i(year)$j(month)$wt$x01', { a: '1', b: '2', i: '2024', j: '05' }, 2)).toEqual([
      '2024-09-01 a1 b3 i2024 j09', '2025-01-01 a2 b1 i2025 j01',
    ]);
  });

  it('biweekly: every 14 days, continuous numbering completing a volume every 26 issues', () => {
    expect(predicted('853 20 $av.$bno.$u26$vc$i(year)$j(month)$k(day)$we', { a: '1', b: '25', i: '2024', j: '12', k: '13' }, 3)).toEqual([
      '2024-12-27 a1 b26 i2024 j12 k27',
      '2025-01-10 a2 b27 i2025 j01 k10',
      '2025-01-24 a2 b28 i2025 j01 k24',
    ]);
  });

  it('semimonthly: the 1st and the 15th, never twice on one day and not drifting', () => {
    const dates = predictIssues(parseCaption('853 20 $av.$bno.$u24$vr$i(year)$j(month)$k(day)$ws$x01'),
      { a: '1', b: '1', i: '2024', j: '01', k: '01' }, { count: 47 }).map((p) => p.publicationDate);
    expect(dates.slice(0, 5)).toEqual(['2024-01-15', '2024-02-01', '2024-02-15', '2024-03-01', '2024-03-15']);
    expect(dates.filter((d) => d.startsWith('2024'))).toHaveLength(23);
    expect(dates.every((d) => d.endsWith('-01') || d.endsWith('-15'))).toBe(true);
  });

  it('semiweekly: three and four days apart (Monday and Thursday)', () => {
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$wc', { a: '1', b: '1', i: '2024', j: '12', k: '16' }, 4).map((s) => s.slice(0, 10))).toEqual([
      '2024-12-19', '2024-12-23', '2024-12-26', '2024-12-30',
    ]);
  });

  it('three times a week (Monday, Wednesday, Friday) and three times a month (1st, 11th, 21st)', () => {
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$wi', { a: '1', b: '1', i: '2024', j: '12', k: '16' }, 4).map((s) => s.slice(0, 10))).toEqual([
      '2024-12-18', '2024-12-20', '2024-12-23', '2024-12-25',
    ]);
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$wj', { a: '1', b: '1', i: '2024', j: '12', k: '1' }, 4).map((s) => s.slice(0, 10))).toEqual([
      '2024-12-11', '2024-12-21', '2025-01-01', '2025-01-11',
    ]);
  });

  it('a number of issues a year in $w', () => {
    expect(predicted('853 20 $av.$bno.$u4$vr$i(year)$j(month)$w4$x01', { a: '1', b: '4', i: '2024', j: '10' }, 1)).toEqual(['2025-01-01 a2 b1 i2025 j01']);
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$w52', { a: '1', b: '1', i: '2024', j: '12', k: '30' }, 1)).toEqual(['2025-01-06 a1 b2 i2025 j01 k06']);
    // ten a year has no calendar rhythm: about every 37 days
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$w10', { a: '1', b: '1', i: '2024', j: '01', k: '01' }, 1)).toEqual(['2024-02-07 a1 b2 i2024 j02 k07']);
  });

  it('seasons with the year on quarterly issues, and the season dates', () => {
    expect(predicted('853 20 $av.$bno.$u4$vr$i(year)$j(season)$wq$x21', { a: '1', b: '3', i: '2024', j: '23' }, 3)).toEqual([
      '2024-12-01 a1 b4 i2024 j24', '2025-03-01 a2 b1 i2025 j21', '2025-06-01 a2 b2 i2025 j22',
    ]);
  });

  it('several calendar changes, MMDD ones included', () => {
    expect(predicted('853 20 $av.$bno.$u6$vr$i(year)$j(month)$k(day)$wm$x0115,0715', { a: '1', b: '5', i: '2024', j: '06', k: '10' }, 3)).toEqual([
      '2024-07-10 a1 b6 i2024 j07 k10', '2024-08-10 a2 b1 i2024 j08 k10', '2024-09-10 a2 b2 i2024 j09 k10',
    ]);
  });

  it('alternative numbering ($g/$h) moves on beside the main one', () => {
    expect(predicted('853 20 $av.$bno.$u12$vr$gno.$i(year)$j(month)$wm$x01', { a: '1', b: '12', g: '112', i: '2024', j: '12' }, 1)).toEqual([
      '2025-01-01 a2 b1 g113 i2025 j01',
    ]);
  });
});

describe('combined and omitted issues ($y)', () => {
  it('combined months by chronology and by enumeration', () => {
    expect(predicted('853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$x01$ycm07/08$yce27/8', { a: '1', b: '6', i: '2024', j: '06' }, 3)).toEqual([
      '2024-07-01 a1 b7/8 i2024 j07/08 *', '2024-09-01 a1 b9 i2024 j09', '2024-10-01 a1 b10 i2024 j10',
    ]);
  });

  it('combined numbers on the first level ($yce1) use up both numbers', () => {
    expect(predicted('853 20 $ano.$i(year)$j(month)$wm$ycm02/03$yce12/3', { a: '1', i: '2024', j: '01' }, 3)).toEqual([
      '2024-02-01 a2/3 i2024 j02/03 *', '2024-04-01 a4 i2024 j04', '2024-05-01 a5 i2024 j05',
    ]);
  });

  it('a combined December/January issue across the year and the calendar change', () => {
    expect(predicted('853 20 $av.$bno.$u11$vr$i(year)$j(month)$wm$x01$ycm12/01', { a: '1', b: '10', i: '2024', j: '11' }, 2)).toEqual([
      '2024-12-01 a2 b1 i2024/2025 j12/01 *', '2025-02-01 a2 b2 i2025 j02',
    ]);
  });

  it('combined seasons and a published season list', () => {
    expect(predicted('853 20 $av.$bno.$u3$vr$i(year)$j(season)$wq$x21$yps21,22/23,24', { a: '1', b: '3', i: '2024', j: '24' }, 3)).toEqual([
      '2025-03-01 a2 b1 i2025 j21', '2025-06-01 a2 b2 i2025 j22/23 *', '2025-12-01 a2 b3 i2025 j24',
    ]);
  });

  it('combined weeks on dated issues: the second date is the next regular one', () => {
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$ww$ycd1220/1227', { a: '1', b: '50', i: '2025', j: '12', k: '13' }, 2)).toEqual([
      '2025-12-20 a1 b51 i2025 j12 k20/27 *', '2026-01-03 a1 b52 i2026 j01 k03',
    ]);
  });

  it('combined weeks by week of the month: the issue of the last week joins that of the week before', () => {
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$ww$ypdsa$ycw1298/1299', { a: '1', b: '50', i: '2025', j: '12', k: '13' }, 2)).toEqual([
      '2025-12-20 a1 b51 i2025 j12 k20/27 *', '2026-01-03 a1 b52 i2026 j01 k03',
    ]);
  });

  it('omitted by month, by day of the year, by weekday and by week', () => {
    expect(predicted('853 20 $av.$bno.$u10$vr$i(year)$j(month)$wm$x01$yom07,08', { a: '1', b: '6', i: '2024', j: '06' }, 2)).toEqual([
      '2024-09-01 a1 b7 i2024 j09', '2024-10-01 a1 b8 i2024 j10',
    ]);
    // a daily not published on Sundays nor on Christmas Day
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$wd$yodsu$yod1225', { a: '1', b: '1', i: '2024', j: '12', k: '21' }, 3).map((s) => s.slice(0, 10))).toEqual([
      '2024-12-23', '2024-12-24', '2024-12-26',
    ]);
    // weekly on Mondays except the first week of each month
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$ww$yow01mo', { a: '1', b: '1', i: '2024', j: '12', k: '30' }, 2).map((s) => s.slice(0, 10))).toEqual([
      '2025-01-13', '2025-01-20',
    ]);
  });

  it('holidays: Thanksgiving (fourth Thursday of November) and Memorial Day (last Monday of May) omitted', () => {
    const caption = '853 20 $av.$bno.$i(year)$j(month)$k(day)$wc$ypw00mo,00th$yow1104th,0599mo';
    expect(predicted(caption, { a: '1', b: '1', i: '2025', j: '11', k: '24' }, 2).map((s) => s.slice(0, 10))).toEqual(['2025-12-01', '2025-12-04']);
    expect(predicted(caption, { a: '1', b: '1', i: '2025', j: '05', k: '22' }, 1).map((s) => s.slice(0, 10))).toEqual(['2025-05-29']);
  });

  it('omitted seasons and years', () => {
    expect(predicted('853 20 $av.$bno.$i(year)$j(season)$wq$yos22', { a: '1', b: '1', i: '2024', j: '21' }, 1)).toEqual(['2024-09-01 a1 b2 i2024 j23']);
    expect(predicted('853 20 $av.$i(year)$wa$yoy2021', { a: '1', i: '2020' }, 1)).toEqual(['2022-01-01 a2 i2022']);
  });

  it('published days of the month and nth weekdays', () => {
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$ws$ypd10,25', { a: '1', b: '1', i: '2024', j: '02', k: '25' }, 2).map((s) => s.slice(0, 10))).toEqual([
      '2024-03-10', '2024-03-25',
    ]);
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$wm$ypw99fr', { a: '1', b: '1', i: '2024', j: '01', k: '26' }, 2).map((s) => s.slice(0, 10))).toEqual([
      '2024-02-23', '2024-03-29',
    ]);
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$wm$ypw03tu', { a: '1', b: '1', i: '2024', j: '01', k: '16' }, 1).map((s) => s.slice(0, 10))).toEqual(['2024-02-20']);
  });

  it('published months on dated issues keep the frequency\'s day', () => {
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$wm$ypm03,09', { a: '1', b: '1', i: '2024', j: '03', k: '15' }, 2).map((s) => s.slice(0, 10))).toEqual([
      '2024-09-15', '2025-03-15',
    ]);
  });

  it('published months and days together: the given days of the given months only', () => {
    expect(predicted('853 20 $av.$bno.$i(year)$j(month)$k(day)$wq$ypm01,04,07,10$ypd15', { a: '1', b: '1', i: '2024', j: '04', k: '15' }, 2).map((s) => s.slice(0, 10))).toEqual([
      '2024-07-15', '2024-10-15',
    ]);
  });

  it('an irregular frequency ($wx) is predicted from the $yp dates alone', () => {
    expect(predicted('853 20 $av.$bno.$u2$vr$i(year)$j(month)$wx$ypm03,09', { a: '1', b: '2', i: '2024', j: '09' }, 2)).toEqual([
      '2025-03-01 a2 b1 i2025 j03', '2025-09-01 a2 b2 i2025 j09',
    ]);
  });

  it('enumeration values published ($ype) and combined ($yce)', () => {
    expect(predicted('853 20 $av.$bno.$u6$vr$i(year)$j(month)$wb$ype21,3,5,7,9,11', { a: '1', b: '9', i: '2024', j: '09' }, 2)).toEqual([
      '2024-11-01 a1 b11 i2024 j11', '2025-01-01 a2 b1 i2025 j01',
    ]);
  });

  it('supplements (854) and indexes (855) are predicted the same way', () => {
    expect(predicted('854 20 $81$av.$i(year)$j(month)$wa$ypm09$oSupplement', { a: '1', i: '2024', j: '09' }, 2)).toEqual([
      '2025-09-01 a2 i2025 j09', '2026-09-01 a3 i2026 j09',
    ]);
    // no $w: the $yp months give every date
    expect(predicted('855 \\\\ $81$av.$i(year)$j(month)$ypm02$oIndex', { a: '4', i: '2024', j: '02' }, 1)).toEqual(['2025-02-01 a5 i2025 j02']);
  });
});

describe('describeIssue', () => {
  it('dates an issue by the first day of its unit', () => {
    const c = parseCaption('853 20 $av.$bno.$u4$vr$i(year)$j(season)$wq');
    expect(describeIssue(c, { a: '1', b: '1', i: '2024', j: '21' })).toEqual({ values: { a: '1', b: '1', i: '2024', j: '21' }, publicationDate: '2024-03-01', combined: false });
    expect(describeIssue(parseCaption('853 20 $av.$i(year)$wa'), { a: '1', i: '2024' }).publicationDate).toBe('2024-01-01');
  });

  it('reads a combined issue whose second part is in the next month or year', () => {
    const c = parseCaption('853 20 $av.$bno.$i(year)$j(month)$k(day)$ww');
    expect(predictNext(c, { a: '1', b: '52', i: '2025', j: '12', k: '27/03' }).publicationDate).toBe('2026-01-10');
    expect(predictNext(parseCaption('853 20 $av.$bno.$i(year)$j(month)$wm'), { a: '1', b: '11', i: '2025', j: '12/01' }).values).toEqual({ a: '1', b: '12', i: '2026', j: '02' });
  });

  it('writes months and days on two digits and marks combined issues', () => {
    const c = parseCaption('853 20 $av.$bno.$i(year)$j(month)$k(day)$wm');
    expect(describeIssue(c, { a: '1', b: '3/4', i: '2024', j: '3', k: '5' })).toEqual({
      values: { a: '1', b: '3/4', i: '2024', j: '03', k: '05' }, publicationDate: '2024-03-05', combined: true,
    });
  });
});

describe('predictIssues limits', () => {
  const monthly = parseCaption('853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$x01');
  const last = { a: '1', b: '10', i: '2024', j: '10' };

  it('stops at until (inclusive), at count, or at whichever comes first', () => {
    expect(predictIssues(monthly, last, { until: '2025-01-01' }).map((p) => p.publicationDate)).toEqual(['2024-11-01', '2024-12-01', '2025-01-01']);
    expect(predictIssues(monthly, last, { until: '2024-12-31' })).toHaveLength(2);
    expect(predictIssues(monthly, last, { until: '2024-10-31' })).toEqual([]);
    expect(predictIssues(monthly, last, { count: 2, until: '2030-01-01' })).toHaveLength(2);
    expect(predictIssues(monthly, last, { count: 10, until: '2024-11-30' })).toHaveLength(1);
    expect(predictIssues(monthly, last, { count: 0 })).toEqual([]);
  });

  it('equals predicting the next issue again and again', () => {
    let current: IssueValues = last;
    for (const issue of predictIssues(monthly, last, { count: 30 })) {
      expect(predictNext(monthly, current)).toEqual(issue);
      current = issue.values;
    }
  });

  it.each([
    [{}, 'limit'],
    [{ count: -1 }, 'limit.count'],
    [{ count: 1.5 }, 'limit.count'],
    [{ count: MAX_PREDICTED_ISSUES + 1 }, 'limit.count'],
    [{ until: '2024-02-30' }, 'limit.until'],
    [{ until: 'tomorrow' }, 'limit.until'],
  ])('refuses the limit %j', (limit, where) => {
    expect(errorOf(() => predictIssues(monthly, last, limit)).where).toBe(where);
  });

  it('refuses to predict more than the maximum before until instead of running on', () => {
    const daily = parseCaption('853 20 $av.$bno.$i(year)$j(month)$k(day)$wd');
    const e = errorOf(() => predictIssues(daily, { a: '1', b: '1', i: '2024', j: '01', k: '01' }, { until: '9999-12-31' }));
    expect(e.where).toBe('limit.until');
  });
});

describe('issuesPerYear', () => {
  it.each([
    ['a', 1], ['b', 6], ['c', 104], ['d', 365], ['e', 26], ['f', 2], ['g', 0.5], ['i', 156], ['j', 36], ['m', 12],
    ['q', 4], ['s', 24], ['t', 3], ['w', 52], ['20', 20], ['k', undefined], ['x', undefined],
  ])('$w%s gives %s', (w, n) => {
    expect(issuesPerYear(parseCaption(`853 20 $av.$i(year)$w${w}`))).toBe(n);
  });

  it('is undefined without $w and refuses an unknown code', () => {
    expect(issuesPerYear(parseCaption('853 20 $av.$i(year)'))).toBeUndefined();
    expect(errorOf(() => issuesPerYear(parseCaption('853 20 $av.$i(year)$wz'))).where).toBe('853 $w');
  });
});

describe('patterns and issues that cannot be predicted from', () => {
  const monthly = '853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$x01';
  const issue = { a: '1', b: '1', i: '2024', j: '01' };

  it.each([
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)', '853 $w', /frequency is missing/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wz', '853 $w', /unknown frequency code "z"/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$w0', '853 $w', /1 to 366/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wx', '853 $w', /completely irregular/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wk', '853 $w', /continuously updated/],
    ['853 20 $av.$bno.$uvar$vr$i(year)$j(month)$wm', '853 $u', /'var' or 'und'/],
    ['853 20 $av.$bno.$uund$vr$i(year)$j(month)$wm', '853 $u', /no calendar change/],
    ['853 20 $av.$bno.$utwelve$vr$i(year)$j(month)$wm', '853 $u', /number of units/],
    ['853 20 $av.$bno.$u12$vx$i(year)$j(month)$wm', '853 $v', /'r' or 'c'/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$x13', '853 $x', /calendar change/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$x0230x', '853 $x', /calendar change/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$yxm01', '853 $y', /must start with p/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$ypq01', '853 $y', /chronology code/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$ypm13', '853 $y', /not a valid value/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$ypdxx', '853 $y', /not a valid value/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$ypw06mo', '853 $y', /not a valid value/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$ycm07', '853 $y', /two values/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$yom07/08', '853 $y', /cannot be combined/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$ype', '853 $y', /enumeration rule/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$ype2x', '853 $y', /enumeration value/],
    ['853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$yp', '853 $y', /must start with p|chronology code/],
    ['853 20 $av.$bno.$u12$vr$wm', '853 $i', /no chronology/],
    ['853 20 $av.$cno.$i(year)$wm', '853 $c', /levels must follow/],
    ['853 20 $av.$bno.$i(year)$j(month)$k(day)$l(part)$wm', '853 $l', /fourth chronology level/],
    ['853 20 $av.$bno.$i(year)$j(week)$wm', '853 $j', /by week is not predicted/],
    ['853 20 $av.$bno.$i(year)$j(day)$wm', '853 $j', /month or season/],
    // a month rule says nothing to a chronology of years only, so $w is still needed
    ['853 20 $av.$i(year)$ypm02', '853 $w', /frequency is missing/],
  ])('%s', (text, where, message) => {
    const e = errorOf(() => predictNext(parseCaption(text), issue));
    expect(e.where).toBe(where);
    expect(e.message).toMatch(message);
  });

  it.each([
    [{ a: '1', b: 'x', i: '2024', j: '01' }, '863 $b', /must be a number/],
    [{ a: 'v1', b: '1', i: '2024', j: '01' }, '863 $a', /must be a number/],
    [{ a: '1', i: '2024', j: '01' }, '863 $b', /missing/],
    [{ a: '1', b: '1', i: '2024' }, '863 $j', /missing/],
    [{ a: '1', b: '1', i: '2024', j: '13' }, '863 $j', /out of range/],
    [{ a: '1', b: '1', i: '0', j: '01' }, '863 $i', /out of range/],
    [{ a: '1', b: '1', i: '10000', j: '01' }, '863 $i', /out of range/],
    [{ a: '1', b: '1/2/3', i: '2024', j: '01' }, '863 $b', /two joined/],
    [{ a: '1', b: '1', i: '2024', j: '01/' }, '863 $j', /two joined/],
    [{ a: '1', b: '99999999999999999999', i: '2024', j: '01' }, '863 $b', /must be a number/],
    [{ a: '1', b: '1', i: '2024/2023', j: '01' }, '863 $i', /ends before it starts/],
  ])('refuses the issue %j', (values, where, message) => {
    const e = errorOf(() => predictNext(parseCaption(monthly), values));
    expect(e.where).toBe(where);
    expect(e.message).toMatch(message);
  });

  it('refuses a day past the end of its month', () => {
    const e = errorOf(() => predictNext(parseCaption('853 20 $av.$bno.$i(year)$j(month)$k(day)$wd'), { a: '1', b: '1', i: '2023', j: '02', k: '29' }));
    expect(e.where).toBe('863 $k');
  });

  it('names 864 and 865 for supplements and indexes', () => {
    expect(errorOf(() => predictNext(parseCaption('854 20 $av.$i(year)$wa'), { a: 'x', i: '2024' })).where).toBe('864 $a');
    expect(errorOf(() => predictNext(parseCaption('855 20 $av.$i(year)$wa'), { a: '1', i: 'x' })).where).toBe('865 $i');
  });

  it('gives up with the reason when the $y rules leave no date, instead of searching forever', () => {
    const e = errorOf(() => predictNext(parseCaption('853 20 $av.$bno.$i(year)$j(month)$wm$ypm02$yom02'), issue));
    expect(e.where).toBe('853 $y');
    expect(e.message).toMatch(/no issue is published within/);
    expect(errorOf(() => predictNext(parseCaption('853 20 $av.$bno.$i(year)$j(month)$k(day)$wd$yodmo,tu,we,th,fr,sa,su'), { ...issue, k: '01' })).where).toBe('853 $y');
  });

  it('refuses to go past the year 9999', () => {
    expect(errorOf(() => predictNext(parseCaption('853 20 $av.$i(year)$wa'), { a: '1', i: '9999' })).where).toBe('863 $i');
  });

  it('refuses what is not a caption or not values', () => {
    expect(errorOf(() => predictNext(null as never, issue)).where).toBe('caption');
    expect(errorOf(() => predictNext(parseCaption(monthly), null as never)).where).toBe('863');
    expect(errorOf(() => predictNext({ tag: '245', indicators: '  ', subfields: [] } as never, issue)).where).toBe('caption');
  });

  it('refuses more calendar changes than a year has months and seasons', () => {
    const many = Array.from({ length: 30 }, (_, i) => String((i % 12) + 1).padStart(2, '0')).join(',');
    expect(errorOf(() => predictNext(parseCaption(`853 20 $av.$bno.$u12$vr$i(year)$j(month)$wm$x${many}`), issue)).where).toBe('853 $x');
  });

  it('refuses a caption with thousands of $y values', () => {
    const many = Array.from({ length: 500 }, (_, i) => String((i % 28) + 1).padStart(2, '0')).join(',');
    const caption = { tag: '853' as const, indicators: '20', subfields: [
      { code: 'a', value: 'v.' }, { code: 'i', value: '(year)' }, { code: 'j', value: '(month)' }, { code: 'k', value: '(day)' },
      { code: 'w', value: 'd' }, { code: 'y', value: `od${many}` }] };
    expect(errorOf(() => predictNext(caption, { a: '1', i: '2024', j: '01', k: '01' })).message).toMatch(/more than 400 values/);
  });
});
