/**
 * Every prediction vector the shared fixtures hold for MARC 21 captions: the 86 Evergreen MFHD
 * vectors (mfhddata.txt, transcribed) and the 29 MARC cases of cases.json. Each vector is the
 * caption, the current issue and the issue Evergreen's MFHD::Holding->next gives after it.
 */
import { readFileSync } from 'node:fs';
import { describeIssue, parseCaption, predictIssues, predictNext, type CaptionField, type CaptionTag } from '@carrel/serials';
import { describeWithFixtures, fixturePath } from '../support/fixtures.js';

interface EvergreenVector {
  id: string;
  record_title: string;
  caption_tag: CaptionTag;
  caption_indicators: string;
  caption_subfields: [string, string][];
  holding_subfields: [string, string][];
  expected_next: Record<string, string>;
  note: string;
  expected_chron_to_date_of_holding?: string;
}

interface MarcCase {
  id: string;
  model: string;
  title: string;
  pattern: Record<string, string | string[]>;
  start: Record<string, string>;
  expected: Record<string, string>[];
}

const captionOf = (tag: CaptionTag, indicators: string, subfields: [string, string][]): CaptionField => ({
  tag, indicators, subfields: subfields.map(([code, value]) => ({ code, value })),
});

describeWithFixtures('serials', 'serials prediction: Evergreen MFHD vectors (mfhddata.txt)', () => {
  const vectors = (): EvergreenVector[] =>
    (JSON.parse(readFileSync(fixturePath('serials', 'transcribed', 'evergreen_mfhd_next.json'), 'utf8')) as { cases: EvergreenVector[] }).cases;

  it('holds all 86 vectors', () => {
    expect(vectors()).toHaveLength(86);
  });

  for (const v of vectors()) {
    it(`${v.id}: ${v.record_title.trim()} — ${v.note.trim()}`, () => {
      const caption = captionOf(v.caption_tag, v.caption_indicators, v.caption_subfields);
      const last = Object.fromEntries(v.holding_subfields);
      const next = predictNext(caption, last);
      expect(next.values).toEqual(v.expected_next);
      expect(next.combined).toBe(Object.values(v.expected_next).some((x) => x.includes('/')));
      // dated after the issue before it, and described again as predicted
      expect(next.publicationDate > describeIssue(caption, last).publicationDate).toBe(true);
      expect(describeIssue(caption, next.values)).toEqual(next);
      // the text form staff type gives the same caption
      const text = `${v.caption_tag} ${v.caption_indicators} ${v.caption_subfields.map(([c, x]) => `$${c}${x}`).join('')}`;
      expect(predictNext(parseCaption(text), last).values).toEqual(v.expected_next);
      if (v.expected_chron_to_date_of_holding) {
        expect(describeIssue(caption, last).publicationDate).toBe(v.expected_chron_to_date_of_holding);
      }
    });
  }
});

describeWithFixtures('serials', 'serials prediction: MARC cases of cases.json', () => {
  const cases = (): MarcCase[] =>
    (JSON.parse(readFileSync(fixturePath('serials', 'cases.json'), 'utf8')) as { cases: MarcCase[] }).cases.filter((c) => c.model.startsWith('MARC21'));

  it('holds the 29 MARC cases', () => {
    expect(cases()).toHaveLength(29);
  });

  for (const c of cases()) {
    it(`${c.id}: ${c.title.trim()}`, () => {
      const tag = c.model.slice(7, 10) as CaptionTag;
      const subfields: [string, string][] = [];
      for (const [code, value] of Object.entries(c.pattern)) {
        for (const v of Array.isArray(value) ? value : [value]) subfields.push([code, v]);
      }
      // cases.json keeps subfields by code; the caption's order puts $8 first, then $a–$x, $y last
      const caption = captionOf(tag, '20', subfields);
      const predicted = predictIssues(caption, c.start, { count: c.expected.length });
      expect(predicted.map((p) => p.values)).toEqual(c.expected);
    });
  }
});
