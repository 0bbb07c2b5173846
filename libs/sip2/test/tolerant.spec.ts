import { adviseReply, buildMessage, readMessage, toTyped, type CheckinRequest } from '../src/index.js';
import { BLANK, D, FRAMES, bytes, readOk } from './helpers.js';

describe('tolerant reading', () => {
  const checkin = `09N${D}${D}APfront desk|AOmain|AB30001|AC|`;

  it.each([['CR', '\r'], ['CRLF', '\r\n'], ['LF', '\n'], ['none', ''], ['CR CR LF', '\r\r\n']])('accepts terminator %s', (_n, t) => {
    expect(readOk(checkin + t).message.fields).toHaveLength(4);
  });

  it('keeps empty fields, unknown codes and the order as sent', () => {
    const r = readOk(`17${D}ABitem|XXvendor thing|AO|ZZ|AC|`);
    expect(r.message.fields).toEqual([
      { code: 'AB', value: 'item' }, { code: 'XX', value: 'vendor thing' }, { code: 'AO', value: '' }, { code: 'ZZ', value: '' }, { code: 'AC', value: '' },
    ]);
    const t = toTyped(r.message)!;
    expect(t.typed.value).toEqual({ transactionDate: expect.any(Object), itemIdentifier: 'item', institutionId: '', terminalPassword: '', extra: [{ code: 'XX', value: 'vendor thing' }, { code: 'ZZ', value: '' }] });
    expect(buildMessage(r.message).toString('latin1')).toBe(`17${D}ABitem|XXvendor thing|AO|ZZ|AC|\r`);
  });

  it('accepts a last field without its delimiter, and stray empty segments (warned)', () => {
    expect(readOk(`17${D}AOmain|AB30001`).message.fields).toEqual([{ code: 'AO', value: 'main' }, { code: 'AB', value: '30001' }]);
    const r = readOk(`17${D}AOmain||AB30001|X|`);
    expect(r.message.fields).toHaveLength(2);
    expect(r.warnings.map((w) => w.code)).toEqual(['empty-field', 'empty-field']);
  });

  it('warns about a missing required field, fills it with "" in the typed form', () => {
    const r = readOk(`17${D}AB30001|`);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'missing-field', field: 'AO' })]);
    expect(toTyped(r.message)!.typed.value).toMatchObject({ institutionId: '', itemIdentifier: '30001' });
    expect(adviseReply(r)).toEqual({ action: 'process' });
  });

  it('missing optional fields are simply absent', () => {
    const v = toTyped(readOk(checkin).message)!.typed.value as CheckinRequest;
    expect('itemProperties' in v).toBe(false);
    expect(v.cancel).toBeUndefined();
  });

  it('a repeated single field: first wins, the repeat is kept in extra', () => {
    const t = toTyped(readOk(`17${D}AOmain|AB1|AB2|`).message)!;
    expect(t.typed.value).toMatchObject({ itemIdentifier: '1', extra: [{ code: 'AB', value: '2' }] });
    expect(t.warnings.map((w) => w.code)).toEqual(['repeated-field']);
  });

  it('a value that does not fit its type is kept in extra with a warning', () => {
    const t = toTyped(readOk(`63001${D}Y         AOmain|AA1|BPfirst|BO?|`).message)!;
    expect(t.typed.value).toMatchObject({ extra: [{ code: 'BP', value: 'first' }, { code: 'BO', value: '?' }] });
    expect(t.warnings.map((w) => w.code)).toEqual(['field-value']);
  });

  it('blank dates read as null', () => {
    const v = toTyped(readOk(`11YN${BLANK}${BLANK}AOa|AAb|ABc|AC|`).message)!.typed.value;
    expect(v).toMatchObject({ transactionDate: null, nbDueDate: null });
  });

  it('UTC dates ("   Z") are recognised', () => {
    const v = toTyped(readOk(`17${D.slice(0, 8)}   Z${D.slice(12)}AOa|ABb|`).message)!.typed.value;
    expect(v).toMatchObject({ transactionDate: { utc: true, hour: 10 } });
  });
});

describe('malformed input gives a result, never an exception', () => {
  it('empty and one-character frames', () => {
    for (const s of ['', '\r', '\r\n', '9']) {
      const r = readMessage(bytes(s));
      expect(r.errors.map((e) => e.code)).toEqual(['empty-frame']);
      expect(adviseReply(r).action).toBe('request-resend');
    }
  });

  it('unknown message id -> 96', () => {
    const r = readMessage(bytes('XS\r'));
    expect(r).toMatchObject({ ok: false, def: undefined, message: { id: 'XS' } });
    expect(r.errors.map((e) => e.code)).toEqual(['unknown-message']);
    expect(adviseReply(r).action).toBe('request-resend');
    expect(toTyped(r.message)).toBeUndefined();
  });

  it('truncated fixed fields -> negative response, with what could be read', () => {
    const r = readMessage(bytes(`11YN${D.slice(0, 10)}`));
    expect(r.errors).toEqual([expect.objectContaining({ code: 'fixed-field', field: 'transactionDate' })]);
    expect(r.message.fixed).toEqual(['Y', 'N', D.slice(0, 10)]);
    expect(adviseReply(r).action).toBe('negative');
    expect(toTyped(r.message)!.typed.value).toMatchObject({ scRenewalPolicy: true, transactionDate: null, nbDueDate: null, patronIdentifier: '' });
  });

  it('fixed fields of the wrong type are errors naming the field', () => {
    const r = readMessage(bytes(`11XN2024-03-01 10:15:30${BLANK}AOa|AAb|ABc|AC|`));
    expect(r.errors.map((e) => e.field)).toEqual(['scRenewalPolicy', 'transactionDate', 'nbDueDate']);
  });

  it('97 is answered by re-sending the last response', () => {
    expect(adviseReply(readOk('97'))).toEqual({ action: 'resend-last' });
    expect(adviseReply(readOk(FRAMES['17']!))).toEqual({ action: 'process' });
  });
});
