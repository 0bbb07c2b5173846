import { Buffer } from 'node:buffer';
import { readMessage, frameText } from '@carrel/sip2';
import { account, D, PASSWORD, startServer, type Harness } from './support.js';

const fields = (frame: Buffer | string, charset: 'utf-8' | 'cp850' = 'utf-8') => {
  const r = readMessage(typeof frame === 'string' ? Buffer.from(frame) : frame, { charset });
  const get = (code: string) => r.message.fields.find((f) => f.code === code)?.value;
  const all = (code: string) => r.message.fields.filter((f) => f.code === code).map((f) => f.value);
  return { r, get, all, id: r.message.id, fixed: r.message.fixed };
};

describe('SIP2 server: login', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ loginThrottle: { maxFailuresPerMinute: 3, delayMs: 50 } });
  });
  afterAll(() => h.close());

  it('accepts the right password and refuses a wrong one or an unknown login', async () => {
    const c = await h.connect();
    expect(await c.text(`9300CNkiosk|COwrong|`)).toBe('940\r');
    expect(await c.text(`9300CNnobody|CO${PASSWORD}|`)).toBe('940\r');
    expect(await c.text(`9300CNkiosk|CO${PASSWORD}|CPkiosk-3|`)).toBe('941\r');
    // the session is logged in now
    expect((await c.text(`17${D}AOCPL|ABI001|`)).slice(0, 4)).toBe('1803');
  });

  it('throttles failed logins per client address: after the limit even the right password is refused', async () => {
    const h2 = await startServer({ loginThrottle: { maxFailuresPerMinute: 3, delayMs: 50 } });
    try {
      const c = await h2.connect();
      for (let i = 0; i < 3; i++) expect(await c.text(`9300CNkiosk|CObad${i}|`)).toBe('940\r');
      const t0 = Date.now();
      expect(await c.text(`9300CNkiosk|CO${PASSWORD}|`)).toBe('940\r');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
      const c2 = await h2.connect();
      expect(await c2.text(`9300CNkiosk|CO${PASSWORD}|`)).toBe('940\r');
      expect(h2.log.entries.filter((e) => e.outcome === 'login-throttled')).toHaveLength(2);
    } finally {
      await h2.close();
    }
  });

  it('answers nothing but a refusal before login, and never calls the backend', async () => {
    const c = await h.connect();
    const before = h.backend.calls.length;
    const r = fields(await c.request(`17${D}AOCPL|ABI001|`));
    expect(r.id).toBe('18');
    expect(r.get('AF')).toBe('Please log in first.');
    const s = fields(await c.request(`9900302.00`));
    expect(s.id).toBe('98');
    expect(s.fixed[0]).toBe('N'); // off-line: status is not allowed before login here
    expect(fields(await c.request(`11YN${D}${D}AOCPL|AAP001|ABI001|AC|`)).fixed[0]).toBe('0');
    expect(h.backend.calls.length).toBe(before);
  });

  it('answers 99 before login when an account allows it', async () => {
    const h2 = await startServer({ accounts: [await account({ allowStatusBeforeLogin: true, libraryName: 'Central' })] });
    try {
      const c = await h2.connect();
      const s = fields(await c.request(`9900302.00`));
      expect(s.fixed.slice(0, 6).join('')).toBe('YYYYYN');
      expect(s.get('AM')).toBe('Central');
    } finally {
      await h2.close();
    }
  });
});

