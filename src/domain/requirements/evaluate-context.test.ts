/**
 * What evaluate() takes from the context: the award it is based on (and its tie-breaks), anchors
 * (asOf, the award), results alone as progress, what counts as progress, the records of the award
 * day, and the fields left out of a result when there is nothing to say.
 */
import { describe, expect, it } from 'vitest';
import { renewalProgram } from '../lifecycle/testkit.js';
import { currentAward, evaluate } from './evaluate.js';
import { many, mgmtTier, rec, testProgram } from './testkit.js';
import type { EvaluationContext, Requirement } from './types.js';

const asOf = '2024-06-01';
const mgmt = (min: number, extra: Record<string, unknown> = {}): Requirement =>
  ({
    id: 'mgmt',
    type: 'credits',
    title: 'Management',
    min,
    filter: { categories: ['mgmt'] },
    ...extra,
  }) as Requirement;
const exam = (extra: Record<string, unknown> = {}): Requirement =>
  ({ id: 'law', type: 'exam', title: 'Law exam', exam: 'law', minScore: 70, ...extra }) as Requirement;
const oath = (extra: Record<string, unknown> = {}): Requirement =>
  ({ id: 'oath', type: 'attestation', title: 'Oath', attestation: 'oath', ...extra }) as Requirement;
const group = (type: 'allOf' | 'anyOf' | 'nOf', items: Requirement[], id = 'root'): Requirement =>
  ({ id, type, title: 'Group', items, ...(type === 'nOf' ? { n: 1 } : {}) }) as Requirement;

const statusOf = (
  requirement: Requirement,
  context: Partial<EvaluationContext>,
  records = [] as ReturnType<typeof rec>[],
) => evaluate(testProgram(requirement), records, { asOf, ...context }).status;

describe('currentAward', () => {
  it('the latest award on or before asOf; on the same day, the greater id, whatever the order', () => {
    const a1 = { id: 'a1', awardedOn: '2024-01-01' };
    const a2 = { id: 'a2', awardedOn: '2024-01-01' };
    expect(currentAward([a2, a1], asOf)).toBe(a2);
    expect(currentAward([a1, a2], asOf)).toBe(a2);
    const later = { id: 'a0', awardedOn: '2024-03-01' };
    expect(currentAward([later, a1], asOf)).toBe(later);
    expect(currentAward([later, a1], '2024-02-01')).toBe(a1);
  });
});

describe('anchors', () => {
  it('a window measured from asOf', () => {
    const r = evaluate(
      testProgram(mgmt(2, { window: { from: { anchor: 'asOf', years: -1 } } })),
      many(2, { date: '2023-01-01' }),
      {
        asOf,
      },
    );
    expect(r.initial.have).toBe(0);
    expect(r.status).toBe('in_progress');
  });

  it('a deadline measured from the award', () => {
    const p = testProgram(mgmtTier(1), {
      initial: {
        requirement: mgmtTier(1),
        deadlines: [{ id: 'd', label: 'Within a month of the award', by: { anchor: 'award', months: 1 } }],
      },
    });
    const r = evaluate(p, [rec({ date: '2023-12-01' })], {
      asOf,
      awards: [{ id: 'a1', awardedOn: '2024-01-01' }],
    });
    expect(r.deadlines[0]).toMatchObject({ state: 'met', date: '2024-02-01', completedOn: '2023-12-01' });
  });
});

describe('once awarded, the initial requirements are judged at the award', () => {
  const awards = [{ id: 'a1', awardedOn: '2024-01-01' }];

  it('an exam passed after the award does not complete them', () => {
    const r = evaluate(testProgram(exam()), [], {
      asOf,
      awards,
      examResults: [{ exam: 'law', score: 90, date: '2024-03-01' }],
    });
    expect(r.status).toBe('certified');
    expect(r.initial.met).toBe(false);
  });

  it('nor do records dated after the award', () => {
    const r = evaluate(testProgram(mgmt(2)), many(2, { date: '2024-03-01' }), { asOf, awards });
    expect(r.initial.have).toBe(0);
    expect(r.initial.met).toBe(false);
    // Not even listed as outside the window: the initial requirements never saw them.
    expect(r.initial.notCounted).toEqual([]);
  });

  it('with awardDayRecords "firstCycle", only the records of the award day go to the first cycle', () => {
    const before = rec({ date: '2023-12-01' });
    const onTheDay = rec({ date: '2024-01-01' });
    const r = evaluate(renewalProgram({ awardDayRecords: 'firstCycle' }), [before, onTheDay], {
      asOf,
      awards,
    });
    expect(r.initial.counted.map((c) => c.recordId)).toEqual([before.id]);
    expect(r.initial.notCounted).toEqual([
      expect.objectContaining({
        recordId: onTheDay.id,
        reason: 'counted_for_renewal',
        detail:
          'Dated January 1, 2024, the day of the award: this program counts it toward the first renewal cycle, not toward the award.',
      }),
    ]);
  });
});

