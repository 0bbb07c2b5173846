// Late issues and claims on the database: late detection by expected date and grace, batches per vendor,
// sending by real SMTP (the mail is parsed back), failures and vendors with no contact, the claim interval
// and maximum, CSV and OSTENQ downloads, check-in closing claims, the claim template setting.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConflictException, type INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { runAs } from '@carrel/audit';
import { StaffTokenService } from '@carrel/auth';
import { ConfigError } from '@carrel/config';
import { createLogger } from '@carrel/logging';
import { parseEdifact } from '@carrel/edifact';
import { CheckinService, ClaimsService, LATE_JOB, LateJob, SerialsModule } from '@carrel/serials';
import { createHub } from '../../apps/hub/src/bootstrap.js';
import { domainModule, testSettings } from '../support/app.js';
import { describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

const MONTHLY = '853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm';
const WEEKLY = '853 20 $81$av.$bno.$u52$vr$i(year)$j(month)$k(day)$ww';
const at = (day: string) => new Date(`${day}T10:00:00Z`);

async function serialsApp(db: TestDatabase, env: Record<string, string> = {}): Promise<TestingModule> {
  const app = await domainModule(db, { CARREL_TIME_ZONE: 'UTC', ...env }, [SerialsModule]);
  await app.init();
  return app;
}

let seq = 0;

/** A subscription with one issue pattern and the given issues (rows written as prediction would). */
async function subscription(db: TestDatabase, branchId: number, over: {
  title: string; vendorId?: number | null; caption?: string; graceDays?: number | null; issn?: string | null; vendorReference?: string | null;
  vendorAccount?: string | null; active?: boolean; issues: { label: string; expectedDate: string; status?: string }[];
}) {
  const p = db.prisma;
  const s = await p.subscription.create({
    data: {
      title: over.title, issn: over.issn ?? null, vendorId: over.vendorId ?? null, vendorReference: over.vendorReference ?? null, vendorAccount: over.vendorAccount ?? null,
      branchId, startDate: '2026-01-01', graceDays: over.graceDays ?? null, active: over.active ?? true,
    },
  });
  const pattern = await p.subscriptionPattern.create({ data: { subscriptionId: s.id, kind: 'issue', caption: over.caption ?? MONTHLY, firstIssue: '{"a":"1","b":"1"}' } });
  const issues = [];
  for (const [n, i] of over.issues.entries()) {
    issues.push(await p.serialIssue.create({
      data: { subscriptionId: s.id, patternId: pattern.id, sequence: n + 1, values: JSON.stringify({ a: '1', b: String(++seq) }), label: i.label, publicationDate: i.expectedDate, expectedDate: i.expectedDate, status: i.status ?? 'expected' },
    }));
  }
  return { subscription: s, issues };
}

describeEachDatabase('serials: late issues and claims', (db) => {
  let smtp: TestSmtpServer;
  let app: TestingModule;
  let claims: ClaimsService;
  let branchId: number;
  const vendors: Record<string, number> = {};

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await serialsApp(db(), { CARREL_MAIL_SMTP_URL: smtp.url, CARREL_MAIL_FROM: 'Serials <serials@northfield.example>' });
    claims = app.get(ClaimsService);
    const p = db().prisma;
    const inst = await p.institution.create({ data: { code: 'NPL', name: 'Northfield Public Library' } });
    branchId = (await p.branch.create({ data: { code: 'MAIN', name: 'Main', institutionId: inst.id } })).id;
    vendors.HAR = (await p.vendor.create({ data: { code: 'HAR', name: 'Harrassowitz', claimsEmail: 'claims@harrassowitz.example', accountNumbers: '["NPL-0042"]', ean: '5013546027173', claimIntervalDays: 30, maxClaims: 2 } })).id;
    vendors.EBS = (await p.vendor.create({ data: { code: 'EBS', name: 'EBSCO', accountNumbers: '[]', contacts: { create: [{ name: 'Sales', role: 'sales', email: 'sales@ebsco.example' }, { name: 'Claims desk', role: 'Claims', email: 'serials.claims@ebsco.example' }] } } })).id;
    vendors.NOC = (await p.vendor.create({ data: { code: 'NOC', name: 'No Contact Books', contacts: { create: [{ name: 'Sales', role: 'sales', email: 'sales@noc.example' }] } } })).id;
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });
  beforeEach(() => smtp.clear());

  it('marks an issue late only once expected date + grace is behind today, once, and only for active subscriptions', async () => {
    const { issues } = await subscription(db(), branchId, {
      title: 'Monthly Gazette', vendorId: vendors.HAR, issues: [{ label: 'v.1:no.1', expectedDate: '2026-01-01' }, { label: 'v.1:no.2', expectedDate: '2026-02-01' }],
    });
    const weekly = await subscription(db(), branchId, { title: 'Weekly Bulletin', vendorId: vendors.HAR, caption: WEEKLY, graceDays: 3, issues: [{ label: 'no.5', expectedDate: '2026-02-10' }] });
    const cancelled = await subscription(db(), branchId, { title: 'Cancelled Quarterly', vendorId: vendors.HAR, active: false, issues: [{ label: 'no.1', expectedDate: '2025-01-01' }] });
    // monthly: 1.5 × 30.4 days = 46 days of grace, so v.1:no.1 may still come on 2026-02-16
    let r = await claims.markLate('2026-02-13');
    expect(r.marked).toEqual([]);
    r = await claims.markLate('2026-02-14');
    expect(r.marked.map((m) => m.label)).toEqual(['no.5']);
    expect(r.marked[0]).toMatchObject({ issueId: weekly.issues[0].id, graceDays: 3 });
    r = await claims.markLate('2026-02-16');
    expect(r.marked).toEqual([]);
    r = await runAs({ actor: 'staff-token:serials-desk' }, () => claims.markLate('2026-02-17'));
    expect(r.marked).toEqual([{ issueId: issues[0].id, subscriptionId: issues[0].subscriptionId, label: 'v.1:no.1', expectedDate: '2026-01-01', graceDays: 46 }]);
    expect((await claims.markLate('2026-02-17')).marked).toEqual([]);
    const p = db().prisma;
    expect((await p.serialIssue.findUniqueOrThrow({ where: { id: issues[1].id } })).status).toBe('expected');
    expect((await p.serialIssue.findUniqueOrThrow({ where: { id: cancelled.issues[0].id } })).status).toBe('expected');
    const audit = await p.auditEntry.findMany({ where: { action: 'mark-late', entity: 'Subscription', entityId: String(issues[0].subscriptionId) } });
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toBe('staff-token:serials-desk');
    expect(JSON.parse(audit[0].after!)).toEqual({ today: '2026-02-17', issues: [{ id: issues[0].id, label: 'v.1:no.1', expectedDate: '2026-01-01', graceDays: 46 }] });
  });

  it('gathers the claims due into one batch per vendor, reports a vendor with no contact and issues with no vendor, and does not batch them twice', async () => {
    const ebs = await subscription(db(), branchId, { title: 'Journal of Things', issn: '0317-8471', vendorId: vendors.EBS, graceDays: 0, vendorReference: 'E-77', issues: [{ label: 'v.9:no.1', expectedDate: '2026-02-01' }] });
    const noc = await subscription(db(), branchId, { title: 'Orphan Review', vendorId: vendors.NOC, graceDays: 0, issues: [{ label: 'no.4', expectedDate: '2026-02-01' }] });
    const none = await subscription(db(), branchId, { title: 'Gift Newsletter', vendorId: null, graceDays: 0, issues: [{ label: 'no.2', expectedDate: '2026-02-01' }] });
    const report = await runAs({ actor: 'staff-token:serials-desk' }, () => claims.buildBatches({}, '2026-02-17'));
    const byVendor = Object.fromEntries(report.batches.map((b) => [b.vendorCode, b]));
    expect(Object.keys(byVendor).sort()).toEqual(['EBS', 'HAR', 'NOC']);
    expect(byVendor.HAR.status).toBe('draft');
    expect(byVendor.HAR.claims.map((c) => [c.title, c.label, c.claimNumber, c.status, c.claimedOn])).toEqual([
      ['Monthly Gazette', 'v.1:no.1', 1, 'pending', '2026-02-17'], ['Weekly Bulletin', 'no.5', 1, 'pending', '2026-02-17'],
    ]);
    expect(byVendor.EBS).toMatchObject({ status: 'draft', contact: 'serials.claims@ebsco.example' });
    expect(byVendor.EBS.claims.map((c) => c.issueId)).toEqual([ebs.issues[0].id]);
    expect(byVendor.NOC).toMatchObject({ status: 'no_contact', contact: null });
    expect(byVendor.NOC.error).toMatch(/vendor NOC \(No Contact Books\) has no claims email and no contact with the role 'claims'/);
    expect(report.noContact).toEqual([{ vendorCode: 'NOC', vendorName: 'No Contact Books', batchId: byVendor.NOC.id, issues: 1 }]);
    expect(report.withoutVendor).toEqual([{ issueId: none.issues[0].id, subscriptionId: none.subscription.id, title: 'Gift Newsletter', label: 'no.2' }]);
    expect(noc.issues).toHaveLength(1);
    const again = await claims.buildBatches({}, '2026-02-17');
    expect(again.batches).toEqual([]);
    expect(again.waiting).toEqual({ pending: 4, interval: 0 });
    const audit = await db().prisma.auditEntry.findFirstOrThrow({ where: { action: 'create', entity: 'SerialClaimBatch', entityId: String(byVendor.HAR.id) } });
    expect(audit.actor).toBe('staff-token:serials-desk');
    expect(JSON.parse(audit.after!).claims).toHaveLength(2);
    await expect(claims.buildBatches({ vendorCode: 'NOPE' }, '2026-02-17')).rejects.toThrow('no vendor with code "NOPE"');
    await expect(claims.buildBatches({ channel: 'fax' as never }, '2026-02-17')).rejects.toThrow('channel must be one of email, csv, edifact, got "fax"');
  });

  it('sends a batch as one email to the vendor that parses back to the claimed issues, with the claims as CSV', async () => {
    const [har] = await claims.list({ vendorCode: 'HAR', status: 'draft' });
    const sent = await runAs({ actor: 'staff-token:serials-desk' }, () => claims.send(har.id, at('2026-02-18')));
    expect(sent.status).toBe('sent');
    expect(sent.claims.map((c) => [c.status, c.claimedOn])).toEqual([['sent', '2026-02-18'], ['sent', '2026-02-18']]);
    const [mail] = await smtp.waitFor(1);
    expect(mail.envelopeTo).toEqual(['claims@harrassowitz.example']);
    expect(mail.parsed.messageId).toBe(sent.messageId);
    expect(mail.parsed.subject).toBe('Claim for 2 missing issue(s) – Northfield Public Library, account NPL-0042');
    const text = mail.parsed.text!;
    expect(text).toContain('To Harrassowitz');
    expect(text).toMatch(/1\. Monthly Gazette\n {3}Issue: v\.1:no\.1\n {3}Expected: 2026-01-01\n {3}Account number: NPL-0042\n {3}Claim: first claim/);
    expect(text).toMatch(/2\. Weekly Bulletin\n {3}Issue: no\.5\n {3}Expected: 2026-02-10/);
    expect(text).toContain(`Claim date: 2026-02-18, claim batch ${har.id}`);
    const [csv] = mail.parsed.attachments;
    expect(csv.filename).toBe(`claims-HAR-${har.id}.csv`);
    expect(csv.content.toString('utf8').split('\r\n').slice(1, 3)).toEqual([
      `${har.id},1,2026-02-18,HAR,NPL-0042,Monthly Gazette,,v.1:no.1,2026-01-01,2026-01-01,`,
      `${har.id},1,2026-02-18,HAR,NPL-0042,Weekly Bulletin,,no.5,2026-02-10,2026-02-10,`,
    ]);
    await expect(claims.send(har.id, at('2026-02-18'))).rejects.toThrow(ConflictException);
    await expect(claims.send(har.id, at('2026-02-18'))).rejects.toThrow(`claim batch ${har.id} was sent already on 2026-02-18T10:00:00.000Z`);
    const audit = await db().prisma.auditEntry.findFirstOrThrow({ where: { action: 'send', entity: 'SerialClaimBatch', entityId: String(har.id) } });
    expect(audit.actor).toBe('staff-token:serials-desk');
    expect(JSON.parse(audit.before!)).toEqual({ status: 'draft', error: null, to: 'claims@harrassowitz.example' });
  });

  it('keeps a batch the mail server refused as failed with the reason, and sends it once the address works', async () => {
    const [ebs] = await claims.list({ vendorCode: 'EBS' });
    smtp.refuse.add('serials.claims@ebsco.example');
    // two sends at once (a double click): one goes, the other is refused without mailing
    const both = await Promise.allSettled([claims.send(ebs.id, at('2026-02-18')), claims.send(ebs.id, at('2026-02-18'))]);
    expect(both.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(String((both[1] as PromiseRejectedResult).reason)).toContain(`claim batch ${ebs.id} is being sent right now`);
    const failed = (both[0] as PromiseFulfilledResult<Awaited<ReturnType<ClaimsService['send']>>>).value;
    smtp.refuse.clear();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/mail to serials\.claims@ebsco\.example was not sent: .*550/);
    expect(failed.claims.map((c) => c.status)).toEqual(['pending']);
    expect(smtp.messages).toHaveLength(0);
    expect(await db().prisma.auditEntry.count({ where: { action: 'send-failed', entity: 'SerialClaimBatch', entityId: String(ebs.id) } })).toBe(1);
    const ok = await claims.send(ebs.id, at('2026-02-19'));
    expect(ok).toMatchObject({ status: 'sent', error: null });
    const [mail] = await smtp.waitFor(1);
    expect(mail.parsed.text).toMatch(/1\. Journal of Things \(ISSN 0317-8471\)\n {3}Issue: v\.9:no\.1\n {3}Expected: 2026-02-01\n {3}Your subscription reference: E-77\n/);
    // EBSCO has no account number for the library: the letter says none rather than a wrong one
    expect(mail.parsed.subject).toBe('Claim for 1 missing issue(s) – Northfield Public Library');
  });

  it('leaves a no-contact batch unsent until the vendor has a claims address', async () => {
    const [noc] = await claims.list({ vendorCode: 'NOC' });
    const still = await claims.send(noc.id, at('2026-02-18'));
    expect(still.status).toBe('no_contact');
    expect(smtp.messages).toHaveLength(0);
    await db().prisma.vendorContact.create({ data: { vendorId: vendors.NOC, name: 'Claims', role: 'claims', email: 'claims@noc.example' } });
    expect((await claims.send(noc.id, at('2026-02-18'))).status).toBe('sent');
    expect((await smtp.waitFor(1))[0].envelopeTo).toEqual(['claims@noc.example']);
  });

  it('claims again only after the vendor\'s interval and never more than its maximum', async () => {
    const p = db().prisma;
    const gazette = await p.serialIssue.findFirstOrThrow({ where: { label: 'v.1:no.1', subscription: { title: 'Monthly Gazette' } } });
    let r = await claims.buildBatches({ vendorCode: 'HAR' }, '2026-03-19');
    expect(r.batches).toEqual([]);
    expect(r.waiting.interval).toBe(2);
    r = await claims.buildBatches({ vendorCode: 'HAR' }, '2026-03-20');
    // v.1:no.2 (expected 2026-02-01) is late by now and claimed for the first time
    expect(r.batches).toHaveLength(1);
    expect(r.batches[0].claims.map((c) => [c.label, c.claimNumber])).toEqual([['v.1:no.1', 2], ['v.1:no.2', 1], ['no.5', 2]]);
    await claims.send(r.batches[0].id, at('2026-03-20'));
    expect((await smtp.waitFor(1))[0].parsed.text).toMatch(/Monthly Gazette\n {3}Issue: v\.1:no\.1\n[^]*?Claim: second claim/);
    r = await claims.buildBatches({ vendorCode: 'HAR' }, '2026-06-30');
    // Harrassowitz honours two claims: v.1:no.1 and no.5 are exhausted, v.1:no.2 gets its second
    expect(r.batches[0].claims.map((c) => [c.label, c.claimNumber])).toEqual([['v.1:no.2', 2]]);
    expect(r.exhausted.map((e) => [e.issueId === gazette.id ? 'gazette' : e.label, e.claims])).toEqual([['gazette', 2], ['no.5', 2]]);
  });

  it('a check-in closes the issue\'s claims; a batch left with no open claim is not sent', async () => {
    const checkin = app.get(CheckinService);
    const p = db().prisma;
    const [pending] = await claims.list({ vendorCode: 'HAR', status: 'draft' });
    const issueId = pending.claims[0].issueId;
    const r = await checkin.receive(issueId, {}, at('2026-07-01'));
    expect(r.closedClaims).toBe(2);
    const all = await p.serialClaim.findMany({ where: { issueId }, orderBy: { claimNumber: 'asc' } });
    expect(all.map((c) => [c.claimNumber, c.status])).toEqual([[1, 'closed'], [2, 'closed']]);
    expect(all.every((c) => c.closedAt?.toISOString() === '2026-07-01T10:00:00.000Z')).toBe(true);
    expect((await claims.get(pending.id)).claims.map((c) => [c.status, c.issueStatus])).toEqual([['closed', 'received']]);
    await expect(claims.send(pending.id, at('2026-07-01'))).rejects.toThrow(`claim batch ${pending.id} has no open claim left: every issue in it has arrived`);
    expect(smtp.messages).toHaveLength(0);
  });

  it('downloads a batch as CSV and as OSTENQ in ISO 8859-1 that our EDIFACT reader reads with every count and reference right', async () => {
    const sub = await subscription(db(), branchId, { title: "L'Écho: revue + notes?", issn: '1234-5679', vendorId: vendors.HAR, graceDays: 0, vendorReference: 'SUB-1', vendorAccount: 'NPL-0099', issues: [{ label: 'no.3 (2026:Aug.)', expectedDate: '2026-08-01' }] });
    const r = await claims.buildBatches({ vendorCode: 'HAR', channel: 'edifact' }, '2026-08-05');
    const batch = r.batches.find((b) => b.claims.some((c) => c.subscriptionId === sub.subscription.id))!;
    expect(batch).toMatchObject({ channel: 'edifact', status: 'draft' });
    const csv = await claims.csv(batch.id, at('2026-08-05'));
    expect(csv.filename).toBe(`claims-HAR-${batch.id}.csv`);
    expect(csv.content.split('\r\n')[1]).toBe(`${batch.id},1,2026-08-05,HAR,NPL-0099,L'Écho: revue + notes?,1234-5679,no.3 (2026:Aug.),2026-08-01,2026-08-01,SUB-1`);
    const edi = await claims.ostenq(batch.id, at('2026-08-05'));
    expect(edi.filename).toBe(`claims-HAR-${batch.id}.edi`);
    const file = parseEdifact(edi.content);
    // the reader trusts bytes, not UNB: Latin-1 text is reported as such, and nothing else is
    expect(file.warnings.map((w) => w.code)).toEqual(['decoding']);
    expect(file.encoding).toBe('latin1');
    const [ic] = file.interchanges;
    expect([ic.sender, ic.recipient, ic.reference, ic.date, ic.time]).toEqual([{ id: 'NPL-0099', qualifier: '91' }, { id: '5013546027173', qualifier: '14' }, `CLM${batch.id}`, '260805', '1000']);
    const seg = (tag: string, q?: string) => ic.messages[0].segments.find((s) => s.tag === tag && (q === undefined || s.elements[0][0] === q))!;
    expect(seg('BGM').elements).toEqual([['92J', '', '9'], [`CLAIM${batch.id}`], ['9']]);
    expect(seg('IMD').elements[2].slice(3).join('')).toBe("L'Écho: revue + notes?");
    expect(seg('RFF', 'LI').elements[0][1]).toBe(String(batch.claims.find((c) => c.subscriptionId === sub.subscription.id)!.id));
    expect(seg('RFF', 'SNA').elements[0][1]).toBe('SUB-1');
    // an EDIFACT batch is sent by whoever transmits the file: marking it sent sends no mail
    expect((await claims.send(batch.id, at('2026-08-05'))).status).toBe('sent');
    expect(smtp.messages).toHaveLength(0);
    const actions = (await db().prisma.auditEntry.findMany({ where: { entity: 'SerialClaimBatch', entityId: String(batch.id) }, orderBy: { id: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['create', 'download-csv', 'download-ostenq', 'send']);
  });

  it('refuses OSTENQ for a vendor that gave the library no account number, saying where to set it', async () => {
    const [ebs] = await claims.list({ vendorCode: 'EBS' });
    await expect(claims.ostenq(ebs.id, at('2026-08-05'))).rejects.toThrow("vendor EBS has no account number for the library: set the vendor's accountNumbers or the subscriptions' vendorAccount");
    await expect(claims.get(999_999)).rejects.toThrow('no claim batch 999999');
  });

  it('the nightly job marks late issues and sends the claims of auto-sending vendors only', async () => {
    const p = db().prisma;
    await p.vendor.update({ where: { id: vendors.EBS }, data: { autoSendClaims: true } });
    await subscription(db(), branchId, { title: 'Auto Monthly', vendorId: vendors.EBS, graceDays: 5, issues: [{ label: 'no.9', expectedDate: '2026-09-01' }] });
    await subscription(db(), branchId, { title: 'Reviewed Monthly', vendorId: vendors.HAR, graceDays: 5, issues: [{ label: 'no.9', expectedDate: '2026-09-01' }] });
    const job = app.get(LateJob);
    expect(job.active).toBe(false);
    const report = await job.run(at('2026-09-07'));
    expect(report.build.late.marked.map((m) => m.label).sort()).toEqual(['no.9', 'no.9']);
    expect(report.build.batches.map((b) => b.vendorCode)).toEqual(['EBS']);
    expect(report.sent.map((b) => [b.vendorCode, b.status])).toEqual([['EBS', 'sent']]);
    const [mail] = await smtp.waitFor(1);
    expect(mail.parsed.text).toContain('Auto Monthly');
    expect(mail.parsed.text).not.toContain('Reviewed Monthly');
    const audit = await p.auditEntry.findFirstOrThrow({ where: { action: 'send', entity: 'SerialClaimBatch', entityId: String(report.sent[0].id) } });
    expect(audit.actor).toBe('system:serials-claims');
    // a second run the same day sends nothing more
    const again = await job.run(at('2026-09-07'));
    expect([again.build.late.marked.length, again.build.batches.length, again.sent.length]).toEqual([0, 0, 0]);
    expect(smtp.messages).toHaveLength(1);
  });
});

describeEachDatabase('serials: claims without mail, and the claim template setting', (db) => {
  let branchId: number;
  beforeAll(async () => {
    const p = db().prisma;
    const inst = await p.institution.create({ data: { code: 'NPL', name: 'Northfield Public Library' } });
    branchId = (await p.branch.create({ data: { code: 'MAIN', name: 'Main', institutionId: inst.id } })).id;
  });

  it('a batch sent while mail is not configured fails with the setting to set', async () => {
    const app = await serialsApp(db());
    try {
      const claims = app.get(ClaimsService);
      const vendorId = (await db().prisma.vendor.create({ data: { code: 'V1', name: 'Vendor One', claimsEmail: 'c@v1.example' } })).id;
      await subscription(db(), branchId, { title: 'T', vendorId, graceDays: 0, issues: [{ label: 'no.1', expectedDate: '2026-01-01' }] });
      const [batch] = (await claims.buildBatches({}, '2026-01-05')).batches;
      const r = await claims.send(batch.id, at('2026-01-05'));
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(/mail is not configured: set mail\.smtpUrl \(environment variable CARREL_MAIL_SMTP_URL\)/);
    } finally {
      await app.close();
    }
  });

  it('uses the template file the setting names, and refuses to start with a broken one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-claim-template-'));
    const good = path.join(dir, 'letter.txt');
    writeFileSync(good, 'Subject: Reklamation {{vendor.code}}\n\n{{#issues}}\n* {{issue.title}} {{issue.label}} ({{issue.claimOrdinal}})\n{{/issues}}\n');
    const app = await serialsApp(db(), { CARREL_SERIALS_CLAIM_TEMPLATE: good });
    try {
      const claims = app.get(ClaimsService);
      const [batch] = await claims.list({ vendorCode: 'V1' });
      expect(await claims.preview(batch.id, at('2026-01-05'))).toEqual({ to: 'c@v1.example', subject: 'Reklamation V1', text: '* T no.1 (first)\n' });
    } finally {
      await app.close();
    }
    const bad = path.join(dir, 'bad.txt');
    writeFileSync(bad, 'Subject: x\n\n{{#issues}}{{issue.titel}}{{/issues}}\n');
    await expect(serialsApp(db(), { CARREL_SERIALS_CLAIM_TEMPLATE: bad })).rejects.toThrow(ConfigError);
    await expect(serialsApp(db(), { CARREL_SERIALS_CLAIM_TEMPLATE: bad })).rejects.toThrow(/serials\.claimTemplate \(CARREL_SERIALS_CLAIM_TEMPLATE\): .*bad\.txt line 3, column 12: unknown placeholder \{\{issue\.titel\}\}/);
    await expect(serialsApp(db(), { CARREL_SERIALS_CLAIM_TEMPLATE: path.join(dir, 'missing.txt') })).rejects.toThrow(/serials\.claimTemplate \(CARREL_SERIALS_CLAIM_TEMPLATE\) cannot be read: ENOENT/);
  });
});

