import { Buffer } from 'node:buffer';
import {
  SIP_MESSAGE_IDS, buildMessage, buildTyped, fromTyped, messageDef, readMessage, toTyped,
  type CheckinResponse, type CheckoutRequest, type ItemInformationResponse, type PatronInformationResponse, type SipMessageId,
} from '../src/index.js';
import { BLANK, D, FRAMES, bytes, readOk } from './helpers.js';

describe('every message of SIP2 v2.00', () => {
  it('has a frame in the test table for each defined message, and the definitions are complete', () => {
    expect(Object.keys(FRAMES).sort()).toEqual([...SIP_MESSAGE_IDS].sort());
    expect(SIP_MESSAGE_IDS).toHaveLength(31);
  });

  it.each(SIP_MESSAGE_IDS)('message %s: parse, typed round trip, byte-exact build', (id) => {
    const frame = FRAMES[id]!;
    const r = readOk(frame + '\r');
    expect(r.message.id).toBe(id);
    expect(r.warnings).toEqual([]);
    // Fixed fields at their exact widths.
    const def = messageDef(id)!;
    expect(r.message.fixed.map((f) => f.length)).toEqual(def.fixed.map((f) => f.length));
    // Generic: byte for byte.
    expect(buildMessage(r.message).equals(bytes(frame + '\r'))).toBe(true);
    // Typed: parse -> typed -> build gives the same bytes; typed -> generic -> typed is stable.
    const t = toTyped(r.message)!;
    expect(t.warnings).toEqual([]);
    expect(t.typed.id).toBe(id);
    const again = buildTyped(id as SipMessageId, t.typed.value as never);
    expect(again.toString('latin1')).toBe(frame + '\r');
    expect(toTyped(fromTyped(id as SipMessageId, t.typed.value as never))!.typed.value).toEqual(t.typed.value);
  });
});

describe('typed messages', () => {
  it('reads a checkout request as sent by a kiosk (edge-sip2 test frame, fields in kiosk order)', () => {
    const frame = `11YY${D}${BLANK}AApatron_id|ABSomeBook|AC|CHAutographed|AD1234|AOuniversity_id|BON|BIN|`;
    const r = readOk(frame);
    const t = toTyped(r.message)!;
    expect(t.typed.id).toBe('11');
    const req = t.typed.value as CheckoutRequest;
    expect(req).toEqual({
      scRenewalPolicy: true, noBlock: true,
      transactionDate: { year: 2024, month: 3, day: 1, hour: 10, minute: 15, second: 30, utc: false },
      nbDueDate: null,
      patronIdentifier: 'patron_id', itemIdentifier: 'SomeBook', terminalPassword: '', itemProperties: 'Autographed',
      patronPassword: '1234', institutionId: 'university_id', feeAcknowledged: false, cancel: false,
    });
    // Generic writing keeps the kiosk's order; typed writing uses the guide's order.
    expect(buildMessage(r.message).toString('latin1')).toBe(frame + '\r');
    expect(buildTyped('11', req).toString('latin1')).toBe(`11YY${D}${BLANK}AOuniversity_id|AApatron_id|ABSomeBook|AC|CHAutographed|AD1234|BON|BIN|\r`);
  });

  it('builds the edge-sip2 checkin response exactly (magnetic media unknown -> U)', () => {
    const resp: CheckinResponse = {
      ok: true, resensitize: true, magneticMedia: null, alert: false,
      transactionDate: { year: 2024, month: 3, day: 1, hour: 10, minute: 15, second: 30, utc: false },
      institutionId: 'diku', itemIdentifier: '1234567890', permanentLocation: 'Main Library',
    };
    expect(buildTyped('10', resp).toString('latin1')).toBe(`101YUN${D}AOdiku|AB1234567890|AQMain Library|\r`);
  });

  it('writes required fields even when unset, and optional ones only when given', () => {
    const resp = {
      circulationStatus: '03', securityMarker: '02', feeType: '01', transactionDate: null,
      itemIdentifier: '30001', titleIdentifier: '',
    } satisfies ItemInformationResponse;
    expect(buildTyped('18', resp).toString('latin1')).toBe(`18030201${BLANK}AB30001|AJ|\r`);
  });

  it('maps the 64 summary counts and item lists', () => {
    const t = toTyped(readOk(FRAMES['64']!).message)!.typed.value as PatronInformationResponse;
    expect([t.holdItemsCount, t.overdueItemsCount, t.chargedItemsCount, t.fineItemsCount, t.recallItemsCount, t.unavailableHoldsCount]).toEqual([1, 2, 3, 0, 0, 0]);
    expect(t.chargedItems).toEqual(['30002', '30003']);
    expect(t.holdItems).toEqual(['30001']);
    expect(t.holdItemsLimit).toBe(10);
    expect(t.validPatron).toBe(true);
    expect(t.patronExpirationDate).toBe('20250101');
    expect(t.patronStatus.chargePrivilegesDenied).toBe(false);
  });

  it('maps the 63 summary position and BP/BQ range', () => {
    const v = toTyped(readOk(FRAMES['63']!).message)!.typed.value;
    expect(v).toMatchObject({ summary: 'chargedItems', startItem: 1, endItem: 5, language: '001' });
  });

  it('an undefined 63 summary position is a warning, not an error, and reads as no summary', () => {
    const r = readMessage(bytes(`63001${D}       Y  AOmain|AA2000001|`));
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.code)).toEqual(['fixed-field']);
    expect((toTyped(r.message)!.typed.value as { summary: unknown }).summary).toBeNull();
  });

  it('maps the 24 patron status flags by position', () => {
    const v = toTyped(readOk(FRAMES['24']!).message)!.typed.value as { patronStatus: Record<string, boolean> };
    expect(Object.entries(v.patronStatus).filter(([, on]) => on).map(([k]) => k)).toEqual(['chargePrivilegesDenied', 'cardReportedLost']);
  });

  it('keeps the sorter extension fields of a checkin response', () => {
    const v = toTyped(readOk(FRAMES['10']!).message)!.typed.value as CheckinResponse;
    expect(v).toMatchObject({ alert: true, sortBin: '3', destinationLocation: 'branch2', alertType: '04', mediaType: '001' });
  });

  it('has no key shared by a fixed field and a variable field of the same message', () => {
    for (const id of SIP_MESSAGE_IDS) {
      const def = messageDef(id)!;
      const keys = [...def.fixed.map((f) => f.key), ...def.fields.map((f) => f.def.key)];
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('Buffer and Uint8Array input read the same', () => {
    const b = bytes(FRAMES['17']!);
    expect(readMessage(new Uint8Array(b)).message).toEqual(readMessage(Buffer.from(b)).message);
  });
});
