import { previewIssues, type SubscriptionsService, type CheckinService, type PredictionJob } from '@carrel/serials';
import { describeEachDatabase } from '../support/databases.js';
import { MONTHLY, WEEKLY, asStaff, refusal, seedSerialsLibrary, serialsApp, type SerialsLibrary } from './serials-app.js';

const FIRST = { a: '1', b: '1', i: '2027', j: '01' };

describeEachDatabase('serials: subscriptions, patterns and expected issues', (db) => {
  let app: Awaited<ReturnType<typeof serialsApp>>;
  let subs: SubscriptionsService;
  let checkin: CheckinService;
  let job: PredictionJob;
  let lib: SerialsLibrary;

  beforeAll(async () => {
    app = await serialsApp(db());
    ({ subscriptions: subs, checkin, job } = app);
    lib = await seedSerialsLibrary(db().prisma, 'S');
  });
  afterAll(() => app?.close());

  const base = (over: Record<string, unknown> = {}) => ({
    title: 'Monthly Review', issn: '00280836', bibRecordId: lib.recordId, vendorCode: lib.vendorCode, vendorReference: 'SUB-77', vendorAccount: 'ACC-1',
    branchCode: lib.branchCode, locationCode: lib.locationCode, startDate: '2027-01-01', expectedOffsetDays: 10,
    patterns: [{ caption: MONTHLY, firstIssue: FIRST }], ...over,
  });
  const issuesOf = (id: number) => subs.issues(id);

  it('creates a subscription with its pattern and expects its issues to the horizon, expected date = publication + offset', async () => {
    const s = await asStaff(() => subs.create(base(), '2027-01-10'));
    expect(s).toMatchObject({ title: 'Monthly Review', issn: '0028-0836', vendorCode: lib.vendorCode, branchCode: lib.branchCode, locationCode: 'PER', vendorReference: 'SUB-77', active: true });
    expect(s.patterns).toEqual([expect.objectContaining({ kind: 'issue', caption: MONTHLY, firstIssue: FIRST, active: true })]);
    const issues = await issuesOf(s.id);
    // horizon 2027-01-10 + 400 days = 2028-02-14; expected 10 days after publication: through the February 2028 issue
    expect(issues.map((i) => i.label)).toEqual([
      ...['Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'July', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'].map((m, n) => `v.1:no.${n + 1}(2027:${m})`),
      'v.2:no.1(2028:Jan)', 'v.2:no.2(2028:Feb)',
    ]);
    expect(issues[0]).toMatchObject({ sequence: 0, values: FIRST, publicationDate: '2027-01-01', expectedDate: '2027-01-11', status: 'expected' });
    expect(issues.at(-1)).toMatchObject({ sequence: 13, publicationDate: '2028-02-01', expectedDate: '2028-02-11' });
    const audit = await db().prisma.auditEntry.findMany({ where: { entity: { in: ['Subscription', 'SubscriptionPattern'] }, entityId: { in: [String(s.id), String(s.patterns[0]!.id)] } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => `${a.entity}:${a.action}:${a.actor}`)).toEqual([
      'Subscription:create:staff-token:serials-desk', 'SubscriptionPattern:create:staff-token:serials-desk', 'Subscription:predict:staff-token:serials-desk',
    ]);
    expect(await subs.get(s.id)).toMatchObject({ issueCounts: { expected: 14 } });
  });

  it('generating twice creates nothing twice; a later day extends the run where it stopped', async () => {
    const s = await subs.create(base({ title: 'Twice' }), '2027-01-10');
    expect(await subs.predict(s.id, '2027-01-10')).toMatchObject({ created: 0, horizon: '2028-02-14' });
    const runs = await Promise.all([subs.predict(s.id, '2027-03-15'), subs.predict(s.id, '2027-03-15')]);
    expect(runs.map((r) => r.created).sort()).toEqual([0, 2]);
    const issues = await issuesOf(s.id);
    expect(issues).toHaveLength(16);
    expect(issues.map((i) => i.sequence)).toEqual([...Array(16).keys()]);
    expect(new Set(issues.map((i) => i.label)).size).toBe(16);
    expect(issues.at(-1)!.label).toBe('v.2:no.4(2028:Apr)');
  });

  it('the horizon is a setting, and the scheduled job extends every active subscription as system:serials-prediction', async () => {
    const short = await serialsApp(db(), { CARREL_SERIALS_PREDICTION_HORIZON_DAYS: '45' });
    try {
      const s = await short.subscriptions.create(base({ title: 'Short horizon', expectedOffsetDays: 0 }), '2027-01-10');
      expect((await short.subscriptions.issues(s.id)).map((i) => i.publicationDate)).toEqual(['2027-01-01', '2027-02-01']);
      expect(short.job.active).toBe(false); // no scheduler role in this module
      const report = await short.job.run(new Date('2027-03-01T12:00:00Z'));
      expect(report.today).toBe('2027-03-01');
      expect(report.failed).toEqual([]);
      expect((await short.subscriptions.issues(s.id)).map((i) => i.publicationDate)).toEqual(['2027-01-01', '2027-02-01', '2027-03-01', '2027-04-01']);
      const entry = await db().prisma.auditEntry.findFirst({ where: { entity: 'Subscription', entityId: String(s.id), action: 'predict' }, orderBy: { id: 'desc' } });
      expect(entry?.actor).toBe('system:serials-prediction');
      expect((await short.job.run(new Date('2027-03-01T12:00:00Z'))).created).toBe(0);
    } finally {
      await short.close();
    }
  });

  it('"today" is the library\'s day: late evening in Chicago is still the day before in UTC terms', () => {
    expect(subs.today(new Date('2027-03-02T03:00:00Z'))).toBe('2027-03-01');
    expect(subs.today(new Date('2027-03-02T07:00:00Z'))).toBe('2027-03-02');
  });

  it('refuses a bad pattern naming the pattern and the subfield, and stores nothing', async () => {
    const before = await db().prisma.subscription.count();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ caption: '853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wz$x01', firstIssue: FIRST }, /^patterns\[0\]: .*\$w.*unknown frequency/],
      [{ caption: '999 20 $av.', firstIssue: FIRST }, /^patterns\[0\]\.caption.*must start with one of 853, 854, 855/],
      [{ caption: '853 2x $av.', firstIssue: FIRST }, /^patterns\[0\]\.caption 853: indicators/],
      [{ caption: '', firstIssue: FIRST }, /^patterns\[0\]\.caption: is required/],
      [{ caption: MONTHLY }, /^patterns\[0\]\.firstIssue: is required/],
      [{ caption: MONTHLY, firstIssue: { a: '1', b: 'six', i: '2027', j: '01' } }, /^patterns\[0\]\.firstIssue: .*\$b/],
      [{ caption: MONTHLY, firstIssue: { a: '1', z: '1' } }, /^patterns\[0\]\.firstIssue: "z" is not an enumeration or chronology subfield/],
      [{ caption: MONTHLY, firstIssue: { a: '' } }, /^patterns\[0\]\.firstIssue \$a: must be a value/],
      [{ caption: MONTHLY, firstIssue: '864 41 $81.1$a1$b1$i2027$j01' }, /^patterns\[0\]\.firstIssue: a 853 pattern takes 863 values, not 864/],
      [{ caption: MONTHLY, firstIssue: '863 41 no subfields' }, /^patterns\[0\]\.firstIssue: holding 863: has no subfields/],
      [{ caption: MONTHLY, firstIssue: [1, 2] }, /^patterns\[0\]\.firstIssue: give the 863 values as an object/],
      [{ kind: 'index', caption: MONTHLY, firstIssue: FIRST }, /^patterns\[0\]\.kind: "index" patterns are 855 fields, this caption is 853/],
      [{ kind: 'bogus', caption: MONTHLY, firstIssue: FIRST }, /^patterns\[0\]\.kind: must be one of issue, supplement, index/],
    ];
    for (const [pattern, message] of cases) {
      const r = await refusal(subs.create(base({ title: 'Bad', patterns: [pattern] }), '2027-01-10'));
      expect({ pattern, status: r.status, message: r.message }).toEqual({ pattern, status: 400, message: expect.stringMatching(message) });
    }
    // a second, good pattern does not hide a bad first one, and the index says which
    const second = await refusal(subs.create(base({ patterns: [{ caption: MONTHLY, firstIssue: FIRST }, { caption: '855 20 $81$av.$wq', firstIssue: { a: 'x' } }] }), '2027-01-10'));
    expect(second.message).toMatch(/^patterns\[1\]/);
    expect(await db().prisma.subscription.count()).toBe(before);
  });

  it('refuses bad subscription fields with the field named', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ title: ' ' }, /^title is required/],
      [{ branchCode: 'NOPE' }, /^branchCode: branch "NOPE" does not exist/],
      [{ locationCode: 'NOPE' }, /^locationCode: shelving location "NOPE" does not exist/],
      [{ vendorCode: 'NOPE' }, /^vendorCode: vendor "NOPE" does not exist/],
      [{ bibRecordId: 999999 }, /^bibRecordId: record 999999 does not exist/],
      [{ startDate: '2027-02-30' }, /^startDate must be a date/],
      [{ endDate: '2026-12-31' }, /^endDate 2026-12-31 is before startDate 2027-01-01/],
      [{ issn: '12345' }, /^issn "12345" is not an ISSN/],
      [{ expectedOffsetDays: 1.5 }, /^expectedOffsetDays must be a whole number/],
      [{ graceDays: -1 }, /^graceDays must be a whole number/],
      [{ patterns: [{ id: 1, caption: MONTHLY, firstIssue: FIRST }] }, /^patterns\[0\]\.id: a new subscription has no patterns to change/],
    ];
    for (const [over, message] of cases) {
      const r = await refusal(subs.create(base(over), '2027-01-10'));
      expect({ over, status: r.status, message: r.message }).toEqual({ over, status: 400, message: expect.stringMatching(message) });
    }
    expect((await refusal(subs.get(999999))).status).toBe(404);
    expect((await refusal(subs.update(999999, { title: 'x' }, '2027-01-10'))).status).toBe(404);
    expect((await refusal(subs.issues(999999))).status).toBe(404);
  });

  it('editing a pattern re-predicts only the issues not yet received, continuing after the last received one', async () => {
    const s = await subs.create(base({ title: 'Changes frequency', expectedOffsetDays: 0 }), '2027-01-10');
    const first = await issuesOf(s.id);
    const byLabel = (label: string) => first.find((i) => i.label === label)!;
    await checkin.receive(byLabel('v.1:no.1(2027:Jan)').id, {}, new Date('2027-01-05T15:00:00Z'));
    await checkin.markNotPublished(byLabel('v.1:no.2(2027:Feb)').id, {}, new Date('2027-02-05T15:00:00Z'));
    await checkin.receive(byLabel('v.1:no.3(2027:Mar)').id, {}, new Date('2027-03-05T15:00:00Z'));
    const kept = (await issuesOf(s.id)).filter((i) => i.status !== 'expected');

    // from April the title comes every two months, six a year
    const bimonthly = '853 20 $81$av.$bno.$u6$vr$i(year)$j(month)$wb$x01';
    const updated = await asStaff(() => subs.update(s.id, { patterns: [{ id: s.patterns[0]!.id, caption: bimonthly }] }, '2027-03-10'));
    expect(updated.patterns[0]).toMatchObject({ caption: bimonthly, firstIssue: FIRST });
    const after = await issuesOf(s.id);
    // what was received or settled is untouched, row for row
    expect(after.filter((i) => i.status !== 'expected')).toEqual(kept);
    const fresh = after.filter((i) => i.status === 'expected');
    const expected = previewIssues(bimonthly, { a: '1', b: '3', i: '2027', j: '03' }, { until: '2028-04-13' });
    expect(fresh.map((i) => [i.label, i.publicationDate])).toEqual(expected.map((i) => [i.label, i.publicationDate]));
    expect(fresh[0]!.publicationDate > '2027-03-01').toBe(true);
    expect(fresh.map((i) => i.sequence)).toEqual(fresh.map((_, n) => 3 + n));
    const entry = await db().prisma.auditEntry.findFirst({ where: { entity: 'Subscription', entityId: String(s.id), action: 'predict' }, orderBy: { id: 'desc' } });
    expect(JSON.parse(entry!.after!)).toMatchObject({ removed: 11, created: fresh.length });

    // an edit that leaves the pattern as it is predicts nothing again
    await subs.update(s.id, { patterns: [{ id: s.patterns[0]!.id, active: true }], routingNotes: 'Reading room first' }, '2027-03-10');
    expect((await issuesOf(s.id)).map((i) => i.id)).toEqual(after.map((i) => i.id));
  });

  it('an issue already claimed from the vendor stays through a pattern edit; a draft claim goes with its issue', async () => {
    const s = await subs.create(base({ title: 'Claimed then changed', expectedOffsetDays: 0 }), '2027-01-10');
    const issues = await issuesOf(s.id);
    const vendorId = (await db().prisma.vendor.findUniqueOrThrow({ where: { code: lib.vendorCode } })).id;
    await checkin.receive(issues[0]!.id, {}, new Date('2027-01-05T15:00:00Z'));
    await db().prisma.serialIssue.updateMany({ where: { id: { in: [issues[1]!.id, issues[2]!.id] } }, data: { status: 'late' } });
    const sent = await db().prisma.serialClaim.create({ data: { issueId: issues[1]!.id, vendorId, claimNumber: 1, claimedOn: '2027-03-01', status: 'sent', sentAt: new Date('2027-03-01T12:00:00Z') } });
    await db().prisma.serialClaim.create({ data: { issueId: issues[2]!.id, vendorId, claimNumber: 1, claimedOn: '2027-04-01', status: 'pending' } });
    const bimonthly = '853 20 $81$av.$bno.$u6$vr$i(year)$j(month)$wb$x01';
    await subs.update(s.id, { patterns: [{ id: s.patterns[0]!.id, caption: bimonthly }] }, '2027-04-10');
    const after = await issuesOf(s.id);
    expect(after.slice(0, 2).map((i) => `${i.id} ${i.status}`)).toEqual([`${issues[0]!.id} received`, `${issues[1]!.id} late`]);
    expect(await db().prisma.serialClaim.findUnique({ where: { id: sent.id } })).toMatchObject({ status: 'sent' });
    expect(await db().prisma.serialIssue.findUnique({ where: { id: issues[2]!.id } })).toBeNull();
    expect(await db().prisma.serialClaim.count({ where: { issueId: issues[2]!.id } })).toBe(0);
    const next = previewIssues(bimonthly, issues[1]!.values, { count: 1 })[0]!;
    expect(after[2]).toMatchObject({ label: next.label, publicationDate: next.publicationDate, sequence: 2 });
    // withdrawing the subscription's future leaves the claimed issue too
    await subs.update(s.id, { active: false }, '2027-04-10');
    expect((await issuesOf(s.id)).map((i) => i.status)).toEqual(['received', 'late']);
  });

  it('a pattern whose first issue moves past what it has starts a new run there', async () => {
    const s = await subs.create(base({ title: 'Restarted', expectedOffsetDays: 0 }), '2027-01-10');
    const [jan] = await issuesOf(s.id);
    await checkin.receive(jan!.id, {}, new Date('2027-01-05T15:00:00Z'));
    await subs.update(s.id, { patterns: [{ id: s.patterns[0]!.id, firstIssue: '863 41 $81.1$a5$b1$i2027$j06' }] }, '2027-01-10');
    const issues = await issuesOf(s.id);
    expect(issues.slice(0, 3).map((i) => `${i.sequence} ${i.label} ${i.status}`)).toEqual(['0 v.1:no.1(2027:Jan) received', '1 v.5:no.1(2027:June) expected', '2 v.5:no.2(2027:July) expected']);
  });

  it('follows the subscription: offset changes move awaited issues, an end date and deactivation withdraw the ones not due', async () => {
    const s = await subs.create(base({ title: 'Ending', expectedOffsetDays: 0 }), '2027-01-10');
    const [jan] = await issuesOf(s.id);
    await checkin.receive(jan!.id, {}, new Date('2027-01-05T15:00:00Z'));
    await subs.update(s.id, { expectedOffsetDays: 7 }, '2027-01-10');
    let issues = await issuesOf(s.id);
    expect(issues[0]).toMatchObject({ status: 'received', expectedDate: '2027-01-01' });
    expect(issues[1]).toMatchObject({ publicationDate: '2027-02-01', expectedDate: '2027-02-08' });
    await subs.update(s.id, { endDate: '2027-06-30' }, '2027-01-10');
    issues = await issuesOf(s.id);
    expect(issues.at(-1)!.label).toBe('v.1:no.6(2027:June)');
    expect((await subs.predict(s.id, '2027-05-01')).created).toBe(0);
    await subs.update(s.id, { active: false }, '2027-01-10');
    expect((await issuesOf(s.id)).map((i) => i.status)).toEqual(['received']);
    expect((await subs.predict(s.id, '2027-05-01')).created).toBe(0);
    expect((await refusal(subs.update(s.id, { endDate: '2026-01-01' }, '2027-01-10'))).message).toMatch(/^endDate 2026-01-01 is before startDate/);
    expect((await refusal(subs.update(s.id, { patterns: [{ id: 999999, active: false }] }, '2027-01-10'))).message).toMatch(/^patterns\[0\]\.id: pattern 999999 is not a pattern of subscription/);
  });

  it('lists and filters subscriptions, and lists issues by status and date', async () => {
    const s = await subs.create(base({ title: 'Weekly News', patterns: [{ caption: WEEKLY, firstIssue: { a: '1', b: '1', i: '2027', j: '01', k: '04' } }] }), '2027-01-10');
    const all = await subs.list({ q: 'Weekly' });
    expect(all.subscriptions.map((x) => x.id)).toEqual([s.id]);
    expect((await subs.list({ vendorCode: lib.vendorCode, active: true })).total).toBeGreaterThan(3);
    expect((await subs.list({ branchCode: 'NOPE' })).total).toBe(0);
    const january = await subs.issues(s.id, { from: '2027-01-01', to: '2027-01-31' });
    expect(january.map((i) => `${i.label} ${i.publicationDate}`)).toEqual([
      'v.1:no.1(2027:Jan 4) 2027-01-04', 'v.1:no.2(2027:Jan 11) 2027-01-11', 'v.1:no.3(2027:Jan 18) 2027-01-18', 'v.1:no.4(2027:Jan 25) 2027-01-25',
    ]);
    expect((await subs.issues(s.id, { status: 'received' }))).toEqual([]);
    expect((await refusal(subs.issues(s.id, { status: 'lost' }))).message).toMatch(/^status must be one of/);
    expect((await refusal(subs.issues(s.id, { from: '27-1-1' }))).message).toMatch(/^from must be a date/);
  });
});
