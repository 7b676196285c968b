/** Demo awards: one active, one renewal due, one lapsed (relative to the clock), loaded once. */
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
  expect(await loadDemoAwards(t.deps)).toEqual({ loaded: true, awards: 4 });
  expect(await loadDemoAwards(t.deps)).toEqual({ loaded: false, awards: 0 });
  const cpo = await programId(t.db, 'igo-cpo');
  const statuses = (await evaluatePeople(t.db, cpo, null, t.deps.now())).map((e) => e.result.status).sort();
  expect(statuses).toEqual(['certified', 'lapsed', 'renewal_due']);
});
