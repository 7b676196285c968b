import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { DEMO_PASSWORD, loadDemoData } from './demo.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('loads 300 officials over all 105 Kansas counties plus a staff account per role, once', async () => {
  const first = await loadDemoData(t.deps);
  expect(first.loaded).toBe(true);
  expect(first.people).toBe(306);
  const counties = await t.db
    .selectFrom('person')
    .select((eb) => eb.fn.count<number>('jurisdiction_fips').distinct().as('n'))
    .where('jurisdiction_fips', 'like', '20___')
    .executeTakeFirstOrThrow();
  expect(Number(counties.n)).toBe(105);
  const roles = await t.db
    .selectFrom('user_account')
    .select('roles')
    .where('password_hash', 'is not', null)
    .execute();
  expect(new Set(roles.flatMap((r) => r.roles))).toEqual(
    new Set(['administrator', 'coordinator', 'reviewer', 'instructor', 'supervisor', 'official']),
  );

  // Idempotent: a second load (start-up or forced) adds nobody.
  expect((await loadDemoData(t.deps)).loaded).toBe(false);
  expect((await loadDemoData(t.deps, { force: true })).people).toBe(0);
  const total = await t.db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  expect(Number(total.n)).toBe(306);

  const signIn = await t.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email: 'admin@demo.civiccert.local', password: DEMO_PASSWORD },
  });
  expect(signIn.statusCode).toBe(200);
});

it('the demo has person facts: Dana Kessler took office in 2021, and a deputy clerk has Year One waived', async () => {
  await loadDemoData(t.deps);
  const facts = await t.db
    .selectFrom('person_fact as f')
    .innerJoin('person as p', 'p.id', 'f.person_id')
    .select(['p.external_id', 'p.id as person_id', 'f.kind', 'f.key', 'f.date'])
    .orderBy('f.kind')
    .execute();
  expect(facts.map((f) => [f.kind, f.key])).toEqual([
    ['date', 'appointment'],
    ['waiver', 'year-one'],
  ]);
  expect(facts[0]).toMatchObject({ external_id: 'demo-official', date: '2021-01-11' });
  const signIn = await t.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email: 'coordinator@demo.civiccert.local', password: DEMO_PASSWORD },
  });
  expect(signIn.statusCode, signIn.body).toBe(200);
  const cookie = signIn.headers['set-cookie'];
  const progress = await t.app.inject({
    method: 'GET',
    url: `/api/people/${facts[1]!.person_id}/progress`,
    headers: { cookie: Array.isArray(cookie) ? cookie.join('; ') : (cookie ?? '') },
  });
  expect(progress.statusCode, progress.body).toBe(200);
  const ks = progress
    .json()
    .programs.find((p: { program: { code: string } }) => p.program.code === 'ks-county-election-official');
  expect(ks.facts[0].label).toBe('Year One');
  expect(ks.nodes.find((n: { id: string }) => n.id === 'year-one').met).toBe(true);
});

it('the demo has a turned-off webhook endpoint with a realistic delivery log', async () => {
  const endpoints = await t.db.selectFrom('webhook_endpoint').selectAll().execute();
  expect(endpoints).toHaveLength(1);
  expect(endpoints[0]).toMatchObject({ url: 'https://example.gov/hooks', enabled: false });
  const log = await t.db
    .selectFrom('webhook_delivery as d')
    .select(['d.event_type', 'd.status', 'd.body', (eb) => eb.fn.countAll<number>().as('n')])
    .innerJoin('webhook_attempt as a', 'a.delivery_id', 'd.id')
    .groupBy(['d.id', 'd.event_type', 'd.status', 'd.body'])
    .orderBy('d.created_at')
    .execute();
  expect(log.map((d) => [d.event_type, d.status, Number(d.n)])).toEqual([
    ['award.issued', 'delivered', 1],
    ['award.issued', 'delivered', 2],
    ['status.changed', 'failed', 4],
  ]);
  expect(JSON.parse(log[0]!.body)).toMatchObject({
    type: 'award.issued',
    data: { person: { name: expect.any(String) } },
  });
});
