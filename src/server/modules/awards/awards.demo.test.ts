/**
 * Demo awards: one active, one renewal due, one lapsed (relative to the clock), loaded once; three
 * Kansas awards at a dated recognition ceremony with plaques delivered, ordered and to order.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, buildPerson, type TestApp } from '../../testing/harness.js';
import { programId } from '../../testing/scheduling.js';
import { evaluatePeople } from '../certification/evaluation.js';
import { loadDemoAwards } from './awards.demo.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  for (let i = 0; i < 160; i++)
    await buildPerson(t.db, { password: null, lastName: `Demo${String(i).padStart(3, '0')}` });
});
afterAll(async () => t.close());

it('loads awards whose statuses are active, renewal due and lapsed, once', async () => {
  expect(await loadDemoAwards(t.deps)).toEqual({ loaded: true, awards: 6 });
  expect(await loadDemoAwards(t.deps)).toEqual({ loaded: false, awards: 0 });
  const cpo = await programId(t.db, 'igo-cpo');
  const statuses = (await evaluatePeople(t.db, cpo, null, t.deps.now())).map((e) => e.result.status).sort();
  expect(statuses).toEqual(['certified', 'lapsed', 'renewal_due']);
  const ceremony = await t.db
    .selectFrom('event')
    .select(['id', 'kind', 'held_on'])
    .where('kind', '=', 'ceremony')
    .executeTakeFirstOrThrow();
  expect(ceremony.held_on! <= new Date().toISOString().slice(0, 10)).toBe(true);
  const plaques = await t.db
    .selectFrom('award as a')
    .leftJoin('plaque_order as po', 'po.award_id', 'a.id')
    .select(['po.state'])
    .where('a.event_id', '=', ceremony.id)
    .execute();
  expect(plaques.map((p) => p.state ?? 'to_order').sort()).toEqual(['delivered', 'ordered', 'to_order']);
});
