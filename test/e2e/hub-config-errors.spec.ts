// The built hub stops with exit status 2 and a clear message on a configuration error found while its
// roles start (the suite builds before it runs), as it does for a wrong setting.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/databases.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-hub-config-'));

function hub(env: Record<string, string>) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/apps/hub/src/main.js')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${dir}/carrel.db`, CARREL_HTTP_HOST: '127.0.0.1', CARREL_HTTP_PORT: '1', CARREL_CONFIG: '', CARREL_LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return r;
}

describe('the hub on a configuration error found at start', () => {
  it('a SIP2 accounts file that does not exist: exit status 2, naming the setting and the file', () => {
    const missing = path.join(dir, 'no-such-accounts.json');
    const r = hub({ CARREL_SIP2_ENABLED: 'true', CARREL_SIP2_ACCOUNTS_FILE: missing, CARREL_SIP2_LISTENERS: '[{"host":"127.0.0.1","port":1}]' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`sip2.accountsFile (CARREL_SIP2_ACCOUNTS_FILE) ${missing} does not exist`);
    // the JSON log says it too, as one line
    expect(r.stdout).toMatch(/"msg":"Carrel hub failed to start: configuration error"/);
  });

  it('an accounts file that is not valid accounts JSON: exit status 2', () => {
    const bad = path.join(dir, 'bad-accounts.json');
    writeFileSync(bad, '{"accounts": [{"login": ');
    const r = hub({ CARREL_SIP2_ENABLED: 'true', CARREL_SIP2_ACCOUNTS_FILE: bad });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`sip2.accountsFile ${bad}`);
  });

  it('a hold-expiry cron the scheduler cannot read: exit status 2', () => {
    const r = hub({ CARREL_HOLD_EXPIRY_CRON: '61 25 * * * *', CARREL_HTTP_ENABLED: 'false', CARREL_SEED_DEMO: 'false' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/circulation\.holdExpiryCron \(CARREL_HOLD_EXPIRY_CRON\) "61 25 \* \* \* \*" is not a valid cron expression/);
  });
});
