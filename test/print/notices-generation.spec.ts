// Notices on the database with a fake clock: overdue first, second and third notices at their days, hold
// available, fines over the threshold, each item told of once (re-runs and concurrent runs), items of one
// patron gathered; email to a real SMTP server (parsed back), failures retried on the next run; print
// notices gathered per branch into one PDF (read back with pdftotext) and queued on the branch's printer;
// patrons' languages; serial claim letters.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConflictException } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { ConfigError } from '@carrel/config';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { NOTICES_JOB, NoticesJob, NoticesService, PrintModule, overdueNoticeDays } from '@carrel/print';
import { domainModule } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { pdfPages } from './notices-support.js';

/** a wall-clock time in Chicago (UTC-6 in winter, UTC-5 from mid-March) as an instant */
const chicago = (iso: string): Date => new Date(new Date(`${iso}Z`).getTime() + (new Date(`${iso}Z`) >= new Date('2027-03-14T08:00:00Z') ? 5 : 6) * 3_600_000);
/** end of a library day in Chicago: when day loans fall due */
const dueOn = (day: string): Date => chicago(`${day}T23:59:00`);

describeEachDatabase('notices: generation and delivery', (db) => {
  let smtp: TestSmtpServer;
  let mod: TestingModule;
  let notices: NoticesService;
  let storage: string;
  const ids: Record<string, number> = {};
  let seq = 0;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    storage = mkdtempSync(path.join(os.tmpdir(), 'carrel-notices-print-'));
    const p = db().prisma;
    const inst = await p.institution.create({ data: { code: 'CEN', name: 'Centerville Libraries' } });
    ids.CPL = (await p.branch.create({ data: { code: 'CPL', name: 'Centerville Public Library', institutionId: inst.id, address: '12 Main St\nCenterville, IL 60000', phone: '555-0100', email: 'circ@cpl.example.org' } })).id;
    ids.FPL = (await p.branch.create({ data: { code: 'FPL', name: 'Fairview Branch', institutionId: inst.id, address: '7 Oak Ave, Fairview' } })).id;
    ids.category = (await p.patronCategory.create({ data: { code: 'ADULT', name: 'Adult' } })).id;
    mod = await domainModule(db(), {
      CARREL_TIME_ZONE: 'America/Chicago',
      CARREL_MAIL_SMTP_URL: smtp.url,
      CARREL_MAIL_FROM: 'Centerville Libraries <notices@cpl.example.org>',
      CARREL_PRINT_STORAGE_DIR: storage,
      CARREL_PRINT_PRINTERS: JSON.stringify([{ name: 'cpl-desk', uri: 'socket://127.0.0.1:9100', branch: 'CPL' }, { name: 'fpl-desk', uri: 'socket://127.0.0.1:9101', branch: 'FPL' }]),
      CARREL_PRINT_DEFAULT_PRINTER: 'cpl-desk',
      CARREL_PRINT_FINES_NOTICE_THRESHOLD: '10.00',
    }, [PrintModule]);
    await mod.init();
    notices = mod.get(NoticesService);
  });
  afterAll(async () => {
    await mod?.close();
    await smtp?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  async function patron(barcode: string, o: { email?: string | null; language?: string | null; noticeChannel?: string | null; home?: 'CPL' | 'FPL'; firstname?: string; surname?: string } = {}): Promise<number> {
    return (await db().prisma.patron.create({
      data: {
        barcode, surname: o.surname ?? `Reader${barcode}`, firstname: o.firstname ?? 'Pat', categoryId: ids.category, homeBranchId: ids[o.home ?? 'CPL'],
        email: o.email === undefined ? `${barcode.toLowerCase()}@example.org` : o.email, language: o.language ?? null, noticeChannel: o.noticeChannel ?? null,
        address: '3 Elm Rd', city: 'Centerville', postcode: '60001',
      },
    })).id;
  }

  async function item(title: string, o: { author?: string; price?: string } = {}): Promise<{ id: number; barcode: string }> {
    const n = ++seq;
    const r = await db().prisma.bibRecord.create({ data: { title, author: o.author ?? null, marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from(`${title} ${n}`), contentHash: `notice-${n}` } });
    const barcode = `3900${String(n).padStart(6, '0')}`;
    const i = await db().prisma.item.create({ data: { barcode, recordId: r.id, homeBranchId: ids.CPL, branchId: ids.CPL, callNumber: `823 N${n}`, status: 'checked_out', price: o.price ?? null } });
    return { id: i.id, barcode };
  }

  async function loan(patronId: number, title: string, due: Date, o: { author?: string; price?: string } = {}): Promise<number> {
    const it = await item(title, o);
    return (await db().prisma.loan.create({ data: { itemId: it.id, patronId, branchCode: 'CPL', checkedOutAt: new Date(due.getTime() - 21 * 86_400_000), dueAt: due } })).id;
  }

  const noticesOf = (patronId: number) => db().prisma.notice.findMany({ where: { patronId }, include: { lines: true }, orderBy: { id: 'asc' } });
  const bodyOf = (m: { parsed: { text?: string } }) => m.parsed.text ?? '';

  it('sends each overdue level once at its day, gathering a patron’s items, by email or print, in the patron’s language', async () => {
    const ada = await patron('ADA', { firstname: 'Ada', surname: 'Lovelace' });
    const emile = await patron('EMILE', { email: null, language: 'fr-CA', home: 'FPL', firstname: 'Émile', surname: 'Zola' });
    const paper = await patron('PAPER', { noticeChannel: 'print', firstname: 'Paula', surname: 'Per' });
    const l1 = await loan(ada, 'The Difference Engine', dueOn('2027-03-01'), { author: 'Gibson, William', price: '24.95' });
    const l2 = await loan(ada, 'Sketch of the Analytical Engine', dueOn('2027-03-01'));
    const l3 = await loan(ada, 'Notes', dueOn('2027-03-05'));
    const le = await loan(emile, 'Germinal', dueOn('2027-03-01'), { author: 'Zola, Émile' });
    const lp = await loan(paper, 'Paper Moon', dueOn('2027-03-01'));
    // returned: never noticed
    const returned = await loan(ada, 'Returned Already', dueOn('2027-03-01'));
    await db().prisma.loan.update({ where: { id: returned }, data: { returnedAt: dueOn('2027-03-02') } });

    // due at 23:59 on the 1st: not overdue a day until the 2nd in Chicago
    expect((await notices.run(chicago('2027-03-01T23:59:30'))).generated.created).toEqual([]);

    smtp.clear();
    const first = await notices.run(chicago('2027-03-02T07:00:00'));
    expect(first.generated.created.map((c) => [c.type, c.patronId, c.items, c.channel])).toEqual([
      ['overdue1', ada, 2, 'email'], ['overdue1', emile, 1, 'print'], ['overdue1', paper, 1, 'print'],
    ]);
    const [adaNotice] = await noticesOf(ada);
    expect(adaNotice).toMatchObject({ type: 'overdue1', onceKey: `overdue1:patron:${ada}:${l1}+${l2}`, language: 'en', channel: 'email', recipient: 'ada@example.org', status: 'sent', branchId: ids.CPL, error: null });
    expect(adaNotice.lines.map((l) => l.onceKey).sort()).toEqual([`overdue1:loan:${l1}`, `overdue1:loan:${l2}`].sort());

    // the email, as the patron's mailbox receives it
    const [mail] = await smtp.waitFor(1);
    expect(smtp.messages).toHaveLength(1);
    expect(mail.envelopeTo).toEqual(['ada@example.org']);
    expect(mail.parsed.from?.value[0]).toMatchObject({ address: 'notices@cpl.example.org', name: 'Centerville Libraries' });
    expect(mail.parsed.subject).toBe('Overdue: 2 item(s) to return to Centerville Public Library');
    const text = bodyOf(mail);
    expect(text).toContain('Dear Ada Lovelace,');
    expect(text).toContain('Card number: ADA');
    expect(text).toMatch(/- The Difference Engine \/ Gibson, William\n {2}Call number: 823 N\d+ {3}Barcode: 3900\d{6}\n {2}Due: March 1, 2027 \(1 days overdue\)/);
    expect(text).toContain('- Sketch of the Analytical Engine\n');
    expect(text).not.toContain('Returned Already');
    expect(text).not.toContain('Notes');
    expect(text).toContain('Phone: 555-0100');
    expect(mail.parsed.html).toBe(false);

    // print: one job per branch, one notice per page, each under its branch's letterhead
    expect(first.delivered.printed.map((p) => [p.branchId, p.notices.length])).toEqual([[ids.CPL, 1], [ids.FPL, 1]]);
    const jobs = await db().prisma.printJob.findMany({ orderBy: { id: 'asc' } });
    expect(jobs.map((j) => [j.printer, j.kind, j.status, j.pages, j.branchId])).toEqual([['cpl-desk', 'notices', 'queued', 1, ids.CPL], ['fpl-desk', 'notices', 'queued', 1, ids.FPL]]);
    const cplPages = pdfPages(readFileSync(jobs[0].documentPath));
    expect(cplPages).toHaveLength(1);
    expect(cplPages[0]).toContain('Centerville Public Library');
    expect(cplPages[0]).toContain('Dear Paula Per,');
    expect(cplPages[0]).toContain('3 Elm Rd');
    const fplPages = pdfPages(readFileSync(jobs[1].documentPath));
    expect(fplPages).toHaveLength(1);
    expect(fplPages[0]).toContain('Fairview Branch');
    expect(fplPages[0]).toContain('7 Oak Ave, Fairview');
    expect(fplPages[0]).toContain('Retard : 1 document(s) à rendre à Fairview Branch');
    expect(fplPages[0]).toContain('Émile Zola');
    expect(fplPages[0]).toContain('À rendre le 1 mars 2027 (1 jours de retard)');
    const [emileNotice] = await noticesOf(emile);
    expect(emileNotice).toMatchObject({ language: 'fr', channel: 'print', status: 'queued_for_print', printJobId: jobs[1].id, onceKey: `overdue1:loan:${le}` });
    expect((await noticesOf(paper))[0]).toMatchObject({ status: 'queued_for_print', printJobId: jobs[0].id, onceKey: `overdue1:loan:${lp}` });

    // a re-run, the same day or the next: nothing new, nothing sent again
    for (const when of ['2027-03-02T07:00:00', '2027-03-02T19:00:00', '2027-03-03T07:00:00']) {
      const again = await notices.run(chicago(when));
      expect(again.generated.created).toEqual([]);
      expect(again.delivered).toEqual({ emailed: [], failed: [], printed: [] });
    }
    expect(smtp.messages).toHaveLength(1);
    expect(await db().prisma.printJob.count()).toBe(2);

    // the loan due on the 5th gets its own first notice on the 6th
    const sixth = await notices.run(chicago('2027-03-06T07:00:00'));
    expect(sixth.generated.created.map((c) => [c.type, c.onceKey])).toEqual([['overdue1', `overdue1:loan:${l3}`]]);

    // 14 days: the second notice for the loans due on the 1st; 28 days: the third, with the replacement cost
    const second = await notices.run(chicago('2027-03-15T07:00:00'));
    expect(second.generated.created.map((c) => [c.type, c.patronId, c.items])).toEqual([['overdue2', ada, 2], ['overdue2', emile, 1], ['overdue2', paper, 1]]);
    const third = await notices.run(chicago('2027-03-29T07:00:00'));
    // the loan due on the 5th is 24 days overdue by then: its second notice
    expect(third.generated.created.map((c) => [c.type, c.patronId, c.items])).toEqual([['overdue3', ada, 2], ['overdue2', ada, 1], ['overdue3', emile, 1], ['overdue3', paper, 1]]);
    const finalMail = smtp.messages.find((m) => m.parsed.subject?.startsWith('Final notice'))!;
    expect(bodyOf(finalMail)).toContain('Replacement cost: $24.95');
    expect(bodyOf(finalMail)).toContain('(28 days overdue)');
    const later = await notices.run(chicago('2027-04-20T07:00:00'));
    expect(later.generated.created.map((c) => c.onceKey)).toEqual([`overdue3:loan:${l3}`]);
    // after the third, nothing more
    expect((await notices.run(chicago('2027-05-01T07:00:00'))).generated.created).toEqual([]);
    expect((await noticesOf(ada)).map((n) => n.type)).toEqual(['overdue1', 'overdue1', 'overdue2', 'overdue3', 'overdue2', 'overdue3']);
  });

  it('tells a patron once that holds wait on the shelf, gathered per pickup branch, not for lapsed ones', async () => {
    const hana = await patron('HANA', { firstname: 'Hana' });
    const mk = async (title: string, pickup: 'CPL' | 'FPL', capturedAt: Date, expiresAt: Date) => {
      const it = await item(title);
      const rec = (await db().prisma.item.findUniqueOrThrow({ where: { id: it.id } })).recordId;
      await db().prisma.item.update({ where: { id: it.id }, data: { status: 'on_hold_shelf' } });
      return (await db().prisma.hold.create({ data: { patronId: hana, recordId: rec, pickupBranch: pickup, placedAt: new Date(capturedAt.getTime() - 86_400_000), status: 'on_shelf', capturedItemId: it.id, capturedAt, expiresAt } })).id;
    };
    const h1 = await mk('Held One', 'CPL', chicago('2027-05-03T10:00:00'), chicago('2027-05-10T10:00:00'));
    const h2 = await mk('Held Two', 'CPL', chicago('2027-05-03T15:00:00'), chicago('2027-05-10T15:00:00'));
    const h3 = await mk('Held Elsewhere', 'FPL', chicago('2027-05-03T11:00:00'), chicago('2027-05-10T11:00:00'));
    await mk('Lapsed', 'CPL', chicago('2027-04-20T10:00:00'), chicago('2027-04-27T10:00:00'));
    smtp.clear();
    const r = await notices.run(chicago('2027-05-03T16:00:00'));
    const holds = r.generated.created.filter((c) => c.type === 'hold_available');
    expect(holds.map((c) => [c.onceKey, c.items])).toEqual([[`hold_available:patron:${hana}:${h1}+${h2}`, 2], [`hold_available:hold:${h3}`, 1]]);
    await smtp.waitFor(2);
    const cpl = smtp.messages.find((m) => m.parsed.subject === 'Ready for pickup: 2 item(s) at Centerville Public Library')!;
    expect(bodyOf(cpl)).toContain('- Held One\n');
    expect(bodyOf(cpl)).toContain('Waiting since May 3, 2027; please collect it by May 10, 2027\n  at Centerville Public Library, 12 Main St, Centerville, IL 60000');
    expect(bodyOf(cpl)).not.toContain('Lapsed');
    const fpl = smtp.messages.find((m) => m.parsed.subject === 'Ready for pickup: 1 item(s) at Fairview Branch')!;
    expect(bodyOf(fpl)).toContain('- Held Elsewhere');
    // a hold captured later is told of on its own; the first ones not again
    const h4 = await mk('Held Later', 'CPL', chicago('2027-05-04T09:00:00'), chicago('2027-05-11T09:00:00'));
    const later = await notices.run(chicago('2027-05-04T10:00:00'));
    expect(later.generated.created.filter((c) => c.type === 'hold_available').map((c) => c.onceKey)).toEqual([`hold_available:hold:${h4}`]);
  });

  it('sends a fines notice when a patron owes more than the threshold, and another only for a new fee', async () => {
    const fay = await patron('FAY', { firstname: 'Fay' });
    const it = await item('Damaged Atlas');
    const fee = (amount: string, type: string, createdAt: Date, itemId: number | null = null) =>
      db().prisma.fee.create({ data: { patronId: fay, type, amount, outstanding: amount, itemId, createdAt } });
    await fee('6.00', 'overdue', chicago('2027-06-01T10:00:00'), it.id);
    const none = await notices.run(chicago('2027-06-02T07:00:00'));
    expect(none.generated.created.filter((c) => c.patronId === fay)).toEqual([]);
    await fee('4.50', 'damage', chicago('2027-06-03T10:00:00'));
    smtp.clear();
    const over = await notices.run(chicago('2027-06-04T07:00:00'));
    expect(over.generated.created.filter((c) => c.patronId === fay).map((c) => [c.type, c.items])).toEqual([['fines', 2]]);
    const [m] = await smtp.waitFor(1);
    expect(m.parsed.subject).toBe('You owe $10.50 to Centerville Public Library');
    expect(bodyOf(m)).toContain('more than the $10.00 at which we write');
    expect(bodyOf(m)).toMatch(/- June 1, 2027 {2}Overdue fine: Damaged Atlas \(3900\d{6}\)\n {2}Charged \$6\.00, still owed \$6\.00/);
    expect(bodyOf(m)).toContain('Damage\n  Charged $4.50, still owed $4.50');
    expect((await notices.run(chicago('2027-06-05T07:00:00'))).generated.created.filter((c) => c.patronId === fay)).toEqual([]);
    await fee('1.00', 'manual', chicago('2027-06-06T10:00:00'));
    const again = await notices.run(chicago('2027-06-07T07:00:00'));
    expect(again.generated.created.filter((c) => c.patronId === fay).map((c) => [c.type, c.items])).toEqual([['fines', 1]]);
    const [, m2] = await smtp.waitFor(2);
    expect(m2.parsed.subject).toBe('You owe $11.50 to Centerville Public Library');
    expect(bodyOf(m2)).toContain('Damaged Atlas');
  });

  it('keeps an email the server refused as failed and sends it on the next run', async () => {
    const gus = await patron('GUS');
    await loan(gus, 'Bounced Letter', dueOn('2027-07-01'));
    smtp.clear();
    smtp.refuse.add('gus@example.org');
    const r1 = await notices.run(chicago('2027-07-02T07:00:00'));
    const mine = r1.generated.created.find((c) => c.patronId === gus)!;
    expect(r1.delivered.failed).toEqual([{ id: mine.id, error: expect.stringMatching(/mail to gus@example\.org was not sent: .*550/) }]);
    expect(await db().prisma.notice.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({ status: 'failed', sentAt: null });
    smtp.refuse.delete('gus@example.org');
    const r2 = await notices.run(chicago('2027-07-03T07:00:00'));
    expect(r2.generated.created).toEqual([]);
    expect(r2.delivered.emailed).toEqual([mine.id]);
    const [m] = await smtp.waitFor(1);
    expect(m.envelopeTo).toEqual(['gus@example.org']);
    expect(bodyOf(m)).toContain('Bounced Letter');
    expect(await db().prisma.notice.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({ status: 'sent', error: null });
    expect((await notices.run(chicago('2027-07-04T07:00:00'))).delivered.emailed).toEqual([]);
  });

  it('records each item once when runs overlap: the unique keys refuse the second', async () => {
    const pats = await Promise.all(['CC1', 'CC2', 'CC3'].map((b) => patron(b)));
    for (const p of pats) {
      await loan(p, `Concurrent ${p} a`, dueOn('2027-08-01'));
      await loan(p, `Concurrent ${p} b`, dueOn('2027-08-01'));
    }
    const now = chicago('2027-08-02T07:00:00');
    const [a, b, c] = await Promise.all([notices.generate(now), notices.generate(now), notices.generate(now)]);
    const made = [...a.created, ...b.created, ...c.created].filter((x) => pats.includes(x.patronId!));
    expect(made).toHaveLength(3);
    expect(a.alreadyRecorded + b.alreadyRecorded + c.alreadyRecorded).toBeGreaterThanOrEqual(6 - made.length);
    const rows = await db().prisma.notice.findMany({ where: { patronId: { in: pats } }, include: { lines: true } });
    expect(rows).toHaveLength(3);
    expect(rows.flatMap((r) => r.lines)).toHaveLength(6);
  });

  it('prints a serial claim batch as a letter to the vendor, once', async () => {
    const p = db().prisma;
    const vendor = await p.vendor.create({ data: { code: 'EBS', name: 'EBSCO Subscription Services', accountNumbers: '["ACC-77"]' } });
    const sub = await p.subscription.create({ data: { title: 'Nature', issn: '0028-0836', vendorId: vendor.id, vendorReference: 'SUB-1234', branchId: ids.FPL, startDate: '2027-01-01' } });
    const issue = await p.serialIssue.create({ data: { subscriptionId: sub.id, values: '{"a":"547","b":"3"}', label: 'v.547:no.3 (2027:Jan. 16)', publicationDate: '2027-01-16', expectedDate: '2027-01-20', status: 'late' } });
    const issue2 = await p.serialIssue.create({ data: { subscriptionId: sub.id, values: '{"a":"547","b":"4"}', label: 'v.547:no.4 (2027:Jan. 23)', publicationDate: '2027-01-23', expectedDate: '2027-01-27', status: 'late' } });
    const batch = await p.serialClaimBatch.create({ data: { vendorId: vendor.id, channel: 'email' } });
    await p.serialClaim.create({ data: { issueId: issue.id, vendorId: vendor.id, batchId: batch.id, claimNumber: 1, claimedOn: '2027-02-20' } });
    await p.serialClaim.create({ data: { issueId: issue2.id, vendorId: vendor.id, batchId: batch.id, claimNumber: 2, claimedOn: '2027-02-20' } });

    const r = await notices.claimLetter(batch.id, chicago('2027-02-20T09:00:00'));
    expect(r).toMatchObject({ status: 'queued_for_print', error: null });
    const job = await p.printJob.findUniqueOrThrow({ where: { id: r.printJobId! } });
    expect(job).toMatchObject({ kind: 'claim-letters', printer: 'fpl-desk', branchId: ids.FPL, pages: 1 });
    const [page] = pdfPages(readFileSync(job.documentPath));
    expect(page).toContain('Fairview Branch');
    expect(page).toContain('Claim for 2 missing issue(s) – Centerville Libraries, account ACC-77');
    expect(page).toContain('EBSCO Subscription Services');
    expect(page).toContain('Nature (ISSN 0028-0836)');
    expect(page).toContain('Issue: v.547:no.3 (2027:Jan. 16)');
    expect(page).toContain('Expected: January 20, 2027');
    expect(page).toContain('Your subscription reference: SUB-1234');
    expect(page).toContain('Claim: second claim');
    const notice = await p.notice.findUniqueOrThrow({ where: { id: r.noticeId }, include: { lines: true } });
    expect(notice).toMatchObject({ type: 'serial_claim', onceKey: `serial_claim:batch:${batch.id}`, vendorId: vendor.id, channel: 'print' });
    expect(notice.lines).toHaveLength(2);
    // the letter went out: the batch and its claims are sent (the nightly job will not mail them as well)
    expect(await p.serialClaimBatch.findUniqueOrThrow({ where: { id: batch.id } })).toMatchObject({ status: 'sent', error: null });
    expect((await p.serialClaim.findMany({ where: { batchId: batch.id } })).map((c) => [c.status, c.claimedOn])).toEqual([['sent', '2027-02-20'], ['sent', '2027-02-20']]);
    expect(await p.auditEntry.count({ where: { action: 'send-letter', entity: 'SerialClaimBatch', entityId: String(batch.id) } })).toBe(1);
    await expect(notices.claimLetter(batch.id, chicago('2027-02-20T09:05:00'))).rejects.toThrow(ConflictException);
    await expect(notices.claimLetter(999_999, chicago('2027-02-20T09:05:00'))).rejects.toThrow('no claim batch 999999');
  });
});

describeEachDatabase('notices: delivery problems', (db) => {
  it('keeps print notices failed when no printer can take them, and mail failed when mail is not configured', async () => {
    const p = db().prisma;
    const inst = await p.institution.create({ data: { code: 'X', name: 'X Libraries' } });
    const branch = await p.branch.create({ data: { code: 'XPL', name: 'X Library', institutionId: inst.id } });
    const cat = await p.patronCategory.create({ data: { code: 'A', name: 'A' } });
    const withMail = await p.patron.create({ data: { barcode: 'M1', surname: 'Mail', categoryId: cat.id, homeBranchId: branch.id, email: 'm1@example.org' } });
    const noMail = await p.patron.create({ data: { barcode: 'P1', surname: 'Paper', categoryId: cat.id, homeBranchId: branch.id } });
    const r = await p.bibRecord.create({ data: { title: 'T', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from('t'), contentHash: 'x-t' } });
    for (const [i, pid] of [withMail.id, noMail.id].entries()) {
      const it = await p.item.create({ data: { barcode: `XB${i}`, recordId: r.id, homeBranchId: branch.id, branchId: branch.id, status: 'checked_out' } });
      await p.loan.create({ data: { itemId: it.id, patronId: pid, branchCode: 'XPL', checkedOutAt: new Date('2027-01-01T12:00:00Z'), dueAt: new Date('2027-01-10T12:00:00Z') } });
    }
    const mod = await domainModule(db(), { CARREL_TIME_ZONE: 'UTC', CARREL_MAIL_SMTP_URL: '' }, [PrintModule]);
    try {
      await mod.init();
      const run = await mod.get(NoticesService).run(new Date('2027-01-12T08:00:00Z'));
      expect(run.generated.created).toHaveLength(2);
      const errors = Object.fromEntries(run.delivered.failed.map((f) => [f.id, f.error]));
      const rows = await p.notice.findMany({ orderBy: { id: 'asc' } });
      expect(rows.map((n) => [n.channel, n.status])).toEqual([['email', 'failed'], ['print', 'failed']]);
      expect(errors[rows[0].id]).toMatch(/mail is not configured: set mail\.smtpUrl/);
      expect(errors[rows[1].id]).toMatch(/not printed: .*no printers are configured \(setting print\.printers\)/);
      expect(rows[1].error).toBe(errors[rows[1].id]);
    } finally {
      await mod.close();
    }
  });

  it('refuses a bad print.overdueNoticeDays and a bad template folder at start, naming them', async () => {
    expect(() => overdueNoticeDays([14, 1])).toThrow('print.overdueNoticeDays (CARREL_PRINT_OVERDUE_NOTICE_DAYS) entry 2 (1) must be more than entry 1 (14), got [14,1]');
    expect(() => overdueNoticeDays([0])).toThrow(/entry 1 must be a whole number of days from 1 to 3650/);
    expect(() => overdueNoticeDays([1, 2, 3, 4])).toThrow(/must be a list of one to three day counts/);
    expect(() => overdueNoticeDays('1,14')).toThrow(/must be a list of one to three day counts/);
    await expect(domainModule(db(), { CARREL_PRINT_OVERDUE_NOTICE_DAYS: '[7, 3]' }, [PrintModule])).rejects.toThrow(ConfigError);
    const mod = await domainModule(db(), { CARREL_PRINT_NOTICE_TEMPLATES_DIR: '/nonexistent/notices' }, [PrintModule]);
    await expect(mod.init()).rejects.toThrow('Configuration error: notice templates folder /nonexistent/notices: does not exist or is not a folder');
    await mod.close();
  });

  it('runs on print.noticesCron where the scheduler role is on, as system:notices, and refuses a bad cron', async () => {
    const mod = await domainModule(db(), { CARREL_TIME_ZONE: 'UTC', CARREL_PRINT_NOTICES_CRON: '15 6 * * *' }, [ScheduleModule.forRoot(), PrintModule]);
    try {
      await mod.init();
      expect(mod.get(SchedulerRegistry).doesExist('cron', NOTICES_JOB)).toBe(true);
      const run = await mod.get(NoticesJob).run(new Date('2027-01-25T08:00:00Z'));
      expect(run.generated.created.length).toBeGreaterThan(0);
      const entry = await db().prisma.auditEntry.findFirstOrThrow({ where: { action: 'notices.generate' }, orderBy: { id: 'desc' } });
      expect(entry.actor).toBe('system:notices');
    } finally {
      await mod.close();
    }
    const off = await domainModule(db(), { CARREL_PRINT_NOTICES_CRON: '15 6 * * *' }, [PrintModule]);
    await off.init();
    expect(off.get(NoticesJob).active).toBe(false);
    await off.close();
    const bad = await domainModule(db(), { CARREL_PRINT_NOTICES_CRON: '99 6 * * *' }, [ScheduleModule.forRoot(), PrintModule]);
    await expect(bad.init()).rejects.toThrow(/print\.noticesCron \(CARREL_PRINT_NOTICES_CRON\) "99 6 \* \* \*" is not a valid cron expression/);
    await bad.close().catch(() => undefined);
  });
});
