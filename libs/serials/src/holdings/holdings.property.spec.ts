/**
 * Properties of holdings statements over generated runs: captions of several kinds, a starting issue,
 * and a status for every issue. Whatever the statuses, the statement's 863s compress back to the same
 * statement, expand back to exactly the received issues, and the display has one part per 863.
 */
import fc from 'fast-check';
import { parseCaption, type CaptionField } from '../marc-text.js';
import { describeIssue, predictIssues } from '../prediction/index.js';
import { compressHoldings, expandHolding } from './expand.js';
import { issueLabel } from './label.js';
import { holdingsStatement, type HoldingStatus } from './statement.js';

const CAPTIONS: [string, Record<string, string>][] = [
  ['853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01', { a: '1', b: '1', i: '2020', j: '01' }],
  ['853 20 $81$av.$bno.$u4$vc$i(year)$j(season)$wq', { a: '3', b: '9', i: '2001', j: '21' }],
  ['853 20 $81$av.$bno.$u52$vr$i(year)$j(month)$k(day)$ww$x01', { a: '7', b: '1', i: '2019', j: '01', k: '07' }],
  ['853 20 $81$av.$bno.$u11$vr$i(year)$j(month)$wm$x01$yom08$ycm11/12$yce210/11', { a: '1', b: '1', i: '1990', j: '01' }],
  ['853 00 $81$a(year)$b(month)$wm$ycm07/08', { a: '2010', b: '05' }],
  ['853 20 $81$ano.$i(year)$j(month)$k(day)$wd$yodsu', { a: '100', i: '2024', j: '02', k: '26' }],
];

const runs = fc.record({
  which: fc.integer({ min: 0, max: CAPTIONS.length - 1 }),
  statuses: fc.array(fc.constantFrom<HoldingStatus>('received', 'received', 'received', 'missing', 'not_published'), { minLength: 1, maxLength: 60 }),
  openEnded: fc.boolean(),
});

describe('holdings statement properties', () => {
  it('compresses back to itself, expands back to the received issues, and shows one part per 863', () => {
    fc.assert(
      fc.property(runs, ({ which, statuses, openEnded }) => {
        const [text, start] = CAPTIONS[which]!;
        const caption: CaptionField = parseCaption(text);
        const issues = [describeIssue(caption, start), ...predictIssues(caption, start, { count: statuses.length - 1 })];
        const listed = issues.map((issue, i) => ({ values: issue.values, status: statuses[i]! }));
        const lastReceived = statuses.lastIndexOf('received');
        const open = openEnded && lastReceived >= 0 && !statuses.slice(lastReceived).includes('missing');
        const statement = holdingsStatement(caption, listed, { openEnded: open });

        const parts = statement.display === '' ? [] : statement.display.split(/[,;]/);
        expect(parts).toHaveLength(statement.fields.length);
        expect(compressHoldings(caption, statement.fields)).toEqual(statement);

        if (!open) {
          const expanded = statement.fields.flatMap((field) => expandHolding(caption, field).map((issue) => issueLabel(caption, issue.values)));
          const received = listed.filter((issue) => issue.status === 'received').map((issue) => issueLabel(caption, issue.values));
          expect(expanded).toEqual(received);
        }
      }),
      { numRuns: 200 },
    );
  });
});
