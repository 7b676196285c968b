import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../requirements/index.js';
import type { CreditRecord, Requirement } from '../requirements/index.js';
import { rec, testProgram } from '../requirements/testkit.js';
import { addDays } from '../time/index.js';
import {
  evaluateWithPlan,
  fits,
  completedCodes,
  planCertification,
  shortfallSentence,
  planGoal,
  type PlanSession,
} from './index.js';

const TODAY = '2027-03-01';
const CODES = ['A', 'B', 'C', 'D', 'E'] as const;

/** A session of `code` on day `day` after today, at 9:00 or 13:00 Chicago (3 hours). */
function session(
  id: string,
  code: string,
  day: number,
  hour: 9 | 13,
  o: Partial<PlanSession> & { credits?: number; category?: string } = {},
): PlanSession {
  const date = addDays(TODAY, day);
  const start = new Date(`${date}T${String(hour + 6).padStart(2, '0')}:00:00Z`).toISOString();
  return {
    id,
    courseCode: code,
    startsAt: start,
    endsAt: new Date(Date.parse(start) + 180 * 60_000).toISOString(),
    date,
    credits: [{ category: o.category ?? 'job', amount: o.credits ?? 3 }],
    sponsored: false,
    sourceType: 'conf',
    prerequisites: [],
    seatsFree: 5,
    registrationOpen: true,
    registered: false,
    travel: 0,
    ...o,
  };
}

const courses = (cats: Record<string, string>) =>
  CODES.map((c) => ({ code: c, title: `Course ${c}`, credits: 3, category: cats[c] ?? 'job' }));

describe('planCertification on a Year One / Year Two program', () => {
  const program = testProgram(
    {
      id: 'root',
      type: 'allOf',
      title: 'Certification',
      items: [
        { id: 'y1', type: 'courses', title: 'Year One', courses: ['A', 'B'] },
        { id: 'y2', type: 'courses', title: 'Year Two', courses: ['C'], after: ['y1'] },
      ],
    },
    { courses: courses({}) },
  );
  const context = { asOf: TODAY, personId: 'p1' };

  it('takes the earliest sessions in Year order, and Year Two only after Year One is met', () => {
    const sessions = [
      session('c-early', 'C', 1, 9),
      session('a1', 'A', 2, 9),
      session('b1', 'B', 2, 13),
      session('c-late', 'C', 5, 9),
      session('a2', 'A', 9, 9),
    ];
    const r = planCertification({ program, records: [], context, sessions });
    expect(r.outcome).toBe('planned');
    expect(r.sessions.map((s) => s.id)).toEqual(['a1', 'b1', 'c-late']);
    expect(r.finishesOn).toBe(addDays(TODAY, 5));
    expect(r.exact).toBe(true);
  });

  it('skips full and closed sessions, keeps one the official already holds, and prefers no travel', () => {
    const sessions = [
      session('a-full', 'A', 1, 9, { seatsFree: 0 }),
      session('a-mine', 'A', 3, 9, { seatsFree: 0, registered: true, travel: 1 }),
      session('b-closed', 'B', 2, 9, { registrationOpen: false }),
      session('b-far', 'B', 4, 9, { travel: 1 }),
      session('b-near', 'B', 4, 13),
      session('c1', 'C', 6, 9, { travel: 1 }),
    ];
    const r = planCertification({ program, records: [], context, sessions });
    expect(r.sessions.map((s) => s.id)).toEqual(['a-mine', 'b-near', 'c1']);
  });

  it('says which courses have no session, or none with a seat, when there is no plan', () => {
    const sessions = [session('a1', 'A', 1, 9), session('b-full', 'B', 2, 9, { seatsFree: 0 })];
    const r = planCertification({ program, records: [], context, sessions });
    expect(r.outcome).toBe('none');
    expect(r.missing).toEqual([
      { courseCode: 'B', reason: 'no_seats' },
      { courseCode: 'C', reason: 'no_session' },
    ]);
  });

  it('says a course has sessions only after the deadline', () => {
    const sessions = [session('a1', 'A', 1, 9), session('b1', 'B', 2, 9), session('c1', 'C', 30, 9)];
    const r = planCertification({ program, records: [], context, sessions, deadline: addDays(TODAY, 10) });
    expect(r.outcome).toBe('none');
    expect(r.missing).toEqual([{ courseCode: 'C', reason: 'after_deadline' }]);
  });

  it('is done when nothing remains', () => {
    const records = ['A', 'B', 'C'].map((c, i) =>
      rec({ courseCode: c, date: addDays(TODAY, -10 + i), category: 'job', amount: 3 }),
    );
    const r = planCertification({ program, records, context, sessions: [session('a1', 'A', 1, 9)] });
    expect(r.outcome).toBe('done');
  });

  it('respects prerequisites: a course only after an earlier session of its prerequisite ends', () => {
    const sessions = [
      session('a1', 'A', 1, 9),
      session('b-same-time', 'B', 1, 9, { prerequisites: ['A'] }),
      session('b-after', 'B', 1, 13, { prerequisites: ['A'] }),
      session('c1', 'C', 2, 9),
    ];
    const r = planCertification({ program, records: [], context, sessions });
    expect(r.sessions.map((s) => s.id)).toEqual(['a1', 'b-after', 'c1']);
  });
});