describe('SIP2 server: a whole kiosk session', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ accounts: [await account({ hideFields: ['BE'], libraryName: 'Central Library' })] });
  });
  afterAll(() => h.close());

  it('status, patron info, checkout, renew, item info, checkin, fee paid, end session', async () => {
    const c = await h.login();
    const st = fields(await c.request('9900302.00'));
    expect(st.id).toBe('98');
    expect(st.fixed.join('|')).toMatch(/^Y\|Y\|Y\|Y\|Y\|N\|030\|003\|\d{8} {4}\d{6}\|2\.00$/);
    expect(st.get('AO')).toBe('CPL');
    expect(st.get('AM')).toBe('Central Library');
    expect(st.get('BX')).toBe('YYYYYYYYYYYYYYYY');
    expect(st.get('AN')).toBe('kiosk-3');

    const pi = fields(await c.request(`63001${D}          AOCPL|AAP001|AC|AD1234|`));
    expect(pi.id).toBe('64');
    expect(pi.fixed[0]).toBe('              ');
    expect(pi.get('AE')).toBe('Ann Reader');
    expect(pi.get('BL')).toBe('Y');
    expect(pi.get('CQ')).toBe('Y');
    expect(pi.get('BV')).toBe('2.50');
    expect(pi.get('BE')).toBeUndefined(); // hidden for privacy
    expect(pi.get('BF')).toBe('555-0100');

    const co = fields(await c.request(`11YN${D}${' '.repeat(18)}AOCPL|AAP001|ABI001|AC|AD1234|`));
    expect(co.id).toBe('12');
    expect(co.fixed.slice(0, 4).join('')).toBe('1NUY');
    expect(co.get('AB')).toBe('I001');
    expect(co.get('AJ')).toBe('Book 1');
    expect(co.get('AH')).toMatch(/^\d{8} {4}\d{6}$/);

    const charged = fields(await c.request(`63001${D}  Y       AOCPL|AAP001|AC|AD1234|`));
    expect(charged.fixed[5]).toBe('0001');
    expect(charged.all('AU')).toEqual(['I001']);

    const rn = fields(await c.request(`29NN${D}${' '.repeat(18)}AOCPL|AAP001|AD1234|ABI001|`));
    expect(rn.id).toBe('30');
    expect(rn.fixed.slice(0, 2).join('')).toBe('1Y');

    const ii = fields(await c.request(`17${D}AOCPL|ABI001|`));
    expect(ii.fixed[0]).toBe('04');
    expect(ii.get('AH')).toMatch(/^\d{8} {4}\d{6}$/);

    const ci = fields(await c.request(`09N${D}${D}APMAIN|AOCPL|ABI001|AC|`));
    expect(ci.id).toBe('10');
    expect(ci.fixed.slice(0, 4).join('')).toBe('1YUN');
    expect(ci.get('AQ')).toBe('MAIN');
    expect(ci.get('AA')).toBe('P001');
    expect(ci.get('CV')).toBeUndefined();

    const fp = fields(await c.request(`37${D}0100USDBV2.50|AOCPL|AAP001|AD1234|BKtx-1|`));
    expect(fp.id).toBe('38');
    expect(fp.fixed[0]).toBe('Y');
    expect(fp.get('BK')).toBe('tx-1');
    expect(h.backend.payments).toEqual([{ patron: 'P001', amount: '2.50', transactionId: 'tx-1' }]);

    const end = fields(await c.request(`35${D}AOCPL|AAP001|AD1234|`));
    expect(end.id).toBe('36');
    expect(end.fixed[0]).toBe('Y');

    // The PIN was checked against the backend once for the whole patron session, not on every message.
    expect(h.backend.pinChecks).toBe(1);
    // After the end of the patron session it is checked again.
    const again = fields(await c.request(`23001${D}AOCPL|AAP001|AC|AD1234|`));
    expect(again.get('CQ')).toBe('Y');
    expect(h.backend.pinChecks).toBe(2);
  });

  it('a wrong PIN is never remembered and the kiosk is told', async () => {
    const c = await h.login();
    const checks = h.backend.pinChecks;
    const bad = fields(await c.request(`23001${D}AOCPL|AAP001|AC|AD9999|`));
    expect(bad.get('CQ')).toBe('N');
    expect(bad.get('AF')).toBe('Invalid PIN.');
    const co = fields(await c.request(`11YN${D}${' '.repeat(18)}AOCPL|AAP001|ABI002|AC|AD9999|`));
    expect(co.fixed[0]).toBe('0');
    expect(h.backend.pinChecks).toBe(checks + 2);
  });

  it('renew all, hold, item status update, patron enable, block patron (no answer) and unknown patrons', async () => {
    const c = await h.login();
    await c.request(`11YN${D}${' '.repeat(18)}AOCPL|AAP002|ABI005|AC|`);
    const ra = fields(await c.request(`65${D}AOCPL|AAP002|`));
    expect(ra.fixed.slice(0, 3)).toEqual(['1', '0001', '0000']);
    expect(ra.all('BM')).toEqual(['I005']);
    const ho = fields(await c.request(`15+${D}BSEAST|AOCPL|AAP002|ABI006|`));
    expect(ho.id).toBe('16');
    expect(ho.get('BR')).toBe('2');
    expect(ho.get('BS')).toBe('EAST');
    const su = fields(await c.request(`19${D}AOCPL|ABI006|CHnew props|`));
    expect(su.fixed[0]).toBe('1');
    // 01 has no response: the next request is answered next
    c.send(`01Y${D}AOCPL|ALcard retained|AAP002|AC|\r`);
    const ps = fields(await c.request(`23001${D}AOCPL|AAP002|AC|`));
    expect(ps.fixed[0]![0]).toBe('Y');
    expect(h.backend.calls).toContain('blockPatron');
    const en = fields(await c.request(`25${D}AOCPL|AAP002|`));
    expect(en.id).toBe('26');
    expect(en.fixed[0]).toBe('              ');
    const unknown = fields(await c.request(`23001${D}AOCPL|AANOPE|AC|`));
    expect(unknown.get('BL')).toBe('N');
    expect(unknown.get('AF')).toBe('Patron not found.');
    const fee = fields(await c.request(`37${D}0100USDBV1.00|AOCPL|AANOPE|`));
    expect(fee.fixed[0]).toBe('N');
  });

  it('several frames in one packet are answered one by one, in order', async () => {
    const c = await h.login();
    c.send(`17${D}AOCPL|ABI010|\r17${D}AOCPL|ABI011|\r9900302.00\r17${D}AOCPL|ABI012|\r`);
    const got = [];
    for (let i = 0; i < 4; i++) got.push(fields(await c.receive()));
    expect(got.map((g) => g.get('AB') ?? g.id)).toEqual(['I010', 'I011', '98', 'I012']);
  });

  it('a title holding the delimiter and CR/LF does not break the frame', async () => {
    const c = await h.login();
    const r = await c.request(`17${D}AOCPL|ABIDIRTY|`);
    expect(fields(r).get('AJ')).toBe('Pipes   and  newlines');
    expect(fields(await c.request(`17${D}AOCPL|ABI001|`)).get('AB')).toBe('I001');
    expect(c.pendingFrames).toBe(0);
  });

  it('a backend error gives a negative response with a screen message, and the session stays up', async () => {
    const c = await h.login();
    h.backend.failing.add('checkout');
    try {
      const co = fields(await c.request(`11YN${D}${' '.repeat(18)}AOCPL|AAP001|ABI003|AC|`));
      expect(co.id).toBe('12');
      expect(co.fixed[0]).toBe('0');
      expect(co.get('AF')).toMatch(/not available/);
      expect(co.get('AB')).toBe('I003');
    } finally {
      h.backend.failing.delete('checkout');
    }
    expect(fields(await c.request(`11YN${D}${' '.repeat(18)}AOCPL|AAP001|ABI003|AC|`)).fixed[0]).toBe('1');
    expect(h.log.entries.some((e) => e.messageId === '11' && e.outcome === 'error')).toBe(true);
  });
});

