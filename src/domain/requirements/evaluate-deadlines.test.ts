/**
 * Program deadlines in an evaluation: the exact state, date and sentence of
 * each, and how a missed one shows in what is missing.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { mgmtTier, rec, testProgram } from './testkit.js';
import type { EvaluationContext } from './types.js';

const program = testProgram(mgmtTier(1), {
  cohorts: [
    { id: 'pilot', name: 'Pilot' },
    { id: 'west', name: 'West' },
  ],
  initial: {
    requirement: mgmtTier(1),
    deadlines: [
      { id: 'six', label: 'Six months', by: { anchor: 'enrollment', months: 6 } },
      { id: 'pilot', label: 'Pilot finish', by: '2024-03-31', appliesTo: { cohorts: ['pilot', 'west'] } },
    ],
  },
});

const run = (records: ReturnType<typeof rec>[], ctx: Partial<EvaluationContext> & { asOf: string }) =>
  evaluate(program, records, { cohorts: ['pilot'], ...ctx });

describe('program deadlines', () => {
  it('unknown without the anchor date; a cohort deadline applies to anyone in one of its cohorts', () => {
    const r = run([], { asOf: '2024-01-15' });
    expect(r.deadlines).toEqual([
      {
        id: 'six',
        label: 'Six months',
        state: 'unknown',
        detail: 'Due 6 months after enrollment (date not recorded yet).',
      },
      {
        id: 'pilot',
        label: 'Pilot finish',
        date: '2024-03-31',
        state: 'upcoming',
        detail: 'Finish by March 31, 2024.',
      },
    ]);
    expect(run([], { asOf: '2024-01-15', cohorts: [] }).deadlines[1]).toEqual({
      id: 'pilot',
      label: 'Pilot finish',
      state: 'not_applicable',
      detail: 'Does not apply to you.',
    });
  });

  it('met when completed on or before the date', () => {
    const r = run([rec({ date: '2024-03-31' })], { asOf: '2024-05-01', enrollmentDate: '2024-01-01' });
    expect(r.deadlines).toEqual([
      {
        id: 'six',
        label: 'Six months',
        date: '2024-07-01',
        completedOn: '2024-03-31',
        state: 'met',
        detail: 'Completed on March 31, 2024, by July 1, 2024.',
      },
      {
        id: 'pilot',
        label: 'Pilot finish',
        date: '2024-03-31',
        completedOn: '2024-03-31',
        state: 'met',
        detail: 'Completed on March 31, 2024, by March 31, 2024.',
      },
    ]);
    expect(r.missing).toEqual([]);
  });

  it('upcoming through the deadline day; missed the day after, and then listed as missing', () => {
    const onTheDay = run([], { asOf: '2024-03-31', enrollmentDate: '2024-01-01' });
    expect(onTheDay.deadlines[1]).toEqual({
      id: 'pilot',
      label: 'Pilot finish',
      date: '2024-03-31',
      state: 'upcoming',
      detail: 'Finish by March 31, 2024.',
    });
    const after = run([], { asOf: '2024-04-01', enrollmentDate: '2024-01-01' });
    const missed =
      'The deadline of March 31, 2024 was missed; the training still counts toward certification.';
    expect(after.deadlines[1]).toEqual({
      id: 'pilot',
      label: 'Pilot finish',
      date: '2024-03-31',
      state: 'missed',
      detail: missed,
    });
    expect(after.missing).toContain(`Pilot finish: ${missed}`);
    expect(after.missing.filter((m) => m.startsWith('Six months'))).toEqual([]);
  });

  it('completed late: missed, with the completion date', () => {
    const r = run([rec({ date: '2024-04-02' })], { asOf: '2024-05-01', enrollmentDate: '2024-01-01' });
    expect(r.status).toBe('eligible');
    expect(r.deadlines[1]).toEqual({
      id: 'pilot',
      label: 'Pilot finish',
      date: '2024-03-31',
      completedOn: '2024-04-02',
      state: 'missed',
      detail: 'The deadline of March 31, 2024 was missed; the training still counts toward certification.',
    });
    expect(r.deadlines[0]?.state).toBe('met');
  });

  it('an award made on other grounds counts as completion on the award date; a missed deadline is not "missing" after it', () => {
    const early = run([], { asOf: '2024-05-01', awards: [{ id: 'a', awardedOn: '2024-03-01' }] });
    expect(early.deadlines[1]).toMatchObject({ state: 'met', completedOn: '2024-03-01' });
    const late = run([], { asOf: '2024-05-01', awards: [{ id: 'a', awardedOn: '2024-04-15' }] });
    expect(late.deadlines[1]).toMatchObject({ state: 'missed', completedOn: '2024-04-15' });
    expect(late.missing).toEqual([]);
  });
});
