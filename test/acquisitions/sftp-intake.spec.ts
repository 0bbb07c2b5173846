import { readdirSync } from 'node:fs';
import path from 'node:path';
import { IntakeSchedulerService } from '@carrel/acquisitions';
import { writeIso2709 } from '@carrel/marc';
import { describeEachDatabase } from '../support/databases.js';
import { startSftpServer, type SftpServer } from '../support/sftp-server.js';
import { acquisitions, ownFixture, strangerKey, vendorOnServer, type Acq } from './helpers.js';

/**
 * Polls against a real OpenSSH SFTP server on 127.0.0.1, on SQLite and PostgreSQL: new files only, content
 * never processed twice (any name, across restarts), rename and move, quarantine, refused host keys and
 * logins, a connection cut mid-download.
 */
describeEachDatabase('acquisitions: SFTP intake', (db) => {
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

  const filesOf = (vendorCode: string) => db().prisma.intakeFile.findMany({ where: { vendor: { code: vendorCode } }, orderBy: { id: 'asc' } });

  it('picks up new files only: a second poll fetches nothing, a third only what was added', async () => {
    const v = await vendorOnServer(acq, server);
    server.put(`${v.folder}/INV1.CEI`, ownFixture('invoice-small.CEI'));
    server.put(`${v.folder}/shelf.mrc`, ownFixture('shelf-ready-small.mrc'));
    server.put(`${v.folder}/notes.txt`, 'not a vendor file');
    // a folder whose name matches a pattern is not a file
    server.put(`${v.folder}/FOLDER.CEI/inside.txt`, 'x');

    const first = await acq.poller.pollVendor(v.code);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ ok: true, listed: 2, alreadySeen: 0 });
    expect(first[0]!.files.map((f) => [f.name, f.state, f.kind, f.duplicate])).toEqual([
      ['INV1.CEI', 'processed', 'invoice', false],
      ['shelf.mrc', 'processed', 'marc', false],
    ]);

    const second = await acq.poller.pollVendor(v.code);
    expect(second[0]).toMatchObject({ ok: true, listed: 2, alreadySeen: 2, files: [] });

    server.put(`${v.folder}/ORSP1.CEA`, ownFixture('ordrsp-small.CEA'));
    const third = await acq.poller.pollVendor(v.code);
    expect(third[0]!.files.map((f) => [f.name, f.kind])).toEqual([['ORSP1.CEA', 'order-response']]);

    const files = await filesOf(v.code);
    expect(files.map((f) => [f.originalName, f.state, f.messageType, f.documentCount])).toEqual([
      ['INV1.CEI', 'processed', 'INVOIC', 1], ['shelf.mrc', 'processed', 'MARC', 2], ['ORSP1.CEA', 'processed', 'ORDRSP', 1],
    ]);
    // the ledger's bytes are the remote file's, stored under their hash
    const stored = await acq.intake.store.read(files[0]!.storedPath);
    expect(stored.equals(ownFixture('invoice-small.CEI'))).toBe(true);
    const c = await db().prisma.sftpConnector.findUniqueOrThrow({ where: { id: v.connector.id } });
    expect(c).toMatchObject({ consecutiveFailures: 0, nextRetryAt: null });
    expect(c.lastSuccessAt).not.toBeNull();
    const audit = await db().prisma.auditEntry.findMany({ where: { entity: 'IntakeFile', entityId: String(files[0]!.id) } });
    expect(audit.map((a) => a.action)).toEqual(['receive', 'process']);
  });

  it('records the same content under another name as a duplicate and does not process it again', async () => {
    const v = await vendorOnServer(acq, server);
    server.put(`${v.folder}/A.CEI`, ownFixture('invoice-small.CEI'));
    server.put(`${v.folder}/A-resent.CEI`, ownFixture('invoice-small.CEI'));
    const [r] = await acq.poller.pollVendor(v.code);
    expect(r!.files.map((f) => [f.name, f.duplicate])).toEqual([['A-resent.CEI', false], ['A.CEI', true]]);
    expect(r!.files[0]!.fileId).toBe(r!.files[1]!.fileId);
    const files = await filesOf(v.code);
    expect(files).toHaveLength(1);
    const arrivals = await db().prisma.intakeArrival.findMany({ where: { intakeFileId: files[0]!.id }, orderBy: { id: 'asc' } });
    expect(arrivals.map((a) => [a.name, a.outcome])).toEqual([['A-resent.CEI', 'new'], ['A.CEI', 'duplicate']]);
    // loaded by hand later (it came by email too): still the same content, still not processed twice
    const local = await acq.intake.loadLocalFile(v.code, path.join(process.cwd(), 'test', 'acquisitions', 'fixtures', 'invoice-small.CEI'));
    expect(local).toMatchObject({ duplicate: true, fileId: files[0]!.id });
    const processed = await db().prisma.auditEntry.count({ where: { entity: 'IntakeFile', entityId: String(files[0]!.id), action: 'process' } });
    expect(processed).toBe(1);
  });

  it('renames fetched files as Koha does (.CEI -> .EEI) and moves them when told to', async () => {
    const r = await vendorOnServer(acq, server, { afterDownload: 'rename' });
    server.put(`${r.folder}/R1.CEI`, ownFixture('invoice-small.CEI'));
    server.put(`${r.folder}/R1.mrc`, ownFixture('shelf-ready-small.mrc'));
    await acq.poller.pollVendor(r.code);
    expect(server.list(r.folder)).toEqual(['.keep', 'R1.EEI', 'R1.mrc.done']);
    expect((await acq.poller.pollVendor(r.code))[0]).toMatchObject({ ok: true, listed: 0 });

    const m = await vendorOnServer(acq, server, { afterDownload: 'move', moveTo: '/done' });
    server.put(`${m.folder}/M1.CEA`, ownFixture('ordrsp-small.CEA'));
    await acq.poller.pollVendor(m.code);
    expect(server.list(m.folder)).toEqual(['.keep']);
    expect(server.remoteExists('/done/M1.CEA')).toBe(true);
    const arrivals = await db().prisma.intakeArrival.findMany({ where: { vendor: { code: { in: [r.code, m.code] } } }, orderBy: { id: 'asc' } });
    expect(arrivals.map((a) => a.remoteAction)).toEqual(['renamed', 'renamed', 'moved']);
    expect(await db().prisma.auditEntry.count({ where: { entity: 'SftpConnector', entityId: String(m.connector.id), action: 'remote-move' } })).toBe(1);
  });

  it('quarantines a corrupt EDIFACT file with the reason; it stays downloadable and can be processed again', async () => {
    const v = await vendorOnServer(acq, server);
    server.put(`${v.folder}/BAD.CEI`, ownFixture('corrupt.CEI'));
    server.put(`${v.folder}/EMPTY.CEI`, '');
    server.put(`${v.folder}/UNOA.CEI`, ownFixture('latin1-unoa.CEI'));
    const [r] = await acq.poller.pollVendor(v.code);
    expect(r!.ok).toBe(true);
    const byName = Object.fromEntries(r!.files.map((f) => [f.name, f]));
    expect(byName['BAD.CEI']).toMatchObject({ state: 'quarantined', quarantineReason: expect.stringMatching(/no message/) });
    expect(byName['EMPTY.CEI']).toMatchObject({ state: 'quarantined', quarantineReason: expect.stringMatching(/empty/) });
    // wrong declared character set: read anyway, the warning kept on the file
    expect(byName['UNOA.CEI']!.state).toBe('processed');
    expect(byName['UNOA.CEI']!.warnings).toBeGreaterThan(0);

    const bad = byName['BAD.CEI']!;
    const { stream } = await acq.intake.openStored(bad.fileId);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(ownFixture('corrupt.CEI'))).toBe(true);
    const listed = await acq.intake.list({ vendor: v.code, state: 'quarantined' });
    expect(listed.files.map((f) => f.originalName).sort()).toEqual(['BAD.CEI', 'EMPTY.CEI']);

    const again = await acq.intake.reprocess(bad.fileId);
    expect(again).toMatchObject({ state: 'quarantined', attempts: 2 });
    await expect(acq.intake.reprocess(byName['UNOA.CEI']!.fileId)).rejects.toThrow(/not processed twice/);
    expect(await db().prisma.auditEntry.count({ where: { entity: 'IntakeFile', entityId: String(bad.fileId), action: { in: ['quarantine', 'download', 'reprocess'] } } })).toBe(4);
  });

  it('refuses a server whose host key is not the trusted one, and reports it on the connector with back-off', async () => {
    const other = await startSftpServer();
    try {
      // the trusted key is the first server's; this one presents its own
      const v = await vendorOnServer(acq, server, { port: other.port });
      other.put(`${v.folder}/X.CEI`, ownFixture('invoice-small.CEI'));
      const now = new Date('2026-11-28T12:00:00Z');
      const r = await acq.poller.pollConnector(v.connector.id, { now });
      expect(r).toMatchObject({ ok: false, errorKind: 'host-key-mismatch', files: [] });
      expect(r.error).toMatch(/SHA256:/);
      const c = await db().prisma.sftpConnector.findUniqueOrThrow({ where: { id: v.connector.id } });
      expect(c).toMatchObject({ consecutiveFailures: 1, nextRetryAt: new Date('2026-11-28T12:01:00Z') });
      expect(c.lastError).toMatch(/host-key-mismatch/);
      const again = await acq.poller.pollConnector(v.connector.id, { now: new Date('2026-11-28T12:01:00Z') });
      expect(again.ok).toBe(false);
      expect((await db().prisma.sftpConnector.findUniqueOrThrow({ where: { id: v.connector.id } })).nextRetryAt).toEqual(new Date('2026-11-28T12:03:00Z'));
      const events = await acq.vendors.events(v.connector.id);
      expect(events.map((e) => e.kind)).toEqual(['host-key-mismatch', 'host-key-mismatch']);
      expect(await filesOf(v.code)).toEqual([]);
    } finally {
      await other.dispose();
    }
  });

  it('one broken vendor never stops the others: refused login, unreachable host and a good vendor in one round', async () => {
    const good = await vendorOnServer(acq, server);
    const refused = await vendorOnServer(acq, server, { privateKeyPath: strangerKey() });
    const closed = await vendorOnServer(acq, server, { port: 1 });
    server.put(`${good.folder}/G.CEI`, ownFixture('invoice-small.CEI'));
    const reports = await acq.poller.pollDue(new Date(Date.now() + 10 * 3600_000));
    const mine = Object.fromEntries(reports.filter((r) => [good.code, refused.code, closed.code].includes(r.vendor)).map((r) => [r.vendor, r]));
    expect(mine[refused.code]).toMatchObject({ ok: false, errorKind: 'login-refused' });
    expect(mine[closed.code]).toMatchObject({ ok: false, errorKind: 'unreachable' });
    expect(mine[good.code]).toMatchObject({ ok: true });
    expect(mine[good.code]!.files.map((f) => f.name)).toEqual(['G.CEI']);
    // backing off: the next round leaves the broken ones alone until their retry time
    const soon = await acq.poller.pollDue(new Date(Date.now() + 10 * 3600_000 + 1000));
    expect(soon.map((r) => r.vendor)).not.toContain(refused.code);
    expect(soon.map((r) => r.vendor)).toContain(good.code);

    // a scheduled poll runs as the system, and so says the audit log
    server.put(`${good.folder}/G2.CEI`, ownFixture('ordrsp-small.CEA'));
    const scheduled = await acq.app.get(IntakeSchedulerService).runScheduled(good.connector.id);
    expect(scheduled!.files.map((f) => f.name)).toEqual(['G2.CEI']);
    const polls = await db().prisma.auditEntry.findMany({ where: { entity: 'SftpConnector', entityId: String(good.connector.id), action: 'poll' }, orderBy: { id: 'desc' }, take: 1 });
    expect(polls[0]!.actor).toBe('system:acquisitions-poll');
  });

  it('a connection cut mid-download leaves no partial file processed; the next poll fetches it whole', async () => {
    const v = await vendorOnServer(acq, server, { afterDownload: 'rename' });
    // 24 MB in a few hundred long records (notes of 9,000 characters), so the cut lands mid-file and the
    // whole file, once fetched, still loads in seconds
    const long = (i: number) => writeIso2709({
      leader: '00000nam a2200000 a 4500',
      fields: [
        { tag: '001', value: `big${i}` },
        { tag: '245', ind1: '0', ind2: '0', subfields: [{ code: 'a', value: `Long record ${i}` }] },
        ...Array.from({ length: 10 }, (_, k) => ({ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: `${k}`.padEnd(9000, 'x') }] })),
      ],
    });
    const one = long(0).length;
    const big = Buffer.concat(Array.from({ length: Math.ceil((24 << 20) / one) }, (_, i) => long(i)));
    server.put(`${v.folder}/BIG.mrc`, big);
    let killedAt = 0;
    const r = await acq.poller.pollVendor(v.code, {
      onProgress: (e) => {
        if (e.type === 'download' && e.bytes > 2 << 20 && !killedAt) {
          killedAt = e.bytes;
          server.kill();
        }
      },
    });
    expect(killedAt).toBeGreaterThan(0);
    expect(r[0]).toMatchObject({ ok: false, errorKind: 'connection-lost', files: [] });
    expect(await filesOf(v.code)).toEqual([]);
    expect(readdirSync(acq.intake.store.incomingDir)).toEqual([]);
    expect(server.list(v.folder)).toContain('BIG.mrc');

    await server.stop();
    await server.start();
    const [again] = await acq.poller.pollVendor(v.code);
    expect(again).toMatchObject({ ok: true });
    expect(again!.files.map((f) => [f.name, f.state])).toEqual([['BIG.mrc', 'processed']]);
    const [file] = await filesOf(v.code);
    expect(file!.size).toBe(big.length);
    expect((await acq.intake.store.read(file!.storedPath)).equals(big)).toBe(true);
    expect(server.list(v.folder)).toContain('BIG.mrc.done');
  });

  it('two polls of the same connector at once (the hub\'s and a command\'s) still process each file once', async () => {
    const v = await vendorOnServer(acq, server, { afterDownload: 'rename' });
    for (let i = 0; i < 6; i++) server.put(`${v.folder}/T${i}.CEI`, Buffer.concat([ownFixture('invoice-small.CEI'), Buffer.from(`\n${i}`)]));
    const other = await acquisitions(db(), acq.storageDir);
    try {
      const [a, b] = await Promise.all([acq.poller.pollVendor(v.code), other.poller.pollVendor(v.code)]);
      expect([a![0]!.ok, b![0]!.ok]).toEqual([true, true]);
      const files = await filesOf(v.code);
      expect(files).toHaveLength(6);
      expect(new Set(files.map((f) => f.state))).toEqual(new Set(['processed']));
      for (const f of files) {
        expect(await db().prisma.auditEntry.count({ where: { entity: 'IntakeFile', entityId: String(f.id), action: 'process' } })).toBe(1);
      }
      expect(server.list(v.folder)).toEqual(['.keep', ...Array.from({ length: 6 }, (_, i) => `T${i}.EEI`)]);
    } finally {
      await other.close();
    }
  });

  it('never processes a file twice across restarts: a new service instance on the same database and folder', async () => {
    const v = await vendorOnServer(acq, server);
    server.put(`${v.folder}/KEEP.CEI`, ownFixture('invoice-small.CEI'));
    server.put(`${v.folder}/KEEP.mrc`, ownFixture('shelf-ready-small.mrc'));
    await acq.poller.pollVendor(v.code);
    const restarted = await acquisitions(db(), acq.storageDir);
    try {
      const [r] = await restarted.poller.pollVendor(v.code);
      expect(r).toMatchObject({ ok: true, listed: 2, alreadySeen: 2, files: [] });
      // the vendor puts the same invoice back under a new name after the restart
      server.put(`${v.folder}/KEEP-again.CEI`, ownFixture('invoice-small.CEI'));
      const [r2] = await restarted.poller.pollVendor(v.code);
      expect(r2!.files.map((f) => [f.name, f.duplicate])).toEqual([['KEEP-again.CEI', true]]);
      expect(await filesOf(v.code)).toHaveLength(2);
    } finally {
      await restarted.close();
    }
  });
});
