/**
 * Issue 13, section 5: periods in the renewal policy -- a reinstatement window measured in months
 * or years (not only days).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../requirements/evaluate.js';
import { parseProgram } from '../requirements/schema.js';
import { rec, testProgram } from '../requirements/testkit.js';
import { cycleDates, monthsOf } from './schedule.js';

const renewal = (reinstatement: unknown) => ({
  cycleYears: 1,
  expiryBasis: 'fixedAnchor',
  anchor: { month: 12, day: 31 },
  remindDaysBefore: [],
  graceDays: 30,
  reinstatement,
  requirement: { id: 'renew', type: 'credits', title: 'Renewal hours', min: 2 },
});

function program(reinstatement: unknown) {
  return testProgram(
    { id: 'init', type: 'credits', title: 'Initial', min: 1 },
    { renewal: renewal(reinstatement) },
  );
}

const AWARD = { id: 'a1', awardedOn: '2025-03-01' };

describe('reinstatement window in months or years', () => {
  it('12 months after grace ends: lapsed until then, expired the day after', () => {
    const p = program({ within: { months: 12 } });
    // First cycle: March 1, 2025 to December 31, 2026; grace ends January 30, 2027.
    const lapsed = evaluate(p, [], { asOf: '2028-01-30', awards: [AWARD] });
    expect(lapsed.status).toBe('lapsed');
    expect(lapsed.lifecycle?.current?.reinstateBy).toBe('2028-01-30');
    const expired = evaluate(p, [], { asOf: '2028-01-31', awards: [AWARD] });
    expect(expired.status).toBe('expired');
    expect(expired.lifecycle?.expiredOn).toBe('2028-01-31');
  });

  it('records dated in the months-long window reinstate the certification', () => {
    const p = program({ within: { years: 1 } });
    const r = evaluate(p, [rec({ id: 'make-up', date: '2027-11-15', amount: 2 })], {
      asOf: '2027-12-01',
      awards: [AWARD],
    });
    expect(r.lifecycle?.cycles[0]?.state).toBe('reinstated');
  });

  it('a month that lacks the day clamps to its last day; withinDays still counts days', () => {
    const base = {
      cycleYears: 1,
      expiryBasis: 'previousExpiry' as const,
      remindDaysBefore: [],
      graceDays: 0,
    };
    const period = { start: '2025-09-01', due: '2026-08-31' };
    expect(cycleDates({ ...base, reinstatement: { within: { months: 6 } } }, period).reinstateBy).toBe(
      '2027-02-28',
    );
    expect(cycleDates({ ...base, reinstatement: { withinDays: 90 } }, period).reinstateBy).toBe('2026-11-29');
  });

  it('program check: one of withinDays or within, a window of at least a day, with the path', () => {
    const issues = (reinstatement: unknown) => {
      const good = testProgram({ id: 'init', type: 'credits', title: 'Initial', min: 1 });
      const r = parseProgram({ ...good, renewal: renewal(reinstatement) });
      return r.ok ? [] : r.issues;
    };
    expect(issues({ within: { months: 12 } })).toEqual([]);
    expect(issues({})).toEqual([
      {
        path: 'renewal.reinstatement',
        message: 'Give the reinstatement window: withinDays, or within { years?, months?, days? }.',
      },
    ]);
    expect(issues({ withinDays: 30, within: { months: 1 } })).toEqual([
      { path: 'renewal.reinstatement.within', message: 'Give withinDays or within, not both.' },
    ]);
    expect(issues({ within: {} })).toEqual([
      { path: 'renewal.reinstatement.within', message: 'Give a window of at least 1 day, month or year.' },
    ]);
    expect(issues({ within: { weeks: 2 } })).toContainEqual({
      path: 'renewal.reinstatement.within',
      message: 'Unknown field(s): weeks.',
    });
  });
});

describe('a cap or a minimum per year of a multi-year period', () => {
  const yearly = {
    id: 'renew',
    type: 'credits',
    title: 'Renewal hours',
    min: 12,
    caps: [
      {
        id: 'board',
        label: 'board meetings at most 4 hours a year',
        max: 4,
        filter: { sourceTypes: ['work'] },
        per: 'year',
      },
    ],
    minimums: [{ id: 'each-year', label: 'at least 6 hours in each year', min: 6, filter: {}, per: 'year' }],
  };
  const twoYears = testProgram(
    { id: 'init', type: 'credits', title: 'Initial', min: 1 },
    {
      unit: { singular: 'hour', plural: 'hours' },
      renewal: {
        cycleYears: 2,
        expiryBasis: 'previousExpiry',
        remindDaysBefore: [],
        graceDays: 0,
        requirement: yearly,
      },
    },
  );
  const award = { id: 'a1', awardedOn: '2025-01-01' };
  const records = [
    rec({ id: 'board-1', date: '2025-03-01', amount: 3, sourceType: 'work' }),
    rec({ id: 'board-2', date: '2025-06-01', amount: 3, sourceType: 'work' }),
    rec({ id: 'conf-1', date: '2025-09-01', amount: 3 }),
    rec({ id: 'board-3', date: '2026-02-01', amount: 4, sourceType: 'work' }),
    rec({ id: 'conf-2', date: '2026-05-01', amount: 1 }),
  ];

  it('caps board meetings in each year separately, and says which year was full', () => {
    const r = evaluate(twoYears, records, { asOf: '2026-06-01', awards: [award] });
    const cycle = r.lifecycle?.current?.requirement;
    expect(cycle?.have).toBe(12);
    expect(cycle?.notCounted).toEqual([
      {
        recordId: 'board-2',
        date: '2025-06-01',
        amount: 2,
        reason: 'over_cap',
        detail:
          'Over the limit: board meetings at most 4 hours a year. Year 1 (January 1, 2025 to December 31, 2025) already counts the most allowed, 4 hours.',
      },
    ]);
    // Year 2's 4 board hours count in full: the cap is per year, not on the two years together.
    expect(cycle?.counted.find((c) => c.recordId === 'board-3')?.amount).toBe(4);
    expect(cycle?.parts.find((p) => p.id === 'board')).toMatchObject({
      per: 'year',
      have: 8,
      limit: 4,
      years: [
        { year: 1, from: '2025-01-01', to: '2025-12-31', have: 4, met: true },
        { year: 2, from: '2026-01-01', to: '2026-12-31', have: 4, met: true },
      ],
    });
  });

  it('holds each year to its minimum: 12 hours in all, but year 2 is 1 short, and the sentence says so', () => {
    const r = evaluate(twoYears, records, { asOf: '2026-06-01', awards: [award] });
    const cycle = r.lifecycle?.current?.requirement;
    expect(cycle?.met).toBe(false);
    expect(cycle?.missing).toBe(
      'For at least 6 hours in each year, you need 1 more hour in year 2 (January 1, 2026 to December 31, 2026).',
    );
    expect(cycle?.parts.find((p) => p.id === 'each-year')?.years?.map((y) => [y.have, y.met])).toEqual([
      [7, true],
      [5, false],
    ]);
  });

  it('is met once the short year has its hours, on that date', () => {
    const r = evaluate(twoYears, [...records, rec({ id: 'conf-3', date: '2026-08-01', amount: 1 })], {
      asOf: '2026-09-01',
      awards: [award],
    });
    const cycle = r.lifecycle?.current;
    expect(cycle?.requirement?.met).toBe(true);
    expect(cycle?.requirement?.metOn).toBe('2026-08-01');
  });

  it("a record in grace belongs to the last year: it cannot escape that year's cap", () => {
    const withGrace = testProgram(
      { id: 'init', type: 'credits', title: 'Initial', min: 1 },
      {
        unit: { singular: 'hour', plural: 'hours' },
        renewal: {
          cycleYears: 2,
          expiryBasis: 'previousExpiry',
          remindDaysBefore: [],
          graceDays: 60,
          requirement: yearly,
        },
      },
    );
    const r = evaluate(
      withGrace,
      [...records, rec({ id: 'late-board', date: '2027-01-15', amount: 2, sourceType: 'work' })],
      { asOf: '2027-01-20', awards: [award] },
    );
    const late = r.lifecycle?.current?.requirement?.notCounted.find((n) => n.recordId === 'late-board');
    expect(late?.reason).toBe('over_cap');
    expect(late?.detail).toContain(
      'Year 2 (January 1, 2026 to December 31, 2026) already counts the most allowed',
    );
  });

  it('years of a period starting on February 29 are counted from that date, without drift', () => {
    const initial = {
      id: 'hours',
      type: 'credits',
      title: 'Training hours',
      min: 2,
      window: { from: '2024-02-29', to: '2028-02-28' },
      minimums: [{ id: 'yearly', label: 'at least 0.5 hours a year', min: 0.5, filter: {}, per: 'year' }],
    };
    const r = evaluate(testProgram(initial), [], { asOf: '2024-03-01' });
    const years = r.initial.parts[0]?.years?.map((y) => [y.from, y.to]);
    expect(years).toEqual([
      ['2024-02-29', '2025-02-27'],
      ['2025-02-28', '2026-02-27'],
      ['2026-02-28', '2027-02-27'],
      ['2027-02-28', '2028-02-28'],
    ]);
  });

  it('in the initial requirements, years count from the window start; without one, program check says what to add', () => {
    const initial = {
      id: 'hours',
      type: 'credits',
      title: 'Training hours',
      min: 8,
      window: { from: '2025-01-01', to: '2026-12-31' },
      minimums: [{ id: 'yearly', label: 'at least 4 hours a year', min: 4, filter: {}, per: 'year' }],
    };
    const p = testProgram(initial, { unit: { singular: 'hour', plural: 'hours' } });
    const r = evaluate(
      p,
      [rec({ id: 'a', date: '2025-05-01', amount: 6 }), rec({ id: 'b', date: '2026-03-01', amount: 2 })],
      { asOf: '2026-04-01' },
    );
    expect(r.initial.met).toBe(false);
    expect(r.missing).toEqual([
      'For at least 4 hours a year, you need 2 more hours in year 2 (January 1, 2026 to December 31, 2026).',
    ]);
    const good = testProgram({ id: 'x', type: 'credits', title: 'X', min: 1 });
    const bad = parseProgram({ ...good, initial: { requirement: { ...initial, window: undefined } } });
    expect(bad.ok ? [] : bad.issues).toEqual([
      {
        path: 'initial.requirement.minimums[0].per',
        message:
          'Years are counted from the start of the period: outside renewal requirements, give this requirement window.from or window.lookBack.',
      },
    ]);
    const typo = parseProgram({
      ...good,
      initial: { requirement: { ...initial, minimums: [{ ...initial.minimums[0], per: 'month' }] } },
    });
    expect(typo.ok ? [] : typo.issues).toEqual([
      { path: 'initial.requirement.minimums[0].per', message: 'Must be "year" (or leave it out).' },
    ]);
  });
});

describe('a prorated or different first cycle', () => {
  const annual = { id: 'annual', type: 'credits', title: 'Annual hours', min: 16 };
  const calendarYears = (firstCycle: unknown, requirement: unknown = annual) =>
    testProgram(
      { id: 'init', type: 'credits', title: 'Initial', min: 1 },
      {
        unit: { singular: 'hour', plural: 'hours' },
        renewal: {
          cycleYears: 1,
          expiryBasis: 'fixedAnchor',
          anchor: { month: 12, day: 31 },
          remindDaysBefore: [],
          graceDays: 0,
          firstCycle,
          requirement,
        },
      },
    );
  const march15 = { id: 'a1', awardedOn: '2026-03-15' };
  const PRORATED = { endsOn: 'firstAnchor', prorate: [{ requirement: 'annual', perMonth: 1.33 }] };

  it('1.33 hours for each whole month left in the award year: 9 months (April-December) is 11.97, rounded to 12', () => {
    const p = calendarYears(PRORATED);
    const r = evaluate(p, [rec({ id: 'h', date: '2026-06-01', amount: 11 })], {
      asOf: '2026-11-01',
      awards: [march15],
    });
    const cycle = r.lifecycle?.current;
    expect(cycle?.due).toBe('2026-12-31');
    expect(cycle?.requirement?.need).toBe(12);
    expect(cycle?.requirement?.note).toBe(
      'Prorated for the first cycle: 9 whole months from March 15, 2026 to December 31, 2026 at 1.33 hours a month is 11.97, rounded to 12 hours.',
    );
    expect(cycle?.requirement?.missing).toBe('You need 1 more hour for Annual hours.');
  });

  it('the second cycle is a whole year at the full 16 hours', () => {
    const p = calendarYears(PRORATED);
    const r = evaluate(p, [rec({ id: 'h', date: '2026-06-01', amount: 12 })], {
      asOf: '2027-02-01',
      awards: [march15],
    });
    expect(r.lifecycle?.cycles[0]?.state).toBe('renewed');
    expect(r.lifecycle?.current?.start).toBe('2027-01-01');
    expect(r.lifecycle?.current?.due).toBe('2027-12-31');
    expect(r.lifecycle?.current?.requirement?.need).toBe(16);
  });

  it("months begun and the rounding are the program's choice", () => {
    const need = (prorate: Record<string, unknown>) =>
      evaluate(
        calendarYears({
          endsOn: 'firstAnchor',
          prorate: [{ requirement: 'annual', perMonth: 1.33, ...prorate }],
        }),
        [],
        {
          asOf: '2026-04-01',
          awards: [march15],
        },
      ).lifecycle?.current?.requirement?.need;
    expect(need({ months: 'started' })).toBe(13); // 10 months: 13.3
    expect(need({ rounding: 'down' })).toBe(11);
    expect(need({ rounding: 'up' })).toBe(12);
  });

  it('an award in the last month leaves no whole month: nothing is needed for the first cycle', () => {
    const r = evaluate(calendarYears(PRORATED), [], {
      asOf: '2027-01-15',
      awards: [{ id: 'a', awardedOn: '2026-12-20' }],
    });
    expect(r.lifecycle?.cycles[0]).toMatchObject({ state: 'renewed', completedOn: '2026-12-20' });
    expect(r.status).toBe('certified');
  });

  it('counts calendar months: whole months inside, or every month touched', () => {
    expect(monthsOf('2026-03-01', '2026-12-31', 'whole')).toBe(10);
    expect(monthsOf('2026-03-15', '2026-12-31', 'whole')).toBe(9);
    expect(monthsOf('2026-03-15', '2026-12-31', 'started')).toBe(10);
    expect(monthsOf('2026-03-15', '2027-03-14', 'whole')).toBe(11);
    expect(monthsOf('2026-12-20', '2026-12-31', 'whole')).toBe(0);
    expect(monthsOf('2026-12-20', '2026-12-31', 'started')).toBe(1);
  });

  it('a different requirement for the first cycle', () => {
    const p = calendarYears({
      requirement: { id: 'orientation', type: 'courses', title: 'Orientation', courses: ['A'] },
    });
    const r = evaluate(p, [], { asOf: '2026-04-01', awards: [march15] });
    expect(r.lifecycle?.current?.due).toBe('2027-12-31');
    expect(r.lifecycle?.current?.requirement?.missing).toBe(
      'You still need to complete "Course A" (Orientation).',
    );
  });

  it('program check: the prorated id must be a credits node of the first cycle; firstAnchor needs fixedAnchor', () => {
    const issues = (firstCycle: unknown, expiryBasis = 'fixedAnchor') => {
      const good = testProgram({ id: 'init', type: 'credits', title: 'Initial', min: 1 });
      const r = parseProgram({
        ...good,
        renewal: {
          cycleYears: 1,
          expiryBasis,
          anchor: { month: 12, day: 31 },
          firstCycle,
          requirement: {
            id: 'all',
            type: 'allOf',
            title: 'All',
            items: [annual, { id: 'c', type: 'courses', title: 'C', courses: ['A'] }],
          },
        },
      });
      return r.ok ? [] : r.issues;
    };
    expect(issues({ prorate: [{ requirement: 'anual', perMonth: 1.33 }] })).toEqual([
      {
        path: 'renewal.firstCycle.prorate[0].requirement',
        message: 'No requirement "anual" in the first cycle\'s requirement (renewal.requirement).',
      },
    ]);
    expect(issues({ prorate: [{ requirement: 'c', perMonth: 1 }] })).toEqual([
      {
        path: 'renewal.firstCycle.prorate[0].requirement',
        message: '"c" is a courses requirement; only a credits minimum can be prorated.',
      },
    ]);
    expect(issues({ endsOn: 'firstAnchor' }, 'previousExpiry')).toEqual([
      {
        path: 'renewal.firstCycle.endsOn',
        message: 'Only with expiryBasis fixedAnchor (cycles that end on an anchor date).',
      },
    ]);
    expect(issues({ prorate: [{ requirement: 'annual', perMonth: 1.33, rounding: 'half' }] })).toEqual([
      { path: 'renewal.firstCycle.prorate[0].rounding', message: 'Must be nearest, up or down.' },
    ]);
    expect(issues({ prorate: [{ requirement: 'annual', perMonth: 1.33 }] })).toEqual([]);
  });
});
