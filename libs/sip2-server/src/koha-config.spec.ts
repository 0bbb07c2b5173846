import { readFileSync } from 'node:fs';
import path from 'node:path';
import { verifyPin } from '@carrel/patrons';
import { importKohaSipConfig, parseKohaSipConfig, parseSip2Accounts } from './koha-config.js';

// Shaped like Koha's etc/SIPconfig.xml (accounts, institutions, listeners), written for this test.
const XML = `<acsconfig xmlns="http://openncip.org/acs-config/1.0/">
  <error-detect enabled="true" />
  <server-params min_servers='1' min_spare_servers='0' />
  <listeners>
    <service port="0:8080/tcp" transport="http" protocol="NCIP/1.0" />
    <service port="8023/tcp" transport="telnet" protocol="SIP/2.00" timeout="60" />
    <service port="127.0.0.1:6001/tcp" transport="RAW" protocol="SIP/2.00" client_timeout="600" timeout="60" />
  </listeners>
  <accounts>
    <login id="staff" password="staff" delimiter="|" error-detect="enabled" institution="CPL" encoding="ascii" checked_in_ok="1" />
    <login id="koha" password="koha" institution="kohalibrary" encoding="utf8" />
    <login id="koha2" password="koha" institution="kohalibrary2" terminator="CR" encoding="cp850" />
    <login id="sorter" password="xyzzy" institution="LPL" hide_fields="BD,BE,BF,PB" ct_always_send="1" cv_send_00_on_success="1" register_id="">
      <screen_msg_regex find="Greetings from Koha." replace="Welcome" />
    </login>
  </accounts>
  <institutions>
    <institution id="CPL" implementation="ILS" parms="">
      <policy checkin="true" renewal="true" checkout="true" status_update="false" offline="false" timeout="25" retries="5" />
    </institution>
    <institution id="kohalibrary" implementation="ILS"><policy checkin="true" renewal="false" checkout="true" timeout="100" retries="5" /></institution>
    <institution id="kohalibrary2" implementation="ILS"><policy checkin="true" renewal="false" checkout="true" timeout="100" retries="3" /></institution>
    <institution id="LPL" implementation="ILS"><policy checkin="true" renewal="false" checkout="true" timeout="100" retries="5" /></institution>
  </institutions>
</acsconfig>`;

describe('parseKohaSipConfig', () => {
  const cfg = parseKohaSipConfig(XML);

  it('maps logins to accounts: institution, charset, terminator, privacy and sorter options, policies', () => {
    expect(cfg.accounts.map((a) => a.login)).toEqual(['staff', 'koha', 'koha2', 'sorter']);
    const [staff, koha, koha2, sorter] = cfg.accounts;
    expect(staff).toMatchObject({ password: 'staff', institution: 'CPL', branchCode: 'CPL', charset: 'utf-8', terminator: '\r\n', checksum: 'verify', timeoutPeriod: 25, retriesAllowed: 5 });
    expect(staff!.allowedMessages).not.toContain('19');
    expect(staff!.allowedMessages).toContain('11');
    expect(koha!.charset).toBe('utf-8');
    expect(koha!.allowedMessages).not.toContain('29');
    expect(koha2).toMatchObject({ charset: 'cp850', terminator: '\r', retriesAllowed: 3 });
    expect(sorter).toMatchObject({ hideFields: ['BD', 'BE', 'BF', 'PB'], alwaysSend: ['CT'], cvSendOnSuccess: true });
  });

  it('keeps only raw TCP listeners and takes client_timeout as the idle timeout', () => {
    expect(cfg.listeners).toEqual([{ host: '127.0.0.1', port: 6001 }]);
    expect(cfg.defaultIdleTimeoutSeconds).toBe(600);
  });

  it('reports what Carrel does not carry over', () => {
    const w = cfg.warnings.join('\n');
    expect(w).toMatch(/transport "http"/);
    expect(w).toMatch(/transport "telnet"/);
    expect(w).toMatch(/login "staff": checked_in_ok="1" has no Carrel equivalent/);
    expect(w).toMatch(/login "sorter": <screen_msg_regex> has no Carrel equivalent/);
    expect(w).toMatch(/login "sorter": register_id/);
    expect(w).toMatch(/encoding ascii/);
    expect(w).not.toMatch(/hide_fields/);
  });

  it('never throws on broken or empty input', () => {
    expect(parseKohaSipConfig('<acsconfig><accounts>').warnings.length).toBeGreaterThan(0);
    expect(parseKohaSipConfig('').accounts).toEqual([]);
    expect(parseKohaSipConfig('<acsconfig/>').warnings).toContain('no <login> accounts found');
  });
});

describe('importKohaSipConfig', () => {
  it('hashes the passwords (verifiable with verifyPin) and gives an accounts file the server reads back', async () => {
    const { accountsJson, warnings } = await importKohaSipConfig(XML, { pinHashCost: 1024 });
    expect(accountsJson).not.toContain('"password"');
    expect(accountsJson).not.toContain('xyzzy');
    const accounts = parseSip2Accounts(accountsJson);
    expect(accounts).toHaveLength(4);
    expect(await verifyPin('xyzzy', accounts[3]!.passwordHash)).toBe(true);
    expect(accounts[2]!.terminator).toBe('\r');
    expect(warnings.some((w) => w.includes('"port":6001'))).toBe(true);
  });

  it("parseSip2Accounts reads Carrel's example accounts file", () => {
    const accounts = parseSip2Accounts(readFileSync(path.join(process.cwd(), 'config', 'sip2-accounts.example.json'), 'utf8'));
    expect(accounts.length).toBeGreaterThan(0);
    for (const a of accounts) expect(a.passwordHash).toMatch(/^scrypt\$/);
  });

  it('parseSip2Accounts rejects a malformed accounts file with a readable message', () => {
    expect(() => parseSip2Accounts('{}')).toThrow(/JSON array/);
    expect(() => parseSip2Accounts('[{"login":"x","passwordHash":"h","institution":"I","charset":"ebcdic"}]')).toThrow(/charset/);
    expect(parseSip2Accounts('[{"login":"x","passwordHash":"h","institution":"I"}]')[0]).toMatchObject({ branchCode: 'I', charset: 'utf-8', terminator: '\r', checksum: 'verify' });
  });
});