describe('an exam result or attestation alone is progress', () => {
  const failing = { examResults: [{ exam: 'law', score: 50, date: '2024-05-01' }] };
  const otherExam = { examResults: [{ exam: 'ethics', score: 50, date: '2024-05-01' }] };

  it('a failing exam result, wherever the exam is in the tree', () => {
    for (const requirement of [
      exam(),
      group('allOf', [exam(), mgmt(5)]),
      group('anyOf', [exam(), mgmt(5)]),
      group('nOf', [exam(), mgmt(5)]),
      { id: 'by', type: 'deadline', title: 'By 2025', by: '2025-01-01', item: exam() } as Requirement,
    ]) {
      expect(statusOf(requirement, failing)).toBe('in_progress');
      expect(statusOf(requirement, otherExam)).toBe('not_started');
    }
  });

  it('an attestation outside the window: its own is progress, another one is not', () => {
    const windowed = group('allOf', [oath({ window: { from: '2024-01-01' } }), mgmt(5)]);
    const early = { attestation: 'oath', date: '2023-06-01' };
    const other = { attestation: 'code-of-conduct', date: '2024-05-01' };
    expect(statusOf(windowed, { attestations: [early] })).toBe('in_progress');
    expect(statusOf(windowed, { attestations: [other] })).toBe('not_started');
    expect(statusOf(windowed, { attestations: [other, early] })).toBe('in_progress');
  });
});

describe('what counts as progress', () => {
  it('a met leaf with no records (years of service)', () => {
    const r = evaluate(
      testProgram(
        group('allOf', [
          { id: 'svc', type: 'serviceYears', title: 'Service', minYears: 1 } as Requirement,
          mgmt(5),
        ]),
      ),
      [],
      { asOf, yearsOfService: 3 },
    );
    expect(r.status).toBe('in_progress');
    expect(r.headline).toBe('In progress toward Test Program: 1 of 2 parts complete.');
  });

  it('not a group met only because none of its parts applies to the person', () => {
    for (const type of ['allOf', 'anyOf', 'nOf'] as const) {
      const pilotOnly = group(
        type,
        [mgmt(5, { id: 'pilot-mgmt', appliesTo: { cohorts: ['pilot'] } })],
        'pilot-group',
      );
      const r = evaluate(testProgram(group('allOf', [pilotOnly, mgmt(5)])), [], { asOf });
      expect(r.status).toBe('not_started');
      expect(r.headline).toBe('Nothing has been recorded toward Test Program yet.');
    }
  });
});

describe('the missing list: which option is closest', () => {
  it('an exam with no minimum score and no result is not closer than half the credits', () => {
    const either = group('anyOf', [exam({ minScore: 0 }), mgmt(10)]);
    const r = evaluate(testProgram(either), many(5, { date: '2024-05-01' }), { asOf });
    expect(r.missing).toHaveLength(2);
    expect(r.missing[1]).toMatch(/^Management: /);
  });
});

describe('fields left out when there is nothing to say', () => {
  it('an upcoming deadline with nothing completed: no completedOn, no award, no lifecycle', () => {
    const p = testProgram(mgmtTier(5), {
      initial: { requirement: mgmtTier(5), deadlines: [{ id: 'd', label: 'First year', by: '2025-01-01' }] },
    });
    const r = evaluate(p, [], { asOf });
    expect(r.deadlines[0]).toMatchObject({ state: 'upcoming', date: '2025-01-01' });
    expect(r.deadlines[0]).not.toHaveProperty('completedOn');
    expect(r).not.toHaveProperty('lifecycle');
    expect(r).not.toHaveProperty('pendingSeats');
  });

  it('a missed deadline with nothing completed has no completedOn', () => {
    const p = testProgram(mgmtTier(5), {
      initial: {
        requirement: mgmtTier(5),
        deadlines: [{ id: 'd', label: 'First months', by: '2024-03-01' }],
      },
    });
    const r = evaluate(p, [], { asOf });
    expect(r.deadlines[0]).toMatchObject({ state: 'missed', date: '2024-03-01' });
    expect(r.deadlines[0]).not.toHaveProperty('completedOn');
  });

  it('requirements met only because none applies, before any award: the deadline is upcoming', () => {
    const pilotOnly = group('allOf', [mgmt(5, { appliesTo: { cohorts: ['pilot'] } })]);
    const p = testProgram(pilotOnly, {
      initial: { requirement: pilotOnly, deadlines: [{ id: 'd', label: 'First year', by: '2025-01-01' }] },
    });
    const r = evaluate(p, [], { asOf });
    expect(r.status).toBe('eligible');
    expect(r.deadlines[0]).toMatchObject({ state: 'upcoming', date: '2025-01-01' });
  });

  it('no ceremony in the next award when the program names none', () => {
    const r = evaluate(testProgram(mgmtTier(1), { award: {} }), [rec({ date: '2024-05-01' })], { asOf });
    expect(r.nextAward).toEqual({ year: 2024 });
    expect(r.nextAward).not.toHaveProperty('ceremony');
  });

  it('an extended deadline whose program date is not known yet names no program date', () => {
    const p = testProgram(mgmtTier(5), {
      initial: {
        requirement: mgmtTier(5),
        deadlines: [{ id: 'd', label: 'Six months in', by: { anchor: 'enrollment', months: 6 } }],
      },
    });
    const r = evaluate(p, [], {
      asOf,
      extensions: [{ requirementId: 'd', until: '2025-01-01', reason: 'Illness' }],
    });
    expect(r.deadlines[0]).toMatchObject({ state: 'upcoming', date: '2025-01-01' });
    expect(r.deadlines[0]).not.toHaveProperty('programDate');
  });
});
