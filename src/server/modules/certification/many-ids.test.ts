/**
 * Issue 14: more officials than PostgreSQL takes bind parameters (65,535). An
 * `in (...)` list of person ids took one parameter per id, so evaluating a
 * program of 70,000 officials failed; ids now travel as one array parameter.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { buildCredit, buildEnrollment, programId, quickClient } from '../../testing/scheduling.js';
import { evaluatePeople } from './evaluation.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('evaluates a list of 70,000 person ids (past the 65,535 bind-parameter limit) and finds the enrolled one', async () => {
  const ks = await programId(t.db);
  const official = await quickClient(t, ['official']);
  await buildEnrollment(t.db, official.personId);
  await buildCredit(t.db, official.personId, {
    category: 'year-one',
    courseCode: 'KS-Y1-01',
    earnedOn: '2026-02-01',
  });
  const ids: string[] = Array.from({ length: 70_000 }, () => randomUUID());
  ids[12_345] = official.personId;
  const evaluated = await evaluatePeople(t.db, ks, ids, t.clock.now);
  expect(evaluated.map((e) => e.personId)).toEqual([official.personId]);
  expect(evaluated[0]!.records).toHaveLength(1);
  expect(await evaluatePeople(t.db, ks, [], t.clock.now)).toEqual([]);
});
