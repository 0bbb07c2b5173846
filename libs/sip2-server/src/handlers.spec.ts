import { buildTyped, readMessage } from '@carrel/sip2';
import { acsStatus, negative, SUPPORTED_ORDER } from './handlers.js';
import type { Sip2Account } from './options.js';

const account: Sip2Account = { login: 'k', passwordHash: 'x', institution: 'CPL', branchCode: 'MAIN', charset: 'utf-8', terminator: '\r', checksum: 'verify' };
const ctx = { account, now: new Date(Date.UTC(2026, 10, 28, 12, 0, 0)), zone: 'utc' };
const PAIRS: Record<string, string | null> = {
  '93': '94', '99': '98', '23': '24', '63': '64', '11': '12', '09': '10', '29': '30', '65': '66', '17': '18', '19': '20',
  '35': '36', '37': '38', '15': '16', '25': '26', '01': null,
};

describe('negative responses', () => {
  it.each(Object.entries(PAIRS))('request %s gets a writable negative %s that reads back without errors', (req, res) => {
    const r = negative(req, { patronIdentifier: 'P1', itemIdentifier: 'I1', institutionId: 'X' }, 'No.', ctx);
    expect(r.id).toBe(res);
    if (!r.id) return expect(r.value).toBeNull();
    const frame = buildTyped(r.id, r.value as never);
    const back = readMessage(frame);
    expect(back.errors).toEqual([]);
    expect(back.message.id).toBe(res);
    if (req !== '93') expect(back.message.fields.find((f) => f.code === 'AF')?.value).toBe('No.');
  });

  it('an unknown request id gets 96', () => {
    expect(negative('XX', null, 'No.', ctx).id).toBe('96');
  });
});

describe('ACS status', () => {
  it('builds BX from the allowed messages in the order of the 3M guide', () => {
    expect(SUPPORTED_ORDER).toHaveLength(16);
    const only = { ...account, allowedMessages: ['17', '09'] };
    const r = acsStatus({ backend: {} as never, account: only, terminal: { branchCode: 'MAIN', device: 'd' }, now: ctx.now, zone: 'utc', session: { pins: null }, pinSalt: '' });
    const frame = buildTyped('98', r.value as never).toString('latin1');
    expect(frame).toBe('98YYNNNN030003' + '20261128   Z120000' + '2.00AOCPL|BXNNYNYYYNNNYNNNNN|ANd|\r');
  });
});

describe('resolveOptions', () => {
  it('defaults: one listener on 6001, 16 KiB frames, 5 failed logins a minute, 600 s idle', async () => {
    const { resolveOptions } = await import('./options.js');
    const o = resolveOptions({ accounts: [] });
    expect(o.listeners).toEqual([{ port: 6001 }]);
    expect(o.maxFrameBytes).toBe(16_384);
    expect(o.loginThrottle).toEqual({ maxFailuresPerMinute: 5, delayMs: 2000 });
    expect(o.defaultIdleTimeoutSeconds).toBe(600);
    expect(resolveOptions({ accounts: [], loginThrottle: 3 }).loginThrottle.maxFailuresPerMinute).toBe(3);
  });
});
