import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, PROVIDERS, ROOT, type TestDatabase } from '../support/databases.js';
import { describeWithFixtures, fixturePath } from '../support/fixtures.js';

/** The built `carrel` command, as an operator runs it (the suite builds before it runs). */
function carrel(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'carrel.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, CARREL_PIN_HASH_COST: '1024', CARREL_CONFIG: '', ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.error) throw new Error(`carrel ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'carrel-cli-'));

describe.each(PROVIDERS)('carrel command [%s]', (provider) => {
  let db: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase(provider, false);
    await db.prisma.$disconnect();
    env = { DATABASE_URL: db.url };
  });
  afterAll(() => db?.drop());

  it('db status says what is pending and exits 1; db migrate applies it once', () => {
    const before = carrel(['db', 'status'], { ...env, CARREL_MIGRATE_ON_START: 'false' });
    expect(before.status).toBe(1);
    expect(before.stdout).toMatch(/pending\s+\d+_init/);
    const first = carrel(['db', 'migrate'], env);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/applied .*_init/);
    expect(carrel(['db', 'migrate'], env).stdout).toMatch(/already up to date/);
    const after = carrel(['db', 'status'], env);
    expect(after.status).toBe(0);
    expect(after.stdout).toMatch(/up to date/);
  });

  it('imports patrons with a report of every rejected row, exit status 3 when some were rejected', () => {
    const csv = path.join(tmp, `patrons-${provider}.csv`);
    writeFileSync(csv, 'cardnumber,surname,firstname,categorycode,branchcode,dateexpiry\n2301,Ada,Lovelace,ADULT,CPL,2030-01-01\n2302,Bad,Date,ADULT,CPL,31/31/2030\n');
    const refused = carrel(['import', 'patrons', csv], env);
    expect(refused.status).toBe(3);
    expect(refused.stdout).toMatch(/line 2 \(2301\): unknown patron category "ADULT"/);
    const report = path.join(tmp, `report-${provider}.json`);
    const loaded = carrel(['import', 'patrons', csv, '--create-missing', '--report', report], env);
    expect(loaded.stdout).toMatch(/2 rows: 1 created, 0 updated, 0 unchanged, 1 rejected/);
    expect(loaded.stdout).toMatch(/created patron category ADULT/);
    expect(loaded.stdout).toMatch(/line 3 \(2302\): dateexpiry "31\/31\/2030" is not a date/);
    expect(JSON.parse(readFileSync(report, 'utf8')).rejected).toHaveLength(1);
    expect(carrel(['import', 'patrons', path.join(tmp, 'missing.csv')], env).stderr).toMatch(/cannot read .*missing\.csv: ENOENT/);
  });

  it('creates and lists staff tokens, showing each only once', () => {
    const created = carrel(['token', 'create', 'circulation desk'], env);
    expect(created.status).toBe(0);
    const token = created.stdout.trim().split('\n').pop()!;
    expect(token).toMatch(/^carrel_[A-Za-z0-9_-]{40,}$/);
    const list = carrel(['token', 'list'], env);
    expect(list.stdout).toMatch(/circulation desk/);
    expect(list.stdout).not.toContain(token);
  });

  it('seeds the demo library once, and refuses a database that holds data', () => {
    const fresh = carrel(['demo'], env);
    expect(fresh.stdout).toMatch(/nothing seeded/);
  });
});

describeWithFixtures('marc', 'carrel import marc on a shared sample', () => {
  it('loads camel.usmarc and reports it; the second run changes nothing', async () => {
    const db = await createTestDatabase('sqlite', false);
    await db.prisma.$disconnect();
    try {
      const first = carrel(['import', 'marc', fixturePath('marc', 'camel.usmarc')], { DATABASE_URL: db.url });
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/10 records: 10 created, 0 updated, 0 unchanged, 0 rejected/);
      const second = carrel(['import', 'marc', fixturePath('marc', 'camel.usmarc')], { DATABASE_URL: db.url });
      expect(second.stdout).toMatch(/10 records: 0 created, 0 updated, 10 unchanged, 0 rejected/);
      expect(second.stderr).toMatch(/records: 10\/10/);
    } finally {
      await db.drop();
    }
  });
});

describe('carrel command: help and configuration errors', () => {
  it.each([[[]], [['db']], [['db', 'migrate']], [['import']], [['import', 'patrons']], [['import', 'marc']], [['demo']], [['token']], [['token', 'create']], [['config']]])(
    '%j --help describes the command',
    (args) => {
      const r = carrel([...args, '--help'], {});
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Usage: carrel/);
    },
  );

  it('stops with a message naming a wrong setting, exit status 2', () => {
    const r = carrel(['token', 'list'], { CARREL_HTTP_PORT: 'eighty' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/http\.port \(environment variable CARREL_HTTP_PORT\) must be a whole number/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

describe('the hub process', () => {
  it('migrates and seeds an empty embedded database, serves /health, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-hub-'));
    const port = await freePort();
    const hub = spawn(process.execPath, [path.join(ROOT, 'dist/apps/hub/src/main.js')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${dir}/carrel.db`, CARREL_HTTP_PORT: String(port), CARREL_HTTP_HOST: '127.0.0.1', CARREL_PIN_HASH_COST: '1024', CARREL_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    hub.stdout.on('data', (d) => (log += d));
    hub.stderr.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((resolve) => hub.on('exit', (code) => resolve(code)));
    try {
      let health: { status: string; database: { provider: string } } | null = null;
      for (let i = 0; i < 120 && !health; i++) {
        await new Promise((r) => setTimeout(r, 500));
        health = (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json(), () => null)) as typeof health;
      }
      expect(health).toMatchObject({ status: 'ok', database: { provider: 'sqlite' } });
      const patrons = (await fetch(`http://127.0.0.1:${port}/api/v1/patrons?take=1`, { headers: { Authorization: 'Bearer carrel-demo-token-0d3m0-n0t-a-s3cr3t' } }).then((r) => r.json())) as { total: number };
      expect(patrons.total).toBeGreaterThanOrEqual(50);
      // every log line is one JSON object
      for (const line of log.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      hub.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(log).toMatch(/"msg":"stopped"/);
  });

  it('refuses to start on a wrong setting, naming it', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/apps/hub/src/main.js')], { cwd: ROOT, env: { ...process.env, CARREL_SHUTDOWN_GRACE_MS: '-5' }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/shutdown\.graceMs \(environment variable CARREL_SHUTDOWN_GRACE_MS\) must be a whole number/);
  });
});
