import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import request from 'supertest';
import { IntakeSchedulerService } from '@carrel/acquisitions';
import { StaffTokenService } from '@carrel/auth';
import { createLogger } from '@carrel/logging';
import { createHub } from '../../apps/hub/src/bootstrap.js';
import { testSettings } from '../support/app.js';
import { describeEachDatabase, ROOT } from '../support/databases.js';
import { startSftpServer, type SftpServer } from '../support/sftp-server.js';
import { ownFixture } from './helpers.js';

/** The built `carrel` command (the suite builds before it runs), as an operator runs it. */
function carrel(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'carrel.js'), ...args], {
    cwd: ROOT, env: { ...process.env, CARREL_CONFIG: '', CARREL_SEED_DEMO: 'false', ...env }, encoding: 'utf8', timeout: 300_000,
  });
  if (r.error) throw new Error(`carrel ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describeEachDatabase('acquisitions: the carrel vendor command and the staff API', (db) => {
  let server: SftpServer;
  let env: Record<string, string>;
  const own = (name: string) => path.join(ROOT, 'test', 'acquisitions', 'fixtures', name);

  beforeAll(async () => {
    server = await startSftpServer();
    env = { DATABASE_URL: db().url, CARREL_ACQUISITIONS_STORAGE_DIR: mkdtempSync(path.join(os.tmpdir(), 'carrel-intake-cli-')) };
  });
  afterAll(() => server?.dispose());

  it('carrel vendor add, list, poll (with progress) and load go through the same intake', () => {
    const folder = `/out/cli-${db().provider}`;
    server.put(`${folder}/P1.CEI`, ownFixture('invoice-small.CEI'));
    server.put(`${folder}/P1.mrc`, ownFixture('shelf-ready-small.mrc'));
    const added = carrel([
      'vendor', 'add', 'CLI', 'Vendor by command', '--san', '1234567', '--host', server.host, '--port', String(server.port), '--user', server.username,
      '--key', server.clientKeyPath, '--host-key', server.hostPublicKey, '--folder', `invoice:${folder}:*.CEI`, '--folder', `marc:${folder}:*.mrc`, '--after', 'rename',
    ], env);
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/vendor CLI \(Vendor by command\) added/);
    expect(added.stdout).toMatch(/connector \d+: .*trusting SHA256:/);

    const refused = carrel(['vendor', 'add', 'NOKEY', 'No host key', '--host', server.host, '--user', 'u', '--key', server.clientKeyPath], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/hostKey is required/);
    expect(carrel(['vendor', 'list'], env).stdout).not.toMatch(/NOKEY/);

    const polled = carrel(['vendor', 'poll', 'CLI'], env);
    expect(polled.status).toBe(0);
    expect(polled.stdout).toMatch(/P1\.CEI: processed \(invoice\), intake file \d+/);
    expect(polled.stdout).toMatch(/P1\.mrc: processed \(marc\)/);
    expect(polled.stdout).toMatch(/2 listed, 2 fetched/);
    expect(polled.stderr).toMatch(/connecting to/);
    expect(polled.stderr).toMatch(/P1\.mrc: \d+\/\d+/);
    expect(server.list(folder)).toEqual(['P1.EEI', 'P1.mrc.done']);

    const loaded = carrel(['vendor', 'load', 'CLI', own('invoice-small.CEI'), own('corrupt.CEI'), own('ordrsp-small.CEA')], env);
    expect(loaded.status).toBe(3);
    expect(loaded.stdout).toMatch(/invoice-small\.CEI: duplicate of intake file \d+, not processed again/);
    expect(loaded.stdout).toMatch(/corrupt\.CEI: quarantined .*no message/);
    expect(loaded.stdout).toMatch(/ordrsp-small\.CEA: processed \(order-response\)/);

    const listed = carrel(['vendor', 'list'], env).stdout;
    expect(listed).toMatch(/CLI\tVendor by command/);
    expect(listed).toMatch(/connector \d+ default: .*last success 20/);
    expect(carrel(['vendor', 'poll', 'NOSUCH'], env).stderr).toMatch(/vendor "NOSUCH" not found/);
    const missing = carrel(['vendor', 'load', 'CLI', path.join(os.tmpdir(), 'no-such-file.CEI')], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/ENOENT/);
  });

  describe('over HTTP', () => {
    let app: INestApplication;
    let http: ReturnType<typeof request>;
    let auth: Record<string, string>;

    beforeAll(async () => {
      app = await createHub(testSettings(db(), { ...env, CARREL_SCHEDULER_ENABLED: 'true' }), createLogger('silent'));
      await app.listen(0, '127.0.0.1');
      http = request(app.getHttpServer());
      auth = { Authorization: `Bearer ${(await app.get(StaffTokenService).create('acquisitions')).token}` };
    });
    afterAll(() => app?.close());

    it('manages vendors, contacts and connectors, refusing bad settings with every reason', async () => {
      await http.get('/api/v1/acquisitions/vendors').expect(401);
      const v = (await http.post('/api/v1/acquisitions/vendors').set(auth).send({ code: 'API', name: 'API vendor', ean: '5013546027856', accountNumbers: ['A-1'], priceTolerancePercent: '2' }).expect(201)).body;
      expect(v).toMatchObject({ code: 'API', accountNumbers: ['A-1'], priceTolerancePercent: '2', currency: 'USD' });
      await http.post('/api/v1/acquisitions/vendors').set(auth).send({ code: 'API', name: 'again' }).expect(409);
      const bad = (await http.post('/api/v1/acquisitions/vendors').set(auth).send({ code: '../x', name: '', ean: 'abc', currency: 'dollars', hack: 1 }).expect(400)).body;
      for (const m of [/^code must be/, /^name must be/, /^ean must be/, /^currency must be/, /hack should not exist/]) expect(bad.message).toContainEqual(expect.stringMatching(m));
      await http.post('/api/v1/acquisitions/vendors/API/contacts').set(auth).send({ name: 'Claims desk', role: 'claims', email: 'claims@vendor.example' }).expect(201);

      const noKey = (await http.post('/api/v1/acquisitions/vendors/API/connectors').set(auth).send({ host: server.host, username: 'u', hostKey: '*', privateKeyPath: server.clientKeyPath }).expect(400)).body;
      expect(noKey.message).toMatch(/hostKey/);
      const secret = (await http.post('/api/v1/acquisitions/vendors/API/connectors').set(auth).send({ host: server.host, username: 'u', hostKey: server.hostPublicKey, passwordEnv: 'hunter2 is my password' }).expect(400)).body;
      expect(JSON.stringify(secret.message)).toMatch(/passwordEnv/);
      const c = (await http.post('/api/v1/acquisitions/vendors/API/connectors').set(auth).send({
        host: server.host, port: server.port, username: server.username, privateKeyPath: server.clientKeyPath, hostKey: server.hostPublicKey,
        folders: [{ kind: 'invoice', path: '/out/api', patterns: ['*.CEI'] }], schedule: '0 0 6 * * *',
      }).expect(201)).body;
      expect(c).toMatchObject({ folders: [{ kind: 'invoice', path: '/out/api' }], afterDownload: 'leave', hostKeyFingerprint: expect.stringMatching(/^SHA256:/) });
      const patched = (await http.patch(`/api/v1/acquisitions/connectors/${c.id}`).set(auth).send({ afterDownload: 'move' }).expect(400)).body;
      expect(patched.message).toMatch(/moveTo/);
      const full = (await http.get('/api/v1/acquisitions/vendors/API').set(auth).expect(200)).body;
      expect(full.contacts.map((x: { name: string }) => x.name)).toEqual(['Claims desk']);
      expect(full.connectors).toHaveLength(1);
      const audit = await db().prisma.auditEntry.findMany({ where: { entity: { in: ['Vendor', 'VendorContact', 'SftpConnector'] }, actor: 'staff-token:acquisitions' } });
      expect(audit.map((a) => `${a.entity}:${a.action}`).sort()).toEqual(['SftpConnector:create', 'Vendor:create', 'VendorContact:create']);

      // the hub's scheduler role polls each enabled connector on its own schedule
      const jobs = await app.get(IntakeSchedulerService).sync();
      expect(jobs).toContain(`acquisitions-connector-${c.id}`);
      expect(app.get(SchedulerRegistry).getCronJob(`acquisitions-connector-${c.id}`)).toBeDefined();
    });

    it('polls by request, lists the ledger, serves stored bytes and re-processes a quarantined file', async () => {
      server.put('/out/api/GOOD.CEI', ownFixture('invoice-small.CEI'));
      server.put('/out/api/BAD.CEI', ownFixture('corrupt.CEI'));
      const polled = (await http.post('/api/v1/acquisitions/vendors/API/poll').set(auth).expect(200)).body;
      expect(polled[0]).toMatchObject({ ok: true, vendor: 'API' });
      // the same invoice fetched by the command line earlier is another vendor's: content is unique per vendor only
      const list = (await http.get('/api/v1/acquisitions/intake-files?vendor=API').set(auth).expect(200)).body;
      expect(list.total).toBe(2);
      const bad = list.files.find((f: { originalName: string }) => f.originalName === 'BAD.CEI');
      expect(bad).toMatchObject({ state: 'quarantined', vendorCode: 'API', quarantineReason: expect.stringMatching(/no message/) });
      const quarantined = (await http.get('/api/v1/acquisitions/intake-files?state=quarantined&vendor=API').set(auth).expect(200)).body;
      expect(quarantined.files.map((f: { id: number }) => f.id)).toEqual([bad.id]);
      await http.get('/api/v1/acquisitions/intake-files?state=lost').set(auth).expect(400);

      const bytes = await http.get(`/api/v1/acquisitions/intake-files/${bad.id}/content`).set(auth).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(bytes.headers['content-disposition']).toBe('attachment; filename="BAD.CEI"');
      expect((bytes.body as Buffer).equals(ownFixture('corrupt.CEI'))).toBe(true);

      // a hostile remote name is kept as data, never used as a local path or sent back raw in a header
      const hostile = 'x"; filename=evil.sh\r\nSet-Cookie: a=b; ..étrange.CEI';
      server.put(`/out/api/${hostile}`, ownFixture('ordrsp-small.CEA'));
      const [p2] = (await http.post('/api/v1/acquisitions/vendors/API/poll').set(auth).expect(200)).body;
      const h = p2.files.find((f: { name: string }) => f.name === hostile);
      expect(h).toMatchObject({ state: 'processed', kind: 'order-response' });
      const hb = await http.get(`/api/v1/acquisitions/intake-files/${h.fileId}/content`).set(auth).expect(200);
      expect(hb.headers['content-disposition']).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"$/);
      expect(hb.headers['set-cookie']).toBeUndefined();

      const one = (await http.get(`/api/v1/acquisitions/intake-files/${bad.id}`).set(auth).expect(200)).body;
      expect(one.arrivals.map((a: { name: string; outcome: string }) => [a.name, a.outcome])).toEqual([['BAD.CEI', 'new']]);
      const again = (await http.post(`/api/v1/acquisitions/intake-files/${bad.id}/reprocess`).set(auth).expect(200)).body;
      expect(again).toMatchObject({ state: 'quarantined', attempts: 2 });
      const good = list.files.find((f: { originalName: string }) => f.originalName === 'GOOD.CEI');
      await http.post(`/api/v1/acquisitions/intake-files/${good.id}/reprocess`).set(auth).expect(409);
      await http.get('/api/v1/acquisitions/intake-files/999999').set(auth).expect(404);
      const events = (await http.get(`/api/v1/acquisitions/connectors/${polled[0].connectorId}/events`).set(auth).expect(200)).body;
      expect(events[0]).toMatchObject({ kind: 'poll', level: 'info' });
    });
  });
});
