import {
  FIELDS, FIXED, SIP_MESSAGE_IDS, buildMessage, buildTyped, formatSipDate, fromTyped, messageDef, parseSipDate,
  readMessage, sanitizeValue, sipDateFromDate, sipDateToDate, toTyped, SipBuildError,
  type CheckoutResponse, type PatronInformationResponse, type SipMessageId,
} from '../src/index.js';
import { BLANK, D, FRAMES } from './helpers.js';

const sample = (type: string, width?: number): [unknown, string] => {
  switch (type) {
    case 'yn': return [true, 'Y'];
    case 'int': return [7, width ? '7'.padStart(width, '0') : '7'];
    case 'date': case 'dueDate': return [{ year: 2024, month: 12, day: 31, hour: 23, minute: 59, second: 0, utc: false }, '20241231    235900'];
    default: return ['v é|x', 'v é x'];
  }
};

describe('every field code', () => {
  const codes = Object.keys(FIELDS);

  it('is used by at least one message', () => {
    const used = new Set(SIP_MESSAGE_IDS.flatMap((id) => messageDef(id)!.fields.map((f) => f.def.code)));
    expect(codes.filter((c) => !used.has(c))).toEqual([]);
    expect(codes).toEqual(expect.arrayContaining(['CH', 'CK', 'CL', 'CR', 'CS', 'CT', 'CV', 'CY', 'DA', 'PA', 'PB', 'PC', 'PI']));
  });

  it.each(codes)('field %s: typed value written and read back', (code) => {
    const id = SIP_MESSAGE_IDS.find((m) => messageDef(m)!.byCode.has(code))!;
    const d = FIELDS[code as keyof typeof FIELDS];
    const [value, text] = sample(d.type, 'width' in d ? d.width : undefined);
    const base = toTyped(readMessage(Buffer.from(FRAMES[id]!, 'latin1')).message)!.typed.value as Record<string, unknown>;
    const typed = { ...base, [d.key]: d.repeat ? ['a', 'b'] : value };
    const generic = fromTyped(id, typed as never);
    const written = generic.fields.filter((f) => f.code === code).map((f) => f.value);
    expect(written).toEqual(d.repeat ? ['a', 'b'] : [d.type === 'text' ? 'v é|x' : text]);
    const bytes = buildMessage(generic);
    const back = toTyped(readMessage(bytes).message)!.typed.value as Record<string, unknown>;
    expect(back[d.key]).toEqual(d.repeat ? ['a', 'b'] : d.type === 'text' ? 'v é x' : value);
  });
});

describe('fixed field types', () => {
  it.each(Object.values(FIXED).map((f) => [f.key, f.type, f.length] as const))('%s (%s, %i characters) is written at its width', (key, _type, length) => {
    const id = SIP_MESSAGE_IDS.find((m) => messageDef(m)!.fixed.some((f) => f.key === key))!;
    const def = messageDef(id)!;
    const base = toTyped(readMessage(Buffer.from(FRAMES[id]!, 'latin1')).message)!.typed.value as Record<string, unknown>;
    const i = def.fixed.findIndex((f) => f.key === key);
    for (const v of [undefined, null, base[key]]) {
      const g = fromTyped(id, { ...base, [key]: v } as never);
      const text = buildMessage(g).toString('latin1');
      const offset = 2 + def.fixed.slice(0, i).reduce((n, f) => n + f.length, 0);
      expect(text.slice(offset, offset + length)).toHaveLength(length);
      expect(readMessage(Buffer.from(text, 'latin1')).message.fixed[i]).toHaveLength(length);
    }
  });

  it('counts are zero-padded, blank when unknown, all nines when too large', () => {
    const v = toTyped(readMessage(Buffer.from(FRAMES['64']!, 'latin1')).message)!.typed.value as PatronInformationResponse;
    const t = buildTyped('64', { ...v, holdItemsCount: 12345, overdueItemsCount: null, chargedItemsCount: 42 }).toString('latin1');
    expect(t.slice(37, 61)).toBe('9999    0042000000000000');
  });

  it('a fixed value of the wrong length is padded or cut by the generic writer', () => {
    expect(buildMessage({ id: '99', fixed: ['0', '80', '2.000'], fields: [] }).toString('latin1')).toBe('99080 2.00\r');
    expect(() => buildMessage({ id: '99', fixed: ['0'], fields: [] })).toThrow(SipBuildError);
  });
});

