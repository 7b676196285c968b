import { describe, expect, it } from 'vitest';
import cpoJson from '../../../programs/igo-cpo.json';
import ksJson from '../../../programs/ks-county-election-official.json';
import { addDays } from '../time/index.js';
import { evaluate } from './evaluate.js';
import { loadProgram, testProgram, mgmtTier } from './testkit.js';
import { nextTransitionOn } from './transitions.js';
import type { CreditRecord, EvaluationContext, EvaluationResult, ProgramDefinition } from './types.js';

const ks = loadProgram(ksJson);
const cpo = loadProgram(cpoJson);

type Context = Omit<EvaluationContext, 'asOf'>;

let n = 0;
function ksCourse(code: string, date: string): CreditRecord {
  n += 1;
  return { id: `k${n}`, personId: 'p', date, courseCode: code, sourceType: 'sos-course', status: 'approved' };
}
const ksYears = (d1: string, d2: string, d3: string): CreditRecord[] => [
  ...['KS-Y1-01', 'KS-Y1-02', 'KS-Y1-03'].map((c) => ksCourse(c, d1)),
  ...['KS-Y2-01', 'KS-Y2-02', 'KS-Y2-03'].map((c) => ksCourse(c, d2)),
  ...['KS-Y3-01', 'KS-Y3-02', 'KS-Y3-03'].map((c) => ksCourse(c, d3)),
];
function cpoCredits(count: number, category: string, sponsored: boolean, date: string): CreditRecord[] {
  return Array.from({ length: count }, () => {
    n += 1;
    return {
      id: `c${n}`,
      personId: 'p',
      date,
      amount: 1,
      category,
      sponsored,
      sourceType: sponsored ? 'igo-conference' : 'online-course',
      status: 'approved' as const,
    };
  });
}
const cpoInitial = (date: string): CreditRecord[] => [
  ...cpoCredits(16, 'management', true, date),
  ...cpoCredits(56, 'management', false, date),
  ...cpoCredits(12, 'elections', true, date),
  ...cpoCredits(12, 'elections', false, date),
];

/**
 * Everything the status cache, the reports' stored figures and the notices take from an
 * evaluation: if it differs between two days, the sweep must have evaluated the person in between.
 * (Not `nextAward`: the server stores the ceremony as of the day the requirements were met.)
 */
function observed(r: EvaluationResult): string {
  const lc = r.lifecycle;
  return JSON.stringify({
    status: r.status,
    provisional: r.provisional,
    initial: [r.initial.met, r.initial.have, r.initial.need, r.initial.metOn],
    deadlines: r.deadlines.map((d) => [d.id, d.date, d.state, d.completedOn]),
    lc: lc && {
      award: lc.award.id,
      status: lc.status,
      nextDue: lc.nextDue,
      lapsedOn: lc.lapsedOn,
      expiredOn: lc.expiredOn,
      current: lc.current && [lc.current.start, lc.current.state, lc.current.due, lc.current.graceEnds],
      cycles: lc.cycles.map((c) => [
        c.start,
        c.due,
        c.graceEnds,
        c.reinstateBy,
        c.state,
        c.closed,
        c.completedOn,
        // Reminders that have come (each is sent once, on or after its day).
        c.reminders.filter((d) => d <= r.asOf),
      ]),
    },
  });
}

/**
 * Walks day by day (each walk evaluates every day of a few years: given a generous timeout, as the
 * machine may be shared) from `from` to `to`, jumping from one predicted transition to the next as the
 * sweep does, and checks every day in between: nothing observed may change before the predicted
 * day. Returns the predicted days and the days something did change.
 */
function walk(
  program: ProgramDefinition,
  records: CreditRecord[],
  context: Context,
  from: string,
  to: string,
) {
  const predicted: string[] = [];
  const changed: string[] = [];
  let day = from;
  let r = evaluate(program, records, { ...context, asOf: day });
  for (;;) {
    const next = nextTransitionOn(program, r, { records, context });
    const stop = next === null || next > to ? to : next;
    for (let d = addDays(day, 1); d < stop; d = addDays(d, 1)) {
      const between = evaluate(program, records, { ...context, asOf: d });
      // Message names the day the prediction missed.
      expect(observed(between), `changed on ${d}, predicted ${next ?? 'never'} from ${day}`).toBe(
        observed(r),
      );
    }
    if (next === null || next > to) return { predicted, changed };
    predicted.push(next);
    const after = evaluate(program, records, { ...context, asOf: next });
    if (observed(after) !== observed(r)) changed.push(next);
    day = next;
    r = after;
  }
}

