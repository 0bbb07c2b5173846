import { circulationStatus, mediaTypeFor } from './status.js';

describe('SIP circulation status', () => {
  it.each([
    ['available', {}, '03'],
    ['checked_out', {}, '04'],
    ['available', { onLoan: true }, '04'],
    ['checked_out', { recalled: true }, '07'],
    ['on_hold_shelf', {}, '08'],
    ['available', { capturedHold: 'on_shelf' }, '08'],
    ['in_transit', {}, '10'],
    ['available', { inTransit: true }, '10'],
    ['available', { capturedHold: 'in_transit' }, '10'],
    ['lost', { onLoan: true }, '12'],
    ['missing', {}, '13'],
    ['withdrawn', {}, '01'],
    ['damaged', {}, '01'],
    ['not_for_loan', {}, '01'],
    ['something_new', {}, '01'],
  ] as const)('%s %j → %s', (status, extra, code) => {
    expect(circulationStatus({ status, ...extra })).toBe(code);
  });

  it('maps item types to SIP media types, configured first', () => {
    expect(mediaTypeFor('BOOK')).toBe('001');
    expect(mediaTypeFor('DVD')).toBe('005');
    expect(mediaTypeFor('CD')).toBe('006');
    expect(mediaTypeFor('MAGAZINE')).toBe('002');
    expect(mediaTypeFor('KIT')).toBe('000');
    expect(mediaTypeFor('KIT', { KIT: '008' })).toBe('008');
    expect(mediaTypeFor(null)).toBeNull();
  });
});
