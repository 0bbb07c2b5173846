// The notices staff API over HTTP in the hub (token guard, listing and filters, one notice with its
// items, a run on demand, claim letters), and a notice left 'sending' by a stopped hub sent again.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { StaffTokenService } from '@carrel/auth';
import { createLogger } from '@carrel/logging';
import { NoticesService } from '@carrel/print';
import { createHub } from '../../apps/hub/src/bootstrap.js';
import { testSettings } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

describeEachDatabase('notices: staff API', (db) => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let auth: Record<string, string>;
  let smtp: TestSmtpServer;
  let storage: string;
  let batchId: number;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    storage = mkdtempSync(path.join(os.tmpdir(), 'carrel-notices-api-'));
    const p = db().prisma;
    const inst = await p.institution.create({ data: { code: 'NPL', name: 'Northfield Public Library' } });
    const branch = await p.branch.create({ data: { code: 'MAIN', name: 'Northfield Main', institutionId: inst.id, address: '1 Library Sq' } });
    const cat = await p.patronCategory.create({ data: { code: 'A', name: 'Adult' } });
    const rec = await p.bibRecord.create({ data: { title: 'Long Overdue', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from('x'), contentHash: 'api-1' } });
    for (const [i, email] of ['api1@example.org', null].entries()) {
      const patron = await p.patron.create({ data: { barcode: `API${i}`, surname: `Api${i}`, categoryId: cat.id, homeBranchId: branch.id, email } });
      const item = await p.item.create({ data: { barcode: `APIB${i}`, recordId: rec.id, homeBranchId: branch.id, branchId: branch.id, status: 'checked_out' } });
      // overdue by any real clock the API reads
      await p.loan.create({ data: { itemId: item.id, patronId: patron.id, branchCode: 'MAIN', checkedOutAt: new Date('2020-01-01T12:00:00Z'), dueAt: new Date('2020-01-21T12:00:00Z') } });
    }
    const vendor = await p.vendor.create({ data: { code: 'HAR', name: 'Harrassowitz', accountNumbers: '["NPL-0042"]' } });
    const sub = await p.subscription.create({ data: { title: 'Old Quarterly', issn: '0028-0836', vendorId: vendor.id, branchId: branch.id, startDate: '2020-01-01' } });
    const issue = await p.serialIssue.create({ data: { subscriptionId: sub.id, values: '{"a":"1"}', label: 'no.1 (2020:Jan.)', publicationDate: '2020-01-01', expectedDate: '2020-01-01', status: 'late' } });
    batchId = (await p.serialClaimBatch.create({ data: { vendorId: vendor.id, channel: 'email' } })).id;
    await p.serialClaim.create({ data: { issueId: issue.id, vendorId: vendor.id, batchId, claimNumber: 1, claimedOn: '2020-03-01' } });
    app = await createHub(testSettings(db(), {
      CARREL_SCHEDULER_ENABLED: 'false', CARREL_MAIL_SMTP_URL: smtp.url, CARREL_PRINT_STORAGE_DIR: storage, CARREL_TIME_ZONE: 'UTC',
      CARREL_PRINT_PRINTERS: JSON.stringify([{ name: 'main-desk', uri: 'socket://127.0.0.1:9100', branch: 'MAIN' }]),
    }), createLogger('silent'));
    await app.listen(0, '127.0.0.1');
    http = request(app.getHttpServer());
    auth = { Authorization: `Bearer ${(await app.get(StaffTokenService).create('notices')).token}` };
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it('runs on demand, lists and shows notices, refuses bad filters with the reason', async () => {
    await http.get('/api/v1/notices').expect(401);
    await http.post('/api/v1/notices/run').expect(401);
    const run = (await http.post('/api/v1/notices/run').set(auth).expect(200)).body;
    expect(run).toMatchObject({ created: 2, alreadyRecorded: 0, problems: [], emailed: 1, failed: [], printJobs: [{ notices: 1 }] });
    expect((await http.post('/api/v1/notices/run').set(auth).expect(200)).body).toMatchObject({ created: 0, emailed: 0, printJobs: [] });
    await smtp.waitFor(1);

    const all = (await http.get('/api/v1/notices').set(auth).expect(200)).body;
    expect(all.map((n: { patron: string; type: string; channel: string; status: string; branch: string; items: number }) => [n.patron, n.type, n.channel, n.status, n.branch, n.items]))
      .toEqual([['API1', 'overdue3', 'print', 'queued_for_print', 'MAIN', 1], ['API0', 'overdue3', 'email', 'sent', 'MAIN', 1]]);
    const sent = (await http.get('/api/v1/notices?status=sent&patron=API0').set(auth).expect(200)).body;
    expect(sent).toHaveLength(1);
    expect((await http.get('/api/v1/notices?type=fines').set(auth).expect(200)).body).toEqual([]);
    expect((await http.get('/api/v1/notices?limit=1').set(auth).expect(200)).body).toHaveLength(1);

    const one = (await http.get(`/api/v1/notices/${sent[0].id}`).set(auth).expect(200)).body;
    expect(one).toMatchObject({ recipient: 'api1@example.org', subject: 'Final notice: 1 overdue item(s) – Northfield Main', lines: [expect.stringMatching(/^overdue3:loan:\d+$/)] });
    expect(one.body).toContain('- Long Overdue');

    expect((await http.get('/api/v1/notices?status=lost').set(auth).expect(400)).body.message).toBe('status "lost" is not one of pending, sending, sent, queued_for_print, failed');
    expect((await http.get('/api/v1/notices?type=overdue9').set(auth).expect(400)).body.message).toMatch(/^type "overdue9" is not one of overdue1, overdue2/);
    expect((await http.get('/api/v1/notices?limit=0').set(auth).expect(400)).body.message).toBe('limit must be a whole number from 1 to 1000, got 0');
    expect((await http.get('/api/v1/notices?limit=ten').set(auth).expect(400)).body.message).toBe('limit must be a whole number from 1 to 1000, got "ten"');
    expect((await http.get('/api/v1/notices/999999').set(auth).expect(404)).body.message).toBe('no notice 999999');
  });

  it('prints a claim batch as a letter once, and says why not a second time', async () => {
    const made = (await http.post(`/api/v1/notices/claim-letters/${batchId}`).set(auth).expect(201)).body;
    expect(made).toMatchObject({ status: 'queued_for_print', error: null, printJobId: expect.any(Number) });
    const job = (await http.get(`/api/v1/print-jobs/${made.printJobId}`).set(auth).expect(200)).body;
    expect(job).toMatchObject({ kind: 'claim-letters', printer: 'main-desk' });
    const again = (await http.post(`/api/v1/notices/claim-letters/${batchId}`).set(auth).expect(409)).body;
    expect(again.message).toBe(`claim batch ${batchId} was made into a letter already (notice ${made.noticeId}, queued_for_print)`);
    await http.post('/api/v1/notices/claim-letters/999999').set(auth).expect(404);
  });

  it('sends again a notice a stopped hub left half-sent, and leaves a fresh claim alone', async () => {
    const notices = app.get(NoticesService);
    const p = db().prisma;
    const [email] = await p.notice.findMany({ where: { channel: 'email' } });
    const now = new Date('2030-01-01T08:00:00Z');
    // claimed by another pass a minute ago: still its own
    await p.notice.update({ where: { id: email.id }, data: { status: 'sending', sentAt: new Date(now.getTime() - 60_000) } });
    expect((await notices.deliver(now)).emailed).toEqual([]);
    // claimed an hour ago and never settled: the hub stopped in between
    await p.notice.update({ where: { id: email.id }, data: { status: 'sending', sentAt: new Date(now.getTime() - 3_600_000) } });
    smtp.clear();
    expect((await notices.deliver(now)).emailed).toEqual([email.id]);
    const [m] = await smtp.waitFor(1);
    expect(m.envelopeTo).toEqual(['api1@example.org']);
    expect(await p.notice.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({ status: 'sent', error: null });
  });
});