describe('SIP2 server: sorter checkin routing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ accounts: [await account({ login: 'sorter', allowedMessages: ['09', '17'], cvSendOnSuccess: true, alwaysSend: ['CT'] })] });
  });
  afterAll(() => h.close());

  it('hold elsewhere: alert, CT pickup branch, CV 02, CY/DA hold patron, CL sort bin', async () => {
    const c = await h.login('sorter');
    const r = fields(await c.request(`09N${D}${D}APMAIN|AOCPL|ABIHOLD|AC|`));
    expect(r.fixed.slice(0, 4).join('')).toBe('1YUY');
    expect(r.get('CT')).toBe('EAST');
    expect(r.get('CV')).toBe('02');
    expect(r.get('CY')).toBe('P002');
    expect(r.get('DA')).toBe('José Núñez');
    expect(r.get('CL')).toBe('B7');
  });

  it('hold here gives CV 01, transit CV 04, a plain return CV 00 with an empty CT and no alert', async () => {
    const c = await h.login('sorter');
    const here = fields(await c.request(`09N${D}${D}APMAIN|AOCPL|ABIHERE|AC|`));
    expect([here.fixed[3], here.get('CV'), here.get('CT'), here.get('CL')]).toEqual(['Y', '01', 'MAIN', 'H1']);
    const away = fields(await c.request(`09N${D}${D}APMAIN|AOCPL|ABIAWAY|AC|`));
    expect([away.fixed[3], away.get('CV'), away.get('CT'), away.get('CL')]).toEqual(['Y', '04', 'EAST', 'T2']);
    const plain = fields(await c.request(`09N${D}${D}APMAIN|AOCPL|ABI004|AC|`));
    expect([plain.fixed[3], plain.get('CV'), plain.get('CT')]).toEqual(['N', '00', '']);
  });

  it('refuses messages the account may not send and says so in 98 BX', async () => {
    const c = await h.login('sorter');
    const co = fields(await c.request(`11YN${D}${' '.repeat(18)}AOCPL|AAP001|ABI001|AC|`));
    expect(co.fixed[0]).toBe('0');
    expect(co.get('AF')).toBe('This terminal may not do that.');
    const st = fields(await c.request('9900302.00'));
    expect(st.get('BX')).toBe('NNYNYYYNNNYNNNNN');
    expect(st.fixed.slice(0, 5).join('')).toBe('YYNNN');
  });
});