describe('writing options', () => {
  const resp: CheckoutResponse = {
    ok: true, renewalOk: false, magneticMedia: false, desensitize: true, transactionDate: parseSipDate(D),
    institutionId: 'main', patronIdentifier: '2000001', itemIdentifier: '30001', titleIdentifier: 'The Hobbit',
    dueDate: { year: 2024, month: 3, day: 15, hour: 23, minute: 59, second: 0, utc: false }, screenMessage: ['Due soon'],
  };

  it('due date formats', () => {
    expect(buildTyped('12', resp).toString('latin1')).toContain('AH20240315    235900|');
    expect(buildTyped('12', resp, { dueDateFormat: 'iso' }).toString('latin1')).toContain('AH2024-03-15 23:59:00|');
    expect(buildTyped('12', resp, { dueDateFormat: (d) => `${d.day}/${d.month}/${d.year}` }).toString('latin1')).toContain('AH15/3/2024|');
    expect(buildTyped('12', { ...resp, dueDate: '15/03/2024' }).toString('latin1')).toContain('AH15/03/2024|');
  });

  it('terminator, delimiter, hidden and always-sent fields', () => {
    expect(buildTyped('12', resp, { terminator: '\r\n', delimiter: '^', hide: ['AJ', 'AF'], alwaysSend: ['CK', 'BT'] }).toString('latin1'))
      .toBe(`121NNY${D}AOmain^AA2000001^AB30001^AH20240315    235900^BT^CK^\r\n`);
  });

  it('the delimiter inside a value never breaks the frame, whichever delimiter the account uses', () => {
    const t = buildTyped('12', { ...resp, titleIdentifier: 'A^B|C\nD' }, { delimiter: '^' }).toString('latin1');
    expect(t).toContain('AJA B|C D^');
    expect(readMessage(Buffer.from(t, 'latin1'), { delimiter: '^' }).message.fields.find((f) => f.code === 'AJ')!.value).toBe('A B|C D');
    expect(sanitizeValue('a|b\r\nc\td\x00', '|')).toBe('a b  c d ');
    expect(sanitizeValue('plain', '|')).toBe('plain');
  });

  it('rejects field codes that are not two characters (a programming error)', () => {
    expect(() => buildMessage({ id: '97', fixed: [], fields: [{ code: 'ABC', value: '' }] })).toThrow(SipBuildError);
    // A code read from a damaged frame is sanitised, not refused, so whatever was read can be written back.
    expect(buildMessage({ id: '97', fixed: [], fields: [{ code: 'A|', value: '' }] }).toString('latin1')).toBe('97A |\r');
    expect(() => buildMessage({ id: '9', fixed: [], fields: [] })).toThrow(SipBuildError);
  });
});

describe('dates', () => {
  it('parses and formats local and UTC dates', () => {
    expect(parseSipDate('20240301    101530')).toEqual({ year: 2024, month: 3, day: 1, hour: 10, minute: 15, second: 30, utc: false });
    expect(formatSipDate(parseSipDate('20240301   Z101530')!)).toBe('20240301   Z101530');
    for (const bad of [BLANK, '2024030110153', '20241301    101530', '20240301    251530', 'abcdefgh    101530']) expect(parseSipDate(bad)).toBeNull();
  });

  it('converts instants in UTC and in a named zone (no clock read)', () => {
    const t = new Date(Date.UTC(2024, 6, 1, 22, 30, 5));
    expect(formatSipDate(sipDateFromDate(t, 'utc'))).toBe('20240701   Z223005');
    const oslo = sipDateFromDate(t, 'Europe/Oslo');
    expect(formatSipDate(oslo)).toBe('20240702    003005');
    expect(sipDateToDate(oslo, 'Europe/Oslo').getTime()).toBe(t.getTime());
    expect(sipDateToDate(sipDateFromDate(t, 'utc')).getTime()).toBe(t.getTime());
    expect(sipDateToDate(sipDateFromDate(t, 'process')).getTime()).toBe(t.getTime());
  });
});

describe('the typed ids', () => {
  it('fromTyped/toTyped agree for every message with only required fields', () => {
    for (const id of SIP_MESSAGE_IDS as SipMessageId[]) {
      const v = toTyped(readMessage(Buffer.from(FRAMES[id]!, 'latin1')).message)!.typed.value;
      expect(toTyped(fromTyped(id, v as never))!.typed.value).toEqual(v);
    }
  });
});
