/**
 * Issue 12: a prorated first cycle: the note's wording for each choice (whole or started months,
 * one month, each rounding), the requirement shapes the prorated node may sit in, and no note
 * after the first cycle.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../requirements/evaluate.js';
import { rec, testProgram } from '../requirements/testkit.js';

const annual = { id: 'annual', type: 'credits', title: 'Annual hours', min: 16 };
const ethics = { id: 'ethics', type: 'credits', title: 'Ethics hours', min: 2 };
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
const first = (firstCycle: unknown, award = march15, requirement: unknown = annual) =>
  evaluate(calendarYears(firstCycle, requirement), [], { asOf: award.awardedOn, awards: [award] }).lifecycle
    ?.current?.requirement;
const prorate = (p: Record<string, unknown>) => ({
  endsOn: 'firstAnchor',
  prorate: [{ requirement: 'annual', ...p }],
});

describe('the prorated note', () => {
  it('rounded up: 9 whole months at 1.05 is 9.45, rounded up to 10', () => {
    const node = first(prorate({ perMonth: 1.05, rounding: 'up' }));
    expect(node?.need).toBe(10);
    expect(node?.note).toBe(
      'Prorated for the first cycle: 9 whole months from March 15, 2026 to December 31, 2026 at 1.05 hours a month is 9.45, rounded up to 10 hours.',
    );
  });

  it('months started, rounded down', () => {
    const node = first(prorate({ perMonth: 1.05, months: 'started', rounding: 'down' }));
    expect(node?.need).toBe(10);
    expect(node?.note).toBe(
      'Prorated for the first cycle: 10 months from March 15, 2026 to December 31, 2026 at 1.05 hours a month is 10.5, rounded down to 10 hours.',
    );
  });

  it('one month at one hour: singular words', () => {
    const node = first(prorate({ perMonth: 1 }), { id: 'a', awardedOn: '2026-12-01' });
    expect(node?.need).toBe(1);
    expect(node?.note).toBe(
      'Prorated for the first cycle: 1 whole month from December 1, 2026 to December 31, 2026 at 1 hour a month is 1, rounded to 1 hour.',
    );
  });

  it('the second cycle has no prorated note', () => {
    const r = evaluate(
      calendarYears(prorate({ perMonth: 1.33 })),
      [rec({ id: 'h', date: '2026-06-01', amount: 12 })],
      {
        asOf: '2027-02-01',
        awards: [march15],
      },
    );
    expect(r.lifecycle?.current?.index).toBe(2);
    expect(r.lifecycle?.current?.requirement?.note).toBeUndefined();
    expect(r.lifecycle?.cycles[0]?.requirement?.note).toMatch(/^Prorated for the first cycle/);
  });
});

describe('the prorated node inside a group', () => {
  const groups: [string, unknown][] = [
    ['allOf', { id: 'g', type: 'allOf', title: 'All', items: [annual, ethics] }],
    ['anyOf', { id: 'g', type: 'anyOf', title: 'Any', items: [annual, ethics] }],
    ['nOf', { id: 'g', type: 'nOf', title: 'Both', n: 2, items: [annual, ethics] }],
    [
      'deadline',
      {
        id: 'g',
        type: 'deadline',
        title: 'By',
        by: '2099-12-31',
        item: { id: 'g2', type: 'allOf', title: 'All', items: [annual, ethics] },
      },
    ],
  ];
  it.each(groups)(
    '%s: the prorated node needs its prorated minimum, the others keep theirs',
    (_name, requirement) => {
      const node = first(prorate({ perMonth: 1.33 }), march15, requirement);
      const find = (id: string) => {
        let hit: { need?: number } | undefined;
        const visit = (n: { id: string; need?: number; children: unknown[] }): void => {
          if (n.id === id) hit = n;
          n.children.forEach((c) => visit(c as typeof n));
        };
        if (node) visit(node as unknown as { id: string; need?: number; children: unknown[] });
        return hit?.need;
      };
      expect(find('annual')).toBe(12);
      expect(find('ethics')).toBe(2);
    },
  );
});
