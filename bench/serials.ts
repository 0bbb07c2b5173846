/**
 * Serials prediction throughput: 10,000 subscriptions, each predicted five years ahead from its
 * latest issue with predictIssues(caption, last, { until }), the way the service fills a
 * subscription's expected issues.
 *
 *   npm run bench:serials                  (= node scripts/build.js && node dist/bench/serials.js)
 *   npm run bench:serials -- --rounds 3    (median of 3 timed rounds instead of 5)
 *
 * The mix is that of a mid-sized library's current subscriptions: mostly weekly and monthly titles,
 * then quarterlies, semimonthlies and bimonthlies, a few dailies (no Sunday issue, none on public
 * holidays) and monthlies with a combined summer issue (July/August, numbered 7/8). Start dates
 * and numbering differ per subscription. Captions are parsed once, as the service keeps them.
 * Every figure is a median of CPU time over several rounds (bench/median.ts).
 */
import { parseCaption, predictIssues, type CaptionField, type IssueValues } from '@carrel/serials';
import { medianSeconds, timingNote } from './median.js';

const SUBSCRIPTIONS = 10_000;
const YEARS = 5;

interface Kind {
  name: string;
  /** share of the subscriptions, in percent */
  share: number;
  caption: string;
  last(i: number): IssueValues;
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** a Monday-to-Sunday day in December 2025 that falls on the wanted ISO weekday (1 = Monday) */
const decemberDay = (i: number, weekday: number): number => 1 + ((weekday - 1 + 7 * (i % 4)) % 28);

const KINDS: Kind[] = [
  {
    name: 'weekly', share: 35,
    caption: '853 20 $81$av.$bno.$u52$vr$i(year)$j(month)$k(day)$ww$x01',
    last: (i) => ({ a: String(10 + (i % 40)), b: '48', i: '2025', j: '12', k: pad(decemberDay(i, 1 + (i % 7))) }),
  },
  {
    name: 'monthly', share: 30,
    caption: '853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01',
    last: (i) => ({ a: String(1 + (i % 90)), b: '12', i: '2025', j: '12' }),
  },
  {
    name: 'quarterly', share: 10,
    caption: '853 20 $81$av.$bno.$u4$vr$i(year)$j(season)$wq$x21',
    last: (i) => ({ a: String(1 + (i % 60)), b: '4', i: '2025', j: '24' }),
  },
  {
    name: 'semimonthly', share: 8,
    caption: '853 20 $81$av.$bno.$u24$vc$i(year)$j(month)$k(day)$ws$x01',
    last: (i) => ({ a: String(1 + (i % 30)), b: String(24 * (1 + (i % 30))), i: '2025', j: '12', k: '15' }),
  },
  {
    name: 'bimonthly', share: 5,
    caption: '853 20 $81$av.$bno.$u6$vr$i(year)$j(month)$wb$x01',
    last: (i) => ({ a: String(1 + (i % 50)), b: '6', i: '2025', j: '11' }),
  },
  {
    name: 'daily except Sundays and holidays', share: 5,
    caption: '853 20 $81$av.$bno.$uvar$vr$i(year)$j(month)$k(day)$wd$x01$yodsu$yod0101,0704,1225$yow0901mo,1104th,0599mo',
    last: (i) => ({ a: String(100 + (i % 50)), b: '300', i: '2025', j: '12', k: pad(20 + (i % 4)) }),
  },
  {
    name: 'monthly, combined July/August', share: 7,
    caption: '853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01$ycm07/08$yce27/8',
    last: (i) => ({ a: String(1 + (i % 70)), b: '12', i: '2025', j: '12' }),
  },
];

interface Subscription {
  kind: number;
  caption: CaptionField;
  last: IssueValues;
}

function subscriptions(): Subscription[] {
  const captions = KINDS.map((k) => parseCaption(k.caption));
  const out: Subscription[] = [];
  for (let i = 0; i < SUBSCRIPTIONS; i++) {
    // kinds by share, spread across the list rather than in blocks
    let slot = (i * 37) % 100;
    let k = 0;
    while (slot >= KINDS[k]!.share) slot -= KINDS[k++]!.share;
    // a caption per subscription, as each has its own pattern row
    out.push({ kind: k, caption: { ...captions[k]!, subfields: [...captions[k]!.subfields] }, last: KINDS[k]!.last(i) });
  }
  return out;
}

const until = `${2025 + YEARS}-12-31`;

function predictAll(list: Subscription[]): number {
  let issues = 0;
  for (const s of list) issues += predictIssues(s.caption, s.last, { until }).length;
  return issues;
}

console.log(`Serials prediction, ${timingNote()}`);
const list = subscriptions();
const perKind = KINDS.map((k, index) => {
  const ofKind = list.filter((sub) => sub.kind === index);
  return `${k.name} ${ofKind.length} (${predictIssues(ofKind[0]!.caption, ofKind[0]!.last, { until }).length} issues each)`;
});
console.log(`  mix: ${perKind.join(', ')}`);
const issues = predictAll(list);
const seconds = medianSeconds(() => { predictAll(list); }, 0.01);
console.log(`  subscriptions        ${SUBSCRIPTIONS.toLocaleString('en-US')}`);
console.log(`  years predicted      ${YEARS} (2026-01-01 to ${until})`);
console.log(`  issues predicted     ${issues.toLocaleString('en-US')}`);
console.log(`  seconds              ${seconds.toFixed(2)}`);
console.log(`  issues/s             ${Math.round(issues / seconds).toLocaleString('en-US')}`);