describe('nextTransitionOn: the Kansas program', { timeout: 120_000 }, () => {
  it('the pilot deadline: missed the day after November 4, 2024, and nothing due before', () => {
    const records = [...ksYears('2024-03-01', '2024-05-01', '2024-09-01')].slice(0, 6);
    const context: Context = { personId: 'p', cohorts: ['pilot-2024'], enrollmentDate: '2024-01-15' };
    const r = evaluate(ks, records, { ...context, asOf: '2024-10-01' });
    expect(r.deadlines[0]?.state).toBe('upcoming');
    expect(nextTransitionOn(ks, r, { records, context })).toBe('2024-11-05');
    const { changed } = walk(ks, records, context, '2024-10-01', '2025-12-31');
    expect(changed).toContain('2024-11-05');
    expect(evaluate(ks, records, { ...context, asOf: '2024-11-05' }).deadlines[0]?.state).toBe('missed');
  });

  it('someone in progress outside the pilot with records in the past: no date ahead', () => {
    const records = ksYears('2025-03-01', '2025-05-01', '2025-09-01').slice(0, 4);
    const context: Context = { personId: 'p', cohorts: [], enrollmentDate: '2025-01-15' };
    const r = evaluate(ks, records, { ...context, asOf: '2026-12-04' });
    expect(r.status).toBe('in_progress');
    expect(nextTransitionOn(ks, r, { records, context })).toBeNull();
  });

  it('a record dated ahead counts on its day', () => {
    const records = ksYears('2025-03-01', '2025-05-01', '2027-02-10');
    const context: Context = { personId: 'p', cohorts: [], enrollmentDate: '2025-01-15' };
    const r = evaluate(ks, records, { ...context, asOf: '2026-12-04' });
    expect(r.status).toBe('in_progress');
    expect(nextTransitionOn(ks, r, { records, context })).toBe('2027-02-10');
    expect(evaluate(ks, records, { ...context, asOf: '2027-02-10' }).status).toBe('eligible');
    walk(ks, records, context, '2026-12-04', '2027-03-01');
  });

  it('eligible: no date ahead until the award (the ceremony year is not a transition)', () => {
    const records = ksYears('2025-03-01', '2025-05-01', '2025-09-01');
    const context: Context = { personId: 'p', cohorts: [], enrollmentDate: '2025-01-15' };
    const r = evaluate(ks, records, { ...context, asOf: '2026-12-04' });
    expect(r.status).toBe('eligible');
    expect(nextTransitionOn(ks, r, { records, context })).toBeNull();
  });

  it('an award dated ahead, then reminders, the due date, grace, lapse and the end of reinstatement', () => {
    const records = ksYears('2025-03-01', '2025-05-01', '2025-09-01');
    const context: Context = {
      personId: 'p',
      cohorts: [],
      enrollmentDate: '2025-01-15',
      awards: [{ id: 'a1', awardedOn: '2025-11-15' }],
    };
    const r = evaluate(ks, records, { ...context, asOf: '2025-10-01' });
    expect(r.status).toBe('eligible');
    expect(nextTransitionOn(ks, r, { records, context })).toBe('2025-11-15');
    const { predicted, changed } = walk(ks, records, context, '2025-10-01', '2028-06-30');
    const certified = evaluate(ks, records, { ...context, asOf: '2025-11-15' });
    expect(certified.status).toBe('certified');
    const c = certified.lifecycle?.current ?? certified.lifecycle?.cycles[0];
    if (!c) throw new Error('no cycle');
    // Each kind of date is predicted: the reminders, the due date's next day, grace ending, lapse.
    for (const reminder of c.reminders) expect(predicted).toContain(reminder);
    expect(predicted).toContain(addDays(c.due, 1));
    expect(predicted).toContain(addDays(c.graceEnds, 1));
    if (c.reinstateBy) expect(predicted).toContain(addDays(c.reinstateBy, 1));
    expect(changed).toContain('2025-11-15');
    expect(evaluate(ks, records, { ...context, asOf: addDays(c.graceEnds, 1) }).status).toBe('lapsed');
    // Between transitions nothing was evaluated: far fewer days than the walk covered.
    expect(predicted.length).toBeLessThan(40);
  });

  it('renewed each year with the advance renewal course: the next cycle and its reminders', () => {
    const records = [
      ...ksYears('2025-03-01', '2025-05-01', '2025-09-01'),
      ksCourse('KS-ARC-2026', '2026-08-01'),
      ksCourse('KS-ARC-2027', '2027-08-01'),
    ];
    const context: Context = {
      personId: 'p',
      cohorts: [],
      enrollmentDate: '2025-01-15',
      awards: [{ id: 'a1', awardedOn: '2025-11-15' }],
    };
    const { changed } = walk(ks, records, context, '2025-11-15', '2029-01-31');
    expect(changed).toContain('2026-08-01');
    expect(changed).toContain('2027-08-01');
  });
});

