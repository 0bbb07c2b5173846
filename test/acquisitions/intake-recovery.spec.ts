import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IntakeSchedulerService, type IntakeStep } from '@carrel/acquisitions';
import { describeEachDatabase } from '../support/databases.js';
import { startSftpServer, type SftpServer } from '../support/sftp-server.js';
import { acquisitions, ownFixture, vendorOnServer, type Acq } from './helpers.js';

/**
 * A crash at any step of intake leaves a state the next poll carries on from: each step is made to fail
 * (as a crash would stop the work there), then a new service instance on the same database and intake
 * folder polls again. Also: a server whose host key changed, and a file over the size limit.
 */
const STEPS: IntakeStep[] = ['stored', 'recorded', 'claimed', 'analysed', 'handled', 'processed', 'remote-action'];

describeEachDatabase('acquisitions: intake after a crash', (db) => {
  let server: SftpServer;
  let acq: Acq;

  beforeAll(async () => {
    server = await startSftpServer();
    acq = await acquisitions(db());
  });
  afterAll(async () => {
    await acq?.close();
    await server?.dispose();
  });

  it.each(STEPS)('a crash after "%s" is finished by the next poll: processed once, renamed once', async (step) => {
    const v = await vendorOnServer(acq, server, { afterDownload: 'rename' });
    server.put(`${v.folder}/C.CEI`, ownFixture('invoice-small.CEI'));
    acq.intake.crashAt = (s) => {
      if (s === step) throw new Error(`simulated crash after ${s}`);
    };
    try {
      const [crashed] = await acq.poller.pollVendor(v.code);
      expect(crashed).toMatchObject({ ok: false, error: `simulated crash after ${step}` });
    } finally {
      acq.intake.crashAt = undefined;
    }

    const restarted = await acquisitions(db(), acq.storageDir);
    try {
      if (step === 'claimed' || step === 'analysed' || step === 'handled') {
        // a fresh claim may belong to a worker still running: left alone until its lease runs out
        await restarted.poller.pollVendor(v.code);
        expect((await db().prisma.intakeFile.findFirstOrThrow({ where: { vendor: { code: v.code } } })).state).toBe('processing');
        restarted.intake.processingLeaseMs = 0;
      }
      const [r] = await restarted.poller.pollVendor(v.code);
      expect(r!.ok).toBe(true);
      const files = await db().prisma.intakeFile.findMany({ where: { vendor: { code: v.code } } });
      expect(files.map((f) => [f.originalName, f.state, f.messageType])).toEqual([['C.CEI', 'processed', 'INVOIC']]);
      const arrivals = await db().prisma.intakeArrival.findMany({ where: { vendor: { code: v.code } } });
      expect(arrivals.map((a) => [a.outcome, a.remoteAction])).toEqual([['new', 'renamed']]);
      expect(await db().prisma.auditEntry.count({ where: { entity: 'IntakeFile', entityId: String(files[0]!.id), action: 'process' } })).toBe(1);
      expect(server.list(v.folder)).toEqual(['.keep', 'C.EEI']);
      // and a further poll has nothing left to do
      expect((await restarted.poller.pollVendor(v.code))[0]).toMatchObject({ ok: true, listed: 0, resumed: 0, files: [] });
    } finally {
      await restarted.close();
    }
  });

  it('skips a file over the size limit without storing any of it, and fetches the rest', async () => {
    const v = await vendorOnServer(acq, server);
    server.put(`${v.folder}/HUGE.mrc`, Buffer.alloc(64 * 1024, 0x41));
    server.put(`${v.folder}/OK.CEI`, ownFixture('invoice-small.CEI'));
    const limit = acq.intake.store.maxBytes;
    acq.intake.store.maxBytes = 16 * 1024;
    try {
      const [r] = await acq.poller.pollVendor(v.code);
      expect(r!.ok).toBe(true);
      expect(r!.skipped).toEqual([{ name: `${v.folder}/HUGE.mrc`, reason: expect.stringMatching(/larger than/) }]);
      expect(r!.files.map((f) => f.name)).toEqual(['OK.CEI']);
      expect(readdirSync(acq.intake.store.incomingDir)).toEqual([]);
      const events = await acq.vendors.events(v.connector.id);
      expect(events.map((e) => e.kind)).toContain('file-too-large');
    } finally {
      acq.intake.store.maxBytes = limit;
    }
  });

  it('a full intake folder fails the poll as disk-full, keeps no partial file, and the next poll with room fetches everything', async () => {
    // a 256 KiB file system for the intake folder (root may mount one, as CI and these machines run)
    const small = mkdtempSync(path.join(os.tmpdir(), 'carrel-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small]);
    const cramped = await acquisitions(db(), small);
    try {
      const v = await vendorOnServer(cramped, server);
      server.put(`${v.folder}/A.CEI`, ownFixture('invoice-small.CEI'));
      server.put(`${v.folder}/B.mrc`, Buffer.concat(Array.from({ length: 4000 }, () => ownFixture('shelf-ready-small.mrc'))));
      const [r] = await cramped.poller.pollVendor(v.code);
      expect(r).toMatchObject({ ok: false, errorKind: 'disk-full' });
      expect(r!.files.map((f) => f.name)).toEqual(['A.CEI']);
      expect(readdirSync(cramped.intake.store.incomingDir)).toEqual([]);
      const c = await cramped.vendors.connector(v.connector.id);
      expect(c.lastError).toMatch(/^disk-full/);
      expect(c.nextRetryAt).not.toBeNull();

      // the scheduler leaves a connector alone while it backs off, and polls it once the retry time has come
      const scheduler = cramped.app.get(IntakeSchedulerService);
      expect(await scheduler.runScheduled(v.connector.id, new Date(c.nextRetryAt!.getTime() - 1000))).toBeNull();
      const [roomy] = await acq.poller.pollVendor(v.code);
      expect(roomy).toMatchObject({ ok: true });
      // A.CEI was stored and recorded before the disk filled: it is not fetched again
      expect(roomy).toMatchObject({ alreadySeen: 1 });
      expect(roomy!.files.map((f) => [f.name, f.state])).toEqual([['B.mrc', 'processed']]);
    } finally {
      await cramped.close();
      execFileSync('umount', [small]);
      rmSync(small, { recursive: true, force: true });
    }
  });

  it('says so when a ledger file\'s stored bytes went missing: refused for download, quarantined with that reason on re-processing', async () => {
    const v = await vendorOnServer(acq, server);
    server.put(`${v.folder}/LOST.CEI`, ownFixture('corrupt.CEI'));
    const [r] = await acq.poller.pollVendor(v.code);
    const file = await db().prisma.intakeFile.findUniqueOrThrow({ where: { id: r!.files[0]!.fileId } });
    expect(file.state).toBe('quarantined');
    rmSync(acq.intake.store.fullPath(file.storedPath));
    await expect(acq.intake.openStored(file.id)).rejects.toThrow(/missing/);
    const again = await acq.intake.reprocess(file.id);
    expect(again).toMatchObject({ state: 'quarantined', quarantineReason: expect.stringMatching(/stored bytes cannot be read/) });
  });

  it('refuses the server once its host key changes, and says which key it presented', async () => {
    const v = await vendorOnServer(acq, server);
    server.put(`${v.folder}/H1.CEI`, ownFixture('invoice-small.CEI'));
    expect((await acq.poller.pollVendor(v.code))[0]!.ok).toBe(true);
    await server.changeHostKey();
    server.put(`${v.folder}/H2.CEA`, ownFixture('ordrsp-small.CEA'));
    const [r] = await acq.poller.pollVendor(v.code);
    expect(r).toMatchObject({ ok: false, errorKind: 'host-key-mismatch', files: [] });
    const c = await acq.vendors.connector(v.connector.id);
    expect(c.lastError).toContain('host-key-mismatch');
    expect(c.consecutiveFailures).toBe(1);
    // staff confirm the new key with the vendor and update the connector: polls work again at once
    const updated = await acq.vendors.updateConnector(v.connector.id, { hostKey: server.hostPublicKey });
    expect(updated.nextRetryAt).toBeNull();
    const [ok] = await acq.poller.pollVendor(v.code);
    expect(ok!.files.map((f) => f.name)).toEqual(['H2.CEA']);
  });
});
