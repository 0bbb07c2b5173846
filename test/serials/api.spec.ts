import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import request from 'supertest';
import { StaffTokenService } from '@carrel/auth';
import { createLogger } from '@carrel/logging';
import { PREDICTION_JOB } from '@carrel/serials';
import { createHub } from '../../apps/hub/src/bootstrap.js';
import { testSettings } from '../support/app.js';
import { describeEachDatabase, ROOT } from '../support/databases.js';
import { MONTHLY, seedSerialsLibrary, type SerialsLibrary } from './serials-app.js';

/** The built `carrel` command (the suite builds before it runs), as an operator runs it. */
function carrel(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'carrel.js'), ...args], {
    cwd: ROOT, env: { ...process.env, CARREL_CONFIG: '', CARREL_SEED_DEMO: 'false', ...env }, encoding: 'utf8', timeout: 120_000,
  });
  if (r.error) throw new Error(`carrel ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PATTERN = '853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01';
const LAST = '863 41 $81.1$a1$b6$i1990$j06';

describe('carrel serials predict', () => {
  it('prints the next issues, label and date, by count or up to a date', () => {
    const byCount = carrel(['serials', 'predict', '--pattern', PATTERN, '--last', LAST, '--count', '8']);
    expect(byCount).toMatchObject({ status: 0, stderr: '' });
    expect(byCount.stdout.trim().split('\n')).toEqual([
      'v.1:no.7(1990:July)\t1990-07-01', 'v.1:no.8(1990:Aug)\t1990-08-01', 'v.1:no.9(1990:Sept)\t1990-09-01', 'v.1:no.10(1990:Oct)\t1990-10-01',
      'v.1:no.11(1990:Nov)\t1990-11-01', 'v.1:no.12(1990:Dec)\t1990-12-01', 'v.2:no.1(1991:Jan)\t1991-01-01', 'v.2:no.2(1991:Feb)\t1991-02-01',
    ]);
    const byDate = carrel(['serials', 'predict', '--pattern', PATTERN, '--last', LAST, '--until', '1990-09-01']);
    expect(byDate.stdout.trim().split('\n').map((l) => l.split('\t')[1])).toEqual(['1990-07-01', '1990-08-01', '1990-09-01']);
    expect(carrel(['serials', 'predict', '--pattern', PATTERN, '--last', LAST]).stdout.trim().split('\n')).toHaveLength(12);
  });

  it('exits 2 with the message for a bad pattern, a bad last issue or bad options', () => {
    const cases: [string[], RegExp][] = [
      [['--pattern', PATTERN.replace('$wm', '$wz'), '--last', LAST], /pattern: 853 \$w: unknown frequency code "z"/],
      [['--pattern', PATTERN, '--last', '863 41 $81.1$a1$bsix$i1990$j06'], /last: 863 \$b/],
      [['--pattern', PATTERN, '--last', LAST, '--count', '5', '--until', '1991-01-01'], /give count or until, not both/],
      [['--pattern', PATTERN, '--last', LAST, '--count', 'many'], /a whole number of issues/],
      [['--pattern', PATTERN], /required option '--last <863>' not specified/],
    ];
    for (const [args, message] of cases) {
      const r = carrel(['serials', 'predict', ...args]);
      expect({ args, status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ args, status: 2, stdout: '', stderr: expect.stringMatching(message) });
    }
  });
});

describeEachDatabase('serials: the staff API and carrel serials expect', (db) => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let auth: Record<string, string>;
  let lib: SerialsLibrary;

  beforeAll(async () => {
    lib = await seedSerialsLibrary(db().prisma, 'A');
    app = await createHub(testSettings(db(), { CARREL_SCHEDULER_ENABLED: 'true', CARREL_TIME_ZONE: 'America/Chicago' }), createLogger('silent'));
    await app.listen(0, '127.0.0.1');
    http = request(app.getHttpServer());
    auth = { Authorization: `Bearer ${(await app.get(StaffTokenService).create('serials-api')).token}` };
  });
  afterAll(() => app?.close());

  const body = (over: Record<string, unknown> = {}) => ({
    title: 'API Monthly', issn: '0028-0836', bibRecordId: lib.recordId, vendorCode: lib.vendorCode, vendorReference: 'REF-1', branchCode: lib.branchCode, locationCode: lib.locationCode,
    startDate: '2020-01-01', patterns: [{ caption: MONTHLY, firstIssue: '863 41 $81.1$a1$b1$i2020$j01' }], ...over,
  });

  it('manages subscriptions behind the staff token, refusing bad input with every reason', async () => {
    await http.get('/api/v1/serials/subscriptions').expect(401);
    await http.post('/api/v1/serials/predict').send({ pattern: PATTERN, last: LAST }).expect(401);
    const s = (await http.post('/api/v1/serials/subscriptions').set(auth).send(body()).expect(201)).body;
    expect(s).toMatchObject({ title: 'API Monthly', vendorCode: lib.vendorCode, branchCode: lib.branchCode, patterns: [{ kind: 'issue', firstIssue: { a: '1', b: '1', i: '2020', j: '01' } }] });
    const issues = (await http.get(`/api/v1/serials/subscriptions/${s.id}/issues?status=expected&to=2020-03-31`).set(auth).expect(200)).body;
    expect(issues.map((i: { label: string }) => i.label)).toEqual(['v.1:no.1(2020:Jan)', 'v.1:no.2(2020:Feb)', 'v.1:no.3(2020:Mar)']);

    const invalid = (await http.post('/api/v1/serials/subscriptions').set(auth).send({ ...body(), startDate: 'soon', expectedOffsetDays: 'ten', hack: 1 }).expect(400)).body;
    for (const m of [/^startDate must be a date YYYY-MM-DD/, /^expectedOffsetDays/, /hack should not exist/]) expect(invalid.message).toContainEqual(expect.stringMatching(m));
    const badPattern = (await http.post('/api/v1/serials/subscriptions').set(auth).send(body({ patterns: [{ caption: MONTHLY.replace('$u12', '$utwelve'), firstIssue: { a: '1', b: '1', i: '2020', j: '01' } }] })).expect(400)).body;
    expect(badPattern.message).toMatch(/^patterns\[0\]: .*\$u/);
    const badValues = (await http.post('/api/v1/serials/subscriptions').set(auth).send(body({ patterns: [{ caption: MONTHLY, firstIssue: { a: '1', b: 'one', i: '2020', j: '01' } }] })).expect(400)).body;
    expect(badValues.message).toMatch(/^patterns\[0\]\.firstIssue: .*\$b/);
    const badKind = (await http.post('/api/v1/serials/subscriptions').set(auth).send(body({ patterns: [{ kind: 'poster', caption: MONTHLY, firstIssue: { a: '1' } }] })).expect(400)).body;
    expect(badKind.message).toContainEqual(expect.stringMatching(/^patterns\.0\.kind must be one of/));
    await http.get('/api/v1/serials/subscriptions/999999').set(auth).expect(404);
    await http.get('/api/v1/serials/subscriptions/abc').set(auth).expect(400);

    const listed = (await http.get(`/api/v1/serials/subscriptions?vendor=${lib.vendorCode}&active=true`).set(auth).expect(200)).body;
    expect(listed.subscriptions.map((x: { id: number }) => x.id)).toContain(s.id);
    expect((await http.get('/api/v1/serials/subscriptions?active=maybe').set(auth).expect(400)).body.message).toContainEqual(expect.stringMatching(/^active/));
    const one = (await http.get(`/api/v1/serials/subscriptions/${s.id}`).set(auth).expect(200)).body;
    expect(one.issueCounts.expected).toBeGreaterThan(12);

    const patched = (await http.patch(`/api/v1/serials/subscriptions/${s.id}`).set(auth).send({ routingNotes: 'Director first', graceDays: 20 }).expect(200)).body;
    expect(patched).toMatchObject({ routingNotes: 'Director first', graceDays: 20 });
    expect((await http.post(`/api/v1/serials/subscriptions/${s.id}/predict`).set(auth).expect(200)).body).toMatchObject({ created: 0 });

    const audit = await db().prisma.auditEntry.findMany({ where: { entity: 'Subscription', entityId: String(s.id) }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => `${a.action} ${a.actor}`)).toEqual(['create staff-token:serials-api', 'predict staff-token:serials-api', 'update staff-token:serials-api']);
  });

  it('checks in over HTTP: receive with an item, combined, unpredicted, not published, undo; each in the audit log with the token', async () => {
    const s = (await http.post('/api/v1/serials/subscriptions').set(auth).send(body({ title: 'API check-in' })).expect(201)).body;
    const issues = (await http.get(`/api/v1/serials/subscriptions/${s.id}/issues`).set(auth).expect(200)).body as { id: number; label: string }[];
    const no = (n: number) => issues.find((i) => i.label.startsWith(`v.1:no.${n}(`))!.id;

    const got = (await http.post(`/api/v1/serials/issues/${no(1)}/receive`).set(auth).send({ item: { barcode: 'API-SER-1', itemTypeCode: lib.itemTypeCode } }).expect(200)).body;
    expect(got).toMatchObject({ issue: { status: 'received' }, item: { barcode: 'API-SER-1', locationCode: 'PER' } });
    await http.post(`/api/v1/serials/issues/${no(1)}/receive`).set(auth).send({}).expect(409);
    expect((await http.post(`/api/v1/serials/issues/${no(2)}/receive`).set(auth).send({ item: { callNumber: 'x' } }).expect(400)).body.message).toContainEqual(expect.stringMatching(/^item\.barcode/));
    expect((await http.post(`/api/v1/serials/issues/${no(2)}/receive`).set(auth).send({ combine: ['three'] }).expect(400)).body.message).toContainEqual(expect.stringMatching(/^combine/));

    const combined = (await http.post(`/api/v1/serials/issues/${no(2)}/receive`).set(auth).send({ combine: [no(3)] }).expect(200)).body;
    expect(combined.combined).toEqual([no(3)]);
    expect((await http.get(`/api/v1/serials/issues/${no(3)}`).set(auth).expect(200)).body).toMatchObject({ status: 'combined', combinedIntoId: no(2) });

    const extra = (await http.post(`/api/v1/serials/subscriptions/${s.id}/issues`).set(auth).send({ values: { a: '1', b: '13', i: '2020', j: '12' } }).expect(201)).body;
    expect(extra.issue).toMatchObject({ label: 'v.1:no.13(2020:Dec)', status: 'received', patternId: null });
    expect((await http.post(`/api/v1/serials/subscriptions/${s.id}/issues`).set(auth).send({}).expect(400)).body.message).toContainEqual(expect.stringMatching(/^values should not be null or undefined/));

    expect((await http.post(`/api/v1/serials/issues/${no(4)}/not-published`).set(auth).send({ note: 'skipped' }).expect(200)).body.issue).toMatchObject({ status: 'not_published' });
    const undone = (await http.post(`/api/v1/serials/issues/${no(1)}/undo`).set(auth).expect(200)).body;
    expect(undone).toMatchObject({ issue: { status: 'expected' }, item: { barcode: 'API-SER-1', removed: true } });
    await http.post(`/api/v1/serials/issues/${no(5)}/undo`).set(auth).expect(409);
    await http.get('/api/v1/serials/issues/999999').set(auth).expect(404);

    const audit = await db().prisma.auditEntry.findMany({ where: { entity: 'SerialIssue', entityId: { in: [no(1), no(2), no(3), no(4), extra.issue.id].map(String) } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => `${a.entityId === String(extra.issue.id) ? 'extra' : issues.find((i) => String(i.id) === a.entityId)!.label.split('(')[0]} ${a.action} ${a.actor}`)).toEqual([
      'v.1:no.1 receive staff-token:serials-api', 'v.1:no.2 receive staff-token:serials-api', 'v.1:no.3 combine staff-token:serials-api',
      'extra receive-unpredicted staff-token:serials-api', 'v.1:no.4 not-published staff-token:serials-api', 'v.1:no.1 undo-checkin staff-token:serials-api',
    ]);
  });

  it('previews a pattern (POST /api/v1/serials/predict) with the same answers as the command', async () => {
    const r = (await http.post('/api/v1/serials/predict').set(auth).send({ pattern: PATTERN, last: LAST, count: 2 }).expect(200)).body;
    expect(r.issues).toEqual([
      { label: 'v.1:no.7(1990:July)', publicationDate: '1990-07-01', values: { a: '1', b: '7', i: '1990', j: '07' }, combined: false },
      { label: 'v.1:no.8(1990:Aug)', publicationDate: '1990-08-01', values: { a: '1', b: '8', i: '1990', j: '08' }, combined: false },
    ]);
    const byValues = (await http.post('/api/v1/serials/predict').set(auth).send({ pattern: PATTERN, last: { a: '1', b: '6', i: '1990', j: '06' }, until: '1990-08-01' }).expect(200)).body;
    expect(byValues.issues.map((i: { label: string }) => i.label)).toEqual(['v.1:no.7(1990:July)', 'v.1:no.8(1990:Aug)']);
    expect((await http.post('/api/v1/serials/predict').set(auth).send({ pattern: PATTERN.replace('$wm', '$w'), last: LAST }).expect(400)).body.message).toMatch(/^pattern: .*\$w/);
    expect((await http.post('/api/v1/serials/predict').set(auth).send({ pattern: PATTERN, last: LAST, count: 0 }).expect(400)).body.message).toContainEqual(expect.stringMatching(/^count must not be less than 1/));
    const refused = async (send: Record<string, unknown>) => (await http.post('/api/v1/serials/predict').set(auth).send(send).expect(400)).body.message;
    expect(await refused({ pattern: '863 20 $av.', last: LAST })).toMatch(/^pattern\.caption: must start with one of 853, 854, 855/);
    expect(await refused({ pattern: PATTERN, last: '864 41 $a1' })).toMatch(/^last: a 853 pattern takes 863 values, not 864/);
    expect(await refused({ pattern: PATTERN, last: { a: '1', b: '6', i: '1990', j: '6a' } })).toMatch(/^last: .*\$j/);
    expect(await refused({ pattern: PATTERN, last: LAST, until: '1991-02-30' })).toMatch(/^until must be a date YYYY-MM-DD/);
    expect((await http.post('/api/v1/serials/predict').set(auth).send({ pattern: PATTERN }).expect(400)).body.message).toContainEqual(expect.stringMatching(/^last should not be null or undefined/));
  });

  it('documents the serials endpoints in the OpenAPI description', async () => {
    const doc = (await http.get('/api/docs/openapi.json').expect(200)).body;
    for (const p of ['/api/v1/serials/subscriptions', '/api/v1/serials/subscriptions/{id}/issues', '/api/v1/serials/issues/{id}/receive', '/api/v1/serials/issues/{id}/undo', '/api/v1/serials/predict']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.components.schemas.CreateSubscriptionDto.required).toEqual(expect.arrayContaining(['title', 'branchCode', 'startDate']));
  });

  it('the scheduler role runs the prediction job; the command runs it by hand', async () => {
    expect(app.get(SchedulerRegistry).getCronJob(PREDICTION_JOB)).toBeDefined();
    const s = (await http.post('/api/v1/serials/subscriptions').set(auth).send(body({ title: 'By command', patterns: [] })).expect(201)).body;
    await http.patch(`/api/v1/serials/subscriptions/${s.id}`).set(auth).send({ patterns: [{ caption: MONTHLY, firstIssue: { a: '1', b: '1', i: '2020', j: '01' }, active: false }] }).expect(200);
    const r = carrel(['serials', 'expect'], { DATABASE_URL: db().url, CARREL_TIME_ZONE: 'America/Chicago', CARREL_MIGRATE_ON_START: 'false' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\d+ issues expected in \d+ subscriptions \(today \d{4}-\d{2}-\d{2}\)/);
    expect(r.status).toBe(0);
    // the inactive pattern predicted nothing
    expect((await http.get(`/api/v1/serials/subscriptions/${s.id}/issues`).set(auth).expect(200)).body).toEqual([]);
  });
});