// ------------------------------------------------------------------ property: against brute force

const requirementArb: fc.Arbitrary<Requirement> = fc
  .record({
    y1: fc.subarray([...CODES], { minLength: 1, maxLength: 2 }),
    y2: fc.option(fc.subarray([...CODES], { minLength: 1, maxLength: 2 }), { nil: undefined }),
    y2After: fc.boolean(),
    credits: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
  })
  .map(({ y1, y2, y2After, credits }) => {
    const items: Requirement[] = [{ id: 'y1', type: 'courses', title: 'Year One', courses: y1 }];
    if (y2)
      items.push({
        id: 'y2',
        type: 'courses',
        title: 'Year Two',
        courses: y2,
        ...(y2After ? { after: ['y1'] } : {}),
      });
    if (credits)
      items.push({
        id: 'mg',
        type: 'credits',
        title: 'Management',
        min: credits,
        filter: { categories: ['mgmt'] },
        shareRecords: true,
      });
    return { id: 'root', type: 'allOf', title: 'Certification', items } as Requirement;
  });

const caseArb = fc.record({
  requirement: requirementArb,
  mgmt: fc.subarray([...CODES], { maxLength: 2 }),
  prereqOfD: fc.option(fc.constantFrom('A', 'B'), { nil: undefined }),
  done: fc.subarray([...CODES], { maxLength: 2 }),
  sessions: fc.array(
    fc.record({
      code: fc.constantFrom(...CODES),
      day: fc.integer({ min: 1, max: 8 }),
      hour: fc.constantFrom(9 as const, 13 as const),
      seatsFree: fc.constantFrom(0, 1, 3, 3),
      open: fc.constantFrom(true, true, true, false),
      registered: fc.constantFrom(false, false, false, true),
      travel: fc.constantFrom(0, 1),
    }),
    { minLength: 1, maxLength: 8 },
  ),
});