describe('SIP2 server: character sets, terminators and error detection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({
      accounts: [
        await account(),
        await account({ login: 'cp850', charset: 'cp850', terminator: '\r\n' }),
        await account({ login: 'strict', checksum: 'require' }),
        await account({ login: 'iso', charset: 'iso-8859-1', dueDateFormat: 'iso' }),
      ],
    });
  });
  afterAll(() => h.close());

  it('CP850: é goes on the wire as 0x82, CRLF terminated, checksum over the bytes', async () => {
    const c = await h.login('cp850');
    const req = frameText(`23001${D}AOCPL|AAP002|AC|`, { errorDetection: true, sequence: 4, charset: 'cp850' });
    const res = await c.request(req);
    expect(res.subarray(-2).toString('latin1')).toBe('\r\n');
    const name = Buffer.from('Jos\u00e9 N\u00fa\u00f1ez', 'utf8');
    expect(res.includes(name)).toBe(false);
    expect(res.includes(Buffer.from([0x4a, 0x6f, 0x73, 0x82, 0x20, 0x4e, 0xa3, 0xa4, 0x65, 0x7a]))).toBe(true);
    const parsed = fields(res, 'cp850');
    expect(parsed.get('AE')).toBe('José Núñez');
    expect(parsed.r.checksum).toBe('valid');
    expect(parsed.r.sequence).toBe(4);
  });

  it('CP850 kiosk session with checksums and wrapping sequence numbers: login, patron info, checkout, checkin with hold capture', async () => {
    const c = await h.connect();
    let seq = 7;
    const send = async (text: string) => {
      const res = await c.request(frameText(text, { errorDetection: true, sequence: seq, charset: 'cp850' }));
      const p = fields(res, 'cp850');
      expect(p.r.checksum).toBe('valid');
      expect(p.r.sequence).toBe(seq);
      expect(res.subarray(-2).toString('latin1')).toBe('\r\n');
      seq = (seq + 1) % 10;
      return p;
    };
    expect((await send(`9300CNcp850|CO${PASSWORD}|`)).fixed[0]).toBe('1');
    expect((await send(`63001${D}          AOCPL|AAP002|AD4321|`)).get('AE')).toBe('José Núñez');
    expect((await send(`11YN${D}${D}AOCPL|AAP002|ABI008|AC|AD4321|`)).fixed[0]).toBe('1');
    const ci = await send(`09N${D}${D}APMAIN|AOCPL|ABIHOLD|AC|`);
    expect([ci.get('CV'), ci.get('DA')]).toEqual(['02', 'José Núñez']);
    expect(seq).toBe(1); // wrapped 9 -> 0 -> 1
    expect((await send(`35${D}AOCPL|AAP002|AD4321|`)).fixed[0]).toBe('Y');
  });

  it('a 96 from the client is logged and not answered', async () => {
    const c = await h.login();
    c.send('96\r');
    expect(fields(await c.request(`17${D}AOCPL|ABI001|`)).id).toBe('18');
    expect(h.log.entries.some((e) => e.messageId === '96' && e.outcome === 'ignored' && e.response === null)).toBe(true);
  });

  it('UTF-8: é is two bytes; without AY/AZ in the request there is none in the response', async () => {
    const c = await h.login();
    const res = await c.request(`23001${D}AOCPL|AAP002|AC|`);
    expect(res.includes(Buffer.from('José', 'utf8'))).toBe(true);
    expect(res.toString('latin1')).not.toMatch(/AZ[0-9A-F]{4}\r$/);
    const withEd = await c.request(frameText(`23001${D}AOCPL|AAP002|AC|`, { errorDetection: true, sequence: 9 }));
    const p = fields(withEd);
    expect(p.r.checksum).toBe('valid');
    expect(p.r.sequence).toBe(9);
    expect(withEd.toString('utf8')).toMatch(/AY9AZ[0-9A-F]{4}\r$/);
  });

  it('a request with a wrong checksum gets 96 and the session goes on', async () => {
    const c = await h.login();
    const good = frameText(`17${D}AOCPL|ABI001|`, { errorDetection: true, sequence: 1 }).toString('latin1');
    const bad = good.replace(/AZ[0-9A-F]{4}/, 'AZ0000');
    expect((await c.request(bad)).toString('latin1')).toMatch(/^96/);
    expect(fields(await c.request(good)).id).toBe('18');
  });

  it("'require': a request without AZ gets 96, responses always carry AZ", async () => {
    const c = await h.connect();
    const login = await c.request(frameText(`9300CNstrict|CO${PASSWORD}|`, { errorDetection: true, sequence: 0 }));
    expect(login.toString('latin1')).toMatch(/^941AY0AZ[0-9A-F]{4}\r$/);
    expect((await c.request(`17${D}AOCPL|ABI001|`)).toString('latin1')).toMatch(/^96AZ[0-9A-F]{4}\r$/);
    const ok = fields(await c.request(frameText(`17${D}AOCPL|ABI001|`, { errorDetection: true, sequence: 2 })));
    expect([ok.id, ok.r.checksum, ok.r.sequence]).toEqual(['18', 'valid', 2]);
  });

  it('97 re-sends the last response byte for byte', async () => {
    const c = await h.login();
    const first = await c.request(frameText(`17${D}AOCPL|ABI002|`, { errorDetection: true, sequence: 3 }));
    const again = await c.request('97');
    expect(again.equals(first)).toBe(true);
    const again2 = await c.request(frameText('97', { errorDetection: true }));
    expect(again2.equals(first)).toBe(true);
  });

  it('ISO-8859-1 account with ISO due dates', async () => {
    const c = await h.login('iso');
    const res = await c.request(`11YN${D}${' '.repeat(18)}AOCPL|AAP002|ABI007|AC|`);
    expect(res.includes(Buffer.from([0x4a, 0x6f, 0x73, 0xe9]))).toBe(false); // no name in 12
    const p = fields(res);
    expect(p.get('AH')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const ps = await c.request(`23001${D}AOCPL|AAP002|AC|`);
    expect(ps.includes(Buffer.from([0x4a, 0x6f, 0x73, 0xe9]))).toBe(true);
  });
});
