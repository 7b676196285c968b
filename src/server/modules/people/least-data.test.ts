/**
 * Issue 11, least data: instructors and reviewers read (and export) the
 * contact details only of the people their work concerns, and reviewers read
 * transcripts only for the programs they review. Before the fix every staff
 * member exported everyone's e-mail and phone; these tests failed then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClaim } from '../../testing/claims.js';
import { buildPerson, createTestApp, type TestApp } from '../../testing/harness.js';
import {
  buildEnrollment,
  buildRegistration,
  buildSession,
  programId,
  quickClient,
} from '../../testing/scheduling.js';

let t: TestApp;
let instructor: Awaited<ReturnType<typeof quickClient>>;
let reviewer: Awaited<ReturnType<typeof quickClient>>;
let coordinator: Awaited<ReturnType<typeof quickClient>>;
const people: Record<
  'onRoster' | 'cancelled' | 'claimant' | 'otherClaimant' | 'stranger',
  { personId: string; email: string }
> = {} as never;

beforeAll(async () => {
  t = await createTestApp();
  instructor = await quickClient(t, ['instructor']);
  reviewer = await quickClient(t, ['reviewer']);
  coordinator = await quickClient(t, ['coordinator']);
  for (const k of ['onRoster', 'cancelled', 'claimant', 'otherClaimant', 'stranger'] as const)
    people[k] = await buildPerson(t.db, { lastName: k });
  const session = await buildSession(t.db, { instructorIds: [instructor.personId] });
  await buildRegistration(t.db, session.id, people.onRoster.personId);
  await buildRegistration(t.db, session.id, people.cancelled.personId, 'cancelled');
  await t.db
    .insertInto('program_reviewer')
    .values({ program_id: await programId(t.db, 'igo-cpo'), person_id: reviewer.personId })
    .execute();
  await buildEnrollment(t.db, people.claimant.personId, 'igo-cpo');
  await buildEnrollment(t.db, people.claimant.personId);
  await buildClaim(t.db, people.claimant.personId, { programCode: 'igo-cpo' });
  await buildEnrollment(t.db, people.otherClaimant.personId);
  await buildClaim(t.db, people.otherClaimant.personId, { programCode: 'ks-county-election-official' });
});
afterAll(() => t.close());

const exported = async (c: typeof instructor) => {
  const res = await c.request('GET', '/api/people/export?format=csv');
  expect(res.status, res.body).toBe(200);
  return res.body;
};

describe('people lists and exports', () => {
  it('an instructor exports only the people on their sessions’ rosters (and themselves)', async () => {
    const csv = await exported(instructor);
    expect(csv).toContain(people.onRoster.email);
    expect(csv).toContain(instructor.email);
    for (const k of ['cancelled', 'claimant', 'otherClaimant', 'stranger'] as const)
      expect(csv).not.toContain(people[k].email);
    const list = await instructor.request('GET', '/api/people?pageSize=200');
    expect(list.json.page.total).toBe(2);
    expect((await instructor.request('GET', `/api/people/${people.stranger.personId}`)).status).toBe(404);
    expect((await instructor.request('GET', `/api/people/${people.onRoster.personId}`)).status).toBe(200);
  });

  it('a reviewer exports only people with claims in the programs they review', async () => {
    const csv = await exported(reviewer);
    expect(csv).toContain(people.claimant.email);
    for (const k of ['onRoster', 'otherClaimant', 'stranger'] as const)
      expect(csv).not.toContain(people[k].email);
    expect((await reviewer.request('GET', `/api/people/${people.otherClaimant.personId}`)).status).toBe(404);
  });

  it('a coordinator still exports everyone', async () => {
    const csv = await exported(coordinator);
    for (const k of Object.keys(people) as (keyof typeof people)[]) expect(csv).toContain(people[k].email);
  });
});

describe('transcripts', () => {
  it('a reviewer reads only the programs they review, and nothing for people outside them', async () => {
    const own = await reviewer.request('GET', `/api/people/${people.claimant.personId}/transcript`);
    expect(own.status, own.body).toBe(200);
    expect(own.json.programs.map((p: { program: { code: string } }) => p.program.code)).toEqual(['igo-cpo']);
    const whole = await coordinator.request('GET', `/api/people/${people.claimant.personId}/transcript`);
    expect(whole.json.programs.length).toBe(2);
    const outside = await reviewer.request('GET', `/api/people/${people.otherClaimant.personId}/transcript`);
    expect(outside.status).toBe(404);
  });
});

describe('credits and progress', () => {
  it('a reviewer reads the ledger and progress only of people with claims in the programs they review', async () => {
    for (const what of ['credits', 'progress']) {
      const mine = await reviewer.request('GET', `/api/people/${people.claimant.personId}/${what}`);
      expect(mine.status, mine.body).toBe(200);
      for (const k of ['otherClaimant', 'stranger'] as const) {
        const res = await reviewer.request('GET', `/api/people/${people[k].personId}/${what}`);
        expect(res.status, `${what} of ${k}`).toBe(404);
      }
      const all = await coordinator.request('GET', `/api/people/${people.stranger.personId}/${what}`);
      expect(all.status).toBe(200);
    }
  });
});