describe('planCertification against every subset of the upcoming sessions', () => {
  it('gives a plan the engine finds valid, and none finishes earlier or with fewer sessions that day', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const cats = Object.fromEntries(c.mgmt.map((m) => [m, 'mgmt']));
        const program = testProgram(c.requirement, { courses: courses(cats) });
        const records: CreditRecord[] = c.done.map((code, i) =>
          rec({
            courseCode: code,
            date: addDays(TODAY, -20 + i),
            category: cats[code] ?? 'job',
            amount: 3,
            sourceType: 'conf',
          }),
        );
        const sessions = c.sessions.map((s, i) =>
          session(`s${i}`, s.code, s.day, s.hour, {
            seatsFree: s.seatsFree,
            registrationOpen: s.open,
            registered: s.registered,
            travel: s.travel,
            category: cats[s.code] ?? 'job',
            prerequisites: s.code === 'D' && c.prereqOfD ? [c.prereqOfD] : [],
          }),
        );
        const context = { asOf: TODAY, personId: 'p1' };
        const r = planCertification({ program, records, context, sessions });
        const base = evaluate(program, records, context);
        const goal = planGoal(base);
        if (goal(base)) {
          expect(r.outcome).toBe('done');
          return;
        }
        // Brute force: every subset of the sessions one may take.
        const usable = sessions.filter((s) => s.registered || (s.seatsFree > 0 && s.registrationOpen));
        const completed = completedCodes(records);
        let bestDate: string | null = null;
        let bestCount = Infinity;
        for (let mask = 1; mask < 1 << usable.length; mask++) {
          const subset = usable
            .filter((_, i) => mask & (1 << i))
            .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
          // The rules of a plan, checked against every other session of the subset.
          const ok = subset.every((s) =>
            fits(
              s,
              subset.filter((o) => o !== s),
              completed,
            ),
          );
          if (!ok) continue;
          const last = subset.reduce((m, s) => (s.date > m ? s.date : m), subset[0]!.date);
          if (!goal(evaluateWithPlan(program, records, context, subset, last))) continue;
          if (bestDate === null || last < bestDate || (last === bestDate && subset.length < bestCount)) {
            bestDate = last;
            bestCount = subset.length;
          }
        }
        expect(r.exact).toBe(true);
        if (bestDate === null) {
          expect(r.outcome).toBe('none');
          return;
        }
        expect(r.outcome).toBe('planned');
        expect(r.finishesOn).toBe(bestDate);
        expect(r.sessions.length).toBe(bestCount);
        // The plan itself is valid: the engine says so, and it keeps the rules of a plan.
        expect(goal(evaluateWithPlan(program, records, context, r.sessions, r.finishesOn!))).toBe(true);
        r.sessions.forEach((s, i) => expect(fits(s, r.sessions.slice(0, i), completed)).toBe(true));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the seat shortfall sentence', () => {
  const byText = 'June 30, 2027';
  it('says how many more sessions of the usual size cover the officials still without a seat', () => {
    expect(
      shortfallSentence({ courseCode: 'KS-Y2-01', need: 12, freeSeats: 4, sessionSize: 30, byText }),
    ).toBe(
      '12 officials still need KS-Y2-01 and 4 seats remain by June 30, 2027: schedule at least 1 more session of 30.',
    );
    expect(
      shortfallSentence({ courseCode: 'KS-Y2-01', need: 75, freeSeats: 0, sessionSize: 30, byText }),
    ).toBe(
      '75 officials still need KS-Y2-01 and no seats remain by June 30, 2027: schedule at least 3 more sessions of 30.',
    );
  });
  it('asks for seats when no session size is known, and says when the seats are enough', () => {
    expect(shortfallSentence({ courseCode: 'X', need: 1, freeSeats: 0, sessionSize: null, byText })).toBe(
      '1 official still needs X and no seats remain by June 30, 2027: schedule sessions with at least 1 more seat.',
    );
    expect(shortfallSentence({ courseCode: 'X', need: 3, freeSeats: 1, sessionSize: 20, byText })).toMatch(
      /and 1 seat remains by June 30, 2027: schedule at least 1 more session of 20\.$/,
    );
    expect(shortfallSentence({ courseCode: 'X', need: 3, freeSeats: 3, sessionSize: 20, byText })).toBe(
      '3 officials still need X and 3 seats remain by June 30, 2027: enough for now.',
    );
  });
});

describe('a course in both Year One and a later Year (found by the property test)', () => {
  it('plans the second taking of a course already completed for Year One when Year Two needs it again', () => {
    const program = testProgram(
      {
        id: 'root',
        type: 'allOf',
        title: 'Certification',
        items: [
          { id: 'y1', type: 'courses', title: 'Year One', courses: ['C'] },
          { id: 'y2', type: 'courses', title: 'Year Two', courses: ['B', 'C'], after: ['y1'] },
        ],
      } as Requirement,
      { courses: courses({}) },
    );
    const records = [
      rec({ courseCode: 'C', date: addDays(TODAY, -20), category: 'job', amount: 3, sourceType: 'conf' }),
    ];
    const sessions = [
      session('b1', 'B', 1, 9, { seatsFree: 0, registered: true }),
      session('c2', 'C', 2, 9, { seatsFree: 0, registered: true }),
      session('a1', 'A', 1, 9, { seatsFree: 0 }),
    ];
    const r = planCertification({ program, records, context: { asOf: TODAY, personId: 'p1' }, sessions });
    expect(r.outcome).toBe('planned');
    expect(r.sessions.map((s) => s.id)).toEqual(['b1', 'c2']);
  });
});
