import { SerialsFormatError, formatField, issueValuesOf, linkOf, parseCaption, parseHolding, subfield, subfieldsOf } from './marc-text.js';

describe('MARC holdings fields in text form', () => {
  it('reads an 853 with repeatable subfields in order', () => {
    const c = parseCaption('853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01$ypm01,03$yom02');
    expect(c.tag).toBe('853');
    expect(c.indicators).toBe('20');
    expect(subfield(c, 'a')).toBe('v.');
    expect(subfieldsOf(c, 'y')).toEqual(['pm01,03', 'om02']);
    expect(linkOf(c)).toBe('1');
  });

  it('reads MARCBreaker lines, ‡ and | delimiters and blank indicators', () => {
    expect(parseCaption('=853  20$81$av.').subfields).toEqual([{ code: '8', value: '1' }, { code: 'a', value: 'v.' }]);
    expect(parseCaption('853 \\0 ‡81‡av.').indicators).toBe(' 0');
    expect(parseHolding('863 41 |81.2|a1|b6|i1990|j06').subfields.length).toBe(5);
    expect(parseHolding('863 ## $81.1$a1').indicators).toBe('  ');
  });

  it('gives an issue\'s values from a holding (enumeration and chronology only)', () => {
    const h = parseHolding('863 41 $81.1$a1$b6/7$i1990$j06/07$xnote');
    expect(issueValuesOf(h)).toEqual({ a: '1', b: '6/7', i: '1990', j: '06/07' });
    expect(linkOf(h)).toBe('1');
  });

  it('round-trips through formatField', () => {
    const text = '853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm';
    expect(parseCaption(formatField(parseCaption(text)))).toEqual(parseCaption(text));
  });

  it.each([
    ['', 'caption'],
    ['245 10 $aTitle', 'caption'],
    ['853 20', 'caption 853'],
    ['853 2x $av.', 'caption 853'],
    ['853 20 $Av.', 'caption 853'],
    ['853 20 ' + '$av.'.repeat(2000), 'caption'],
  ])('refuses bad input %# naming where', (text, where) => {
    let error: unknown;
    try {
      parseCaption(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SerialsFormatError);
    expect((error as SerialsFormatError).where).toBe(where);
  });
});
