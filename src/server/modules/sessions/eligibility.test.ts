/**
 * Registration eligibility as loaded from the database (eligibility.ts): prerequisites from the
 * ledger's net approved completions, renewal courses from current awards and either record of a
 * revocation, judged on today in the program's zone. Written against the branches mutation testing
 * found untested (docs/testing.md, issue 12).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, createTestApp, type TestApp } from '../../testing/harness.js';
import { buildCredit, programId } from '../../testing/scheduling.js';
import { checkEligibility, completedCourses, type CourseRules } from './eligibility.js';

let t: TestApp;
let ks: string;
let cpo: string;
// 21:00 on 1 March in Kansas (CST), already 2 March in UTC.
const now = new Date('2027-03-02T03:00:00Z');
const person = async () => (await buildPerson(t.db, {})).personId;

beforeAll(async () => {
  t = await createTestApp();
  ks = await programId(t.db, 'ks-county-election-official');
  cpo = await programId(t.db, 'igo-cpo');
});
afterAll(() => t.close());

const prerequisiteCourse = (...codes: string[]): CourseRules => ({
  programId: ks,
  renewal: false,
  prerequisites: codes,
  programTimeZone: 'America/Chicago',
});
const renewalCourse = (programIdOf: string | null = ks): CourseRules => ({
  programId: programIdOf,
  renewal: true,
  prerequisites: [],
  programTimeZone: programIdOf ? 'America/Chicago' : null,
});

/** A ledger row: a reversal names the row it reverses, with its reason; status as given. */
async function ledger(
  personId: string,
  courseCode: string,
  amount: number,
  o: { reverses?: string; status?: 'approved' | 'pending' } = {},
): Promise<string> {
  const row = await t.db
    .insertInto('credit_record')
    .values({
      person_id: personId,
      program_id: ks,
      amount,
      category: 'year-one',
      sponsored: false,
      source_type: 'sos-course',
      course_code: courseCode,
      title: null,
      session_id: null,
      registration_id: null,
      earned_on: '2026-04-01',
      status: o.status ?? 'approved',
      reverses_id: o.reverses ?? null,
      reason: o.reverses ? 'Entered for the wrong person' : null,
      recorded_at: new Date().toISOString(),
      recorded_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function award(
  personId: string,
  o: { program?: string; revokedOn?: string; revocation?: string; supersedes?: string } = {},
) {
  const row = await t.db
    .insertInto('award')
    .values({
      program_id: o.program ?? ks,
      person_id: personId,
      awarded_on: '2025-12-01',
      number: null,
      revoked_on: o.revokedOn ?? null,
      revoked_reason: o.revokedOn ? 'Test' : null,
      supersedes_id: o.supersedes ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (o.revocation) {
    await t.db
      .insertInto('award_revocation')
      .values({ award_id: row.id, revoked_on: o.revocation, reason: 'Test' })
      .execute();
  }
  return row.id;
}

describe('prerequisites', () => {
  it('names only the courses still missing, one or several, and nothing once all are done', async () => {
    const [none, one, both] = [await person(), await person(), await person()];
    await buildCredit(t.db, one, { courseCode: 'EL-PRE-A' });
    await buildCredit(t.db, both, { courseCode: 'EL-PRE-A' });
    await buildCredit(t.db, both, { courseCode: 'EL-PRE-B' });
    const result = await checkEligibility(
      t.db,
      prerequisiteCourse('EL-PRE-A', 'EL-PRE-B'),
      [none, one, both],
      now,
    );
    expect(result.get(none)).toBe(
      'Complete EL-PRE-A, EL-PRE-B first, or hold a seat in a session of them that ends before this one starts: they are prerequisites of this course.',
    );
    expect(result.get(one)).toBe(
      'Complete EL-PRE-B first, or hold a seat in a session of it that ends before this one starts: it is a prerequisite of this course.',
    );
    expect(result.get(both)).toBeNull();
    expect(result.size).toBe(3);
  });

  it('a completion reversed to zero, a pending one, or one of another course does not count', async () => {
    const [reversed, pending, other, partlyReversed] = [
      await person(),
      await person(),
      await person(),
      await person(),
    ];
    await ledger(reversed, 'EL-PRE-C', -3, { reverses: await ledger(reversed, 'EL-PRE-C', 3) });
    await ledger(pending, 'EL-PRE-C', 3, { status: 'pending' });
    await ledger(other, 'EL-PRE-D', 3);
    await ledger(partlyReversed, 'EL-PRE-C', -2, { reverses: await ledger(partlyReversed, 'EL-PRE-C', 3) });
    const result = await checkEligibility(
      t.db,
      prerequisiteCourse('EL-PRE-C'),
      [reversed, pending, other, partlyReversed],
      now,
    );
    for (const p of [reversed, pending, other]) expect(result.get(p), p).toMatch(/^Complete EL-PRE-C first/);
    expect(result.get(partlyReversed)).toBeNull();
    expect(await completedCourses(t.db, [reversed, partlyReversed], ['EL-PRE-C'])).toEqual([
      { personId: partlyReversed, courseCode: 'EL-PRE-C' },
    ]);
  });

  it('asks nothing of nobody, and nothing when a course has no prerequisites', async () => {
    expect(await checkEligibility(t.db, prerequisiteCourse('EL-PRE-A'), [], now)).toEqual(new Map());
    expect(await completedCourses(t.db, [], ['EL-PRE-A'])).toEqual([]);
    const p = await person();
    expect(await completedCourses(t.db, [p], [])).toEqual([]);
    expect((await checkEligibility(t.db, prerequisiteCourse(), [p], now)).get(p)).toBeNull();
  });
});

describe('renewal courses: certified officials only', () => {
  const refusal = 'Renewal courses are open only to certified officials.';

  it('holds with a current award of the course’s program, not of another program', async () => {
    const [holder, otherProgram, nobody] = [await person(), await person(), await person()];
    await award(holder);
    await award(otherProgram, { program: cpo });
    const result = await checkEligibility(t.db, renewalCourse(), [holder, otherProgram, nobody], now);
    expect(result.get(holder)).toBeNull();
    expect(result.get(otherProgram)).toBe(refusal);
    expect(result.get(nobody)).toBe(refusal);
  });

  it('a revocation counts from its day in the program’s zone, from either record, whichever comes first', async () => {
    const [revokedToday, revokedTomorrow, bothRecords, newRecordOnly] = [
      await person(),
      await person(),
      await person(),
      await person(),
    ];
    // Today is 1 March in Kansas (2 March in UTC).
    await award(revokedToday, { revokedOn: '2027-03-01' });
    await award(revokedTomorrow, { revokedOn: '2027-03-02' });
    await award(bothRecords, { revokedOn: '2027-06-01', revocation: '2027-02-15' });
    await award(newRecordOnly, { revocation: '2027-03-01' });
    const result = await checkEligibility(
      t.db,
      renewalCourse(),
      [revokedToday, revokedTomorrow, bothRecords, newRecordOnly],
      now,
    );
    expect(result.get(revokedToday)).toBe(refusal);
    expect(result.get(revokedTomorrow)).toBeNull();
    expect(result.get(bothRecords)).toBe(refusal);
    expect(result.get(newRecordOnly)).toBe(refusal);
  });

  it('only the newest award of a chain counts: a superseded award does not keep someone certified', async () => {
    const p = await person();
    const first = await award(p);
    await award(p, { revokedOn: '2027-01-10', supersedes: first });
    expect((await checkEligibility(t.db, renewalCourse(), [p], now)).get(p)).toBe(refusal);
  });

  it('a renewal course of no program has no certification to hold: nobody qualifies', async () => {
    const p = await person();
    await award(p);
    expect((await checkEligibility(t.db, renewalCourse(null), [p], now)).get(p)).toBe(refusal);
  });

  it('a course that is not a renewal course asks for no award', async () => {
    const p = await person();
    expect((await checkEligibility(t.db, prerequisiteCourse(), [p], now)).get(p)).toBeNull();
  });
});
