import { adviseReply, buildMessage, buildTyped, checksumOf, nextSequence, readMessage, sipChecksum, toTyped, type CheckinRequest } from '../src/index.js';
import { bytes, readOk } from './helpers.js';

// Every example below was checked by computing it (see README, "Sources"); the brief's example
// "09N20060102 ...|AY2AZEB80" does not match its own text (it is E7BA); EB80 belongs to the pysip2 frame used here.
const KNOWN: [string, string, string][] = [
  ['3M SIP2 Developer\'s Guide p. 26 (via Evergreen SIPServer t/03checksum.t)', '990 402.00AY1AZ', 'FCB4'],
  ['folio-org/edge-sip2 ParserTests (login with error detection)', '9300CNuser_id|COpassw0rd|AY1AZ', 'F594'],
  ['pysip2 test comment (checkin)', '09N20160419    12200820160419    122008APReading Room 1|AO830|AB830$28170815|AC|AY2AZ', 'EB80'],
  ['request ACS resend', '97AZ', 'FEF5'],
  ['request SC resend', '96AZ', 'FEF6'],
];

describe('checksum', () => {
  it.each(KNOWN)('%s', (_source, text, sum) => {
    expect(sipChecksum(text)).toBe(sum);
    expect(checksumOf(bytes(text))).toBe(parseInt(sum, 16));
    const r = readOk(text + sum + '\r');
    expect(r.checksum).toBe('valid');
  });

  it('rejects a wrong checksum and advises 96 (edge-sip2: F595 instead of F594)', () => {
    const r = readMessage(bytes('9300CNuser_id|COpassw0rd|AY1AZF595\r'));
    expect(r.ok).toBe(false);
    expect(r.checksum).toBe('invalid');
    expect(r.sequence).toBe(1);
    expect(r.errors.map((e) => e.code)).toEqual(['bad-checksum']);
    expect(r.errors[0]!.message).toContain('expected F594');
    expect(adviseReply(r)).toMatchObject({ action: 'request-resend' });
    // The fields are still read, so the server can log what was meant.
    expect(r.message.fields).toEqual([{ code: 'CN', value: 'user_id' }, { code: 'CO', value: 'passw0rd' }]);
  });

  it('accepts lower-case hex (Evergreen clients send it)', () => {
    expect(readOk('9300CNuser_id|COpassw0rd|AY1AZf594').checksum).toBe('valid');
  });

  it('verifies when present, demands when required, skips when ignored', () => {
    const plain = bytes('9300CNuser_id|COpassw0rd|\r');
    expect(readMessage(plain).checksum).toBe('absent');
    expect(readMessage(plain).ok).toBe(true);
    const req = readMessage(plain, { checksum: 'require' });
    expect(req.errors.map((e) => e.code)).toEqual(['missing-checksum']);
    expect(adviseReply(req)).toMatchObject({ action: 'request-resend' });
    const bad = bytes('9300CNuser_id|COpassw0rd|AY1AZ0000');
    expect(readMessage(bad, { checksum: 'ignore' })).toMatchObject({ ok: true, checksum: 'absent', sequence: 1 });
  });

  it('writes AY and AZ byte-exactly', () => {
    const m = readOk('990 402.00').message;
    expect(buildMessage(m, { errorDetection: true, sequence: 1 }).toString('latin1')).toBe('990 402.00AY1AZFCB4\r');
    expect(buildMessage({ id: '97', fixed: [], fields: [] }, { errorDetection: true }).toString('latin1')).toBe('97AZFEF5\r');
    expect(buildMessage({ id: '96', fixed: [], fields: [] }, { errorDetection: true, terminator: '\r\n' }).toString('latin1')).toBe('96AZFEF6\r\n');
    const checkin = toTyped(readOk(KNOWN[2]![1] + 'EB80').message)!.typed.value as CheckinRequest;
    expect(buildTyped('09', checkin, { errorDetection: true, sequence: 2 }).toString('latin1')).toBe(KNOWN[2]![1] + 'EB80\r');
  });

  it('reads the sequence number in the forms clients send', () => {
    expect(readOk('9300CNa|COb|AY7AZ' + sipChecksum('9300CNa|COb|AY7AZ')).sequence).toBe(7);
    expect(readOk('9300CNa|COb|AY7|AZ' + sipChecksum('9300CNa|COb|AY7|AZ')).sequence).toBe(7);
    const alone = readOk('9300CNa|COb|AY3');
    expect(alone).toMatchObject({ sequence: 3, checksum: 'absent' });
    expect(alone.message.fields).toHaveLength(2);
    expect(readOk('9901202.00AY4').sequence).toBe(4);
  });

  it('sequence numbers wrap 9 -> 0, and the writer refuses anything else', () => {
    expect([0, 1, 8, 9].map(nextSequence)).toEqual([1, 2, 9, 0]);
    expect(() => buildMessage({ id: '97', fixed: [], fields: [] }, { errorDetection: true, sequence: 10 })).toThrow(/0-9/);
  });
});