describe('nextTransitionOn: the CPO program', { timeout: 120_000 }, () => {
  it('eligible before the application deadline: nothing stored changes with it, no transition', () => {
    const records = cpoInitial('2026-03-01');
    const context: Context = { personId: 'p', enrollmentDate: '2026-01-10' };
    const r = evaluate(cpo, records, { ...context, asOf: '2026-05-01' });
    expect(r.nextAward).toMatchObject({ year: 2026, applyBy: '2026-06-01' });
    expect(nextTransitionOn(cpo, r, { records, context })).toBeNull();
    walk(cpo, records, context, '2026-05-01', '2027-12-31');
  });

  it('certified for three years with no credits: reminders, grace, lapse, expiry', () => {
    const records = cpoInitial('2022-03-01');
    const context: Context = {
      personId: 'p',
      enrollmentDate: '2022-01-10',
      awards: [{ id: 'a1', awardedOn: '2022-07-15' }],
    };
    const { predicted, changed } = walk(cpo, records, context, '2022-07-15', '2027-01-31');
    const r = evaluate(cpo, records, { ...context, asOf: '2022-07-15' });
    const c = r.lifecycle?.current;
    if (!c) throw new Error('no cycle');
    for (const reminder of c.reminders) expect(predicted).toContain(reminder);
    expect(changed).toContain(addDays(c.due, 1));
    expect(changed).toContain(addDays(c.graceEnds, 1));
    if (c.reinstateBy) expect(changed).toContain(addDays(c.reinstateBy, 1));
  });

  it('renewal credits partly ahead, and a provisional waiver that expires', () => {
    const records = [
      ...cpoInitial('2022-03-01'),
      ...cpoCredits(8, 'elections', true, '2024-05-01'),
      ...cpoCredits(16, 'management', false, '2025-09-20'),
    ];
    const context: Context = {
      personId: 'p',
      enrollmentDate: '2022-01-10',
      awards: [{ id: 'a1', awardedOn: '2022-07-15' }],
      waivers: [
        {
          requirementId: 'cpo-maintenance',
          kind: 'provisional',
          grantedBy: 'staff',
          reason: 'medical leave',
          grantedOn: '2025-06-01',
          expiresOn: '2025-09-30',
        },
      ],
    };
    const { predicted } = walk(cpo, records, context, '2024-01-01', '2026-12-31');
    expect(predicted).toContain('2025-06-01');
    expect(predicted).toContain('2025-09-20');
    expect(predicted).toContain('2025-10-01');
  });
});

describe('nextTransitionOn: what the evaluation was given', () => {
  it('the day the context was evaluated for is not a transition', () => {
    const context = { personId: 'p', cohorts: [], enrollmentDate: '2026-01-15', asOf: '2028-11-20' };
    const r = evaluate(ks, [], context);
    expect(nextTransitionOn(ks, r, { records: [], context })).toBeNull();
  });
});

describe('nextTransitionOn: rules that move every day', () => {
  it('a look-back window cannot be predicted from dates: the next day', () => {
    const program = testProgram({
      ...mgmtTier(12),
      window: { lookBack: { years: 2 } },
    });
    const r = evaluate(program, [], { asOf: '2026-12-04' });
    expect(nextTransitionOn(program, r)).toBe('2026-12-05');
  });
});
