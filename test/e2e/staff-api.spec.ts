import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { StaffTokenService } from '@carrel/auth';
import { DEMO_STAFF_TOKEN } from '@carrel/demo';
import { createLogger } from '@carrel/logging';
import { createHub } from '../../apps/hub/src/bootstrap.js';
import { testSettings } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';

const MARCXML = `<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader>
<controlfield tag="001">api-1</controlfield><datafield tag="020" ind1=" " ind2=" "><subfield code="a">0306406152</subfield></datafield>
<datafield tag="245" ind1="0" ind2="0"><subfield code="a">Made through the API &amp; kept</subfield></datafield></record>`;

describeEachDatabase('staff REST API over HTTP', (db) => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const auth = { Authorization: `Bearer ${DEMO_STAFF_TOKEN}` };

  beforeAll(async () => {
    // the hub on a fresh database: migrations are already applied, the demo library is seeded on start
    app = await createHub(testSettings(db(), { CARREL_SEED_DEMO: 'true' }), createLogger('silent'));
    await app.listen(0, '127.0.0.1');
    http = request(app.getHttpServer());
  });
  afterAll(() => app?.close());

  it('GET /health needs no token and reports the database and its migrations', async () => {
    const res = await http.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { provider: db().provider, reachable: true, migrations: { upToDate: true, pending: [] } } });
  });

  it('refuses calls without a valid token', async () => {
    expect((await http.get('/api/v1/patrons').expect(401)).body.message).toMatch(/Authorization: Bearer/);
    await http.get('/api/v1/patrons').set({ Authorization: 'Bearer nope' }).expect(401);
    const t = await app.get(StaffTokenService).create('temporary');
    await http.get('/api/v1/branches').set({ Authorization: `Bearer ${t.token}` }).expect(200);
    await app.get(StaffTokenService).revoke(t.id);
    await http.get('/api/v1/branches').set({ Authorization: `Bearer ${t.token}` }).expect(401);
    const stored = await db().prisma.staffToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(stored.tokenHash).not.toContain(t.token);
  });

  it('serves the seeded demo library: branches, patrons, records, items', async () => {
    const branches = (await http.get('/api/v1/branches').set(auth).expect(200)).body;
    expect(branches.map((b: { code: string }) => b.code)).toEqual(['ANNEX', 'EAST', 'MAIN', 'NORTH']);
    const patrons = (await http.get('/api/v1/patrons?take=500').set(auth).expect(200)).body;
    expect(patrons.total).toBeGreaterThanOrEqual(50);
    expect(patrons.patrons[0]).not.toHaveProperty('pinHash');
    const items = (await http.get('/api/v1/items?branch=ANNEX&take=500').set(auth).expect(200)).body;
    expect(items.total).toBeGreaterThan(0);
    const keys = items.items.map((i: { callNumberSortKey: string }) => i.callNumberSortKey);
    expect([...keys].sort()).toEqual(keys);
    expect((await http.get('/api/v1/items?take=1').set(auth)).body.total).toBeGreaterThanOrEqual(500);
  });

  it('does branch CRUD with validation errors that name each field', async () => {
    const bad = await http.post('/api/v1/branches').set(auth).send({ code: 'has space', name: '', email: 'x' }).expect(400);
    expect(bad.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^code must be/), expect.stringMatching(/^name must be/), expect.stringMatching(/^email must be an email/)]));
    await http.post('/api/v1/branches').set(auth).send({ code: 'WEST', name: 'West branch', unexpected: 1 }).expect(400);
    await http.post('/api/v1/branches').set(auth).send({ code: 'WEST', name: 'West branch' }).expect(201);
    await http.post('/api/v1/branches').set(auth).send({ code: 'WEST', name: 'Again' }).expect(409);
    await http.post('/api/v1/branches/WEST/locations').set(auth).send({ code: 'STACKS', name: 'Stacks' }).expect(201);
    expect((await http.patch('/api/v1/branches/WEST').set(auth).send({ name: 'West End' }).expect(200)).body.name).toBe('West End');
    expect((await http.get('/api/v1/branches?q=west end').set(auth)).body).toHaveLength(1);
    await http.delete('/api/v1/branches/MAIN').set(auth).expect(409);
    await http.delete('/api/v1/branches/WEST').set(auth).expect(204);
    await http.get('/api/v1/branches/WEST').set(auth).expect(404);
    const audit = await db().prisma.auditEntry.findFirstOrThrow({ where: { entity: 'Branch', action: 'update' } });
    expect(audit.actor).toBe('staff-token:demo');
  });

  it('does patron CRUD and search, and never exposes the PIN', async () => {
    const created = await http
      .post('/api/v1/patrons')
      .set(auth)
      .send({ barcode: '23999999999999', surname: 'Zoë', firstname: 'Ümit', categoryCode: 'ADULT', branchCode: 'MAIN', pin: '4321', expiryDate: '2030-01-01' })
      .expect(201);
    expect(created.body).toMatchObject({ barcode: '23999999999999', hasPin: true });
    expect(JSON.stringify(created.body)).not.toContain('4321');
    await http.post('/api/v1/patrons').set(auth).send({ barcode: '23999999999998', surname: 'X', categoryCode: 'NOPE', branchCode: 'MAIN' }).expect(400);
    await http.post('/api/v1/patrons').set(auth).send({ barcode: '2399', surname: 'X', categoryCode: 'ADULT', branchCode: 'MAIN', expiryDate: '2030-13-01' }).expect(400);
    expect((await http.get('/api/v1/patrons?q=zoe umit').set(auth)).body.patrons.map((p: { barcode: string }) => p.barcode)).toEqual(['23999999999999']);
    const updated = await http.patch('/api/v1/patrons/23999999999999').set(auth).send({ email: 'zoe@example.org', blocked: true, blockReason: 'card reported stolen' }).expect(200);
    expect(updated.body).toMatchObject({ email: 'zoe@example.org', blocked: true, firstname: 'Ümit' });
    await http.delete('/api/v1/patrons/23999999999999').set(auth).expect(204);
    await http.get('/api/v1/patrons/23999999999999').set(auth).expect(404);
  });

  it('creates, replaces, serves and deletes records, and does item CRUD', async () => {
    const rec = await http.post('/api/v1/records').set(auth).send({ marcxml: MARCXML }).expect(201);
    expect(rec.body).toMatchObject({ title: 'Made through the API & kept', isbn: '0306406152', marcFormat: 'marcxml' });
    const id = rec.body.id as number;
    const raw = await http.get(`/api/v1/records/${id}/marc`).set(auth).expect(200);
    expect(raw.headers['content-type']).toMatch(/marcxml/);
    const found = await http.get('/api/v1/records?isbn=978-0-306-40615-7').set(auth).expect(200);
    expect(found.body.records.map((r: { id: number }) => r.id)).toContain(id);
    const replaced = await http.put(`/api/v1/records/${id}`).set(auth).send({ marcxml: MARCXML.replace('Made through', 'Replaced through') }).expect(200);
    expect(replaced.body.title).toBe('Replaced through the API & kept');
    await http.post('/api/v1/records').set(auth).send({ marcxml: '<record><leader>bad</leader>' }).expect(400);

    const item = await http
      .post('/api/v1/items')
      .set(auth)
      .send({ barcode: '39999999999999', recordId: id, branchCode: 'MAIN', locationCode: 'STACKS', itemTypeCode: 'BOOK', callNumber: '823.914 ROW', price: '12.50' })
      .expect((r) => expect([201, 400]).toContain(r.status));
    if (item.status === 400) throw new Error(`item create failed: ${JSON.stringify(item.body)}`);
    expect(item.body).toMatchObject({ callNumberScheme: 'dewey', branchCode: 'MAIN', status: 'available' });
    await http.post('/api/v1/items').set(auth).send({ barcode: '39999999999998', recordId: id, branchCode: 'MAIN', price: 'free' }).expect(400);
    await http.post('/api/v1/items').set(auth).send({ barcode: '39999999999998', recordId: 999999, branchCode: 'MAIN' }).expect(400);
    expect((await http.patch('/api/v1/items/39999999999999').set(auth).send({ status: 'missing' }).expect(200)).body.status).toBe('missing');
    await http.patch('/api/v1/items/39999999999999').set(auth).send({ status: 'vanished' }).expect(400);
    await http.delete(`/api/v1/records/${id}`).set(auth).expect(409);
    await http.delete('/api/v1/items/39999999999999').set(auth).expect(204);
    await http.delete(`/api/v1/records/${id}`).set(auth).expect(204);
  });

  it('documents the API with OpenAPI at /api/docs', async () => {
    const doc = (await http.get('/api/docs/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/api/v1/branches', '/api/v1/patrons', '/api/v1/patrons/{barcode}', '/api/v1/records', '/api/v1/items']));
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
    await http.get('/api/docs').expect(200);
  });
});
