// A year of a weekly and a monthly subscription on a fake clock: issues predicted, received with gaps, the
// nightly job marking late ones, staff building and sending claims every Monday to the test's real SMTP
// server (each mail parsed and its issues checked), a late arrival closing its claim, a second claim after
// the vendor's interval, none after its maximum, none for an issue not yet due.
import type { TestingModule } from '@nestjs/testing';
import { runAs } from '@carrel/audit';
import { CheckinService, ClaimsService, LateJob, SerialsModule, SubscriptionsService, graceDaysFor } from '@carrel/serials';
import { domainModule } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

const WEEKLY = '853 20 $81$av.$bno.$u52$vr$i(year)$j(month)$k(day)$ww$x01';
const MONTHLY = '853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01';
const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const noon = (day: string) => new Date(`${day}T12:00:00Z`);
const staff = <T>(fn: () => Promise<T>) => runAs({ actor: 'staff-token:serials-desk' }, fn);

/** How the post treats each issue (by its place in the subscription's list); the rest arrive when expected. */
interface Delivery {
  never: number[];
  /** issue index → days after its expected date it finally arrives */
  lateBy: Record<number, number>;
  /** issues expected after this day have not come by the end of the year (they are not due yet either) */
  stopAfter: string;
}

describeEachDatabase('serials: a year of claims on a fake clock', (db) => {
  let smtp: TestSmtpServer;
  let app: TestingModule;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await domainModule(db(), { CARREL_TIME_ZONE: 'UTC', CARREL_MAIL_SMTP_URL: smtp.url, CARREL_MAIL_FROM: 'serials@northfield.example' }, [SerialsModule]);
    await app.init();
    const p = db().prisma;
    const inst = await p.institution.create({ data: { code: 'NPL', name: 'Northfield Public Library' } });
    await p.branch.create({ data: { code: 'MAIN', name: 'Main', institutionId: inst.id } });
    await p.vendor.create({ data: { code: 'HAR', name: 'Harrassowitz', claimsEmail: 'claims@harrassowitz.example', accountNumbers: '["NPL-7"]', claimIntervalDays: 30, maxClaims: 2 } });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('predicts, receives with gaps, marks late, claims by mail, closes on arrival, claims again after the interval, stops at the maximum', async () => {
    const subs = app.get(SubscriptionsService);
    const checkin = app.get(CheckinService);
    const claims = app.get(ClaimsService);
    const job = app.get(LateJob);
    const p = db().prisma;

    const weekly = await staff(() => subs.create({
      title: 'Weekly Bulletin', issn: '0317-8471', vendorCode: 'HAR', vendorReference: 'W-100', branchCode: 'MAIN', startDate: '2027-01-01', expectedOffsetDays: 3,
      patterns: [{ caption: WEEKLY, firstIssue: { a: '1', b: '1', i: '2027', j: '01', k: '04' } }],
    }, '2027-01-01'));
    const monthly = await staff(() => subs.create({
      title: 'Monthly Review', issn: '0028-0836', vendorCode: 'HAR', vendorReference: 'M-200', vendorAccount: 'NPL-7', branchCode: 'MAIN', startDate: '2027-01-01', expectedOffsetDays: 10,
      patterns: [{ caption: MONTHLY, firstIssue: { a: '1', b: '1', i: '2027', j: '01' } }],
    }, '2027-01-01'));
    const grace = { [weekly.id]: graceDaysFor(null, 52), [monthly.id]: graceDaysFor(null, 12) };
    expect(grace).toEqual({ [weekly.id]: 11, [monthly.id]: 46 });

    const issuesOf = (subscriptionId: number) => p.serialIssue.findMany({ where: { subscriptionId }, orderBy: { sequence: 'asc' } });
    const weeklyIssues = await issuesOf(weekly.id);
    const monthlyIssues = await issuesOf(monthly.id);
    // the whole year is predicted ahead (horizon 400 days)
    expect(weeklyIssues.filter((i) => i.publicationDate.startsWith('2027'))).toHaveLength(52);
    expect(monthlyIssues.filter((i) => i.publicationDate.startsWith('2027')).map((i) => i.label)).toEqual(
      ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'July', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'].map((m, n) => `v.1:no.${n + 1}(2027:${m})`),
    );

    const plans = new Map<number, Delivery>([
      [weekly.id, { never: [9, 10, 29], lateBy: { 19: 25 }, stopAfter: '2027-12-20' }],
      [monthly.id, { never: [2], lateBy: { 6: 60 }, stopAfter: '2027-12-20' }],
    ]);
    // the day each issue arrives (none: never, or not this year)
    const arrival = new Map<number, string>();
    for (const [subscriptionId, issues] of [[weekly.id, weeklyIssues], [monthly.id, monthlyIssues]] as const) {
      const plan = plans.get(subscriptionId)!;
      issues.forEach((issue, index) => {
        if (plan.never.includes(index) || issue.expectedDate > plan.stopAfter) return;
        arrival.set(issue.id, addDays(issue.expectedDate, plan.lateBy[index] ?? 0));
      });
    }
    const byId = new Map([...weeklyIssues, ...monthlyIssues].map((i) => [i.id, i]));
    const graceOf = (issueId: number) => grace[byId.get(issueId)!.subscriptionId];

    let mails = 0;
    let closedByArrival = 0;
    for (let today = '2027-01-01'; today <= '2027-12-31'; today = addDays(today, 1)) {
      const now = noon(today);
      // the post: what arrives today is checked in (a late issue too)
      for (const [issueId, day] of arrival) {
        if (day !== today) continue;
        const r = await staff(() => checkin.receive(issueId, {}, now));
        closedByArrival += r.closedClaims;
      }
      // the nightly job (Harrassowitz does not auto-send: it only marks issues late)
      const night = await job.run(now);
      expect(night.sent).toEqual([]);
      for (const m of night.build.late.marked) {
        // late exactly the day after expected date + grace, never earlier
        expect(m.expectedDate < today).toBe(true);
        expect(addDays(m.expectedDate, graceOf(m.issueId) + 1)).toBe(today);
      }
      // Mondays: staff gather the claims due, review the letter and send it
      if (now.getUTCDay() !== 1) continue;
      const built = await staff(() => claims.buildBatches({}, today));
      expect(built.noContact).toEqual([]);
      expect(built.withoutVendor).toEqual([]);
      for (const batch of built.batches) {
        for (const c of batch.claims) {
          expect(addDays(c.expectedDate, graceOf(c.issueId)) < today).toBe(true);
          expect(arrival.get(c.issueId) === undefined || arrival.get(c.issueId)! > today).toBe(true);
        }
        const sent = await staff(() => claims.send(batch.id, now));
        expect(sent.status).toBe('sent');
        mails++;
        await smtp.waitFor(mails);
        const got = smtp.messages[mails - 1]!;
        expect(got.envelopeTo).toEqual(['claims@harrassowitz.example']);
        expect(got.parsed.messageId).toBe(sent.messageId);
        // the issues the mail lists are the batch's claims, each with its claim number
        const listed = [...got.parsed.text!.matchAll(/^\d+\. (.+?)(?: \(ISSN [^)]+\))?\n {3}Issue: (.+)\n {3}Expected: (\S+)\n[^]*?Claim: (\w+) claim$/gm)]
          .map((m) => [m[1], m[2], m[3], m[4]]);
        const ordinal = ['', 'first', 'second', 'third'];
        expect(listed).toEqual(sent.claims.map((c) => [c.title, c.label, c.expectedDate, ordinal[c.claimNumber]]));
        expect(got.parsed.attachments[0]!.content.toString('utf8').trim().split('\r\n')).toHaveLength(sent.claims.length + 1);
      }
    }

    const claimsOf = (issueId: number) => p.serialClaim.findMany({ where: { issueId }, orderBy: { claimNumber: 'asc' } });
    // never arrived: claimed twice (Harrassowitz honours two), the second at least 30 days after the first, then no more
    for (const issue of [weeklyIssues[9]!, weeklyIssues[10]!, weeklyIssues[29]!, monthlyIssues[2]!]) {
      const made = await claimsOf(issue.id);
      expect(made.map((c) => [c.claimNumber, c.status])).toEqual([[1, 'sent'], [2, 'sent']]);
      const gap = (Date.parse(made[1]!.claimedOn) - Date.parse(made[0]!.claimedOn)) / DAY_MS;
      expect(gap).toBeGreaterThanOrEqual(30);
      expect(gap).toBeLessThan(37);
      // the first claim went out on the first Monday the issue was late
      const lateFrom = addDays(issue.expectedDate, graceOf(issue.id) + 1);
      expect(made[0]!.claimedOn >= lateFrom && made[0]!.claimedOn < addDays(lateFrom, 7)).toBe(true);
      expect((await p.serialIssue.findUniqueOrThrow({ where: { id: issue.id } })).status).toBe('late');
    }
    // arrived late: claimed once, the claim closed by the check-in
    for (const issue of [weeklyIssues[19]!, monthlyIssues[6]!]) {
      const made = await claimsOf(issue.id);
      expect(made.map((c) => [c.claimNumber, c.status])).toEqual([[1, 'closed']]);
      expect(made[0]!.closedAt!.toISOString()).toBe(noon(arrival.get(issue.id)!).toISOString());
      expect((await p.serialIssue.findUniqueOrThrow({ where: { id: issue.id } })).status).toBe('received');
    }
    expect(closedByArrival).toBe(2);
    // nothing else was ever claimed: issues that came on time, and those not yet due at the year's end
    expect(await p.serialClaim.count()).toBe(4 * 2 + 2);
    const notDue = (await p.serialIssue.findMany({ where: { subscriptionId: { in: [weekly.id, monthly.id] }, expectedDate: { gt: '2027-12-20', lte: '2027-12-31' } } }));
    expect(notDue.length).toBeGreaterThan(0);
    for (const issue of notDue) {
      expect(issue.status).toBe('expected');
      expect(await claimsOf(issue.id)).toEqual([]);
    }
    expect(await p.serialIssue.count({ where: { status: 'late' } })).toBe(4);
    // each claim batch in the audit log: created and sent by staff; late marks by the nightly job
    const batches = await p.serialClaimBatch.findMany({ orderBy: { id: 'asc' } });
    expect(batches.every((b) => b.status === 'sent')).toBe(true);
    expect(batches).toHaveLength(mails);
    const audit = await p.auditEntry.findMany({ where: { entity: 'SerialClaimBatch' } });
    expect(audit.filter((a) => a.action === 'create' && a.actor === 'staff-token:serials-desk')).toHaveLength(mails);
    expect(audit.filter((a) => a.action === 'send' && a.actor === 'staff-token:serials-desk')).toHaveLength(mails);
    const lateMarks = await p.auditEntry.findMany({ where: { action: 'mark-late', entity: 'Subscription' } });
    expect(lateMarks.every((a) => a.actor === 'system:serials-claims')).toBe(true);
    expect(lateMarks.flatMap((a) => JSON.parse(a.after!).issues).length).toBe(6);
  });
});