describeEachDatabase('serials: the claims API over HTTP', (db) => {
  let smtp: TestSmtpServer;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let auth: Record<string, string>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await createHub(testSettings(db(), { CARREL_TIME_ZONE: 'UTC', CARREL_MAIL_SMTP_URL: smtp.url, CARREL_SCHEDULER_ENABLED: 'true' }), createLogger('silent'));
    await app.listen(0, '127.0.0.1');
    http = request(app.getHttpServer());
    auth = { Authorization: `Bearer ${(await app.get(StaffTokenService).create('serials')).token}` };
    const p = db().prisma;
    const inst = await p.institution.create({ data: { code: 'NPL', name: 'Northfield Public Library' } });
    const branchId = (await p.branch.create({ data: { code: 'MAIN', name: 'Main', institutionId: inst.id } })).id;
    const vendorId = (await p.vendor.create({ data: { code: 'HAR', name: 'Harrassowitz', claimsEmail: 'claims@harrassowitz.example', accountNumbers: '["NPL-0042"]' } })).id;
    // long overdue by the real clock the API reads
    await subscription(db(), branchId, { title: 'Old Quarterly', issn: '0028-0836', vendorId, graceDays: 0, issues: [{ label: 'no.1 (2020:Jan.)', expectedDate: '2020-01-01' }] });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('schedules the nightly run where the scheduler role is on', () => {
    expect(app.get(SchedulerRegistry).doesExist('cron', LATE_JOB)).toBe(true);
  });

  it('builds, shows, previews, downloads and sends a batch; refuses bad requests with the reason', async () => {
    await http.post('/api/v1/serials/claims/batches').send({}).expect(401);
    const bad = (await http.post('/api/v1/serials/claims/batches').set(auth).send({ channel: 'fax', extra: 1 }).expect(400)).body;
    expect(bad.message).toContainEqual(expect.stringMatching(/^channel must be one of the following values: email, csv, edifact/));
    expect(bad.message).toContainEqual('extra: property extra should not exist');
    await http.post('/api/v1/serials/claims/batches').set(auth).send({ vendor: 'NOPE' }).expect(404);
    const built = (await http.post('/api/v1/serials/claims/batches').set(auth).send({}).expect(201)).body;
    expect(built.late.marked).toHaveLength(1);
    const [batch] = built.batches;
    expect(batch).toMatchObject({ vendorCode: 'HAR', status: 'draft', channel: 'email', contact: 'claims@harrassowitz.example' });
    expect((await http.get('/api/v1/serials/claims/batches?status=draft').set(auth).expect(200)).body.map((b: { id: number }) => b.id)).toEqual([batch.id]);
    await http.get('/api/v1/serials/claims/batches?status=lost').set(auth).expect(400);
    const letter = (await http.get(`/api/v1/serials/claims/batches/${batch.id}/letter`).set(auth).expect(200)).body;
    expect(letter.to).toBe('claims@harrassowitz.example');
    expect(letter.text).toContain('1. Old Quarterly (ISSN 0028-0836)\n   Issue: no.1 (2020:Jan.)');
    const csv = await http.get(`/api/v1/serials/claims/batches/${batch.id}/claims.csv`).set(auth).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="claims-HAR-${batch.id}.csv"`);
    expect(csv.text.split('\r\n')[1]).toMatch(/,1,\d{4}-\d{2}-\d{2},HAR,NPL-0042,Old Quarterly,0028-0836,no.1 \(2020:Jan.\),2020-01-01,2020-01-01,$/);
    const edi = await http.get(`/api/v1/serials/claims/batches/${batch.id}/ostenq.edi`).set(auth).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(edi.headers['content-type']).toBe('application/edifact; charset=iso-8859-1');
    expect(edi.headers['content-disposition']).toBe(`attachment; filename="claims-HAR-${batch.id}.edi"`);
    expect(parseEdifact(edi.body as Buffer).interchanges[0].messages[0].type).toBe('OSTENQ');
    const sent = (await http.post(`/api/v1/serials/claims/batches/${batch.id}/send`).set(auth).expect(200)).body;
    expect(sent.status).toBe('sent');
    expect((await smtp.waitFor(1))[0].parsed.text).toContain('no.1 (2020:Jan.)');
    expect((await http.post(`/api/v1/serials/claims/batches/${batch.id}/send`).set(auth).expect(409)).body.message).toMatch(/was sent already/);
    await http.get('/api/v1/serials/claims/batches/999999').set(auth).expect(404);
    const audit = await db().prisma.auditEntry.findFirstOrThrow({ where: { action: 'send', entity: 'SerialClaimBatch', entityId: String(batch.id) } });
    expect(audit.actor).toBe('staff-token:serials');
    expect((await http.post('/api/v1/serials/claims/late').set(auth).send({}).expect(200)).body.marked).toEqual([]);
  });

  it('sets a vendor\'s claim interval, maximum and automatic sending through the vendor API', async () => {
    const v = (await http.patch('/api/v1/acquisitions/vendors/HAR').set(auth).send({ claimIntervalDays: 14, maxClaims: 1, autoSendClaims: true }).expect(200)).body;
    expect(v).toMatchObject({ claimIntervalDays: 14, maxClaims: 1, autoSendClaims: true });
    const bad = (await http.patch('/api/v1/acquisitions/vendors/HAR').set(auth).send({ claimIntervalDays: 0, maxClaims: 1.5, autoSendClaims: 'yes' }).expect(400)).body;
    for (const m of [/^claimIntervalDays must not be less than 1/, /^maxClaims must be an integer/, /^autoSendClaims must be a boolean/]) expect(bad.message).toContainEqual(expect.stringMatching(m));
    const created = (await http.post('/api/v1/acquisitions/vendors').set(auth).send({ code: 'EBS', name: 'EBSCO', maxClaims: 0 }).expect(201)).body;
    expect(created).toMatchObject({ claimIntervalDays: 30, maxClaims: 0, autoSendClaims: false });
  });
});
