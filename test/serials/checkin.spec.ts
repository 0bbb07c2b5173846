import { CHECKIN_ACTIONS, type CheckinService, type SubscriptionsService } from '@carrel/serials';
import { describeEachDatabase } from '../support/databases.js';
import { MONTHLY, asStaff, refusal, seedSerialsLibrary, serialsApp, type SerialsLibrary } from './serials-app.js';

const NOW = new Date('2027-07-20T15:00:00Z');

describeEachDatabase('serials: check-in', (db) => {
  let app: Awaited<ReturnType<typeof serialsApp>>;
  let subs: SubscriptionsService;
  let checkin: CheckinService;
  let lib: SerialsLibrary;
  let seq = 0;

  beforeAll(async () => {
    app = await serialsApp(db());
    ({ subscriptions: subs, checkin } = app);
    lib = await seedSerialsLibrary(db().prisma, 'C');
  });
  afterAll(() => app?.close());

  /** A monthly title from January 2027 (vendor, record, location), its issues by label. */
  async function title(over: Record<string, unknown> = {}) {
    const s = await subs.create({
      title: `Checked in ${++seq}`, bibRecordId: lib.recordId, vendorCode: lib.vendorCode, branchCode: lib.branchCode, locationCode: lib.locationCode,
      startDate: '2027-01-01', patterns: [{ caption: MONTHLY, firstIssue: { a: '1', b: '1', i: '2027', j: '01' } }], ...over,
    }, '2027-01-10');
    const issues = await subs.issues(s.id);
    const no = (n: number) => issues.find((i) => i.label.startsWith(`v.1:no.${n}(`))!;
    return { s, issues, no };
  }
  const issue = (id: number) => db().prisma.serialIssue.findUniqueOrThrow({ where: { id } });
  const vendorId = async () => (await db().prisma.vendor.findUniqueOrThrow({ where: { code: lib.vendorCode } })).id;
  async function claim(issueId: number, claimNumber: number, status: string) {
    return db().prisma.serialClaim.create({ data: { issueId, vendorId: await vendorId(), claimNumber, claimedOn: '2027-07-01', status } });
  }
  const auditOf = (id: number) => db().prisma.auditEntry.findMany({ where: { entity: 'SerialIssue', entityId: String(id) }, orderBy: { id: 'asc' } });

  it('receives an expected issue, recorded in the audit log with the actor', async () => {
    const { no } = await title();
    const r = await asStaff(() => checkin.receive(no(1).id, { note: 'cover torn' }, NOW));
    expect(r.issue).toMatchObject({ id: no(1).id, status: 'received', receivedAt: NOW, note: 'cover torn', itemId: null });
    expect(r).toMatchObject({ combined: [], item: null, closedClaims: 0 });
    const [entry] = await auditOf(no(1).id);
    expect(entry).toMatchObject({ action: 'receive', actor: 'staff-token:serials-desk' });
    expect(JSON.parse(entry!.before!)).toEqual({ status: 'expected' });
  });

  it('receives a late issue and closes its open claims in the same step', async () => {
    const { no } = await title();
    await db().prisma.serialIssue.update({ where: { id: no(2).id }, data: { status: 'late' } });
    await claim(no(2).id, 1, 'sent');
    await claim(no(2).id, 2, 'pending');
    const other = await claim(no(3).id, 1, 'pending');
    const r = await asStaff(() => checkin.receive(no(2).id, {}, NOW));
    expect(r.closedClaims).toBe(2);
    const claims = await db().prisma.serialClaim.findMany({ where: { issueId: no(2).id }, orderBy: { claimNumber: 'asc' } });
    expect(claims.map((c) => [c.status, c.closedAt?.toISOString()])).toEqual([['closed', NOW.toISOString()], ['closed', NOW.toISOString()]]);
    expect((await db().prisma.serialClaim.findUniqueOrThrow({ where: { id: other.id } })).status).toBe('pending');
    expect(await checkin.get(no(2).id)).toMatchObject({ status: 'received', claims: [{ claimNumber: 1, status: 'closed' }, { claimNumber: 2, status: 'closed' }] });
  });

  it('receives several expected issues as one combined issue: the others point at it and their claims close', async () => {
    const { no } = await title();
    await db().prisma.serialIssue.update({ where: { id: no(8).id }, data: { status: 'late' } });
    await claim(no(8).id, 1, 'sent');
    const r = await asStaff(() => checkin.receive(no(7).id, { combine: [no(8).id, no(9).id] }, NOW));
    expect(r).toMatchObject({ combined: [no(8).id, no(9).id], closedClaims: 1 });
    for (const n of [8, 9]) expect(await issue(no(n).id)).toMatchObject({ status: 'combined', combinedIntoId: no(7).id, receivedAt: NOW });
    expect((await checkin.get(no(7).id)).combinedIssues.map((c) => c.id).sort()).toEqual([no(8).id, no(9).id].sort());
    expect((await auditOf(no(8).id)).map((a) => [a.action, JSON.parse(a.before!).status])).toEqual([['combine', 'late']]);
  });

  it('refuses what cannot be checked in, saying why', async () => {
    const { no } = await title();
    const elsewhere = await title();
    await checkin.receive(no(1).id, {}, NOW);
    await checkin.receive(no(2).id, { combine: [no(3).id] }, NOW);
    expect(await refusal(checkin.receive(no(1).id, {}, NOW))).toEqual({ status: 409, message: expect.stringMatching(/^issue v\.1:no\.1\(2027:Jan\) \(serial issue \d+\) is received, not expected or late/) });
    expect((await refusal(checkin.receive(no(3).id, {}, NOW))).message).toMatch(new RegExp(`is combined \\(part of serial issue ${no(2).id}\\)`));
    expect((await refusal(checkin.receive(no(4).id, { combine: [no(4).id] }, NOW))).message).toMatch(/^combine: each issue may be named once/);
    expect((await refusal(checkin.receive(no(4).id, { combine: [elsewhere.no(5).id] }, NOW))).message).toMatch(/^combine: issue \d+ belongs to subscription \d+, not \d+/);
    expect((await refusal(checkin.receive(no(4).id, { combine: [no(1).id] }, NOW))).status).toBe(409);
    expect((await refusal(checkin.receive(999999, {}, NOW))).status).toBe(404);
    expect((await refusal(checkin.receive(no(4).id, { note: 'x'.repeat(2001) }, NOW))).message).toMatch(/^note must be text/);
    expect(await issue(no(4).id)).toMatchObject({ status: 'expected' });
    expect((await refusal(checkin.markNotPublished(no(1).id, {}, NOW))).status).toBe(409);
    expect((await refusal(checkin.undo(no(5).id, NOW))).message).toMatch(/is expected: there is no check-in to undo/);
    expect((await refusal(checkin.undo(no(3).id, NOW))).message).toMatch(new RegExp(`was received as part of serial issue ${no(2).id}: undo that one`));
  });

  it('creates the item in the same step through the catalogue, and takes it back when the check-in fails', async () => {
    const { no } = await title();
    const r = await asStaff(() => checkin.receive(no(4).id, { item: { barcode: 'SER-0001', callNumber: '050 JOU', itemTypeCode: lib.itemTypeCode } }, NOW));
    expect(r.item).toMatchObject({ barcode: 'SER-0001', recordId: lib.recordId, branchCode: lib.branchCode, locationCode: 'PER', itemTypeCode: lib.itemTypeCode, callNumber: '050 JOU', notes: 'v.1:no.4(2027:Apr)', status: 'available' });
    expect(r.issue.itemId).toBe(r.item!.id);
    const itemAudit = await db().prisma.auditEntry.findFirst({ where: { entity: 'Item', entityId: String(r.item!.id), action: 'create' } });
    expect(itemAudit?.actor).toBe('staff-token:serials-desk');

    // a barcode already taken: nothing happens to the issue
    expect(await refusal(checkin.receive(no(5).id, { item: { barcode: 'SER-0001' } }, NOW))).toEqual({ status: 409, message: 'item "SER-0001" already exists' });
    expect((await refusal(checkin.receive(no(5).id, { item: { barcode: 'SER-0002', itemTypeCode: 'NOPE' } }, NOW))).status).toBe(400);
    expect((await refusal(checkin.receive(no(5).id, { item: { barcode: ' ' } }, NOW))).message).toMatch(/^item\.barcode is required/);
    expect(await issue(no(5).id)).toMatchObject({ status: 'expected', itemId: null });

    // two desks checking in the same issue at once: one wins, the other's item is taken back
    const both = await Promise.allSettled([
      checkin.receive(no(6).id, { item: { barcode: 'SER-A' } }, NOW),
      checkin.receive(no(6).id, { item: { barcode: 'SER-B' } }, NOW),
    ]);
    expect(both.map((b) => b.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = (both.find((b) => b.status === 'fulfilled') as PromiseFulfilledResult<{ item: { barcode: string } }>).value.item.barcode;
    const items = await db().prisma.item.findMany({ where: { barcode: { in: ['SER-A', 'SER-B'] } } });
    expect(items.map((i) => i.barcode)).toEqual([winner]);

    const noRecord = await title({ bibRecordId: null });
    expect((await refusal(checkin.receive(noRecord.no(1).id, { item: { barcode: 'SER-X' } }, NOW))).message).toMatch(/has no bibliographic record to attach an item to/);
  });

  it('receives an issue nobody predicted, labelled and dated by the pattern, or as given', async () => {
    const { s, no } = await title();
    const extra = await asStaff(() => checkin.receiveUnpredicted(s.id, { values: '863 41 $81.1$a1$b13$i2027$j12', note: 'special issue', item: { barcode: 'SER-EXTRA' } }, NOW));
    expect(extra.issue).toMatchObject({ patternId: null, sequence: null, label: 'v.1:no.13(2027:Dec)', publicationDate: '2027-12-01', expectedDate: '2027-12-01', status: 'received', values: { a: '1', b: '13', i: '2027', j: '12' } });
    expect(extra.item).toMatchObject({ barcode: 'SER-EXTRA' });
    expect((await auditOf(extra.issue.id)).map((a) => `${a.action} ${a.actor}`)).toEqual(['receive-unpredicted staff-token:serials-desk']);
    const supplement = await checkin.receiveUnpredicted(s.id, { kind: 'supplement', values: { a: 'S1' }, label: 'Buyer\'s guide 2027', publicationDate: '2027-11-15' }, NOW);
    expect(supplement.issue).toMatchObject({ label: 'Buyer\'s guide 2027', publicationDate: '2027-11-15' });

    expect(await refusal(checkin.receiveUnpredicted(s.id, { values: { a: '1', b: '5', i: '2027', j: '05' } }, NOW))).toEqual({ status: 409, message: `issue v.1:no.5(2027:May) is expected already (serial issue ${no(5).id}): receive that one` });
    expect((await refusal(checkin.receiveUnpredicted(s.id, { kind: 'supplement', values: { a: 'S2' } }, NOW))).message).toMatch(/^label is required: subscription \d+ has no supplement pattern/);
    expect((await refusal(checkin.receiveUnpredicted(s.id, { values: '864 41 $a1' }, NOW))).message).toMatch(/^values: a 853 pattern takes 863 values, not 864/);
    expect((await refusal(checkin.receiveUnpredicted(s.id, { values: { a: '1', b: 'x', i: '2027', j: '05' } }, NOW))).message).toMatch(/^values: .*\$b/);
    expect((await refusal(checkin.receiveUnpredicted(s.id, { values: { q: '1' } }, NOW))).message).toMatch(/^values: "q" is not an enumeration/);
    expect((await refusal(checkin.receiveUnpredicted(s.id, { values: { a: '1' }, kind: 'other' }, NOW))).message).toMatch(/^kind must be one of/);
    expect((await refusal(checkin.receiveUnpredicted(s.id, { values: { a: '1' }, publicationDate: '2027-13-01' }, NOW))).message).toMatch(/^publicationDate must be a date/);
    expect((await refusal(checkin.receiveUnpredicted(999999, { values: { a: '1' } }, NOW))).status).toBe(404);
    expect(await db().prisma.item.count({ where: { barcode: { startsWith: 'SER-EXTRA' } } })).toBe(1);
  });

  it('marks an issue not published, closing its claims', async () => {
    const { no } = await title();
    await claim(no(3).id, 1, 'pending');
    const r = await asStaff(() => checkin.markNotPublished(no(3).id, { note: 'publisher skipped March' }, NOW));
    expect(r).toMatchObject({ issue: { status: 'not_published', note: 'publisher skipped March' }, closedClaims: 1 });
    expect((await auditOf(no(3).id)).map((a) => a.action)).toEqual(['not-published']);
  });

  it('undoes a check-in: back to expected or late, the item removed only if this check-in made it and it never circulated', async () => {
    const { s, no } = await title();
    // late, received with a new item, undone: late again, item gone
    await db().prisma.serialIssue.update({ where: { id: no(1).id }, data: { status: 'late' } });
    const r1 = await checkin.receive(no(1).id, { item: { barcode: 'UNDO-1' } }, NOW);
    const u1 = await asStaff(() => checkin.undo(no(1).id, NOW));
    expect(u1).toMatchObject({ issue: { status: 'late', receivedAt: null, itemId: null }, removed: false, item: { id: r1.item!.id, barcode: 'UNDO-1', removed: true } });
    expect(await db().prisma.item.findUnique({ where: { barcode: 'UNDO-1' } })).toBeNull();
    const itemDeleted = await db().prisma.auditEntry.findFirst({ where: { entity: 'Item', entityId: String(r1.item!.id), action: 'delete' } });
    expect(itemDeleted?.actor).toBe('staff-token:serials-desk');
    expect((await auditOf(no(1).id)).map((a) => a.action)).toEqual(['receive', 'undo-checkin']);
    // received again after the undo: a normal check-in
    expect((await checkin.receive(no(1).id, {}, NOW)).issue.status).toBe('received');

    // an item that went out on loan stays in the catalogue, unlinked
    const r2 = await checkin.receive(no(2).id, { item: { barcode: 'UNDO-2' } }, NOW);
    const cat = await db().prisma.patronCategory.create({ data: { code: 'SERC', name: 'Serials test' } });
    const branch = await db().prisma.branch.findUniqueOrThrow({ where: { code: lib.branchCode } });
    const patron = await db().prisma.patron.create({ data: { barcode: 'SER-P1', surname: 'Reader', categoryId: cat.id, homeBranchId: branch.id } });
    await db().prisma.loan.create({ data: { itemId: r2.item!.id, patronId: patron.id, branchCode: lib.branchCode, checkedOutAt: NOW, dueAt: NOW, returnedAt: NOW } });
    const u2 = await checkin.undo(no(2).id, NOW);
    expect(u2).toMatchObject({ issue: { status: 'expected', itemId: null }, item: { barcode: 'UNDO-2', removed: false, reason: expect.stringMatching(/has circulated/) } });
    expect(await db().prisma.item.findUnique({ where: { barcode: 'UNDO-2' } })).not.toBeNull();

    // a combined check-in undone: each issue goes back to what it was
    await db().prisma.serialIssue.update({ where: { id: no(5).id }, data: { status: 'late' } });
    await checkin.receive(no(4).id, { combine: [no(5).id, no(6).id] }, NOW);
    const u3 = await checkin.undo(no(4).id, NOW);
    expect(u3.restored.sort()).toEqual([no(5).id, no(6).id].sort());
    expect(await Promise.all([4, 5, 6].map(async (n) => (await issue(no(n).id)).status))).toEqual(['expected', 'late', 'expected']);
    expect(await issue(no(5).id)).toMatchObject({ combinedIntoId: null, receivedAt: null });

    // not published, undone
    await checkin.markNotPublished(no(7).id, {}, NOW);
    expect((await checkin.undo(no(7).id, NOW)).issue).toMatchObject({ status: 'expected' });

    // an unpredicted issue undone is gone, with the item it brought
    const extra = await checkin.receiveUnpredicted(s.id, { values: { a: '1', b: '13', i: '2027', j: '12' }, item: { barcode: 'UNDO-X' } }, NOW);
    expect(await checkin.undo(extra.issue.id, NOW)).toMatchObject({ issue: null, removed: true, item: { removed: true } });
    expect(await db().prisma.serialIssue.findUnique({ where: { id: extra.issue.id } })).toBeNull();
    expect(await db().prisma.item.findUnique({ where: { barcode: 'UNDO-X' } })).toBeNull();
    expect(CHECKIN_ACTIONS).toContain('receive');
  });
});
