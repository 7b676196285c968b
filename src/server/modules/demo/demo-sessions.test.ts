import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, signInAs, type TestApp } from '../../testing/harness.js';
import { DEMO_OFFICIAL_EMAIL, DEMO_PASSWORD, loadDemoData } from './demo.service.js';
import { loadDemoSessions } from './demo-sessions.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('loads a realistic catalog, events, sessions, registrations and credits, once', async () => {
  expect((await loadDemoData(t.deps)).loaded).toBe(true);
  expect((await loadDemoSessions(t.deps)).loaded).toBe(false);

  const dana = await signInAs(t, { email: DEMO_OFFICIAL_EMAIL }, DEMO_PASSWORD);
  const progress = await dana.request('GET', '/api/me/progress?asOf=2026-11-01');
  const ks = progress.json.programs.find(
    (p: { program: { code: string } }) => p.program.code === 'ks-county-election-official',
  );
  expect(ks.nodes.find((n: { id: string }) => n.id === 'year-one')).toMatchObject({
    met: true,
    have: 3,
    need: 3,
  });

  const coordinator = await signInAs(t, { email: 'coordinator@demo.civiccert.local' }, DEMO_PASSWORD);
  const topeka = await coordinator.request('GET', '/api/sessions?q=Topeka&from=2027-04-12&to=2027-04-12');
  expect(topeka.json.items[0]).toMatchObject({
    capacity: 30,
    confirmedCount: 30,
    waitlistCount: 6,
    status: 'full',
  });
  const below = await coordinator.request('GET', '/api/sessions/below-minimum');
  expect(
    below.json.items.map((i: { session: { event: { title: string } } }) => i.session.event.title),
  ).toContain('Year One, Winter, Garden City');
  const mine = await dana.request('GET', '/api/me/registrations');
  expect(mine.json.items.length).toBeGreaterThanOrEqual(5);
  const courses = await dana.request('GET', '/api/courses?q=cyber');
  expect(courses.json.items.map((c: { code: string }) => c.code)).toEqual(
    expect.arrayContaining(['KS-Y1-03', 'KS-Y3-03']),
  );
  // Credit is named as the program names its category, not by its id ("1.5 management-finance").
  const fin = await dana.request('GET', '/api/courses?q=IGO-FIN-120');
  expect(fin.json.items[0].credits).toEqual([
    { category: 'management-finance', categoryName: 'Budgeting and finance', amount: 1.5 },
  ]);
});
